"""The lexicon dry run: what a proposed term change would do to recent public content.

Scans the newest public objects of every registered model (``adapter.recent_public``)
and the objects a scan holds now (they are not public, but a change may be what keeps
them offline) with the live lexicon and with the lexicon as it would be after the change,
and reports the objects whose findings differ: the ones the change would newly hit and
the ones it would stop hitting, and for each what happens to it — taken offline, queued
for a moderator while it stays online, or released. Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from moderation.lexicon import lexicon_snapshot, term_spec
from moderation.models import Case, CaseStatus, ScanRecord, ScanStatus, Term
from moderation.registry import registry
from moderation.scanner import build_lexicon, scan
from moderation.services import TermData
from moderation.services.scans import scan_holds
from moderation.text_model import model_snapshot

# Per registered model. Two scans per object: 100 articles of a few thousand characters
# take well under a second with the scanner's throughput.
DRY_RUN_LIMIT = 100

ChangeKind = Literal["create", "update", "disable", "enable"]

# What a change does to one item once it is rescanned (DryRunHit.effect):
# - "offline": public now, held (not shown to readers) after;
# - "queued": it newly needs a person, who sees it in the queue; it stays as it is;
# - "release": held by its scan now, released after (what this scan alone held);
# - "stays_held": held now and after (by other findings, an escalation or a case);
# - "hold": not public, held after (e.g. a submission that could no longer be approved);
# - "": the findings change, what happens to the item does not.
Effect = Literal["offline", "queued", "release", "stays_held", "hold", ""]


@dataclass(frozen=True)
class FindingGroup:
    """Repeated hits of one term (or detector) in one item, shown as one line with a count."""

    rule: str
    detector: str
    action: str
    match: str
    count: int


@dataclass(frozen=True)
class LexiconChange:
    kind: ChangeKind
    data: TermData | None = None  # create / update: the new fields
    term: Term | None = None  # update / disable / enable: the stored term


@dataclass
class DryRunHit:
    label: str
    content_type_id: int
    obj: models.Model
    title: str
    text: str
    url: str
    verdict_before: str
    verdict_after: str
    gained: list[Any] = field(default_factory=list)  # scanner findings only after the change
    lost: list[Any] = field(default_factory=list)  # scanner findings only before it
    live: bool = False  # public now (or would be, but for its scan's hold)
    held: bool = False  # held by its scan now
    effect: str = ""

    @property
    def gained_groups(self) -> list[FindingGroup]:
        return group_findings(self.gained)

    @property
    def lost_groups(self) -> list[FindingGroup]:
        return group_findings(self.lost)


@dataclass
class DryRunReport:
    scanned: int
    limit: int
    lexicon_version: int
    hits: list[DryRunHit]

    @property
    def newly_hit(self) -> list[DryRunHit]:
        return [hit for hit in self.hits if hit.gained]

    @property
    def stop_hitting(self) -> list[DryRunHit]:
        return [hit for hit in self.hits if hit.lost]

    def _count_by_label(self, effect: str) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for hit in self.hits:
            if hit.effect == effect:
                counts[hit.label] = counts.get(hit.label, 0) + 1
        return list(counts.items())

    @property
    def going_offline(self) -> list[tuple[str, int]]:
        """(label, how many) of public items the change would take offline."""
        return self._count_by_label("offline")

    @property
    def released(self) -> list[tuple[str, int]]:
        """(label, how many) of held items the change would release."""
        return self._count_by_label("release")

    @property
    def queued(self) -> list[tuple[str, int]]:
        return self._count_by_label("queued")

    def targets(self) -> list[tuple[int, int]]:
        """(content type id, object id) of every item whose scan the change alters."""
        return [(hit.content_type_id, hit.obj.pk) for hit in self.hits]


def _proposed_specs(change: LexiconChange) -> list:
    terms = Term.objects.filter(enabled=True).order_by("id")
    if change.term is not None:
        terms = terms.exclude(pk=change.term.pk)
    specs = [term_spec(term) for term in terms]
    if change.kind in ("create", "update"):
        if change.data is None:
            raise ValueError(_("新增或修改词条的试运行需要新的词条内容。"))
        # A disabled term being edited stays disabled: the edit alone changes no scan.
        if change.kind == "create" or (change.term is not None and change.term.enabled):
            specs.append(change.data.spec())
    elif change.kind == "enable":
        specs.append(term_spec(change.term))
    return specs


def _key(finding) -> tuple:
    return (finding.field, finding.start, finding.end, finding.rule, finding.detector, finding.action)


def group_findings(findings: list[Any]) -> list[FindingGroup]:
    """One group per (rule, detector, action, matched text), in order of first appearance."""
    groups: dict[tuple, list] = {}
    for finding in findings:
        groups.setdefault((finding.rule, finding.detector, finding.action, finding.match), []).append(finding)
    return [
        FindingGroup(rule=rule, detector=detector, action=action, match=match, count=len(items))
        for (rule, detector, action, match), items in groups.items()
    ]


@dataclass(frozen=True)
class _HeldState:
    held: bool
    keeps_hold: bool  # an escalation or a case keeps it held whatever its findings say


def _held_objects(model, adapter, content_type_id: int, limit: int) -> tuple[list, dict[int, _HeldState]]:
    """The objects of ``model`` a scan holds now (newest first, at most ``limit``), and for
    each whether something besides its findings keeps it held. Three queries per model."""
    rows = list(
        ScanRecord.objects.filter(content_type_id=content_type_id, is_latest=True, held=True)
        .order_by("-scanned_at", "-id")
        .values_list("object_id", "status")[:limit]
    )
    if not rows:
        return [], {}
    ids = [object_id for object_id, _status in rows]
    hidden_by_case = set(
        Case.objects.filter(
            content_type_id=content_type_id, object_id__in=ids, status=CaseStatus.OPEN, hidden_pending_review=True
        ).values_list("object_id", flat=True)
    )
    states = {
        object_id: _HeldState(held=True, keeps_hold=status == ScanStatus.ESCALATED or object_id in hidden_by_case)
        for object_id, status in rows
    }
    objects = {obj.pk: obj for obj in adapter.get_queryset().filter(pk__in=ids)}
    return [objects[pk] for pk in ids if pk in objects], states


def _effect(*, live: bool, held: bool, keeps_hold: bool, before, after) -> str:
    held_after = keeps_hold or scan_holds(verdict=after.verdict, actions=[f.action for f in after.findings], live=live)
    if held and held_after:
        return "stays_held"
    if held:
        return "release"
    if held_after:
        return "offline" if live else "hold"
    before_needs_person = before.verdict != "allow"
    if after.verdict != "allow" and not before_needs_person:
        return "queued"
    return ""


def lexicon_dry_run(*, change: LexiconChange, limit: int = DRY_RUN_LIMIT) -> DryRunReport:
    snapshot = lexicon_snapshot()
    model_options = model_snapshot().scan_options()  # the same model on both sides
    proposed = build_lexicon(_proposed_specs(change))
    hits: list[DryRunHit] = []
    scanned = 0
    for model, adapter in registry.items():
        content_type_id = ContentType.objects.get_for_model(model).pk
        held_objects, held_states = _held_objects(model, adapter, content_type_id, limit)
        seen: set[int] = set()
        for obj in [*held_objects, *adapter.recent_public(limit)]:
            if obj.pk in seen:
                continue
            seen.add(obj.pk)
            scanned += 1
            state = held_states.get(obj.pk, _HeldState(held=False, keeps_hold=False))
            title = adapter.get_title(obj) or ""
            text = adapter.get_text(obj) or ""
            before = scan(title, text, lexicon=snapshot.lexicon, **model_options)
            after = scan(title, text, lexicon=proposed, **model_options)
            before_keys = {_key(f) for f in before.findings}
            after_keys = {_key(f) for f in after.findings}
            gained = [f for f in after.findings if _key(f) not in before_keys]
            lost = [f for f in before.findings if _key(f) not in after_keys]
            if gained or lost or before.verdict != after.verdict:
                live = adapter.is_live(obj, first_scan=False)
                hits.append(
                    DryRunHit(
                        label=adapter.get_label(),
                        content_type_id=content_type_id,
                        obj=obj,
                        title=title,
                        text=text,
                        url=adapter.get_url(obj) or "",
                        verdict_before=before.verdict,
                        verdict_after=after.verdict,
                        gained=gained,
                        lost=lost,
                        live=live,
                        held=state.held,
                        effect=_effect(
                            live=live, held=state.held, keeps_hold=state.keeps_hold, before=before, after=after
                        ),
                    )
                )
    return DryRunReport(scanned=scanned, limit=limit, lexicon_version=snapshot.version, hits=hits)

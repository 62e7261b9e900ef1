"""The lexicon dry run: what a proposed term change would do to recent public content.

Scans the newest public objects of every registered model (``adapter.recent_public``)
with the live lexicon and with the lexicon as it would be after the change, and reports
the objects whose findings differ: the ones the change would newly hit and the ones it
would stop hitting. Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from moderation.lexicon import lexicon_snapshot, term_spec
from moderation.models import Term
from moderation.registry import registry
from moderation.scanner import build_lexicon, scan
from moderation.services import TermData

# Per registered model. Two scans per object: 100 articles of a few thousand characters
# take well under a second with the scanner's throughput.
DRY_RUN_LIMIT = 100

ChangeKind = Literal["create", "update", "disable", "enable"]


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


def lexicon_dry_run(*, change: LexiconChange, limit: int = DRY_RUN_LIMIT) -> DryRunReport:
    snapshot = lexicon_snapshot()
    proposed = build_lexicon(_proposed_specs(change))
    hits: list[DryRunHit] = []
    scanned = 0
    for model, adapter in registry.items():
        content_type_id = ContentType.objects.get_for_model(model).pk
        for obj in adapter.recent_public(limit):
            scanned += 1
            title = adapter.get_title(obj) or ""
            text = adapter.get_text(obj) or ""
            before = scan(title, text, lexicon=snapshot.lexicon)
            after = scan(title, text, lexicon=proposed)
            before_keys = {_key(f) for f in before.findings}
            after_keys = {_key(f) for f in after.findings}
            gained = [f for f in after.findings if _key(f) not in before_keys]
            lost = [f for f in before.findings if _key(f) not in after_keys]
            if gained or lost or before.verdict != after.verdict:
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
                    )
                )
    return DryRunReport(scanned=scanned, limit=limit, lexicon_version=snapshot.version, hits=hits)

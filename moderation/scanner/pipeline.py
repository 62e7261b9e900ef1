"""`scan(title, body)`: normalise, match the lexicon, run the detectors, the model stage, decide."""

from __future__ import annotations

from .detectors import clickbait, contacts, links, stuffing, vocabulary
from .lexicon import Lexicon, default_lexicon
from .model import TextModel, default_model, model_findings
from .normalize import normalize
from .policy import verdict
from .results import Finding, Result, make_finding

_FIELDS = ("title", "body")
# A post that repeats one violation thousands of times needs the same decision as one that
# says it a few times; keep the first few findings of each rule so storage stays bounded.
MAX_FINDINGS_PER_RULE = 20


_RANK = {"flag": 0, "review": 1, "block": 2}


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per (rule, place): drop exact repeats and hits nested in a longer hit of
    the same rule whose action is at least as strong."""
    ordered = sorted(findings, key=lambda f: (f.field, f.rule, f.start, -(f.end - f.start), -_RANK[f.action]))
    kept: list[Finding] = []
    group: tuple[str, str] | None = None
    reach = [-1, -1, -1]  # furthest end of a kept finding, by action rank
    for finding in ordered:
        if (finding.field, finding.rule) != group:
            group = (finding.field, finding.rule)
            reach = [-1, -1, -1]
        rank = _RANK[finding.action]
        if max(reach[rank:]) >= finding.end:
            continue
        kept.append(finding)
        reach[rank] = max(reach[rank], finding.end)
    return kept


def _cap(findings: list[Finding]) -> list[Finding]:
    seen: dict[tuple[str, str], int] = {}
    kept = []
    for finding in findings:
        key = (finding.field, finding.rule)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= MAX_FINDINGS_PER_RULE:
            kept.append(finding)
    return kept


def _promotion_from_links(findings: list[Finding], signals: list[links.LinkSignal], texts: dict) -> list[Finding]:
    """An ordinary link becomes a finding when the same text already advertises (3.x or 4.x)."""
    if not signals:
        return []
    advertising = {f.field for f in findings if f.category in (1, 3, 4)}
    out = []
    for signal in signals:
        if signal.field in advertising:
            out.append(
                make_finding(
                    rule="3.1",
                    detector="link",
                    field=signal.field,
                    original=texts[signal.field],
                    start=signal.start,
                    end=signal.end,
                    score=0.7,
                    action="block",
                )
            )
    return out


_DEFAULT_MODEL = object()


def scan(
    title: str,
    body: str,
    *,
    lexicon: Lexicon | None = None,
    model: TextModel | object | None = _DEFAULT_MODEL,
    thresholds: dict | None = None,
) -> Result:
    """Scan one piece of content. Never raises on any string; deterministic.

    `model` is the model stage's `TextModel` (default: the shipped `default_model()`; `None`
    turns the stage off); `thresholds` overrides its stored per-category thresholds."""
    lexicon = lexicon if lexicon is not None else default_lexicon()
    if model is _DEFAULT_MODEL:
        model = default_model()
    title = title or ""
    body = body or ""
    texts = {"title": title, "body": body}
    normalized = {field: normalize(texts[field]) for field in _FIELDS}
    findings: list[Finding] = []
    signals: list[links.LinkSignal] = []
    for field in _FIELDS:
        norm = normalized[field]
        if not norm.text:
            continue
        findings.extend(lexicon.match(norm, field))
        link_findings, link_signals, link_spans = links.detect(norm, field)
        findings.extend(link_findings)
        signals.extend(link_signals)
        findings.extend(contacts.detect(norm, field, exclude=link_spans))
        findings.extend(vocabulary.detect(norm, field))
        findings.extend(stuffing.detect(norm, field))
    findings.extend(clickbait.detect(normalized["title"], normalized["body"]))
    findings.extend(_promotion_from_links(findings, signals, texts))
    findings = _dedupe(findings)
    if model is not None:
        # after the rules' dedupe: a sentence the model flags stays a finding of its own even
        # where a rule's hit of the same rule covers it (the policy needs both to agree)
        findings.extend(model_findings(title, body, model, thresholds, normalized=normalized))
    findings.sort(key=lambda f: (_FIELDS.index(f.field), f.start, f.end, f.rule, f.detector))
    findings = _cap(findings)
    return Result(verdict=verdict(findings), findings=findings)

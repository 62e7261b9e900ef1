"""The queue becomes a queue of cases: every scan record a person has to handle (open or
escalated) gets an open case, and every scan a person already resolved gets a decided case
with that decision, so no history is lost. The evidence of these cases is what the
records kept (the matched text); cases opened from now on snapshot the whole content."""

from django.db import migrations

DECISIONS = {"dismissed": "dismiss", "removed": "remove"}
SEVERITY_WEIGHT = {"low": 1.0, "medium": 2.0, "high": 4.0, "critical": 8.0}


def cases_from_scans(apps, schema_editor):
    ScanRecord = apps.get_model("moderation", "ScanRecord")
    Case = apps.get_model("moderation", "Case")
    Rule = apps.get_model("moderation", "Rule")
    severities = dict(Rule.objects.filter(convention__is_current=True).values_list("code", "severity"))
    records = ScanRecord.objects.filter(status__in=["open", "escalated", "dismissed", "removed"]).exclude(
        status__in=["dismissed", "removed"], resolved_at__isnull=True
    )
    for record in records.select_related("content_type").order_by("created_at", "id").iterator():
        findings = list(record.findings.order_by("start").values_list("rule_code", "match", "score"))
        codes = [code for code, _m, _s in findings]
        order = ["low", "medium", "high", "critical"]
        top = max(codes, key=lambda c: order.index(severities.get(c, "low")), default="")
        severity = severities.get(top, "low")
        score = max((s for _c, _m, s in findings), default=0.0)
        evidence = {
            "label": record.content_type.model,
            "title": "",
            "text": "\n".join(m for _c, m, _s in findings)[:20000],
            "url": "",
            "owner_id": record.owner_id,
            "owner": "",
            "captured_at": record.scanned_at.isoformat(),
            "migrated": True,
        }
        common = {
            "content_type_id": record.content_type_id,
            "object_id": record.object_id,
            "subject_id": record.owner_id,
            "rule_code": top,
            "category": int(top.split(".")[0]) if top else None,
            "severity": severity,
            "has_scan": True,
            "scan_score": score,
            "scan_record": record,
            "evidence": evidence,
            "convention_version": record.convention_version,
            "escalated": record.status == "escalated",
        }
        if record.status in ("open", "escalated"):
            if not record.is_latest:
                continue
            if Case.objects.filter(
                content_type_id=record.content_type_id, object_id=record.object_id, status="open"
            ).exists():
                continue
            Case.objects.create(
                status="open",
                priority=SEVERITY_WEIGHT[severity]
                * (
                    2.0 * max(score, 1.0 if record.verdict == "block" else 0.0)
                    + (1.0 if record.status == "escalated" else 0.0)
                ),
                **common,
            )
        else:
            Case.objects.create(
                status="decided",
                decision=DECISIONS[record.status],
                decided_by_id=record.resolved_by_id,
                decided_at=record.resolved_at,
                decision_rule=top if record.status == "removed" else "",
                decision_reason=record.resolution_reason,
                **common,
            )


class Migration(migrations.Migration):
    dependencies = [("moderation", "0004_reports_cases_penalties")]

    operations = [migrations.RunPython(cases_from_scans, migrations.RunPython.noop)]

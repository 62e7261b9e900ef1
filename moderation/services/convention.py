"""Loading the community convention."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from moderation.models import (
    ConventionVersion,
    Rule,
    RuleCategory,
    Severity,
)


@transaction.atomic
def convention_load(*, data: dict, make_current: bool = True) -> ConventionVersion:
    """Create or update the convention version described by `data` (seeds/convention.json).

    Idempotent: loading the same data twice changes nothing the second time. Rules
    present in the database but absent from `data` are kept (an old finding may name them).
    """
    try:
        version_code = data["version"]
        categories = data["categories"]
    except (KeyError, TypeError) as exc:
        raise ValidationError(f"公约数据缺少字段：{exc}") from exc
    valid_severities = set(Severity.values)

    version, _ = ConventionVersion.objects.update_or_create(
        version=version_code, defaults={"title": data.get("title", "社区公约"), "summary": data.get("summary", "")}
    )
    for category_data in categories:
        category, _ = RuleCategory.objects.update_or_create(
            convention=version, number=category_data["number"], defaults={"name": category_data["name"]}
        )
        for position, rule_data in enumerate(category_data["rules"]):
            if rule_data["severity"] not in valid_severities:
                raise ValidationError(f"条款 {rule_data['code']} 的严重程度无效：{rule_data['severity']}")
            if not rule_data["code"].startswith(f"{category.number}."):
                raise ValidationError(f"条款 {rule_data['code']} 不属于第 {category.number} 类")
            Rule.objects.update_or_create(
                convention=version,
                code=rule_data["code"],
                defaults={
                    "category": category,
                    "title": rule_data["title"],
                    "text": rule_data["text"],
                    "severity": rule_data["severity"],
                    "position": position,
                },
            )
    if make_current and not version.is_current:
        ConventionVersion.objects.filter(is_current=True).update(is_current=False)
        version.is_current = True
        version.save(update_fields=["is_current"])
    return version

"""Reads for the moderation app."""

from moderation.models import ConventionVersion


def convention_current() -> ConventionVersion | None:
    return ConventionVersion.objects.filter(is_current=True).first()

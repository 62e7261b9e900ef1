"""The audit log, and the permission check every moderation service shares."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from moderation.models import AuditEntry


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    target: models.Model | None = None,
    data: dict | None = None,
) -> AuditEntry:
    """Append one entry to the audit log. Any app may call it.

    ``action`` is a dotted name, ``<entity>.<verb>`` (``term.create``, ``scan.dismiss``,
    ``article.publish``); ``actor`` None means the system did it; ``data`` must be
    JSON-serialisable (ids, codes, reasons — not model instances).
    """
    entry = AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        data=data or {},
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
        entry.target_repr = str(target)[:200]
    entry.save()
    return entry


def require_perm(actor: AbstractBaseUser | None, *perms: str) -> None:
    """Raise PermissionDenied unless ``actor`` holds at least one of ``perms``."""
    if actor is None or not any(actor.has_perm(perm) for perm in perms):
        raise PermissionDenied(_("你没有执行这个操作的权限。"))

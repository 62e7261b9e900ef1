"""What can be moderated: apps register their models here, moderation never imports them.

In the spirit of Wagtail's hooks, an app describes each of its moderated models with a
small adapter and registers it from its ``AppConfig.ready()``::

    # articles/apps.py
    def ready(self):
        from moderation.registry import registry
        from articles.moderation import ArticleAdapter
        from articles.models import Article

        registry.register(Article, ArticleAdapter)

Everything in moderation (the scan task, the queue, the lexicon dry run) reaches the
objects only through ``registry.adapter_for(obj_or_model)``.

The adapter contract
--------------------
Reading (must not write, must not raise for a normal object):

- ``label`` – the Chinese name of the kind of object, shown in the queue (“文章”, “评论”).
- ``get_title(obj) -> str`` – the title to scan ("" when the object has none).
- ``get_text(obj) -> str`` – the body to scan, exactly as the author wrote it (Markdown
  source, plain text): finding offsets index this string, so it must be the same string
  on every call for the same stored content.
- ``get_owner(obj) -> User | None`` – the account responsible for the text (None for
  e-mail submitters without an account); used for near-duplicate checks across accounts.
- ``get_url(obj) -> str`` – where a moderator can see the object ("" if nowhere).
- ``get_queryset() -> QuerySet`` – the rows moderation may load, with whatever
  ``select_related`` ``get_title``/``get_text``/``get_url``/``get_owner`` need, so the
  queue loads any number of objects of one model in one query.
- ``recent_public(limit: int) -> QuerySet | list`` – the newest publicly visible objects,
  at most ``limit``, newest first; the lexicon dry run scans them.
- ``is_live(obj, *, first_scan: bool) -> bool`` – whether ``obj`` is already public (a
  published article, a shown comment that was scanned before). Live content is taken
  offline only by a finding whose own action is ``block`` (moderation.services.scan_holds).
  Default False.
- ``get_owner_url(obj) -> str`` – where the owner sees the object (linked from the notices
  a scan sends them). Default "".
- ``owner_notice_text(obj, *, event, rules) -> str`` – the sentence telling the owner that
  a scan held (``event="hold"``, ``rules`` such as "3.4 欺骗性外链") or released
  (``"release"``) the object: what happened, why and what to do next. "" sends nothing
  (the default).
- ``owner_hold_notice_kind`` – the accounts.NoticeKind of that notice when a scan holds
  the object (the notice's title). Default ``"content_hidden"`` (内容被隐藏).
- ``reviewer_may_dismiss(obj, user) -> bool`` – whether ``user``, who is NOT a moderator,
  is the person reviewing ``obj`` in its app's own workflow and so may dismiss the findings
  of its scan (once: moderation.services.scan_resolve enforces the rest). Default False:
  only moderators release what the scanner held.
- ``reviewer_may_escalate(obj, user) -> bool`` – whether such a user may send ``obj`` to
  the moderators (it stays held). Default False.
- ``reportable_by(obj, user) -> bool`` – whether ``user`` can see ``obj`` and so report it
  (a published article, a visible comment, an active account). Default False: a model is
  reportable only when its app says so. Reporting one's own content is refused by the
  reports service whatever this says.

Acting (called inside the transaction of a moderation service; write with
``update_fields``, never call moderation back, raise nothing for a repeated call —
holding an object already held is a no-op):

- ``hold(obj, *, reason: str)`` – keep the object from being approved or shown until a
  person releases it (a ``block`` verdict); ``reason`` is a Chinese sentence naming the rules.
- ``release(obj)`` – undo ``hold`` (findings dismissed, or a new scan no longer blocks).
- ``hide(obj, *, reason: str)`` – take a public object out of sight pending a decision.
- ``restore(obj)`` – undo ``hide``.
- ``remove(obj, *, reason: str)`` – the moderator's final removal (soft delete: keep the
  row so findings, reports and appeals can still refer to it).
- ``unremove(obj, *, evidence: dict) -> bool`` – undo ``remove`` when an appeal overturns
  the decision: the object comes back where it was (same row, same place, same URL);
  ``evidence`` is the case's snapshot (Case.evidence), for models whose removal cleared
  what it held. Returns whether the object is back. Default: nothing can be brought back
  (False), and the appeal's outcome says so.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.signals import post_delete

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class NotRegistered(LookupError):
    """The model was not registered with the moderation registry."""


class ModerationAdapter(ABC):
    """Base class of an adapter; subclass it and override the methods of the contract above.

    The reading defaults cover a model with ``title``/``body`` fields, an ``author``
    foreign key and ``get_absolute_url``; the acting methods and ``get_text`` and
    ``recent_public`` have no sensible default and must be written by the app.
    """

    label: str = ""
    owner_hold_notice_kind: str = "content_hidden"

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model

    # Reading

    def get_title(self, obj: Any) -> str:
        return getattr(obj, "title", "") or ""

    @abstractmethod
    def get_text(self, obj: Any) -> str:
        """The text the scanner reads; finding offsets index this exact string."""

    def get_owner(self, obj: Any) -> AbstractBaseUser | None:
        return getattr(obj, "author", None)

    def get_url(self, obj: Any) -> str:
        get_absolute_url = getattr(obj, "get_absolute_url", None)
        return get_absolute_url() if get_absolute_url else ""

    def get_queryset(self) -> models.QuerySet:
        return self.model._default_manager.all()

    @abstractmethod
    def recent_public(self, limit: int):
        """The newest publicly visible objects, at most ``limit`` (for lexicon dry runs)."""

    def is_live(self, obj: Any, *, first_scan: bool) -> bool:
        return False

    def get_owner_url(self, obj: Any) -> str:
        return ""

    def owner_notice_text(self, obj: Any, *, event: str, rules: str) -> str:
        return ""

    # Who besides moderators may handle a scan: nobody, unless the app's workflow says so.

    def reviewer_may_dismiss(self, obj: Any, user: AbstractBaseUser) -> bool:
        return False

    def reviewer_may_escalate(self, obj: Any, user: AbstractBaseUser) -> bool:
        return False

    def reportable_by(self, obj: Any, user: AbstractBaseUser) -> bool:
        return False

    # Acting

    @abstractmethod
    def hold(self, obj: Any, *, reason: str) -> None:
        """Keep the object from the public (or from approval) until a person decides. Idempotent."""

    @abstractmethod
    def release(self, obj: Any) -> None:
        """Undo ``hold``. Idempotent."""

    @abstractmethod
    def hide(self, obj: Any, *, reason: str) -> None:
        """Hide the object from everyone but its owner and moderators. Idempotent."""

    @abstractmethod
    def restore(self, obj: Any) -> None:
        """Undo ``hide``. Idempotent."""

    @abstractmethod
    def remove(self, obj: Any, *, reason: str) -> None:
        """Take the object down for good (a soft delete), recording ``reason``. Idempotent."""

    def unremove(self, obj: Any, *, evidence: dict) -> bool:
        """Undo ``remove`` (an appeal overturned it). Idempotent; False if it cannot come back."""
        return False

    def evidence_captured(self, obj: Any, *, case: Any) -> None:
        """A case's evidence snapshot of ``obj`` was just taken (inside the case's
        transaction): keep what the snapshot refers to beyond its text — an article's
        images (articles.images) — for as long as the case exists. Default: nothing."""
        return None

    def get_label(self) -> str:
        return str(self.label or self.model._meta.verbose_name)


def _forget_scans(sender, instance, **kwargs) -> None:
    """A registered object was deleted for good: its scans leave the queue with it.

    (Adapters remove content softly, keeping the row; this is for real deletes, e.g. in the admin.)
    """
    from django.contrib.contenttypes.models import ContentType

    from moderation.models import ScanRecord

    content_type = ContentType.objects.get_for_model(sender)
    ScanRecord.objects.filter(content_type=content_type, object_id=instance.pk).delete()


class ModerationRegistry:
    """Model class → adapter instance. One instance, ``registry``, serves the whole project."""

    def __init__(self) -> None:
        self._adapters: dict[type[models.Model], ModerationAdapter] = {}

    def register(self, model: type[models.Model], adapter_class: type[ModerationAdapter]) -> ModerationAdapter:
        """Register ``model`` with an adapter; registering the same pair again is harmless."""
        if not (isinstance(adapter_class, type) and issubclass(adapter_class, ModerationAdapter)):
            raise ImproperlyConfigured(f"{adapter_class!r} 不是 ModerationAdapter 的子类。")
        missing = sorted(adapter_class.__abstractmethods__)
        if missing:
            raise ImproperlyConfigured(f"{adapter_class.__name__} 缺少方法：{', '.join(missing)}")
        model = model._meta.concrete_model
        existing = self._adapters.get(model)
        if existing is not None and type(existing) is not adapter_class:
            raise ImproperlyConfigured(f"{model._meta.label} 已经注册了 {type(existing).__name__}。")
        if existing is None:
            self._adapters[model] = adapter_class(model)
            post_delete.connect(
                _forget_scans, sender=model, weak=False, dispatch_uid=f"moderation.forget_scans.{model._meta.label}"
            )
        return self._adapters[model]

    def unregister(self, model: type[models.Model]) -> None:
        self._adapters.pop(model._meta.concrete_model, None)

    def adapter_for(self, obj_or_model: models.Model | type[models.Model]) -> ModerationAdapter:
        model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
        try:
            return self._adapters[model._meta.concrete_model]
        except (KeyError, AttributeError):
            raise NotRegistered(f"{getattr(model, '__name__', model)} 没有登记到社区治理。") from None

    def is_registered(self, obj_or_model: models.Model | type[models.Model]) -> bool:
        model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
        return getattr(model, "_meta", None) is not None and model._meta.concrete_model in self._adapters

    def items(self) -> list[tuple[type[models.Model], ModerationAdapter]]:
        """Registered (model, adapter) pairs in a stable order (by model label)."""
        return sorted(self._adapters.items(), key=lambda pair: pair[0]._meta.label)


registry = ModerationRegistry()

"""How moderation sees an e-mail submission (moderation.registry). Registered in
ArticlesConfig.ready.

A submission is never public, so there is nothing to hide from readers: a hold (a `block`
verdict, or a moderator) keeps it from being accepted until a person releases it, and
hiding means the same. Removal is the moderators' final word: a submission still waiting
is marked rejected (the sender is not told — it is how spam and contact trading end), and
the reason is kept. Nobody reports a submission: only editors ever see one.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from articles.mail.models import Submission, SubmissionStatus
from moderation.registry import ModerationAdapter


class SubmissionAdapter(ModerationAdapter):
    label = _("邮件投稿")

    def get_title(self, obj: Submission) -> str:
        return obj.title or ""

    def get_text(self, obj: Submission) -> str:
        """The decoded text as stored (letter and manuscript, see ingest._submission_text);
        finding offsets index this string."""
        return obj.text or ""

    def get_owner(self, obj: Submission):
        return None  # people who e-mail in have no account

    def get_url(self, obj: Submission) -> str:
        from django.urls import reverse

        # The triage screen (read-only for moderators).
        return reverse("articles:editor_mail_detail", kwargs={"pk": obj.pk})

    def get_queryset(self):
        return Submission.objects.all()

    def recent_public(self, limit: int):
        return Submission.objects.none()  # never public

    def reviewer_may_dismiss(self, obj: Submission, user) -> bool:
        # The editors triage submissions: while one waits, any editor may release what the
        # scanner held (once: moderation.services.scan_resolve enforces the rest).
        return user.has_perm("articles.review_article") and obj.status == SubmissionStatus.NEW

    def reviewer_may_escalate(self, obj: Submission, user) -> bool:
        return user.has_perm("articles.review_article")

    def reportable_by(self, obj: Submission, user) -> bool:
        return False

    def _set_held(self, obj: Submission, *, held: bool, reason: str = "") -> None:
        if obj.held == held and (not held or obj.hold_reason == reason[:300]):
            return
        obj.held = held
        obj.hold_reason = reason[:300] if held else ""
        obj.save(update_fields=["held", "hold_reason", "updated_at"])

    def hold(self, obj: Submission, *, reason: str) -> None:
        self._set_held(obj, held=True, reason=reason)

    def release(self, obj: Submission) -> None:
        self._set_held(obj, held=False)

    def hide(self, obj: Submission, *, reason: str) -> None:
        self._set_held(obj, held=True, reason=reason)

    def restore(self, obj: Submission) -> None:
        self._set_held(obj, held=False)

    def remove(self, obj: Submission, *, reason: str) -> None:
        if obj.removed_reason and not obj.held:
            return
        obj.held = False
        obj.hold_reason = ""
        obj.removed_reason = reason[:2000] or str(_("社区治理移除"))
        fields = ["held", "hold_reason", "removed_reason", "updated_at"]
        if obj.status == SubmissionStatus.NEW:
            obj.status = SubmissionStatus.REJECTED
            fields.append("status")
        obj.save(update_fields=fields)

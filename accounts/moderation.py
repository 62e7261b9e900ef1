"""Accounts as seen by moderation (the adapter contract is in moderation.registry): a
reader may report a user (an offensive pen name or profile, an impostor, a spam account).

The profile text is what gets judged; "removing" it clears the pen name and the bio (the
case keeps the evidence), and the account itself is dealt with by penalties.
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from moderation.registry import ModerationAdapter


class UserAdapter(ModerationAdapter):
    label = _("用户")

    def get_title(self, obj: User) -> str:
        return obj.pen_name or obj.username

    def get_text(self, obj: User) -> str:
        return obj.bio or ""

    def get_owner(self, obj: User) -> User:
        return obj

    def get_url(self, obj: User) -> str:
        from django.urls import reverse

        return reverse("articles:author", kwargs={"username": obj.username})

    def get_queryset(self):
        return User.objects.all()

    def recent_public(self, limit: int):
        # Profiles are not scanned by lexicon dry runs (only reports bring them to moderation).
        return User.objects.none()

    def reportable_by(self, obj: User, user) -> bool:
        return obj.is_active

    def hold(self, obj: User, *, reason: str) -> None:
        """Nothing to hold: a profile is not published by a workflow."""

    def release(self, obj: User) -> None:
        """Nothing was held."""

    def hide(self, obj: User, *, reason: str) -> None:
        """A profile stays visible pending review; its owner's penalties act on the account."""

    def restore(self, obj: User) -> None:
        """Nothing was hidden."""

    def remove(self, obj: User, *, reason: str) -> None:
        if not obj.pen_name and not obj.bio:
            return
        obj.pen_name = ""
        obj.bio = ""
        obj.save(update_fields=["pen_name", "bio"])

    def unremove(self, obj: User, *, evidence: dict) -> bool:
        """Put back the pen name and bio the removal cleared, from the case's snapshot
        (title: the pen name, or the user name when there was none; text: the bio). What
        the owner has written since is kept rather than overwritten."""
        fields = []
        pen_name = evidence.get("title") or ""
        if not obj.pen_name and pen_name and pen_name != obj.username:
            obj.pen_name = pen_name[: User._meta.get_field("pen_name").max_length]
            fields.append("pen_name")
        if not obj.bio and evidence.get("text"):
            obj.bio = evidence["text"]
            fields.append("bio")
        if fields:
            obj.save(update_fields=fields)
        return bool(fields) or bool(obj.pen_name or obj.bio)

from django.conf import settings
from django.db import models

from moderation.registry import ModerationAdapter


class Note(models.Model):
    """A post with a title and a body, moderated through NoteAdapter."""

    title = models.CharField(max_length=120, blank=True)
    body = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    public = models.BooleanField(default=True)
    held = models.BooleanField(default=False)
    hold_reason = models.CharField(max_length=300, blank=True)
    hidden = models.BooleanField(default=False)
    removed = models.BooleanField(default=False)
    removal_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "testapp"

    def __str__(self) -> str:
        return self.title or self.body[:20]

    def get_absolute_url(self) -> str:
        return f"/notes/{self.pk}/"


class NoteAdapter(ModerationAdapter):
    label = "笔记"

    def get_text(self, obj: Note) -> str:
        return obj.body

    def get_queryset(self):
        return Note.objects.select_related("author")

    def recent_public(self, limit: int):
        return Note.objects.filter(public=True, removed=False).order_by("-created_at", "-id")[:limit]

    def reportable_by(self, obj: Note, user) -> bool:
        return obj.public and not obj.removed

    def hold(self, obj: Note, *, reason: str) -> None:
        obj.held = True
        obj.hold_reason = reason[:300]
        obj.save(update_fields=["held", "hold_reason"])

    def release(self, obj: Note) -> None:
        obj.held = False
        obj.hold_reason = ""
        obj.save(update_fields=["held", "hold_reason"])

    def hide(self, obj: Note, *, reason: str) -> None:
        obj.hidden = True
        obj.save(update_fields=["hidden"])

    def restore(self, obj: Note) -> None:
        obj.hidden = False
        obj.save(update_fields=["hidden"])

    def remove(self, obj: Note, *, reason: str) -> None:
        obj.removed = True
        obj.public = False
        obj.removal_reason = reason[:300]
        obj.save(update_fields=["removed", "public", "removal_reason"])

    def unremove(self, obj: Note, *, evidence: dict) -> bool:
        if obj.removed:
            obj.removed = False
            obj.public = True
            obj.removal_reason = ""
            obj.save(update_fields=["removed", "public", "removal_reason"])
        return True

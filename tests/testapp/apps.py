from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """A small moderated model for moderation's tests; installed by cms.settings.test only."""

    name = "tests.testapp"
    label = "testapp"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from moderation.registry import registry
        from tests.testapp.models import Note, NoteAdapter

        registry.register(Note, NoteAdapter)

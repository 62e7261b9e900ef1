import pytest

from moderation.models import AuditEntry
from moderation.services import audit_record
from tests.factories import UserFactory
from tests.testapp.models import Note


@pytest.mark.django_db
def test_audit_record_names_actor_action_target_and_data():
    # given
    actor = UserFactory()
    note = Note.objects.create(title="标题", body="正文")
    # when
    entry = audit_record(actor=actor, action="note.check", target=note, data={"reason": "测试"})
    # then
    entry.refresh_from_db()
    assert (entry.actor, entry.action, entry.target_id, entry.target_repr) == (
        actor,
        "note.check",
        str(note.pk),
        "标题",
    )
    assert entry.target_type.model_class() is Note
    assert entry.data == {"reason": "测试"}


@pytest.mark.django_db
def test_audit_entries_can_be_neither_changed_nor_deleted():
    entry = audit_record(actor=None, action="system.tick")
    entry.action = "something.else"
    with pytest.raises(ValueError, match="只能追加"):
        entry.save()
    with pytest.raises(ValueError, match="只能追加"):
        entry.delete()
    assert AuditEntry.objects.get().action == "system.tick"

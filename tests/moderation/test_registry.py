import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured

from accounts.models import User
from moderation.registry import ModerationAdapter, ModerationRegistry, NotRegistered, registry
from tests.testapp.models import Note, NoteAdapter


def test_registered_model_and_instances_resolve_to_the_same_adapter():
    adapter = registry.adapter_for(Note)
    assert isinstance(adapter, NoteAdapter)
    assert registry.adapter_for(Note(title="x")) is adapter
    assert adapter.model is Note
    assert adapter.get_label() == "笔记"


def test_an_unregistered_model_is_refused_with_a_clear_error():
    with pytest.raises(NotRegistered, match="Group"):
        registry.adapter_for(Group)
    assert registry.is_registered(Note) and not registry.is_registered(Group)
    assert registry.is_registered(User)  # accounts registers users: readers can report them


def test_an_adapter_missing_acting_methods_cannot_be_registered():
    class ReadOnly(ModerationAdapter):
        def get_text(self, obj):
            return ""

    local = ModerationRegistry()
    with pytest.raises(ImproperlyConfigured, match="hold"):
        local.register(Note, ReadOnly)


def test_registering_the_same_pair_twice_is_harmless_but_a_second_adapter_is_refused():
    local = ModerationRegistry()
    first = local.register(Note, NoteAdapter)
    assert local.register(Note, NoteAdapter) is first

    class Other(NoteAdapter):
        pass

    with pytest.raises(ImproperlyConfigured, match="已经注册"):
        local.register(Note, Other)

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from cms.errors import StateConflict
from moderation.lexicon import lexicon_version
from moderation.models import AuditEntry, Term
from moderation.services import TermData, term_create, term_disable, term_enable, term_update

pytestmark = pytest.mark.django_db


def test_a_moderator_adds_a_term_which_moves_the_lexicon_version_and_is_audited(convention, moderator):
    # given
    before = lexicon_version()
    # when
    term = term_create(
        actor=moderator,
        data=TermData(term="  柚子代写社 ", rule_code="3.1", action="review", contexts=("举报", "举报", " ")),
    )
    # then
    assert (term.term, term.rule_code, term.contexts, term.created_by) == ("柚子代写社", "3.1", ["举报"], moderator)
    after = lexicon_version()
    assert after[0] == before[0] + 1 and after[1] != before[1]
    entry = AuditEntry.objects.get(action="term.create")
    assert entry.actor == moderator and entry.data["term"] == "柚子代写社"


@pytest.mark.parametrize("service", ["create", "update", "disable"])
def test_a_reader_may_not_change_the_lexicon(convention, moderator, reader, service):
    term = term_create(actor=moderator, data=TermData(term="橙子返现群", rule_code="3.6"))
    with pytest.raises(PermissionDenied):
        if service == "create":
            term_create(actor=reader, data=TermData(term="另一个词", rule_code="3.6"))
        elif service == "update":
            term_update(actor=reader, term=term, data=TermData(term="橙子返现", rule_code="3.6"))
        else:
            term_disable(actor=reader, term=term)
    assert not Term.objects.filter(term="另一个词").exists()
    term.refresh_from_db()
    assert term.term == "橙子返现群" and term.enabled


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (TermData(term="  ", rule_code="3.1"), "term", "不能为空"),
        (TermData(term="某词", rule_code="3.99"), "rule_code", "没有条款 3.99"),
        (TermData(term="某词", rule_code="3.1", action="delete"), "action", "处理方式"),
        (TermData(term="某词", rule_code="3.1", contexts=tuple(f"语境{i}" for i in range(150))), "contexts", "最多"),
    ],
)
def test_invalid_terms_are_refused_with_a_message(convention, moderator, data, field, message):
    with pytest.raises(ValidationError) as caught:
        term_create(actor=moderator, data=data)
    assert message in " ".join(caught.value.message_dict[field])
    assert not Term.objects.filter(term=data.term.strip()).exists()


def test_the_same_term_cannot_be_registered_twice_under_one_rule(convention, moderator):
    term_create(actor=moderator, data=TermData(term="蓝莓刷评团", rule_code="3.6"))
    with pytest.raises(ValidationError, match="已经登记"):
        term_create(actor=moderator, data=TermData(term="蓝莓刷评团", rule_code="3.6", action="block"))
    # Another rule is another entry.
    term_create(actor=moderator, data=TermData(term="蓝莓刷评团", rule_code="3.7"))


def test_updating_a_term_records_before_and_after(convention, moderator):
    term = term_create(actor=moderator, data=TermData(term="蓝莓刷评团", rule_code="3.6"))
    term_update(actor=moderator, term=term, data=TermData(term="蓝莓刷评团", rule_code="3.6", action="block"))
    term.refresh_from_db()
    assert term.action == "block"
    entry = AuditEntry.objects.get(action="term.update")
    assert (entry.data["before"]["action"], entry.data["after"]["action"]) == ("review", "block")


def test_an_update_that_changes_nothing_leaves_the_version_alone(convention, moderator):
    term = term_create(actor=moderator, data=TermData(term="蓝莓刷评团", rule_code="3.6"))
    version = lexicon_version()
    term_update(actor=moderator, term=term, data=TermData.of(term))
    assert lexicon_version() == version
    assert not AuditEntry.objects.filter(action="term.update").exists()


def test_disable_and_enable_toggle_and_refuse_a_repeat(convention, moderator):
    term = term_create(actor=moderator, data=TermData(term="蓝莓刷评团", rule_code="3.6"))
    term_disable(actor=moderator, term=term, reason="误伤太多")
    term.refresh_from_db()
    assert not term.enabled
    with pytest.raises(StateConflict, match="停用"):
        term_disable(actor=moderator, term=term)
    term_enable(actor=moderator, term=term)
    term.refresh_from_db()
    assert term.enabled
    assert list(AuditEntry.objects.filter(target_id=str(term.pk)).order_by("id").values_list("action", flat=True)) == [
        "term.create",
        "term.disable",
        "term.enable",
    ]


def test_loading_the_seed_lexicon_is_idempotent_and_keeps_moderators_edits(convention, moderator):
    from moderation.scanner import load_seed_terms
    from moderation.services import term_seed_load

    specs = load_seed_terms(settings.BASE_DIR / "seeds" / "lexicon.json")
    loaded = Term.objects.count()
    assert loaded == len({(s.term, s.rule) for s in specs}) > 0
    # given: a moderator disabled a seed term and changed another
    first, second = Term.objects.order_by("id")[:2]
    term_disable(actor=moderator, term=first, reason="误伤")
    term_update(actor=moderator, term=second, data=TermData(**{**TermData.of(second).__dict__, "note": "改过"}))
    version = lexicon_version()
    # when: the seed is loaded again (seed_demo on every deploy)
    assert term_seed_load(specs=specs) == 0
    # then: nothing added, the edits stand, the workers need not rebuild
    assert Term.objects.count() == loaded and lexicon_version() == version
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.enabled and second.note == "改过"

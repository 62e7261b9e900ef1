"""Reports gather into cases; moderators decide them; penalties follow (real services)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import roles
from accounts.models import Notice
from articles.services_comments import comment_create
from cms.errors import StateConflict
from moderation.models import AuditEntry, Case, CaseStatus, Penalty, PenaltyStatus, Report, ReportStatus, Rule
from moderation.services import (
    case_decide,
    penalties_expire,
    penalty_apply,
    penalty_lift,
    penalty_proposal,
    prior_violations,
    report_create,
)
from tests.articles.conftest import make_published
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(seeded):
    return {
        "author": UserFactory(username="c-author", roles=[roles.READER, roles.AUTHOR]),
        "editor": UserFactory(username="c-editor", roles=[roles.READER, roles.EDITOR]),
        "commenter": UserFactory(username="c-commenter", roles=[roles.READER]),
        "r1": UserFactory(username="c-r1", roles=[roles.READER]),
        "r2": UserFactory(username="c-r2", roles=[roles.READER]),
        "r3": UserFactory(username="c-r3", roles=[roles.READER]),
        "moderator": UserFactory(username="c-mod", roles=[roles.READER, roles.MODERATOR]),
    }


@pytest.fixture
def comment(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_published(people["author"], people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        return comment_create(article=article, author=people["commenter"], body="这篇写得一般，结论有点草率。")


def rule(code):
    return Rule.objects.get(convention__is_current=True, code=code)


def test_reports_of_one_target_gather_into_one_case_with_a_snapshot(people, comment):
    # when
    first = report_create(reporter=people["r1"], target=comment, rule_code="2.6", note="人身攻击")
    second = report_create(reporter=people["r2"], target=comment, rule_code="2.1")
    # then
    assert first.case_id == second.case_id
    case = Case.objects.get()
    assert case.status == CaseStatus.OPEN and case.subject == people["commenter"]
    assert case.reporter_count == 2 and case.has_reports and case.rule_code == "2.6"
    assert case.evidence["text"] == comment.body and case.evidence["label"] == "评论"
    assert case.priority > 0
    # the snapshot stays whatever happens to the comment
    comment.body = "改过了"
    comment.save(update_fields=["body"])
    case.refresh_from_db()
    assert case.evidence["text"] == "这篇写得一般，结论有点草率。"


def test_one_open_report_per_reporter_and_target(people, comment):
    report_create(reporter=people["r1"], target=comment, rule_code="2.6")
    with pytest.raises(ValidationError, match="已经举报过"):
        report_create(reporter=people["r1"], target=comment, rule_code="2.1")
    assert Report.objects.count() == 1


def test_reports_are_checked(people, comment):
    with pytest.raises(ValidationError, match="现行社区公约"):
        report_create(reporter=people["r1"], target=comment, rule_code="99.9")
    with pytest.raises(ValidationError, match="自己"):
        report_create(reporter=people["commenter"], target=comment, rule_code="2.6")
    with pytest.raises(ValidationError, match="最多"):
        report_create(reporter=people["r1"], target=comment, rule_code="2.6", note="长" * 501)
    with pytest.raises(PermissionDenied):
        report_create(reporter=UserFactory(username="no-role"), target=comment, rule_code="2.6")
    assert not Report.objects.exists() and not Case.objects.exists()


def test_reporting_is_rate_limited(people, comment, settings):
    from accounts.ratelimit import RateLimited

    settings.MODERATION_REPORTS_PER_HOUR = 2
    report_create(reporter=people["r1"], target=comment, rule_code="2.6")
    report_create(reporter=people["r1"], target=people["commenter"], rule_code="2.6")
    with pytest.raises(RateLimited):
        report_create(reporter=people["r1"], target=people["author"], rule_code="2.6")


def test_a_muted_user_may_still_report(people, comment):
    penalty_apply(actor=people["moderator"], user=people["r1"], step=1, rule=rule("2.6"), reason="辱骂")
    report = report_create(reporter=people["r1"], target=comment, rule_code="2.6")
    assert report.pk


def test_enough_trusted_reporters_hide_the_content_pending_review(people, comment, settings):
    settings.MODERATION_AUTO_HIDE_REPORTERS = 3
    for name in ("r1", "r2"):
        report_create(reporter=people[name], target=comment, rule_code="2.6")
    comment.refresh_from_db()
    assert comment.status == "visible"
    report_create(reporter=people["r3"], target=comment, rule_code="2.6")
    comment.refresh_from_db()
    case = Case.objects.get()
    assert comment.status == "hidden" and case.hidden_pending_review


def test_the_proposal_follows_the_policy_and_explains_itself(people, comment):
    report_create(reporter=people["r1"], target=comment, rule_code="2.6")
    case = Case.objects.get()
    view = penalty_proposal(case=case)
    assert view.step == 1 and view.step_label == "禁言 1 天"
    assert any("2.6" in line for line in view.reasons)
    # a prior violation that still counts adds one step; a lifted one does not
    earlier = penalty_apply(actor=people["moderator"], user=people["commenter"], step=0, rule=rule("2.1"), reason="x")
    assert penalty_proposal(case=case).step == 2
    earlier.counts = False
    earlier.save(update_fields=["counts"])
    assert penalty_proposal(case=case).step == 1


def test_minors_rules_propose_the_minors_aggravation(people, comment):
    report_create(reporter=people["r1"], target=comment, rule_code="9.1")
    view = penalty_proposal(case=Case.objects.get())
    assert "minors" in view.suggested_aggravations and view.step == 2


def test_deciding_penalize_mutes_removes_and_tells_everyone(people, comment):
    # given
    report_create(reporter=people["r1"], target=comment, rule_code="2.6", note="骂人")
    report_create(reporter=people["r2"], target=comment, rule_code="2.6")
    case = Case.objects.get()
    # when
    case_decide(actor=people["moderator"], case=case, action="penalize", rule_code="2.6", reason="辱骂他人")
    # then
    case.refresh_from_db()
    comment.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.step == 1 and case.proposed_step == 1
    assert comment.status == "removed"
    penalty = Penalty.objects.get()
    assert penalty.user == people["commenter"] and penalty.step == 1 and penalty.status == PenaltyStatus.ACTIVE
    assert timedelta(hours=23) < penalty.expires_at - penalty.starts_at <= timedelta(days=1)
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.UPHELD}
    outcome = Notice.objects.get(user=people["r1"], kind="report_outcome")
    assert "2.6" in outcome.text and people["moderator"].username not in outcome.text
    assert Notice.objects.filter(user=people["commenter"], kind="penalty_applied").count() == 1
    entry = AuditEntry.objects.get(action="case.penalize")
    assert entry.actor == people["moderator"] and entry.data["rule"] == "2.6" and entry.data["step"] == 1
    # and the muted commenter is refused with the date
    with pytest.raises(PermissionDenied, match="禁言"):
        comment_create(article=comment.article, author=people["commenter"], body="我又来了")


def test_a_different_step_needs_a_written_reason(people, comment):
    report_create(reporter=people["r1"], target=comment, rule_code="2.6")
    case = Case.objects.get()
    with pytest.raises(ValidationError, match="理由"):
        case_decide(actor=people["moderator"], case=case, action="penalize", rule_code="2.6", reason="辱骂", step=3)
    assert Penalty.objects.count() == 0
    case_decide(
        actor=people["moderator"],
        case=case,
        action="penalize",
        rule_code="2.6",
        reason="辱骂",
        step=3,
        step_reason="同一天多次辱骂不同读者",
    )
    assert Penalty.objects.get().step == 3
    assert AuditEntry.objects.get(action="case.penalize").data["step_reason"] == "同一天多次辱骂不同读者"


def test_dismissing_rejects_the_reports_and_restores_hidden_content(people, comment, settings):
    settings.MODERATION_AUTO_HIDE_REPORTERS = 1
    report_create(reporter=people["r1"], target=comment, rule_code="2.6")
    comment.refresh_from_db()
    assert comment.status == "hidden"
    case_decide(actor=people["moderator"], case=Case.objects.get(), action="dismiss", reason="正常的批评")
    comment.refresh_from_db()
    assert comment.status == "visible"
    assert Report.objects.get().status == ReportStatus.REJECTED
    assert "没有违反" in Notice.objects.get(user=people["r1"]).text
    assert not Penalty.objects.exists()


def test_a_decided_case_cannot_be_decided_again_and_new_reports_open_a_new_case(people, comment):
    report_create(reporter=people["r1"], target=comment, rule_code="2.6")
    case = Case.objects.get()
    case_decide(actor=people["moderator"], case=case, action="warn", rule_code="2.6", reason="提醒")
    with pytest.raises(StateConflict):
        case_decide(actor=people["moderator"], case=case, action="penalize", rule_code="2.6", reason="再罚")
    report_create(reporter=people["r1"], target=comment, rule_code="2.6")
    assert Case.objects.filter(status=CaseStatus.OPEN).count() == 1 and Case.objects.count() == 2


def test_only_moderators_decide(people, comment):
    report_create(reporter=people["r1"], target=comment, rule_code="2.6")
    case = Case.objects.get()
    for who in ("editor", "r2", "author"):
        with pytest.raises(PermissionDenied):
            case_decide(actor=people[who], case=case, action="dismiss", reason="无")
    assert Case.objects.get().status == CaseStatus.OPEN


def test_mutes_never_stack_and_a_new_one_never_shortens_one_in_force(people):
    from accounts.selectors import user_muted_until

    user = people["commenter"]
    fifteen = penalty_apply(actor=people["moderator"], user=user, step=3, rule=rule("2.6"), reason="a")
    penalty_apply(actor=people["moderator"], user=user, step=1, rule=rule("2.6"), reason="b")
    assert user_muted_until(user) == fifteen.expires_at


def test_a_ban_deactivates_the_account_and_deletes_its_tokens(people):
    from rest_framework.authtoken.models import Token

    user = people["commenter"]
    Token.objects.create(user=user)
    penalty_apply(actor=people["moderator"], user=user, step=5, rule=rule("1.8"), reason="赌博推广")
    user.refresh_from_db()
    assert not user.is_active and not Token.objects.filter(user=user).exists()
    penalty_lift(actor=people["moderator"], penalty=Penalty.objects.get(), reason="误判")
    user.refresh_from_db()
    assert user.is_active


def test_lifting_ends_the_mute_at_once_and_it_stops_counting(people):
    from accounts.selectors import user_muted_until

    user = people["commenter"]
    penalty = penalty_apply(actor=people["moderator"], user=user, step=2, rule=rule("2.6"), reason="a")
    assert prior_violations(user=user) == 1
    with pytest.raises(ValidationError):
        penalty_lift(actor=people["moderator"], penalty=penalty, reason=" ")
    penalty_lift(actor=people["moderator"], penalty=penalty, reason="申诉材料表明是误会")
    assert user_muted_until(user) is None and prior_violations(user=user) == 0
    with pytest.raises(StateConflict):
        penalty_lift(actor=people["moderator"], penalty=penalty, reason="再解除一次")
    assert Notice.objects.filter(user=user, kind="penalty_lifted").count() == 1


def test_expiry_ends_due_mutes_once_and_the_mute_never_waits_for_it(people):
    from accounts.selectors import user_muted_until

    user = people["commenter"]
    past = timezone.now() - timedelta(days=2)
    penalty = penalty_apply(actor=people["moderator"], user=user, step=1, rule=rule("2.6"), reason="a", now=past)
    # no task has run: the mute is already over, decided from expires_at
    assert penalty.status == PenaltyStatus.ACTIVE and user_muted_until(user) is None
    assert penalties_expire() == 1
    assert penalties_expire() == 0
    penalty.refresh_from_db()
    assert penalty.status == PenaltyStatus.ENDED
    assert Notice.objects.filter(user=user, kind="penalty_ended").count() == 1


def test_expiry_works_in_bounded_batches(people):
    past = timezone.now() - timedelta(days=3)
    for _ in range(7):
        penalty_apply(
            actor=people["moderator"], user=people["commenter"], step=1, rule=rule("2.6"), reason="a", now=past
        )
    assert penalties_expire(batch_size=3) == 7
    assert Penalty.objects.filter(status=PenaltyStatus.ACTIVE).count() == 0


def test_a_blocking_scan_opens_a_case_and_a_clean_rescan_closes_it(people, django_capture_on_commit_callbacks):
    # given: a comment the scanner blocks
    with django_capture_on_commit_callbacks(execute=True):
        article = make_published(people["author"], people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        blocked = comment_create(article=article, author=people["commenter"], body="想赚快钱的来网上赌场，稳赚不赔。")
    case = Case.objects.get(object_id=blocked.pk)
    assert case.status == CaseStatus.OPEN and case.has_scan and not case.has_reports and case.scan_record_id
    # when: the text is cleaned and rescanned
    from moderation.services import scan_perform

    blocked.body = "已经改成了正常的讨论。"
    blocked.save(update_fields=["body"])
    scan_perform(obj=blocked)
    # then: the case only the scan had opened is closed
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.decision == "dismiss"


def test_a_scan_and_a_report_share_one_case(people, review_term):
    from tests.moderation.conftest import REVIEW_WORD, make_note

    # given: a public note the scanner sends to review (not held, so readers still see it)
    note = make_note(body=f"聊聊{REVIEW_WORD}的事", author=people["commenter"])
    assert note.public and not note.held
    assert Case.objects.filter(object_id=note.pk, status=CaseStatus.OPEN).count() == 1
    # when
    report_create(reporter=people["r1"], target=note, rule_code="9.4")
    # then
    case = Case.objects.get(object_id=note.pk, status=CaseStatus.OPEN)
    assert case.has_scan and case.has_reports and case.source == "both" and case.reports.count() == 1


def test_penalising_a_reported_account_keeps_its_profile_unless_asked(people):
    user = people["commenter"]
    user.pen_name, user.bio = "冒充官方客服", "官方客服，退款请加我"
    user.save(update_fields=["pen_name", "bio"])
    report_create(reporter=people["r1"], target=user, rule_code="5.3")
    case = Case.objects.get()
    assert case.subject == user and case.evidence["label"] == "用户"
    case_decide(actor=people["moderator"], case=case, action="penalize", rule_code="5.3", reason="冒充官方")
    user.refresh_from_db()
    assert user.bio == "官方客服，退款请加我"
    assert Penalty.objects.get(user=user).step == 2  # 5.3 is high: base 2
    report_create(reporter=people["r2"], target=user, rule_code="5.3")
    case_decide(
        actor=people["moderator"],
        case=Case.objects.get(status=CaseStatus.OPEN),
        action="remove",
        rule_code="5.3",
        reason="资料冒充官方",
    )
    user.refresh_from_db()
    assert user.bio == "" and user.pen_name == ""

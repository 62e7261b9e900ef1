"""Appeals through the real services: filing, the banned account's link, the conversation,
and uphold / reduce / overturn by a moderator who did not decide the case."""

# ruff: noqa: F811 — the shared fixtures are imported by name (tests.moderation.appeal_fixtures)

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Notice
from accounts.selectors import user_muted_until
from articles.models import ArticleStatus, CommentStatus
from articles.services_comments import comment_create
from cms.errors import StateConflict
from moderation.models import (
    Appeal,
    AppealStatus,
    AuditEntry,
    Case,
    Feedback,
    Penalty,
    PenaltyStatus,
    PenaltyStep,
)
from moderation.services import (
    appeal_create,
    appeal_decide,
    appeal_link_check,
    appeal_link_request,
    appeal_message_add,
    penalty_proposal,
    prior_violations,
    report_create,
)
from moderation.services.appeals import appeal_link_token
from tests.moderation.appeal_fixtures import article, cast, comment, muted, penalise  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_muted_user_appeals_with_the_evidence_frozen(cast, muted, comment):
    # when
    appeal = appeal_create(user=cast["commenter"], penalty=muted, text="我只是在批评文章的观点。")
    # then
    assert appeal.status == AppealStatus.OPEN and re.fullmatch(r"SS\d{8}-[A-Z2-9]{6}", appeal.tracking_number)
    evidence = appeal.evidence
    assert evidence["rule"] == "2.6" and evidence["rule_title"] and evidence["rule_text"]
    assert evidence["convention_version"] == muted.convention_version
    assert evidence["content"]["text"] == "写得真烂，作者什么都不懂。"
    assert evidence["decision"] and evidence["decided_at"]
    # the receipt with the same tracking number, a notice, and the audit log
    assert Feedback.objects.get(appeal=appeal).tracking_number == appeal.tracking_number
    assert Notice.objects.filter(user=cast["commenter"], kind="appeal_update").exists()
    assert AuditEntry.objects.filter(action="appeal.create").exists()
    # the evidence stays whatever happens to the case's snapshot later
    Case.objects.filter(pk=muted.case_id).update(evidence={})
    appeal.refresh_from_db()
    assert appeal.evidence["content"]["text"] == "写得真烂，作者什么都不懂。"


def test_one_appeal_per_penalty_and_a_clear_refusal_for_the_second(cast, muted):
    first = appeal_create(user=cast["commenter"], penalty=muted, text="第一次申诉")
    with pytest.raises(StateConflict, match=f"已经申诉过了（受理编号 {first.tracking_number}）"):
        appeal_create(user=cast["commenter"], penalty=muted, text="第二次申诉")
    # the database refuses it too, whatever the service
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.create(penalty=muted, user=cast["commenter"], tracking_number="X1", text="绕过服务")
    assert Appeal.objects.count() == 1


def test_a_late_appeal_is_refused_with_the_deadline(cast, muted, settings):
    settings.MODERATION_APPEAL_DAYS = 30
    Penalty.objects.filter(pk=muted.pk).update(created_at=timezone.now() - timedelta(days=31))
    with pytest.raises(StateConflict, match="申诉期限已过：处罚决定后 30 天内可以申诉"):
        appeal_create(user=cast["commenter"], penalty=Penalty.objects.get(pk=muted.pk), text="晚了")
    # a day before the deadline it is still accepted
    Penalty.objects.filter(pk=muted.pk).update(created_at=timezone.now() - timedelta(days=29))
    assert appeal_create(user=cast["commenter"], penalty=Penalty.objects.get(pk=muted.pk), text="还来得及")


def test_only_the_penalised_person_appeals_and_says_why(cast, muted):
    with pytest.raises(PermissionDenied, match="只能申诉自己的处罚"):
        appeal_create(user=cast["reporter"], penalty=muted, text="替别人申诉")
    with pytest.raises(ValidationError, match="申诉理由"):
        appeal_create(user=cast["commenter"], penalty=muted, text="   ")
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("actor_name", ["decider", "commenter", "reporter"])
def test_only_a_moderator_who_did_not_decide_reviews(cast, muted, actor_name):
    appeal = appeal_create(user=cast["commenter"], penalty=muted, text="请重新看看")
    with pytest.raises(PermissionDenied):
        appeal_decide(actor=cast[actor_name], appeal=appeal, outcome="overturn", reason="我来决定")
    if actor_name != "commenter":  # the appellant's own message is an answer, not a review
        with pytest.raises(PermissionDenied):
            appeal_message_add(actor=cast[actor_name], appeal=appeal, text="提问")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OPEN and not appeal.outcome
    muted.refresh_from_db()
    assert muted.status == PenaltyStatus.ACTIVE


def test_the_decider_is_refused_with_a_sentence_that_says_why(cast, muted):
    appeal = appeal_create(user=cast["commenter"], penalty=muted, text="请重新看看")
    with pytest.raises(PermissionDenied, match="你做出了原处罚决定"):
        appeal_decide(actor=cast["decider"], appeal=appeal, outcome="uphold", reason="维持")


def test_the_conversation_notifies_each_side(cast, muted, django_capture_on_commit_callbacks):
    appeal = appeal_create(user=cast["commenter"], penalty=muted, text="我没有骂人")
    mail.outbox.clear()
    # when the reviewer asks
    with django_capture_on_commit_callbacks(execute=True):
        appeal_message_add(actor=cast["reviewer"], appeal=appeal, text="你说的“什么都不懂”是针对谁？")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.WAITING
    notice = Notice.objects.get(user=cast["commenter"], kind="appeal_message")
    assert "是针对谁" in notice.text and cast["reviewer"].username not in notice.text
    # and the appellant answers
    with django_capture_on_commit_callbacks(execute=True):
        appeal_message_add(actor=cast["commenter"], appeal=appeal, text="指的是文章里提到的那家公司。")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OPEN
    assert Notice.objects.filter(user=cast["reviewer"], kind="appeal_message").exists()
    assert [m.role for m in appeal.messages.all()] == ["moderator", "appellant"]
    assert {message.to[0] for message in mail.outbox} == {cast["commenter"].email, cast["reviewer"].email}


def test_uphold_keeps_the_penalty_and_tells_the_user(cast, muted):
    appeal = appeal_create(user=cast["commenter"], penalty=muted, text="不服")
    appeal_decide(actor=cast["reviewer"], appeal=appeal, outcome="uphold", reason="言语确实构成辱骂。")
    muted.refresh_from_db()
    assert muted.status == PenaltyStatus.ACTIVE and muted.counts
    assert user_muted_until(cast["commenter"]) is not None
    assert "维持原处罚" in Notice.objects.get(user=cast["commenter"], kind="appeal_decided").text
    assert AuditEntry.objects.filter(action="appeal.uphold", data__appeal=appeal.pk).exists()
    with pytest.raises(StateConflict, match="已经有结果"):
        appeal_decide(actor=cast["reviewer"], appeal=appeal, outcome="overturn", reason="改主意")


def test_reduce_replaces_the_penalty_from_the_same_start(cast, comment):
    # given a 15-day mute
    penalty = penalise(target=comment, reporter=cast["reporter"], decider=cast["decider"], step=3)
    appeal = appeal_create(user=cast["commenter"], penalty=penalty, text="太重了")
    # when it is reduced to one day
    with pytest.raises(ValidationError, match="必须比原处罚"):
        appeal_decide(actor=cast["reviewer"], appeal=appeal, outcome="reduce", reason="减轻", step=3)
    result = appeal_decide(actor=cast["reviewer"], appeal=appeal, outcome="reduce", reason="初犯，减轻。", step=1)
    # then the old row ends and no longer counts; the new one starts when the old one did
    penalty.refresh_from_db()
    assert penalty.status == PenaltyStatus.REDUCED and not penalty.counts
    new = result.replacement
    assert new.step == PenaltyStep.MUTE_1_DAY and new.starts_at == penalty.starts_at and new.counts
    assert new.expires_at == penalty.starts_at + timedelta(days=1)
    assert prior_violations(user=cast["commenter"]) == 1
    assert user_muted_until(cast["commenter"]) == new.expires_at
    # the lighter penalty is the appeal's result, not a new decision to appeal
    with pytest.raises(StateConflict, match="减轻的结果"):
        appeal_create(user=cast["commenter"], penalty=new, text="再申诉")


def test_reducing_a_mute_whose_lighter_term_has_passed_ends_it_at_once(cast, comment):
    penalty = penalise(target=comment, reporter=cast["reporter"], decider=cast["decider"], step=2)
    Penalty.objects.filter(pk=penalty.pk).update(starts_at=timezone.now() - timedelta(days=3))
    appeal = appeal_create(user=cast["commenter"], penalty=Penalty.objects.get(pk=penalty.pk), text="太重了")
    result = appeal_decide(actor=cast["reviewer"], appeal=appeal, outcome="reduce", reason="减为一天", step=1)
    assert result.replacement.status == PenaltyStatus.ENDED
    assert user_muted_until(cast["commenter"]) is None


def test_overturning_a_removal_restores_the_comment_and_lightens_the_next_case(cast, muted, comment, article):
    # given the comment was removed with the mute, and the policy's proposal for a new case
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REMOVED
    appeal = appeal_create(user=cast["commenter"], penalty=muted, text="没有骂人")
    # when
    result = appeal_decide(actor=cast["reviewer"], appeal=appeal, outcome="overturn", reason="是对公司的批评。")
    # then the penalty ends at once and stops counting
    muted.refresh_from_db()
    assert muted.status == PenaltyStatus.OVERTURNED and not muted.counts and muted.ended_at is not None
    assert user_muted_until(cast["commenter"]) is None
    # the comment is back, the same row in the same place
    comment.refresh_from_db()
    assert result.content_restored and comment.status == CommentStatus.VISIBLE
    # the user may comment at once
    assert comment_create(article=article, author=cast["commenter"], body="谢谢审核员重新审核。")
    # the next case proposes a lighter step than it would have with the violation counted
    new_comment = comment_create(article=article, author=cast["commenter"], body="这篇文章的作者是个蠢货。")
    report_create(reporter=cast["reporter"], target=new_comment, rule_code="2.6")
    case = Case.objects.get(object_id=new_comment.pk, status="open")
    assert penalty_proposal(case=case).step == PenaltyStep.MUTE_1_DAY
    Penalty.objects.filter(pk=muted.pk).update(counts=True)  # as it would be had it been upheld
    assert penalty_proposal(case=case).step == PenaltyStep.MUTE_7_DAYS
    assert AuditEntry.objects.filter(action="appeal.overturn", data__content_restored=True).exists()
    notice = Notice.objects.get(user=cast["commenter"], kind="appeal_decided")
    assert "撤销处罚" in notice.text and "已恢复" in notice.text


def test_overturning_restores_a_removed_article_to_published_where_it_was(cast, article):
    published_at = article.published_at
    penalty = penalise(target=article, reporter=cast["reporter"], decider=cast["decider"], rule="3.1")
    article.refresh_from_db()
    assert article.status == ArticleStatus.UNPUBLISHED
    appeal = appeal_create(user=cast["author"], penalty=penalty, text="这不是广告")
    appeal_decide(actor=cast["reviewer"], appeal=appeal, outcome="overturn", reason="是行业分析。")
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED and article.published_at == published_at
    assert article.unpublish_reason == "" and article.unpublished_at is None


def test_overturning_a_profile_removal_puts_the_pen_name_and_bio_back(cast):
    from accounts.models import User

    writer = cast["author"]
    User.objects.filter(pk=writer.pk).update(pen_name="假冒官方", bio="官方认证账号，加微信领福利")
    writer.refresh_from_db()
    report_create(reporter=cast["reporter"], target=writer, rule_code="5.3")
    case = Case.objects.get(object_id=writer.pk, status="open")
    from moderation.services import case_decide

    case_decide(
        actor=cast["decider"], case=case, action="penalize", rule_code="5.3", reason="冒充", remove_content=True
    )
    writer.refresh_from_db()
    assert writer.pen_name == "" and writer.bio == ""
    appeal = appeal_create(user=writer, penalty=case.penalties.get(), text="我就是这个名字")
    appeal_decide(actor=cast["reviewer"], appeal=appeal, outcome="overturn", reason="核实后是本人。")
    writer.refresh_from_db()
    assert writer.pen_name == "假冒官方" and writer.bio == "官方认证账号，加微信领福利"


def test_overturning_a_ban_enables_the_account(cast, comment):
    penalty = penalise(target=comment, reporter=cast["reporter"], decider=cast["decider"], step=5)
    user = cast["commenter"]
    user.refresh_from_db()
    assert not user.is_active
    appeal = appeal_create(user=user, penalty=penalty, text="误封")
    appeal_decide(actor=cast["reviewer"], appeal=appeal, outcome="overturn", reason="误判。")
    user.refresh_from_db()
    assert user.is_active
    assert "可以重新登录" in Notice.objects.get(user=user, kind="appeal_decided").text


def test_a_banned_user_gets_a_one_time_link_and_the_page_never_says_whether_it_matched(
    cast, comment, django_capture_on_commit_callbacks
):
    penalty = penalise(target=comment, reporter=cast["reporter"], decider=cast["decider"], step=5)
    mail.outbox.clear()
    # a wrong address: nothing is sent, and nothing is raised
    with django_capture_on_commit_callbacks(execute=True):
        answer = appeal_link_request(case_number=str(penalty.case_id), email="someone@else.test", client_key="1.2.3.4")
    assert answer is None and mail.outbox == []
    # the right one (in another letter case) sends the link to the account's address
    with django_capture_on_commit_callbacks(execute=True):
        appeal_link_request(
            case_number=str(penalty.case_id), email=cast["commenter"].email.upper(), client_key="1.2.3.4"
        )
    assert [m.to for m in mail.outbox] == [[cast["commenter"].email]]
    token = re.search(r"/feedback/appeals/link/([^/\s]+)/", mail.outbox[0].body).group(1)
    found, nonce = appeal_link_check(token=token)
    assert found == penalty
    appeal = appeal_create(user=penalty.user, penalty=found, text="误封", link_nonce=nonce)
    assert appeal.via_link
    # the link is spent
    with pytest.raises(StateConflict, match="已经用过了"):
        appeal_link_check(token=token)


def test_an_altered_or_expired_link_is_refused(cast, comment, settings):
    penalty = penalise(target=comment, reporter=cast["reporter"], decider=cast["decider"], step=5)
    token, _nonce = appeal_link_token(penalty=penalty)
    with pytest.raises(ValidationError, match="无效"):
        appeal_link_check(token=token[:-2] + "xx")
    settings.MODERATION_APPEAL_LINK_MAX_AGE = -1
    with pytest.raises(ValidationError, match="已过期"):
        appeal_link_check(token=token)


def test_a_ban_tells_the_account_its_case_number_for_the_appeal(cast, comment):
    from accounts.restrictions import sign_in_ban_message
    from tests.factories import PASSWORD

    penalty = penalise(target=comment, reporter=cast["reporter"], decider=cast["decider"], step=5)
    notice = Notice.objects.get(user=cast["commenter"], kind="penalty_applied")
    assert f"案件编号 {penalty.case_id}" in notice.text
    message = sign_in_ban_message(username=cast["commenter"].username, password=PASSWORD)
    assert f"案件编号 {penalty.case_id}" in message and "/feedback/?kind=appeal" in message

"""The queue of cases (/moderation/), the case page with its decision form, and the
governance figures for moderators (/moderation/stats/) and everyone (/convention/report/)."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.services import sign_in_record
from articles.services_comments import comment_create
from moderation.models import Case, CaseStatus, Penalty, ReportStatus, Rule
from moderation.selectors import convention_current
from moderation.services import case_decide, penalty_apply, report_create
from tests.factories import ArticleFactory, UserFactory
from tests.moderation.conftest import BLOCK_WORD, make_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(convention):
    return ArticleFactory(author=UserFactory(username="writer", roles=[roles.READER, roles.AUTHOR]))


def make_comment(article, body="作者脑子进水了，一派胡言", username=None):
    commenter = UserFactory(username=username, roles=[roles.READER]) if username else UserFactory(roles=[roles.READER])
    return comment_create(article=article, author=commenter, body=body)


def reporters(n):
    return [UserFactory(roles=[roles.READER]) for _ in range(n)]


def reported_case(target, *, rule="2.6", note="", by=None):
    report = report_create(reporter=by or UserFactory(roles=[roles.READER]), target=target, rule_code=rule, note=note)
    return report.case


# --- who may see what ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["queue", "stats"])
def test_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(f"moderation:{name}"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["reader", "editor"])
def test_only_moderators_see_the_queue_cases_and_stats(client, request, who, article):
    case = reported_case(make_comment(article))
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("moderation:queue")).status_code == 403
    assert client.get(reverse("moderation:case", args=[case.pk])).status_code == 403
    assert client.get(reverse("moderation:stats")).status_code == 403
    response = client.post(reverse("moderation:case", args=[case.pk]), {"action": "dismiss", "reason": "我觉得没问题"})
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).is_open


# --- the queue ----------------------------------------------------------------------------


def test_the_queue_lists_open_cases_most_urgent_first_with_their_rule_and_reporters(client, moderator, article):
    mild = reported_case(make_comment(article, "你这观点太幼稚了"), rule="2.1")
    threat = make_comment(article, "小心点，我知道你住哪")
    for person in reporters(2):
        report_create(reporter=person, target=threat, rule_code="2.8")
    decided = reported_case(make_comment(article, "普通的评论"), rule="2.1")
    case_decide(actor=moderator, case=decided, action="dismiss", reason="没有问题")
    client.force_login(moderator)
    response = client.get(reverse("moderation:queue"))
    text = response.content.decode()
    assert response.status_code == 200
    ids = [row.case.pk for row in response.context["rows"]]
    assert ids[0] == Case.objects.get(object_id=threat.pk, status="open").pk
    assert mild.pk in ids and decided.pk not in ids
    assert "2.8</span> 威胁" in text and "2 人举报" in text and "小心点，我知道你住哪" in text
    assert f'href="/moderation/cases/{ids[0]}/"' in text


def test_scan_findings_are_highlighted_in_the_queue_and_the_source_is_shown(client, moderator, block_term):
    note = make_note(title="动物园", body=f"前面的文字，{BLOCK_WORD}，后面的文字。", author=UserFactory())
    reported_case(note, rule="9.4")
    client.force_login(moderator)
    text = client.get(reverse("moderation:queue")).content.decode()
    assert f'<mark class="hit" title="9.4">{BLOCK_WORD}</mark>' in text
    assert "扫描+举报" in text and "暂扣中" in text


def test_the_queue_filters_by_category_source_target_and_age_and_counts_each_tab(
    client, moderator, article, block_term
):
    comment_case = reported_case(make_comment(article), rule="2.6")
    user_case = reported_case(UserFactory(pen_name="代写论文加微信"), rule="3.1")
    make_note(body=f"快来看{BLOCK_WORD}", author=UserFactory())  # a scan-only case, category 9
    old = reported_case(make_comment(article, "另一条评论"), rule="2.7")
    Case.objects.filter(pk=old.pk).update(opened_at=timezone.now() - timedelta(days=10))
    client.force_login(moderator)

    def listed(**params):
        response = client.get(reverse("moderation:queue"), params)
        return {row.case.pk for row in response.context["rows"]}, response.context["tabs"]

    assert listed(category="2")[0] == {comment_case.pk, old.pk}
    assert listed(target="user")[0] == {user_case.pk}
    assert listed(age="older")[0] == {old.pk}
    assert comment_case.pk in listed(age="today")[0] and old.pk not in listed(age="week")[0]
    scan_only, tabs = listed(source="scan")
    assert len(scan_only) == 1 and Case.objects.get(pk=scan_only.pop()).category == 9
    counts = {value: count for value, _name, count, _query, _current in tabs}
    assert counts == {"all": 4, "scan": 1, "report": 3, "both": 0}
    assert listed(category="2", source="report")[1][0][2] == 2  # the tabs count under the other filters
    assert len(listed(category="99", source="nonsense", target="x", age="y")[0]) == 4  # unknown values ignored


@override_settings(MODERATION_AUTO_HIDE_REPORTERS=1000)  # the comment stays reportable by all 50
def test_the_queue_costs_the_same_queries_for_3_or_30_cases_and_for_0_or_50_reports(
    client, moderator, article, django_assert_max_num_queries
):
    cases = [reported_case(make_comment(article, f"第{i}条评论"), rule="2.6") for i in range(3)]
    client.force_login(moderator)
    client.get(reverse("moderation:queue"))  # warm the per-process caches (content types)
    # Session, user, permissions and the header's notice count, then the queue's own four:
    # the page count, the tab counts, the page of cases, their rules' titles.
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("moderation:queue"))
    for i in range(27):
        reported_case(make_comment(article, f"又一条评论{i}"), rule="2.1")
    comment = cases[0].target
    for person in reporters(49):
        report_create(reporter=person, target=comment, rule_code="2.6")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("moderation:queue"))
    assert len(response.context["rows"]) == 20 and response.context["page"].paginator.count == 30


# --- the case page ------------------------------------------------------------------------


@pytest.fixture
def comment_case(article):
    comment = make_comment(article, "作者脑子进水了，一派胡言", username="shouting")
    reader = UserFactory(username="careful-reader", pen_name="细心读者", roles=[roles.READER])
    report = report_create(reporter=reader, target=comment, rule_code="2.6", note="人身攻击作者")
    return report.case


def test_the_case_page_shows_the_evidence_reports_history_linked_accounts_and_proposal(client, moderator, comment_case):
    subject = comment_case.subject
    twin = UserFactory(username="twin-account", roles=[roles.READER])
    for user in (subject, twin):
        sign_in_record(user=user, ip_address="203.0.113.7", user_agent="SameBrowser/1.0")
    client.force_login(moderator)
    response = client.get(reverse("moderation:case", args=[comment_case.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "作者脑子进水了，一派胡言" in text and "证据快照" in text
    assert "细心读者" in text and "人身攻击作者" in text and "2.6</span> 谩骂" in text
    assert "twin-account" in text and "203.0.113.7" in text and "无违规" in text
    assert "没有处罚记录" in text
    assert "建议处罚：<strong>禁言 1 天</strong>" in text
    assert "条款 2.6 的严重程度为“中”，基础等级 1。" in text
    assert 'name="step"' in text and '<option value="1" selected>禁言 1 天（建议）</option>' in text
    assert '<option value="2.6" selected>' in text


def test_linked_accounts_with_penalties_suggest_the_multi_account_aggravation(client, moderator, comment_case):
    twin = UserFactory(username="twin-account", roles=[roles.READER])
    for user in (comment_case.subject, twin):
        sign_in_record(user=user, ip_address="203.0.113.7", user_agent="SameBrowser/1.0")
    rule = Rule.objects.get(convention=convention_current(), code="3.1")
    penalty_apply(actor=moderator, user=twin, step=1, rule=rule, reason="刷广告")
    client.force_login(moderator)
    text = client.get(reverse("moderation:case", args=[comment_case.pk])).content.decode()
    assert "1 次违规" in text
    assert 'value="multi_account" checked' in text and "twin-account" in text
    assert "建议处罚：<strong>禁言 7 天</strong>" in text


def test_the_case_page_costs_the_same_queries_with_0_or_50_reports(
    client, moderator, article, block_term, django_assert_max_num_queries
):
    note = make_note(body=f"快来看{BLOCK_WORD}", author=UserFactory())
    case = Case.objects.get(object_id=note.pk, status="open")
    client.force_login(moderator)
    url = reverse("moderation:case", args=[case.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for person in reporters(50):
        report_create(reporter=person, target=note, rule_code="9.4", note="举报说明")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["detail"].reports) == 50


def decide(client, case, **data):
    return client.post(reverse("moderation:case", args=[case.pk]), data)


def test_applying_the_proposed_mute_penalises_tells_and_shows_the_decision(client, moderator, comment_case):
    client.force_login(moderator)
    response = decide(
        client,
        comment_case,
        action="penalize",
        rule="2.6",
        reason="辱骂作者",
        step="1",
        remove_content="1",
        confirm="1",
    )
    assert response.status_code == 302 and response["Location"] == f"/moderation/cases/{comment_case.pk}/"
    penalty = Penalty.objects.get(user=comment_case.subject)
    assert (penalty.step, penalty.rule_code) == (1, "2.6")
    case = Case.objects.get(pk=comment_case.pk)
    assert case.status == CaseStatus.DECIDED and case.content_removed
    assert case.reports.get().status == ReportStatus.UPHELD
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "已处罚当事人：禁言 1 天" in text
    assert "处理结果" in text and "辱骂作者" in text and 'name="action"' not in text
    assert "回到治理队列" in text


def test_a_destructive_decision_needs_the_confirmation_and_keeps_what_was_typed(client, moderator, comment_case):
    client.force_login(moderator)
    response = decide(client, comment_case, action="penalize", rule="2.6", reason="辱骂作者", step="1")
    text = response.content.decode()
    assert response.status_code == 400
    assert "删除内容或处罚账号前，请勾选确认" in text and "辱骂作者" in text
    assert 'value="penalize" required checked' in text
    assert not Penalty.objects.exists() and Case.objects.get(pk=comment_case.pk).is_open


def test_dismissing_needs_no_confirmation(client, moderator, comment_case):
    client.force_login(moderator)
    response = decide(client, comment_case, action="dismiss", reason="只是批评观点")
    assert response.status_code == 302
    case = Case.objects.get(pk=comment_case.pk)
    assert case.decision == "dismiss" and not case.content_removed
    assert "已驳回" in client.get(response["Location"]).content.decode()


def test_another_step_than_proposed_needs_a_reason(client, moderator, comment_case):
    client.force_login(moderator)
    response = decide(
        client,
        comment_case,
        action="penalize",
        rule="2.6",
        reason="辱骂作者",
        step="3",
        confirm="1",
        remove_content="1",
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "你选择的处罚与建议的不同，请写明理由" in text
    assert '<option value="3" selected>禁言 15 天</option>' in text
    assert not Penalty.objects.exists()
    response = decide(
        client,
        comment_case,
        action="penalize",
        rule="2.6",
        reason="辱骂作者",
        step="3",
        step_reason="连续三天在多篇文章下辱骂",
        confirm="1",
    )
    assert response.status_code == 302
    assert Penalty.objects.get().step == 3
    case = Case.objects.get(pk=comment_case.pk)
    assert (case.proposed_step, case.step, case.content_removed) == (1, 3, False)


def test_a_decision_without_a_reason_is_refused(client, moderator, comment_case):
    client.force_login(moderator)
    response = decide(client, comment_case, action="dismiss", reason="")
    assert response.status_code == 400
    assert "请写明处理理由" in response.content.decode()
    assert Case.objects.get(pk=comment_case.pk).is_open


def test_a_decided_case_cannot_be_decided_again(client, moderator, comment_case):
    case_decide(actor=moderator, case=comment_case, action="dismiss", reason="没问题")
    client.force_login(moderator)
    response = decide(client, comment_case, action="remove", reason="改主意了", confirm="1")
    assert response.status_code == 302
    assert "已经处理过了" in client.get(response["Location"]).content.decode()
    assert Case.objects.get(pk=comment_case.pk).decision == "dismiss"


def test_a_decision_without_the_csrf_token_is_refused(moderator, comment_case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    response = decide(client, comment_case, action="dismiss", reason="没问题")
    assert response.status_code == 403
    assert Case.objects.get(pk=comment_case.pk).is_open


def test_the_next_case_link_leads_to_the_most_urgent_other_case(client, moderator, article, comment_case):
    other = reported_case(make_comment(article, "第二条"), rule="2.8")
    client.force_login(moderator)
    text = client.get(reverse("moderation:case", args=[comment_case.pk])).content.decode()
    assert f'href="/moderation/cases/{other.pk}/">下一个案件' in text


# --- governance figures -----------------------------------------------------------------


def test_stats_and_the_public_report_count_by_month_and_category_without_personal_data(
    client, moderator, article, django_assert_max_num_queries
):
    for rule, action in [("2.6", "penalize"), ("2.6", "remove"), ("3.1", "warn"), ("2.1", "dismiss")]:
        case = reported_case(
            make_comment(article, f"评论 {rule} {action}", username=f"person-{rule}-{action}"), rule=rule
        )
        case_decide(actor=moderator, case=case, action=action, rule_code=rule, reason=f"理由-{action}")
    reported_case(make_comment(article, "还没处理"), rule="2.6")  # open cases are not counted
    client.force_login(moderator)
    client.get(reverse("moderation:stats"))
    # The page's chrome (session, user, permissions, notice count) and two of its own:
    # the figures, counted in SQL, and the category names; one more for the appeal figures
    # (moderation.appeal_selectors.appeal_stats_by_category, none decided here).
    with django_assert_max_num_queries(8):
        response = client.get(reverse("moderation:stats"))
    months = response.context["months"]
    assert len(months) == 12
    now = months[0]
    assert (now.decided, now.removed, now.warned, now.penalized) == (4, 2, 1, 1)
    by_category = {number: figures for number, _name, figures in now.by_category}
    assert by_category[2] == {"decided": 3, "removed": 2, "warned": 0, "penalized": 1}
    assert by_category[3]["warned"] == 1
    client.logout()
    public = client.get(reverse("moderation:transparency"))
    text = public.content.decode()
    assert public.status_code == 200 and "社区治理月报" in text and "2. 不友善" in text
    assert "person-" not in text and "理由-" not in text and moderator.username not in text
    assert 'href="/convention/report/"' in client.get(reverse("moderation:convention")).content.decode()

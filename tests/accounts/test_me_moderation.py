"""/accounts/me/: 我的举报 and 处罚记录, built with the real moderation services."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from moderation.models import PenaltyStep
from moderation.selectors import penalty_list_for_user, report_list_for_reporter
from moderation.services.cases import case_decide
from moderation.services.penalties import penalty_lift
from moderation.services.reports import report_create
from tests.accounts.factories import user_in_role
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _page(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/accounts/me/").content.decode()


def _section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def _report_articles(reporter, count, *, rule="3.4"):
    reports = []
    for n in range(count):
        article = ArticleFactory(title=f"第 {n} 篇被举报的文章：加我微信领资料")
        reports.append(report_create(reporter=reporter, target=article, rule_code=rule, note=f"说明 {n}"))
    return reports


# ---------------------------------------------------------------------------
# 我的举报


def test_my_reports_show_what_under_which_rule_when_and_the_outcome(reader, moderator, convention):
    # given: two reports, one of them decided (no violation)
    open_report, rejected = _report_articles(reader, 2)
    case_decide(actor=moderator, case=rejected.case, action="dismiss", reason="没有违规。")
    # when
    section = _section(_page(reader), "reports")
    # then
    assert "我的举报" in section
    assert section.count('<li class="record">') == 2
    assert "文章" in section
    assert "“第 0 篇被举报的文章：加我微信领资料”" in section
    assert '<span class="code">3.4</span>' in section
    rule_title = report_list_for_reporter(user=reader)[0].rule_title
    assert rule_title and rule_title in section
    assert "待处理" in section and "举报不成立" in section
    assert timezone.localtime(open_report.created_at).strftime("%Y年%-m月%-d日 %H:%M") in section
    # The moderator is never named to the reporter.
    assert moderator.username not in section


def test_a_long_reported_text_is_shortened(reader, convention):
    article = ArticleFactory(title="增长" * 60)
    report_create(reporter=reader, target=article, rule_code="3.4")
    section = _section(_page(reader), "reports")
    assert "增长" * 60 not in section
    (excerpt,) = re.findall(r"“(增[增长]*)\.\.\.”", section)  # Django's Chinese ellipsis is "..."
    assert len(excerpt) < 40


def test_someone_elses_reports_are_not_mine(reader, convention):
    _report_articles(user_in_role("reader"), 1)
    assert "你还没有举报过内容" in _section(_page(reader), "reports")


def test_report_list_is_one_query_with_the_rule_titles(reader, convention, django_assert_num_queries):
    _report_articles(reader, 3)
    with django_assert_num_queries(1):
        reports = list(report_list_for_reporter(user=reader))
        assert [report.case.evidence["label"] for report in reports] == ["文章"] * 3
        assert all(report.rule_title for report in reports)


def test_report_list_is_capped(reader, convention):
    _report_articles(reader, 3)
    assert len(report_list_for_reporter(user=reader, limit=2)) == 2


# ---------------------------------------------------------------------------
# 处罚记录


def test_an_active_mute_shows_its_rule_reason_dates_and_time_left(reader, penalise):
    # given
    penalty = penalise(reader, PenaltyStep.MUTE_7_DAYS, reason="评论区反复留联系方式。")
    # when
    html = _page(reader)
    section = _section(html, "penalties")
    # then
    assert "禁言 7 天" in section
    assert '<span class="code">3.4</span>' in section
    assert penalty_list_for_user(user=reader)[0].rule_title in section
    assert "评论区反复留联系方式。" in section
    assert timezone.localtime(penalty.expires_at).strftime("%Y年%-m月%-d日 %H:%M") in section
    assert "生效中" in section
    assert "还剩 6 天 23 小时" in section
    assert 'href="/feedback/"' in section and "申诉入口：" in section
    assert "moderator-sun" not in section
    # The profile says until when.
    assert "禁言中" in _section(html, "profile-title")


def test_a_permanent_mute_says_permanent_not_a_date(reader, penalise):
    penalise(reader, PenaltyStep.MUTE_PERMANENT)
    html = _page(reader)
    assert "永久" in _section(html, "penalties")
    assert "永久禁言" in _section(html, "profile-title")
    assert "禁言中" not in html


def test_a_warning_has_no_end(reader, penalise):
    penalise(reader, PenaltyStep.WARNING)
    section = _section(_page(reader), "penalties")
    assert "警告" in section
    assert "<dd>—</dd>" in section


def test_a_mute_whose_time_passed_shows_ended_before_the_expiry_task_ran(reader, penalise):
    penalise(reader, PenaltyStep.MUTE_1_DAY, now=timezone.now() - timedelta(days=3))
    html = _page(reader)
    section = _section(html, "penalties")
    assert "已结束" in section
    assert "还剩" not in section
    assert "禁言中" not in html


def test_a_lifted_penalty_shows_why(reader, penalise, moderator):
    penalty = penalise(reader, PenaltyStep.MUTE_15_DAYS)
    penalty_lift(actor=moderator, penalty=penalty, reason="误判，已核实。")
    section = _section(_page(reader), "penalties")
    assert "已解除" in section
    assert "误判，已核实。" in section


def test_no_penalties_says_so(reader):
    assert "你目前没有处罚记录" in _section(_page(reader), "penalties")


def test_penalties_are_newest_first(reader, penalise):
    penalise(reader, PenaltyStep.WARNING, now=timezone.now() - timedelta(days=20))
    penalise(reader, PenaltyStep.MUTE_1_DAY)
    assert [p.step for p in penalty_list_for_user(user=reader)] == [PenaltyStep.MUTE_1_DAY, PenaltyStep.WARNING]


# ---------------------------------------------------------------------------
# The page's cost


@pytest.mark.parametrize("rows", [1, 5])
def test_the_account_page_runs_a_constant_number_of_queries(
    reader, penalise, convention, rows, django_assert_num_queries
):
    # given: `rows` reports made and `rows` penalties received
    _report_articles(reader, rows)
    for n in range(rows):
        penalise(reader, PenaltyStep.WARNING, now=timezone.now() - timedelta(days=n))
    client = Client()
    client.force_login(reader)
    # when / then: the same number with 1 row as with 5 — session, user, roles, author
    # permission, application, mute, sign-ins, penalties, reports, appeals (the appeals, and
    # the penalties still open to appeal with their rules: 3), notices (page + count) and
    # the header's badge reusing that count
    with django_assert_num_queries(ACCOUNT_PAGE_QUERIES):
        assert client.get("/accounts/me/").status_code == 200


ACCOUNT_PAGE_QUERIES = 16

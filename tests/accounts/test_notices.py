"""Notices (站内通知): the header's unread badge, the list at /accounts/me/, 全部标为已读, and
notice_send's idempotence and e-mail."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Notice, NoticeKind
from accounts.services import notice_send
from accounts.templatetags.accounts_extras import time_left
from cms.templatetags import site_chrome
from tests.accounts.factories import user_in_role

pytestmark = pytest.mark.django_db

# A page that is rendered for every request (no page cache) and shows the header.
PAGE = "/become-author/"


def _notices(user, count, *, read=0):
    made = [notice_send(user=user, kind=NoticeKind.REPORT_OUTCOME, text=f"第 {n} 条通知") for n in range(count)]
    Notice.objects.filter(pk__in=[notice.pk for notice in made[:read]]).update(read_at=timezone.now())
    return made


def _badge(html: str) -> str:
    match = re.search(r'<a id="notice-badge".*?</a>', html, re.S)
    assert match, "the header has no notice link"
    return match.group(0)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _notice_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "accounts_notice" in q["sql"]]


# ---------------------------------------------------------------------------
# The header


def test_the_header_shows_a_signed_in_users_unread_count(reader):
    # given: three notices, one of them read
    _notices(reader, 3, read=1)
    # when
    badge = _badge(_signed_in(reader).get(PAGE).content.decode())
    # then
    assert 'href="/accounts/me/#notices"' in badge
    assert 'aria-label="站内通知，2 条未读"' in badge
    assert '<span class="notice-count" aria-hidden="true">2</span>' in badge
    assert "站内通知" in badge


def test_the_header_without_unread_notices_shows_the_link_and_no_number(reader):
    _notices(reader, 2, read=2)
    badge = _badge(_signed_in(reader).get(PAGE).content.decode())
    assert 'aria-label="站内通知，没有未读"' in badge
    assert "notice-count" not in badge


def test_more_than_99_unread_shows_99_plus_but_says_the_number(reader):
    Notice.objects.bulk_create(Notice(user=reader, kind=NoticeKind.REPORT_OUTCOME, text="x") for _ in range(120))
    badge = _badge(_signed_in(reader).get(PAGE).content.decode())
    assert ">99+</span>" in badge
    assert 'aria-label="站内通知，120 条未读"' in badge


@pytest.mark.parametrize("count", [0, 30])
def test_the_badge_costs_one_count_query_whatever_the_number_of_notices(reader, count):
    # given
    _notices(reader, count)
    client = _signed_in(reader)
    # when
    with CaptureQueriesContext(connection) as page:
        assert client.get(PAGE).status_code == 200
    # then: exactly one query touches the notices, and it is a COUNT
    (sql,) = _notice_queries(page.captured_queries)
    assert "COUNT(" in sql.upper()


def test_visitors_get_no_badge_and_no_notice_query():
    site_chrome._memo.clear()
    # A signed-in page first: it must not leave its badge in the visitors' memoised header.
    _signed_in(user_in_role("reader")).get(PAGE)
    with CaptureQueriesContext(connection) as page:
        html = Client().get(PAGE).content.decode()
    assert 'id="notice-badge"' not in html
    assert _notice_queries(page.captured_queries) == []
    assert all("notice-badge" not in "".join(cut) for cut in site_chrome._memo.values())


def test_the_account_page_counts_unread_notices_once(reader):
    _notices(reader, 3)
    with CaptureQueriesContext(connection) as page:
        _signed_in(reader).get("/accounts/me/")
    counts = [sql for sql in _notice_queries(page.captured_queries) if 'read_at" IS NULL' in sql]
    assert len(counts) == 1


# ---------------------------------------------------------------------------
# The list at /accounts/me/


def test_the_account_page_lists_notices_newest_first_with_unread_marked(reader):
    # given
    old, _new = _notices(reader, 2, read=1)
    Notice.objects.filter(pk=old.pk).update(created_at=datetime(2025, 1, 1, 16, 30, tzinfo=UTC))
    # when
    html = _signed_in(reader).get("/accounts/me/").content.decode()
    # then
    section = html[html.index('id="notices-body"') :]
    assert section.index("第 1 条通知") < section.index("第 0 条通知")
    assert section.count('class="notice is-unread"') == 1
    assert section.count("未读</span>") == 1
    # Shown in Beijing time, in the locale's DATETIME_FORMAT.
    assert "2025年1月2日 00:30" in section
    assert "全部标为已读" in section


def test_opening_the_account_page_does_not_mark_notices_read(reader):
    _notices(reader, 2)
    _signed_in(reader).get("/accounts/me/")
    assert Notice.objects.filter(user=reader, read_at__isnull=True).count() == 2


def test_a_notice_links_only_to_a_path_on_this_site(reader):
    notice_send(user=reader, kind=NoticeKind.PENALTY_APPLIED, text="站内链接", link="/accounts/me/#penalties")
    notice_send(user=reader, kind=NoticeKind.PENALTY_APPLIED, text="外部链接", link="javascript:alert(1)")
    html = _signed_in(reader).get("/accounts/me/").content.decode()
    assert 'href="/accounts/me/#penalties"' in html
    assert "javascript:alert" not in html


def test_no_notices_says_so(reader):
    html = _signed_in(reader).get("/accounts/me/").content.decode()
    assert "还没有通知" in html
    assert "全部标为已读" not in html


def test_the_account_page_shows_fifty_and_the_rest_on_later_pages(reader):
    # given: 51 notices, the first one made the oldest
    made = _notices(reader, 51)
    Notice.objects.filter(pk=made[0].pk).update(created_at=timezone.now() - timedelta(days=30))
    client = _signed_in(reader)
    # when
    first = client.get("/accounts/me/").content.decode()
    second = client.get("/accounts/me/notices/?page=2").content.decode()
    # then
    assert first.count('<li class="notice') == 50
    assert 'href="/accounts/me/notices/?page=2"' in first
    assert second.count('<li class="notice') == 1
    assert "第 0 条通知" in second


# ---------------------------------------------------------------------------
# 全部标为已读


def test_mark_all_read_reads_only_my_notices(reader):
    # given
    other = user_in_role("reader")
    mine = _notices(reader, 3)
    theirs = _notices(other, 2)
    # when
    response = _signed_in(reader).post("/accounts/me/notices/read/", {"up_to": mine[-1].pk})
    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/#notices"
    assert not Notice.objects.filter(user=reader, read_at__isnull=True).exists()
    assert Notice.objects.filter(pk__in=[n.pk for n in theirs], read_at__isnull=True).count() == 2


def test_mark_all_read_spares_a_notice_that_arrived_after_the_page(reader):
    # given: the page showed two notices, then a third arrived
    shown = _notices(reader, 2)
    late = notice_send(user=reader, kind=NoticeKind.PENALTY_ENDED, text="刚到的通知")
    # when
    _signed_in(reader).post("/accounts/me/notices/read/", {"up_to": shown[-1].pk})
    # then
    assert list(Notice.objects.filter(user=reader, read_at__isnull=True)) == [late]


def test_the_form_on_the_page_marks_everything_it_showed(reader):
    # given
    _notices(reader, 2)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    html = client.get("/accounts/me/").content.decode()
    form = html[html.index('class="notice-actions"') : html.index("</form>", html.index('class="notice-actions"'))]
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    # when: submitted as the browser would, with the page's CSRF token
    response = client.post("/accounts/me/notices/read/", fields)
    # then
    assert response.status_code == 302
    assert not Notice.objects.filter(user=reader, read_at__isnull=True).exists()
    assert "已将 2 条通知标为已读" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("up_to", ["", "abc", "-1", str(2**70), "9" * 5000])
def test_mark_all_read_with_a_broken_up_to_reads_everything_and_does_not_fail(reader, up_to):
    _notices(reader, 2)
    response = _signed_in(reader).post("/accounts/me/notices/read/", {"up_to": up_to, "page": "x"}, HTTP_HX_REQUEST="1")
    assert response.status_code == 200
    assert not Notice.objects.filter(user=reader, read_at__isnull=True).exists()


def test_mark_all_read_is_post_only(reader):
    _notices(reader, 1)
    assert _signed_in(reader).get("/accounts/me/notices/read/").status_code == 405
    assert Notice.objects.filter(user=reader, read_at__isnull=True).count() == 1


def test_mark_all_read_without_a_csrf_token_is_refused(reader):
    _notices(reader, 1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post("/accounts/me/notices/read/").status_code == 403
    assert Notice.objects.filter(user=reader, read_at__isnull=True).count() == 1


def test_visitors_are_sent_to_sign_in():
    response = Client().post("/accounts/me/notices/read/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_mark_all_read_through_htmx_swaps_the_list_and_the_badge(reader):
    # given
    mine = _notices(reader, 2)
    # when
    response = _signed_in(reader).post(
        "/accounts/me/notices/read/", {"up_to": mine[-1].pk, "page": "1"}, HTTP_HX_REQUEST="true"
    )
    # then: a fragment, not a page — the list without unread marks, the badge out of band
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="notices-body"')
    assert "is-unread" not in html
    assert "已将 2 条通知标为已读" in html
    assert 'hx-swap-oob="true"' in _badge(html)
    assert 'aria-label="站内通知，没有未读"' in _badge(html)


# ---------------------------------------------------------------------------
# notice_send


def test_notice_send_is_idempotent_by_key_and_emails_once(reader, mailoutbox, django_capture_on_commit_callbacks):
    # given / when: the same notice sent twice (a task run twice)
    with django_capture_on_commit_callbacks(execute=True):
        first = notice_send(
            user=reader,
            kind=NoticeKind.PENALTY_APPLIED,
            text="你因违反社区公约 3.4 被禁言 1 天。",
            link="/accounts/me/#penalties",
            key="penalty:1:applied",
            email=True,
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = notice_send(
            user=reader, kind=NoticeKind.PENALTY_APPLIED, text="重复", key="penalty:1:applied", email=True
        )
    # then
    assert first is not None and second is None
    assert Notice.objects.filter(user=reader).count() == 1
    assert len(mailoutbox) == 1
    (mail,) = mailoutbox
    assert mail.to == [reader.email]
    assert "处罚通知" in mail.subject
    assert "你因违反社区公约 3.4 被禁言 1 天。" in mail.body
    assert "/accounts/me/#penalties" in mail.body


def test_notice_send_without_email_sends_no_mail(reader, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(user=reader, kind=NoticeKind.REPORT_OUTCOME, text="举报结果", key="report:1:outcome")
    assert Notice.objects.filter(user=reader).count() == 1
    assert mailoutbox == []


def test_the_same_key_for_two_users_gives_each_their_notice(reader):
    other = user_in_role("reader")
    assert notice_send(user=reader, kind=NoticeKind.REPORT_OUTCOME, text="a", key="k") is not None
    assert notice_send(user=other, kind=NoticeKind.REPORT_OUTCOME, text="b", key="k") is not None


# ---------------------------------------------------------------------------
# What is left of a mute, in words


@pytest.mark.parametrize(
    ("left", "words"),
    [
        (timedelta(days=6, hours=3, minutes=30), "还剩 6 天 3 小时"),
        (timedelta(days=2, minutes=30), "还剩 2 天"),
        (timedelta(hours=5, minutes=20, seconds=30), "还剩 5 小时 20 分钟"),
        (timedelta(seconds=20), "还剩 1 分钟"),
        (timedelta(seconds=-5), ""),
    ],
)
def test_time_left_is_counted_from_now_in_words(left, words):
    assert time_left(timezone.now() + left) == words


def test_a_batch_of_notices_is_sent_once_in_a_constant_number_of_queries(
    django_capture_on_commit_callbacks, mailoutbox
):
    from accounts.services import NoticeData, notice_send_many
    from reliability.models import OutboxTask

    # given
    users = [user_in_role("reader") for _ in range(6)]

    def send(people):
        notices = [
            NoticeData(user=u, kind=NoticeKind.PENALTY_ENDED, text="到期了", key="expire:1", email=True) for u in people
        ]
        with django_capture_on_commit_callbacks() as callbacks, CaptureQueriesContext(connection) as queries:
            new = notice_send_many(notices=notices)
        for callback in callbacks:
            callback()  # the e-mails go out after commit
        return new, len(queries.captured_queries)

    # when: three, then one, then all six (four of them again)
    assert send(users[:3])[0] == 3
    one, queries_for_one = send(users[3:4])
    two, queries_for_six = send(users)
    # then
    assert (one, two) == (1, 2)
    assert queries_for_one == queries_for_six
    assert Notice.objects.filter(key="expire:1").count() == 6
    assert len(mailoutbox) == 6 and not OutboxTask.objects.exists()

"""In a real browser on a phone: a comment the scanner hides tells its writer at once, with
no htmx error in the console; a reply goes into its thread (issue 13)."""

import pytest

from accounts import roles
from articles.services_comments import comment_create
from moderation.services import TermData, term_create
from tests.e2e.test_moderation import sign_in
from tests.factories import ArticleFactory, UserFactory
from tests.moderation.conftest import BLOCK_WORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_hidden_comment_tells_its_writer_at_once_and_a_reply_joins_its_thread(page, live_server, seeded):
    moderator = UserFactory(username="mod-cf", roles=[roles.READER, roles.MODERATOR])
    term_create(actor=moderator, data=TermData(term=BLOCK_WORD, rule_code="9.4", action="block"))
    writer = UserFactory(username="writer-cf", pen_name="小周", roles=[roles.READER])
    other = UserFactory(username="other-cf", pen_name="阿林", roles=[roles.READER])
    article = ArticleFactory(title="私域流量退潮之后")
    earlier = comment_create(article=article, author=other, body="先说两句。")
    problems: list[str] = []
    # Any htmx error (htmx:oobErrorNoTarget, a swap of an error answer…) is logged to the
    # console; failed requests are checked by their answers (the browser's own /favicon.ico
    # probe is not the page's).
    page.on(
        "console",
        lambda m: (
            problems.append(m.text) if m.type == "error" and not m.text.startswith("Failed to load resource") else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 and "favicon" not in r.url else None,
    )
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, live_server, writer)
    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator("#comment-count").inner_text() == "1"

    # The counter speaks before the server does.
    box = page.locator("#comment-body")
    box.fill(f"快来看{BLOCK_WORD}")
    assert "还可以输入" in page.locator("#comment-help .char-count").inner_text()
    page.get_by_role("button", name="发表评论").click()
    # at once: the form says what happens next, the comment (and only it) that it is under review
    page.locator("#comment-form .message", has_text="审核有了结果会发站内通知给你").wait_for()
    mine = page.locator("#comment-list .comment", has_text=BLOCK_WORD)
    assert "你的评论正在审核，通过后其他读者才能看到" in mine.inner_text()
    assert page.get_by_text("你的评论正在审核，通过后其他读者才能看到").count() == 1
    assert page.locator("#comment-count").inner_text() == "2"  # the writer counts their own

    # A reply, in the thread of the comment it answers.
    page.locator(f"#comment-{earlier.pk} .reply-link").click()
    reply_box = page.locator(f"#reply-form-{earlier.pk} textarea")
    reply_box.fill("说得对。")
    page.locator(f"#reply-form-{earlier.pk}").get_by_role("button", name="发表回复").click()
    page.locator(f"#reply-slot-{earlier.pk} .message", has_text="回复已发表").wait_for()
    assert "说得对。" in page.locator(f"#replies-{earlier.pk}").inner_text()
    assert page.locator("#comment-count").inner_text() == "3"
    assert problems == []

    # Another reader neither sees nor counts the hidden comment.
    reader_page = page.context.browser.new_page()
    reader_page.goto(live_server.url + article.get_absolute_url())
    assert reader_page.locator("#comment-count").inner_text() == "2"
    assert BLOCK_WORD not in reader_page.locator("#comments").inner_text()
    reader_page.close()

"""The issue-13 lexicon scenario in a real browser: a 人工复核 term never takes an editors'
pick offline; a 拦截 term does (and the dry run says so first); disabling it brings the
article back."""

import pytest

from accounts import roles
from articles import services
from articles.models import Article
from moderation.models import Term
from tests.articles.conftest import GOOD_BODY, make_published
from tests.e2e.test_moderation import sign_in
from tests.factories import UserFactory
from tests.moderation.conftest import BLOCK_WORD, REVIEW_WORD

pytestmark = pytest.mark.django_db(transaction=True)


def _add_term(page, live_server, word: str, action: str) -> None:
    page.goto(live_server.url + "/moderation/lexicon/add/")
    page.get_by_label("词条").fill(word)
    page.get_by_label("公约条款").select_option("9.4")
    page.get_by_label("处理方式").select_option(action)
    page.get_by_role("button", name="试运行").click()
    page.get_by_role("heading", name="试运行结果").wait_for()


def test_review_term_keeps_an_editors_pick_online_and_disabling_a_block_term_releases_it(page, live_server, seeded):
    moderator = UserFactory(username="mod-lex", roles=[roles.READER, roles.MODERATOR])
    author = UserFactory(username="author-lex", roles=[roles.READER, roles.AUTHOR])
    editor = UserFactory(username="editor-lex", roles=[roles.READER, roles.EDITOR])
    body = GOOD_BODY + "\n\n" + "，".join(f"{REVIEW_WORD}第{i}回" for i in range(4)) + f"，还有{BLOCK_WORD}。"
    article = make_published(author, editor, body=body, title="编辑推荐：增长复盘")
    services.article_set_featured(actor=editor, article=article, featured=True)
    article_url = live_server.url + article.get_absolute_url()
    sign_in(page, live_server, moderator)

    # A review term: the dry run says the article stays online and shows one line with a count.
    _add_term(page, live_server, REVIEW_WORD, "review")
    dry_run = page.locator("#dry-run")
    assert "将使" not in dry_run.inner_text()
    hit = dry_run.locator(".dry-run-hit", has_text="编辑推荐")
    assert "保持在线，进入治理队列等待人工复核" in hit.inner_text()
    assert hit.locator(".dry-run-kind.gained .finding-group").count() == 1
    assert "×4 处" in hit.locator(".dry-run-kind.gained").inner_text()
    page.get_by_role("button", name="确认保存").click()
    page.wait_for_url("**/moderation/lexicon/?q=*")
    assert page.goto(article_url).status == 200
    article.refresh_from_db()
    assert not article.held

    # A block term: the dry run warns it takes the article offline; after saving it is a 404.
    _add_term(page, live_server, BLOCK_WORD, "block")
    assert "将使 1 条已公开的文章下线" in page.locator(".dry-run-offline").inner_text()
    page.get_by_role("button", name="确认保存").click()
    page.wait_for_url("**/moderation/lexicon/?q=*")
    assert page.goto(article_url).status == 404
    article.refresh_from_db()
    assert article.held

    # Disabling it: the held article is in the dry run, is released and is served again.
    term = Term.objects.get(term=BLOCK_WORD)
    page.goto(live_server.url + f"/moderation/lexicon/{term.pk}/toggle/")
    released = page.locator(".dry-run-released")
    assert "1 条被扫描暂扣的文章将解除暂扣" in released.inner_text()
    assert "将解除暂扣，重新上线" in page.locator(".dry-run-hit", has_text="编辑推荐").inner_text()
    page.get_by_role("button", name="确认停用").click()
    page.wait_for_url("**/moderation/lexicon/?q=*")
    assert page.goto(article_url).status == 200
    assert Article.objects.public().filter(pk=article.pk, featured=True).exists()

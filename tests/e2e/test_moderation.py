import pytest
from django.test import Client

from accounts import roles
from moderation.models import Term
from moderation.services import TermData, term_create
from tests.factories import UserFactory
from tests.moderation.conftest import BLOCK_WORD, make_note

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def moderator(seeded):
    return UserFactory(username="mod-e2e", roles=[roles.READER, roles.MODERATOR])


@pytest.fixture
def moderator_page(page, live_server, moderator):
    sign_in(page, live_server, moderator)
    page.set_viewport_size({"width": 375, "height": 740})
    return page


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_a_moderator_adds_a_term_after_the_dry_run_on_a_phone(moderator_page, live_server):
    page = moderator_page
    make_note(title="动物园新馆", body=f"今年的明星是{BLOCK_WORD}，周末人很多。", scan=False)
    page.goto(live_server.url + "/moderation/lexicon/add/")
    page.get_by_label("词条").fill(BLOCK_WORD)
    page.get_by_label("公约条款").select_option("9.4")
    page.get_by_label("处理方式").select_option("block")
    page.get_by_role("button", name="试运行").click()
    page.get_by_role("heading", name="试运行结果").wait_for()
    assert page.locator("mark.hit", has_text=BLOCK_WORD).count() >= 1
    assert overflow(page) <= 0
    assert not Term.objects.filter(term=BLOCK_WORD).exists()
    page.get_by_role("button", name="确认保存").click()
    page.wait_for_url("**/moderation/lexicon/?q=*")
    assert "已添加词条" in page.locator(".messages").inner_text()
    assert Term.objects.filter(term=BLOCK_WORD, rule_code="9.4", action="block").exists()


def test_a_moderator_releases_a_blocked_item_from_its_case_on_a_phone(moderator_page, live_server, moderator):
    page = moderator_page
    term_create(actor=moderator, data=TermData(term=BLOCK_WORD, rule_code="9.4", action="block"))
    note = make_note(title="动物园", body=f"快来看{BLOCK_WORD}")
    assert note.held
    page.goto(live_server.url + "/moderation/")
    assert overflow(page) <= 0
    row = page.locator(".case-row").first
    assert row.locator("mark.hit", has_text=BLOCK_WORD).count() == 1
    row.get_by_role("link", name="查看并处理").click()
    page.get_by_label("不违规，驳回举报").check()
    page.get_by_label("处理理由").fill("动物园展品的名字，不是违规内容")
    page.get_by_role("button", name="提交决定").click()
    page.locator(".messages", has_text="已驳回").wait_for()
    assert overflow(page) <= 0
    note.refresh_from_db()
    assert not note.held


def test_the_lexicon_filters_as_the_moderator_types(moderator_page, live_server, moderator):
    page = moderator_page
    term_create(actor=moderator, data=TermData(term=BLOCK_WORD, rule_code="9.4", action="block"))
    page.goto(live_server.url + "/moderation/lexicon/")
    page.locator("#term-q").fill("紫晶")
    page.locator(".term-text", has_text=BLOCK_WORD).wait_for()
    page.wait_for_url("**/moderation/lexicon/?q=*")  # the filter is in the address, so it can be shared
    assert page.locator(".term-row").count() == 1
    assert overflow(page) <= 0

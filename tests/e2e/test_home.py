from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_opens_in_chinese_with_the_demo_articles(live_server, page):
    call_command("seed_demo", stdout=StringIO())
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", name="最新文章").is_visible()
    page.get_by_role("link", name="样本量不够时，A/B 测试还能不能做").first.click()
    page.wait_for_url("**/a/ab-testing-small-samples/")
    assert "本文仅代表作者本人观点" in page.content()
    # The footer leads to the feedback page from every page.
    assert page.locator(".site-footer a[href='/feedback/']").count() == 1


def test_home_page_fits_a_phone_screen(live_server, page):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0

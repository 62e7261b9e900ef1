"""The header and footer of base.html, rendered once per language and filled in per page."""

import re

import pytest
from django.test import Client, override_settings
from django.utils.http import urlencode

from cms.templatetags import site_chrome
from tests.factories import ArticleFactory, UserFactory

PATH = "/search/?" + urlencode({"q": '增长<b>"&'})


def _csrf_values(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html)


def _without_tokens(html: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1T", html)


@pytest.fixture(autouse=True)
def _fresh_memo():
    site_chrome._memo.clear()
    yield
    site_chrome._memo.clear()


@pytest.mark.django_db
def test_visitor_chrome_carries_this_pages_path_and_a_fresh_token():
    client = Client()
    first = client.get(PATH).content.decode()
    second = client.get("/").content.decode()
    assert "yumaochromemark" not in first + second
    # The sign-in link returns here (URL-encoded), and so does the language switch (escaped).
    assert 'href="/accounts/login/?next=/search/%3Fq%3D%25E5%25A2%259E%25E9%2595%25BF%253Cb%253E%2522%2526"' in first
    assert '<input name="next" type="hidden" value="/search/?q=%E5%A2%9E%E9%95%BF%3Cb%3E%22%26">' in first
    assert 'href="/accounts/login/?next=/"' in second
    # Each response gets its own masked token.
    assert len(_csrf_values(first)) == 1
    assert _csrf_values(first) != _csrf_values(second)


@pytest.mark.django_db
def test_the_language_switch_token_is_accepted_by_the_csrf_check():
    client = Client(enforce_csrf_checks=True)
    page = client.get("/").content.decode()
    (token,) = _csrf_values(page)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get("/").content.decode().count('lang="en"') >= 1


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("signed_in", [False, True])
def test_chrome_is_the_same_as_rendering_the_template_each_time(language, signed_in):
    ArticleFactory(status="published", title="增长黑客")
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if signed_in:
        client.force_login(UserFactory())
    # The search page: rendered for every request (no page cache in the way).
    path = PATH
    memoised = [_without_tokens(client.get(path).content.decode()) for _ in range(2)]
    with override_settings(DEBUG=True):
        rendered = _without_tokens(client.get(path).content.decode())
    assert memoised[0] == memoised[1] == rendered


@pytest.mark.django_db
def test_each_language_gets_its_own_footer():
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/").content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    assert "社区公约" in chinese
    assert "社区公约" not in english
    assert 'value="zh-hans" class="link-button" lang="zh-hans">简体中文' in english


@pytest.mark.django_db
def test_a_changed_setting_is_reflected_in_the_chrome():
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert 'value="en"' in client.get("/search/").content.decode()
    with override_settings(LANGUAGES=[("zh-hans", "简体中文")]):
        assert 'value="en"' not in client.get("/search/").content.decode()
    assert 'value="en"' in client.get("/search/").content.decode()

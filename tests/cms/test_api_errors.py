"""Every API error is JSON with a Chinese sentence a person can read, and the right status
(PRODUCT §12): the JSON parser's depth limit, flattened field errors, Chinese 404s, JSON
for unrouted /api/ paths, 401 with WWW-Authenticate for anonymous writes."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from cms import urls as site_urls
from cms.api import error_sentences
from cms.parsers import MAX_JSON_DEPTH, json_depth_exceeds
from cms.text import as_clause, join_sentences
from tests.accounts.factories import user_in_role
from tests.articles.conftest import make_in_review

pytestmark = pytest.mark.django_db

DEEP = "[" * 1000 + "]" * 1000


def token_client(user) -> APIClient:
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


# The JSON parser ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "role"),
    [("/api/v1/auth/token/", None), ("/api/v1/articles/", "author"), ("/api/v1/moderation/scan/", "moderator")],
)
def test_json_nested_a_thousand_deep_is_a_400_with_a_readable_message(url, role):
    client = token_client(user_in_role(role)) if role else APIClient()
    response = client.post(url, DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "嵌套太深" in response.json()["detail"]


def test_the_depth_count_ignores_brackets_inside_strings():
    assert not json_depth_exceeds('{"body": "' + "[" * 100 + '\\"{{{{"}')
    assert not json_depth_exceeds("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH)
    assert json_depth_exceeds("[" * (MAX_JSON_DEPTH + 1))


def test_broken_json_is_described_in_chinese():
    response = token_client(user_in_role("author")).post("/api/v1/articles/", "{", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("请求内容不是有效的 JSON")


# Error shapes -----------------------------------------------------------------------------


def test_an_error_inside_the_tags_list_is_a_sentence_not_a_python_repr():
    client = token_client(user_in_role("author"))
    response = client.post("/api/v1/articles/", {"title": "标题", "tags": ["好", {"a": 1}, None]}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "ErrorDetail" not in body["detail"] and "{" not in body["detail"]
    assert "“tags”第 2 项：" in body["detail"] and "“tags”第 3 项：" in body["detail"]
    assert set(body["errors"]["tags"]) == {"1", "2"}  # the structure is still there, by field


def test_error_sentences_name_where_each_problem_is():
    errors = {"tags": {1: ["不是有效的字符串。"]}, "title": ["太长了。"], "non_field_errors": ["整体有误。"]}
    assert error_sentences(errors) == ["“tags”第 2 项：不是有效的字符串。", "“title”：太长了。", "整体有误。"]


def test_an_unknown_article_is_a_chinese_404():
    response = APIClient().get("/api/v1/articles/987654/")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("找不到要访问的内容")


def test_comments_of_an_unknown_article_are_a_chinese_404():
    response = APIClient().get("/api/v1/articles/987654/comments/")
    assert response.status_code == 404
    assert "matches" not in response.json()["detail"] and "找不到" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/api/v1/nope/", "/api/v2/articles/", "/api/"])
def test_unrouted_api_paths_answer_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "没有这个接口地址" in response.json()["detail"]


def test_unrouted_site_paths_still_get_the_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def _raise_permission_denied(request):
    raise PermissionDenied("这个接口只对编辑开放。")


def _raise_error(request):
    raise RuntimeError("boom")


# The site's own URLs and error handlers, plus three views that fail outside DRF.
urlpatterns = [
    path("api/v1/test-denied/", _raise_permission_denied),
    path("api/v1/test-error/", _raise_error),
    path("page-error/", _raise_error),
    *site_urls.urlpatterns,
]
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500


@override_settings(ROOT_URLCONF=__name__)
def test_errors_raised_outside_drf_under_api_are_json(client):
    denied = client.get("/api/v1/test-denied/")
    assert denied.status_code == 403 and denied.json()["detail"] == "这个接口只对编辑开放。"
    client.raise_request_exception = False
    failed = client.get("/api/v1/test-error/")
    assert failed.status_code == 500 and "服务器出错了" in failed.json()["detail"]
    page = client.get("/page-error/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


# Authentication --------------------------------------------------------------------------


def test_an_anonymous_write_is_a_401_with_www_authenticate():
    response = APIClient().post("/api/v1/articles/", {"title": "标题"}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]


def test_a_bad_token_is_a_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nonsense")
    response = client.get("/api/v1/me/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_the_browser_session_still_works_and_still_needs_its_csrf_token():
    author = user_in_role("author")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(author)
    assert client.get("/api/v1/me/").json()["username"] == author.username
    refused = client.post("/api/v1/articles/", {"title": "标题"}, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert "Failed" not in refused.json()["detail"]  # DRF's English sentence, replaced
    client.get("/accounts/me/")  # any page sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    created = client.post("/api/v1/articles/", {"title": "标题"}, format="json", HTTP_X_CSRFTOKEN=token)
    assert created.status_code == 201


# 409 messages -----------------------------------------------------------------------------


def test_a_409_for_a_held_article_has_no_doubled_full_stop(django_capture_on_commit_callbacks):
    author, editor = user_in_role("author"), user_in_role("editor")
    with django_capture_on_commit_callbacks(execute=True):
        article = make_in_review(author, editor, body="正文第一段。\n\n想赚快钱的朋友可以来我们的网上赌场看看。")
    article.refresh_from_db()
    assert article.held and article.hold_reason.endswith("。")
    response = token_client(editor).post(f"/api/v1/articles/{article.pk}/approve/")
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "暂扣" in detail and "。。" not in detail and "。；" not in detail


def test_sentences_are_embedded_and_joined_without_doubled_punctuation():
    assert as_clause("等待编辑处理。") == "等待编辑处理"
    assert join_sentences(["评论不能为空。", "最多 1000 字", "真的吗？"]) == "评论不能为空。最多 1000 字。真的吗？"


# The schema tells the truth ---------------------------------------------------------------


def test_the_article_schema_admits_what_the_api_returns():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    article = schema["components"]["schemas"]["Article"]["properties"]
    assert article["claimed_by"].get("nullable") is True
    assert article["author"].get("nullable") is True
    assert article["reprint_source_url"].get("format") != "uri"

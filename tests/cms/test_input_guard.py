"""cms.input_guard: text no person typed is refused at the edge with a readable 400, and an
oversized body with a readable 413 — before any view, so nothing is stored.

On PostgreSQL every NUL case below was a 500 (text columns cannot hold U+0000); on SQLite
it was stored or silently ignored. Either way the answer now is the same 400.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from rest_framework.test import APIClient

from articles.models import Comment, CommentStatus
from articles.services_comments import comment_create
from cms.input_guard import BadInput, inspect_request
from moderation.models import AuditEntry, Term
from tests.accounts.factories import user_in_role
from tests.articles.conftest import make_published

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "空字符"


def assert_refused_html(response, status=400, words=NUL_MESSAGE):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert words in text and "没有保存" in text
    assert "<header" in text or "site-header" in text or "羽毛" in text  # the site's chrome, not a bare page


def assert_refused_json(response, status=400, words=NUL_MESSAGE):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert words in response.json()["detail"]


@pytest.fixture
def published(db):
    author = user_in_role("author")
    editor = user_in_role("editor")
    return make_published(author, editor)


def test_nul_in_an_author_address_is_a_400_page(client):
    assert_refused_html(client.get("/authors/x%00/"))


def test_nul_in_the_lexicon_and_audit_filters_is_a_400(client):
    client.force_login(user_in_role("moderator"))
    assert_refused_html(client.get("/moderation/lexicon/", {"q": "赌\x00场"}))
    assert_refused_html(client.get("/moderation/audit/?actor=a%00b"))
    # the same filters without the NUL still work
    assert client.get("/moderation/lexicon/", {"q": "赌场"}).status_code == 200


def test_nul_in_a_comment_is_refused_and_nothing_is_stored(client, published):
    client.force_login(user_in_role("reader"))
    response = client.post(f"/a/{published.slug}/comments/", {"body": "写得好\x00"})
    assert_refused_html(response)
    assert Comment.objects.count() == 0


def test_nul_in_a_moderators_hide_reason_is_refused_and_the_comment_stays(client, published):
    comment = comment_create(article=published, author=user_in_role("reader"), body="一条普通的评论")
    entries = AuditEntry.objects.count()
    client.force_login(user_in_role("moderator"))
    response = client.post(
        f"/a/{published.slug}/comments/{comment.pk}/moderate/", {"action": "hide", "reason": "广告\x00"}
    )
    assert_refused_html(response)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    assert AuditEntry.objects.count() == entries


def test_invalid_utf8_in_a_form_is_refused_not_turned_into_replacement_characters(client, published):
    client.force_login(user_in_role("reader"))
    response = client.post(
        f"/a/{published.slug}/comments/",
        b"body=%E5%A5%BD%FF%FE",  # 好 followed by two bytes that are not UTF-8
        content_type="application/x-www-form-urlencoded",
    )
    assert_refused_html(response, words="UTF-8")
    assert Comment.objects.count() == 0


def test_an_encoded_lone_surrogate_in_a_form_is_refused(client, published):
    client.force_login(user_in_role("reader"))
    response = client.post(
        f"/a/{published.slug}/comments/", b"body=%ED%A0%80", content_type="application/x-www-form-urlencoded"
    )
    assert_refused_html(response, words="UTF-8")
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"title": "a\x00b", "body": "正文"},
        {"title": "标题", "body": "半个代理字符 \ud800"},
        {"title": "标题", "body": "低半个 \udc00 在前"},
    ],
    ids=["nul", "lone-high-surrogate", "lone-low-surrogate"],
)
def test_the_api_refuses_nul_and_lone_surrogates_in_json(body):
    client = APIClient()
    client.force_authenticate(user_in_role("moderator"))
    response = client.post("/api/v1/moderation/scan/", json.dumps(body), content_type="application/json")
    assert_refused_json(response, words="字符")


def test_json_with_escaped_backslashes_and_real_surrogate_pairs_passes():
    client = APIClient()
    client.force_authenticate(user_in_role("moderator"))
    # "\\u0000" is a backslash followed by the text u0000, and 😀 is a proper pair.
    payload = '{"title": "\\\\u0000", "body": "表情 \\ud83d\\ude00 和 \\\\ud800"}'
    response = client.post("/api/v1/moderation/scan/", payload, content_type="application/json")
    assert response.status_code == 200, response.content


def test_nul_in_an_api_query_parameter_is_json():
    assert_refused_json(APIClient().get("/api/v1/articles/?status=draft%00"))


def test_a_cover_image_may_contain_nul_bytes_but_a_text_field_may_not():
    factory = RequestFactory()
    image = SimpleUploadedFile("cover.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", content_type="image/png")
    clean = factory.post("/submit/", {"title": "标题", "cover": image})
    inspect_request(clean)  # the file's bytes are not text: no complaint

    image.seek(0)
    dirty = factory.post("/submit/", {"title": "标\x00题", "cover": image})
    with pytest.raises(BadInput, match="title"):
        inspect_request(dirty)


def test_a_five_megabyte_form_post_gets_a_readable_413_page(client):
    response = client.post("/accounts/login/", {"username": "someone", "password": "x" * 5_000_000})
    assert_refused_html(response, status=413, words="太大")
    assert "Bad Request" not in response.content.decode()


def test_a_five_megabyte_api_post_gets_readable_json():
    client = APIClient()
    client.force_authenticate(user_in_role("author"))
    response = client.post("/api/v1/articles/", json.dumps({"body": "长" * 2_000_000}), content_type="application/json")
    assert_refused_json(response, status=413, words="太大")


def test_too_many_form_fields_is_a_readable_400(client):
    fields = "&".join(f"f{i}=1" for i in range(1200))  # DATA_UPLOAD_MAX_NUMBER_FIELDS is 1,000
    response = client.post("/accounts/login/", fields, content_type="application/x-www-form-urlencoded")
    assert_refused_html(response, words="字段")


def test_ordinary_chinese_text_passes_everywhere(client, published):
    client.force_login(user_in_role("reader"))
    response = client.post(
        f"/a/{published.slug}/comments/?from=%E9%A6%96%E9%A1%B5", {"body": "写得好，R&D 部分很有启发"}
    )
    assert response.status_code == 302
    assert Comment.objects.get().body == "写得好，R&D 部分很有启发"


def test_the_term_table_is_untouched_by_a_refused_lexicon_add(client):
    client.force_login(user_in_role("moderator"))
    before = Term.objects.count()
    response = client.post("/moderation/lexicon/add/", {"term": "赌\x00场", "rule_code": "1.8", "action": "block"})
    assert_refused_html(response)
    assert Term.objects.count() == before

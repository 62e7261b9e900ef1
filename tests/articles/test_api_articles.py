import pytest
from rest_framework.test import APIClient

from articles.models import Article, ArticleStatus
from tests.articles.conftest import GOOD_BODY, make_approved, make_draft, make_in_review, make_submitted

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


NEW = {"title": "AI 产品的定价", "summary": "按席位还是按用量？", "body": GOOD_BODY, "tags": ["AI", "定价"]}


def test_author_creates_updates_and_submits_a_draft(author):
    client = api(author)
    created = client.post("/api/v1/articles/", NEW, format="json")
    assert created.status_code == 201
    data = created.json()
    assert data["status"] == "draft" and data["tags"] == ["AI", "定价"] and data["url"] is None
    assert set(NEW) | {"id", "slug", "url", "source", "byline", "status"} <= set(data)
    pk = data["id"]
    assert client.patch(f"/api/v1/articles/{pk}/", {"title": "AI 产品怎么定价"}, format="json").status_code == 200
    submitted = client.post(f"/api/v1/articles/{pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"


def test_the_editor_flow_over_the_api(author, editor):
    article = make_submitted(author)
    client = api(editor)
    base = f"/api/v1/articles/{article.pk}"
    assert client.post(f"{base}/claim/").json()["claimed_by"] == editor.username
    assert client.post(f"{base}/request-changes/", {"note": "标题再具体一点"}).json()["status"] == "changes_requested"
    assert api(author).post(f"{base}/submit/", {"note": "改好了"}).json()["status"] == "in_review"
    assert client.post(f"{base}/approve/").json()["status"] == "approved"
    scheduled = client.post(f"{base}/schedule/", {"publish_at": "2099-01-01T08:00:00+08:00"})
    assert scheduled.json()["status"] == "scheduled"
    published = client.post(f"{base}/publish/").json()
    assert published["status"] == "published" and published["url"].endswith(article.get_absolute_url())
    assert client.post(f"{base}/unpublish/", {"reason": "版权问题"}).json()["status"] == "unpublished"


def test_wrong_state_is_409_with_a_readable_message(author, editor):
    article = make_submitted(author)
    response = api(editor).post(f"/api/v1/articles/{article.pk}/approve/")
    assert response.status_code == 409
    assert "已投稿" in response.json()["detail"]


def test_not_allowed_is_403_and_anonymous_is_401_or_403(author, reader):
    article = make_submitted(author)
    assert api(reader).post(f"/api/v1/articles/{article.pk}/claim/").status_code in (403, 404)
    assert api().post(f"/api/v1/articles/{article.pk}/claim/").status_code in (401, 403)
    assert api(reader).post("/api/v1/articles/", NEW, format="json").status_code == 403


def test_author_cannot_claim_their_own_article(author):
    article = make_submitted(author)
    response = api(author).post(f"/api/v1/articles/{article.pk}/claim/")
    assert response.status_code == 403 and response.json()["detail"]


def test_bad_input_is_400_with_field_messages(author, editor):
    response = api(author).post("/api/v1/articles/", {**NEW, "title": "长" * 200}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "标题最多 120 个字" in body["detail"] and "title" in body["errors"]
    article = make_in_review(author, editor)
    response = api(editor).post(f"/api/v1/articles/{article.pk}/request-changes/", {"note": ""})
    assert response.status_code == 400 and "修改的地方" in response.json()["detail"]
    approved = make_approved(author, editor)
    response = api(editor).post(f"/api/v1/articles/{approved.pk}/schedule/", {"publish_at": "2001-01-01T00:00"})
    assert response.status_code == 400 and "晚于现在" in response.json()["detail"]


def test_drafts_are_private_to_their_author(author, other_author, editor):
    draft = make_draft(author)
    assert api().get(f"/api/v1/articles/{draft.pk}/").status_code == 404
    assert api(other_author).get(f"/api/v1/articles/{draft.pk}/").status_code == 404
    assert api(editor).get(f"/api/v1/articles/{draft.pk}/").status_code == 404
    assert api(author).get(f"/api/v1/articles/{draft.pk}/").status_code == 200


def test_anyone_lists_published_articles(author, editor):
    from articles import services

    services.article_publish(actor=editor, article=make_approved(author, editor, title="公开的文章"))
    make_draft(author, title="私下的草稿")
    titles = [item["title"] for item in api().get("/api/v1/articles/").json()["results"]]
    assert titles == ["公开的文章"]
    mine = api(author).get("/api/v1/articles/?mine=1").json()["results"]
    assert {item["title"] for item in mine} == {"公开的文章", "私下的草稿"}


def test_author_cannot_update_after_the_article_is_claimed(author, editor):
    article = make_in_review(author, editor)
    response = api(author).patch(f"/api/v1/articles/{article.pk}/", {"title": "偷偷改"}, format="json")
    assert response.status_code == 409
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.IN_REVIEW


def test_schema_documents_the_workflow_actions(client):
    schema = client.get("/api/schema/").content.decode()
    for action in ("submit", "claim", "request-changes", "approve", "schedule", "publish", "unpublish"):
        assert f"/api/v1/articles/{{id}}/{action}/" in schema

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article, ArticleStatus
from tests.articles.conftest import GOOD_BODY, make_draft, make_in_review
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def form_data(**overrides):
    data = {
        "title": "私域流量的冷启动",
        "summary": "从零开始做私域的三个步骤。",
        "body": GOOD_BODY,
        "tags": "私域、增长",
        "source": "增长实验室",
        "source_handle": "@growthlab",
        "byline": "林小满",
        "originality": "original",
        "reprint_source_url": "",
        "reprint_permission": "",
        "reprint_policy": "forbidden",
        "note": "",
        "action": "save",
    }
    data.update(overrides)
    return data


def png(width=800, height=450, fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 20)).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_author_sees_the_submission_form_and_others_the_notice(client, author, reader):
    text = login(client, author).get("/submit/").content.decode()
    assert 'name="body"' in text and "投稿" in text and "js/autosave.js" in text
    client.logout()
    text = login(client, reader).get("/submit/").content.decode()
    assert "你还不是本站作者" in text and 'name="body"' not in text


def test_saving_creates_a_draft_and_goes_to_its_edit_page(client, author):
    response = login(client, author).post("/submit/", form_data())
    article = Article.objects.get()
    assert response.status_code == 302 and response.url == f"/submit/{article.pk}/edit/"
    assert article.status == ArticleStatus.DRAFT and article.author == author
    assert article.source_handle == "@growthlab"
    assert sorted(article.tags.values_list("name", flat=True)) == ["增长", "私域"]


def test_submitting_moves_the_draft_to_the_editors(client, author, mailoutbox):
    response = login(client, author).post("/submit/", form_data(action="submit"))
    article = Article.objects.get()
    assert response.url == f"/submit/{article.pk}/"
    assert article.status == ArticleStatus.SUBMITTED
    page = client.get(response.url).content.decode()
    assert "投稿成功" in page and "已投稿" in page


def test_incomplete_submission_is_saved_as_a_draft_and_explained(client, author):
    response = login(client, author).post("/submit/", form_data(title="", body="太短", action="submit"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "请填写标题" in text and "正文太短了" in text
    assert "太短" in text  # what was typed is still in the form
    assert Article.objects.get().status == ArticleStatus.DRAFT


def test_reprint_without_a_source_url_is_refused_at_submission(client, author):
    data = form_data(originality="reprint", reprint_permission="", action="submit")
    response = login(client, author).post("/submit/", data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "转载文章请填写原文链接" in text and "转载授权" in text


def test_a_file_that_is_not_an_image_is_refused_but_the_text_is_kept(client, author):
    fake = SimpleUploadedFile("cover.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = login(client, author).post("/submit/", {**form_data(), "cover": fake})
    assert response.status_code == 400
    text = response.content.decode()
    assert "不是有效的图片" in text
    article = Article.objects.get()  # the text was saved anyway
    assert article.title == "私域流量的冷启动" and not article.cover


def test_a_too_small_cover_is_refused_with_its_size(client, author):
    small = SimpleUploadedFile("c.png", png(120, 80), content_type="image/png")
    response = login(client, author).post("/submit/", {**form_data(), "cover": small})
    assert "封面图太小了（120×80）" in response.content.decode()


def test_a_too_large_cover_is_refused(client, author, settings):
    settings.IMAGE_MAX_BYTES = 1000
    big = SimpleUploadedFile("c.png", png(), content_type="image/png")
    response = login(client, author).post("/submit/", {**form_data(), "cover": big})
    assert "封面图太大了" in response.content.decode()


def test_a_good_cover_is_stored_under_its_real_format(client, author):
    cover = SimpleUploadedFile("photo.gif", png(fmt="JPEG"), content_type="image/gif")
    login(client, author).post("/submit/", {**form_data(), "cover": cover})
    article = Article.objects.get()
    # The cover is a library image, stored under the format its bytes are.
    assert not article.cover and article.cover_image.format == "jpeg"
    assert article.cover_image.file.name.startswith("images/") and article.cover_image.file.name.endswith(".jpg")


def test_autosave_creates_then_updates_the_draft(client, author):
    login(client, author)
    first = client.post("/submit/autosave/", form_data(article="")).json()
    assert first["ok"] and first["message"].startswith("已自动保存")
    article = Article.objects.get(pk=first["article"])
    assert first["edit_url"] == f"/submit/{article.pk}/edit/"
    second = client.post("/submit/autosave/", form_data(article=str(article.pk), title="改过的标题")).json()
    assert second["ok"] and second["article"] == article.pk
    article.refresh_from_db()
    assert article.title == "改过的标题" and article.revisions.count() == 2


def test_autosave_refuses_bad_input_without_touching_the_saved_draft(client, author):
    article = make_draft(author)
    login(client, author)
    response = client.post("/submit/autosave/", form_data(article=str(article.pk), title="长" * 200))
    assert response.status_code == 400
    body = response.json()
    assert not body["ok"] and "title" in body["errors"]
    article.refresh_from_db()
    assert article.title == "用户分层运营的三个误区"


def test_autosave_of_someone_elses_or_a_claimed_article_is_refused(client, author, other_author, editor):
    login(client, other_author)
    mine = make_draft(author)
    assert client.post("/submit/autosave/", form_data(article=str(mine.pk))).status_code == 404
    client.logout()
    login(client, author)
    claimed = make_in_review(author, editor)
    response = client.post("/submit/autosave/", form_data(article=str(claimed.pk)))
    assert response.status_code == 409 and "审稿中" in json.loads(response.content)["message"]


def test_autosave_needs_the_author_role_and_a_csrf_token(author, reader):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    login(strict, author)
    assert strict.post("/submit/autosave/", form_data()).status_code == 403
    other = Client()
    login(other, reader)
    assert other.post("/submit/autosave/", form_data()).status_code == 403


def test_preview_renders_markdown_without_scripts(client, author):
    login(client, author)
    html = client.post("/submit/preview/", {"body": "## 标题\n\n<script>alert(1)</script> [x](javascript:alert(1))"})
    text = html.content.decode()
    assert "<h2>标题</h2>" in text
    # Escaped text is harmless; a live tag or link is not.
    assert "<script" not in text and not re.search(r'href="\s*javascript:', text)


def test_my_articles_lists_status_and_open_change_requests(client, author, editor):
    from articles import services

    article = make_in_review(author, editor)
    services.article_request_changes(actor=editor, article=article, note="请补充案例。")
    make_draft(author, title="另一篇草稿")
    text = login(client, author).get("/submit/mine/").content.decode()
    assert "待修改" in text and "1 条修改意见待处理" in text and "另一篇草稿" in text


def test_author_answers_a_change_request_from_the_edit_page(client, author, editor):
    from articles import services

    article = make_in_review(author, editor)
    services.article_request_changes(actor=editor, article=article, note="请补充案例。")
    login(client, author)
    page = client.get(f"/submit/{article.pk}/edit/").content.decode()
    assert "请补充案例。" in page and "提交修改稿" in page
    client.post(
        f"/submit/{article.pk}/edit/",
        form_data(title=article.title, body=GOOD_BODY + "\n\n案例：某品牌……", action="submit", note="已补充案例"),
    )
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW and article.claimed_by == editor
    assert article.editorial_comments.filter(body="已补充案例").exists()


def test_an_article_in_review_is_not_editable_by_its_author(client, author, editor):
    article = make_in_review(author, editor)
    response = login(client, author).get(f"/submit/{article.pk}/edit/")
    assert response.status_code == 302 and response.url == f"/submit/{article.pk}/"


def test_other_peoples_articles_are_forbidden(client, author, other_author):
    article = make_draft(author)
    login(client, other_author)
    assert client.get(f"/submit/{article.pk}/edit/").status_code == 403
    assert client.get(f"/submit/{article.pk}/").status_code == 403


def test_saving_after_an_autosave_updates_the_same_draft(client, author):
    login(client, author)
    saved = client.post("/submit/autosave/", form_data(article="")).json()
    client.post("/submit/", form_data(article=str(saved["article"]), title="手动保存的标题"))
    assert list(Article.objects.values_list("title", flat=True)) == ["手动保存的标题"]

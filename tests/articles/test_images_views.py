"""The image library's pages and endpoints, covers in the submission form, the screens that
show library images (review, article page, lists: queries constant), and migration 0009."""

import importlib
import io
import re

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import ExifTags
from PIL import Image as PILImage

from articles import selectors
from articles.images import services as images
from articles.images.models import Image
from articles.models import Tag
from tests.articles.conftest import make_draft, make_in_review
from tests.factories import PASSWORD, ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(width=900, height=500, color=(20, 140, 90)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def library_image(owner, **kwargs) -> Image:
    return images.image_ensure_renditions(image=images.image_upload(actor=owner, upload=png(**kwargs), name="图.png"))


# --- upload endpoint -------------------------------------------------------------------


def test_an_author_uploads_and_gets_the_markdown_to_insert(client, author):
    response = login(client, author).post("/submit/images/upload/", {"image": SimpleUploadedFile("漏斗图.png", png())})
    body = response.json()
    image = Image.objects.get()
    assert response.status_code == 200 and body["ok"] and body["id"] == image.pk
    assert body["markdown"] == f"![图片说明]({image.url})" and body["width"] == 900
    assert "已插入正文" in body["message"]


def test_the_upload_endpoint_refuses_readers_bad_files_and_missing_csrf(client, author, reader):
    refused = login(client, reader).post("/submit/images/upload/", {"image": SimpleUploadedFile("a.png", png())})
    assert refused.status_code == 403 and "作者" in refused.json()["message"]
    client.logout()
    svg = SimpleUploadedFile("a.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/png")
    bad = login(client, author).post("/submit/images/upload/", {"image": svg})
    assert bad.status_code == 400 and bad.json()["code"] == "svg" and "SVG" in bad.json()["message"]
    assert login(client, author).post("/submit/images/upload/", {}).status_code == 400
    strict = login(Client(enforce_csrf_checks=True), author)
    assert strict.post("/submit/images/upload/", {"image": SimpleUploadedFile("a.png", png())}).status_code == 403
    assert not Image.objects.exists()


def test_the_upload_endpoint_answers_429_with_retry_after(client, author, settings):
    settings.IMAGE_UPLOADS_PER_HOUR = 1
    login(client, author)
    assert client.post("/submit/images/upload/", {"image": SimpleUploadedFile("a.png", png())}).status_code == 200
    limited = client.post("/submit/images/upload/", {"image": SimpleUploadedFile("b.png", png())})
    assert (
        limited.status_code == 429
        and int(limited["Retry-After"]) > 0
        and "每小时最多 1 张" in limited.json()["message"]
    )


# --- library page, picker, delete ------------------------------------------------------


def test_the_library_lists_sizes_and_where_used_and_deletes_only_unused(client, author, other_author):
    used = library_image(author)
    unused = library_image(author, width=600, height=400)
    library_image(other_author)  # someone else's: not listed
    make_draft(author, title="增长复盘", body=f"![图]({used.url})")
    login(client, author)
    text = client.get("/submit/images/").content.decode()
    assert text.count('class="image-tile"') == 2 and "900×500" in text and "600×400" in text
    assert "《增长复盘》" in text and f"/submit/images/{unused.key}/delete/" in text
    assert f"/submit/images/{used.key}/delete/" not in text
    refused = client.post(f"/submit/images/{used.key}/delete/", follow=True).content.decode()
    assert "正在 《增长复盘》中使用，不能删除" in refused
    done = client.post(f"/submit/images/{unused.key}/delete/", follow=True).content.decode()
    assert "图片已从图片库删除" in done and not Image.objects.filter(pk=unused.pk).exists()
    other = Image.objects.get(owner=other_author)
    client.post(f"/submit/images/{other.key}/delete/")
    assert Image.objects.filter(pk=other.pk).exists()


def test_the_picker_offers_insert_and_cover_for_each_image(client, author, reader):
    image = library_image(author)
    text = login(client, author).get("/submit/images/picker/").content.decode()
    assert f'data-insert="![]({image.url})"' in text and f'data-set-cover="{image.pk}"' in text
    client.logout()
    assert login(client, reader).get("/submit/images/picker/").status_code == 403
    assert "你还不是本站作者" in client.get("/submit/images/").content.decode()


# --- the submission form ---------------------------------------------------------------


def form_data(**overrides):
    data = {
        "title": "私域流量的冷启动",
        "summary": "从零开始的私域运营。",
        "body": "正文内容足够长，足够长，足够长，足够长，足够长。",
        "originality": "original",
        "reprint_policy": "forbidden",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_the_form_has_the_picture_toolbar_and_length_counters(client, author):
    text = login(client, author).get("/submit/").content.decode()
    assert "data-image-toolbar" in text and "js/images.js" in text and "从图片库选择" in text
    assert re.search(r'<input type="text" name="title"[^>]*data-counter[^>]*maxlength="120"', text) or re.search(
        r'<input[^>]*name="title"[^>]*maxlength="120"[^>]*data-counter', text
    )
    assert re.search(r'<textarea[^>]*name="summary"[^>]*data-counter', text) or re.search(
        r'<textarea[^>]*data-counter[^>]*name="summary"', text
    )


def test_a_cover_picked_from_the_library_is_saved_and_shown(client, author, other_author):
    mine = library_image(author)
    theirs = library_image(other_author)
    login(client, author)
    client.post("/submit/", form_data(cover_image=str(mine.pk)))
    article = author.articles.get()
    assert article.cover_image == mine
    page = client.get(f"/submit/{article.pk}/edit/").content.decode()
    assert 'class="cover cover-thumb"' in page and "srcset=" in page
    # someone else's image is refused, and the text is still saved
    response = client.post(f"/submit/{article.pk}/edit/", form_data(title="改过的标题", cover_image=str(theirs.pk)))
    assert response.status_code == 400 and "只能使用自己图片库里的图片" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "改过的标题" and article.cover_image == mine


def test_a_cover_uploaded_in_the_form_joins_the_library(client, author):
    login(client, author).post("/submit/", {**form_data(), "cover": SimpleUploadedFile("c.jpg", png(1200, 675))})
    article = author.articles.get()
    assert article.cover_image.owner == author and article.cover_image.uses.get().role == "cover"
    assert login(client, author).get("/submit/images/").content.decode().count("（封面）") == 1


# --- screens that show library images --------------------------------------------------


def test_the_review_screen_shows_the_body_pictures_and_the_cover(client, author, editor):
    body_image = library_image(author)
    cover = library_image(author, width=1600, height=900)
    article = make_in_review(
        author, editor, body=f"![数据图]({body_image.url})\n\n正文第二段，讲清楚数据来源。", cover_image=cover
    )
    text = login(client, editor).get(f"/editor/articles/{article.pk}/").content.decode()
    assert re.search(r'<img src="[^"]+/900\.webp" srcset="[^"]+480w[^"]*" sizes="[^"]+" alt="数据图"', text)
    assert 'class="cover cover-hero"' in text


def test_the_article_page_shows_the_cover_with_renditions(client, author):
    cover = library_image(author, width=1600, height=900)
    article = ArticleFactory(author=author, cover_image=cover)
    text = client.get(article.get_absolute_url()).content.decode()
    hero = re.search(r'<img class="cover cover-hero"[^>]+>', text).group(0)
    assert 'srcset="' in hero and "480w" in hero and 'loading="eager"' in hero and 'width="1600"' in hero


def test_cover_tags_render_a_list_of_covers_without_a_query_each(author):
    for _n in range(6):
        ArticleFactory(author=author, cover_image=library_image(author, width=1000, height=560))
    ArticleFactory(author=author)  # no cover: nothing rendered
    template = Template(
        '{% load article_images %}{% for a in articles %}{% cover_image a "thumb" %}|{% cover_url a %}\n{% endfor %}'
    )
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"articles": selectors.article_list_published()}))
    assert len(queries) == 1
    lines = html.strip().split("\n")
    assert sum('srcset="' in line for line in lines) == 6 and lines.count("|") == 1  # the one without a cover
    assert all(line.split("|")[1].startswith("http") for line in lines if "srcset" in line)


@pytest.mark.parametrize("address", ["/", "/tags/{tag}/", "/authors/{author}/", "/search/?q=测试"])
def test_list_pages_with_cover_thumbnails_cost_the_same_queries_for_3_or_12_articles(client, author, address):
    from django.core.cache import cache

    tag = Tag.objects.create(name="增长", slug="zengzhang")

    def publish(count):
        for _n in range(count):
            article = ArticleFactory(author=author, cover_image=library_image(author, width=520, height=290))
            article.tags.add(tag)
        from articles.search import article_search_text_refresh

        article_search_text_refresh()

    url = address.format(tag=tag.slug, author=author.username)
    publish(3)
    client.get(url)  # warm what is built once per process
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    publish(9)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(few) > 0 and len(many) == len(few)


# --- migration 0009: covers from before the library ------------------------------------


def test_old_cover_files_are_copied_into_the_library_once(author, capsys):
    migration = importlib.import_module("articles.migrations.0009_covers_into_image_library")
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "Old Camera"
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 450), (10, 10, 10)).save(buffer, "JPEG", exif=exif)
    name = default_storage.save("articles/covers/2026/01/old.jpg", ContentFile(buffer.getvalue()))
    article = ArticleFactory(author=author, cover=name)
    broken = ArticleFactory(author=author, cover="articles/covers/2026/01/missing.jpg")
    # when the migration runs (twice)
    migration.covers_into_library(apps, None)
    migration.covers_into_library(apps, None)
    # then the old cover is a bare library image of the article's author, the old file stays
    article.refresh_from_db()
    image = article.cover_image
    assert image.owner == author and (image.width, image.height) == (800, 450) and image.format == "jpeg"
    with default_storage.open(image.file.name, "rb") as handle:
        assert b"Old Camera" not in handle.read()
    assert default_storage.exists(name) and article.cover.name == name
    assert Image.objects.count() == 1 and image.uses.get().role == "cover"
    broken.refresh_from_db()
    assert broken.cover_image is None and "missing.jpg" in capsys.readouterr().out


def test_a_garbled_cover_choice_costs_no_text(client, author):
    response = login(client, author).post("/submit/", form_data(cover_image="不是编号"))
    assert response.status_code == 400 and "文字已保存，但封面图没有保存" in response.content.decode()
    article = author.articles.get()
    assert article.title == "私域流量的冷启动" and article.cover_image is None


def test_the_form_draws_its_picture_buttons_like_the_insert_button(client, author):
    page = login(client, author).get("/submit/").content.decode()
    assert '<button type="button" class="button small" data-image-library>' in page
    assert '<button type="button" class="button small" data-cover-library>' in page
    assert '<label class="button small" for="id_cover">' in page

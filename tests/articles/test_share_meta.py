"""Share metadata on the article page (Open Graph, X/Twitter cards, WeChat's itemprop and
description fields) and the print layout."""

import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from articles.images import services as images
from articles.models import Article
from tests.articles.conftest import make_published


def meta(html: str) -> dict[str, str]:
    found = {}
    for tag in re.findall(r"<meta\s[^>]*>", html):
        key = re.search(r'(?:property|name|itemprop)="([^"]+)"', tag)
        value = re.search(r'content="([^"]*)"', tag)
        if key and value:
            found[key.group(1)] = unescape(value.group(1))
    return found


def test_an_article_page_carries_share_metadata_with_absolute_urls(client, author, editor, settings):
    settings.SITE_URL = "https://yumao.example"
    article = make_published(author, editor, summary="分层不是把用户切成几块就完事。")
    tags = meta(client.get(article.get_absolute_url()).content.decode())
    assert tags["og:type"] == "article"
    assert tags["og:title"] == tags["twitter:title"] == tags["name"] == article.title
    assert tags["og:description"] == tags["description"] == "分层不是把用户切成几块就完事。"
    assert tags["og:url"] == "https://yumao.example" + article.get_absolute_url()
    assert tags["article:published_time"].startswith(str(article.published_at.astimezone().year))
    assert tags["twitter:card"] == "summary"  # no cover, no large image
    assert "og:image" not in tags


def test_the_cover_is_the_share_image(client, author, editor, settings, tmp_path):
    settings.SITE_URL = "https://yumao.example"
    settings.MEDIA_ROOT = tmp_path / "media"
    article = make_published(author, editor)
    buffer = io.BytesIO()
    PILImage.new("RGB", (2000, 1000), (200, 80, 30)).save(buffer, format="PNG")
    image = images.image_ensure_renditions(
        image=images.image_upload(actor=author, upload=SimpleUploadedFile("c.png", buffer.getvalue()))
    )
    Article.objects.filter(pk=article.pk).update(cover_image=image)
    tags = meta(client.get(article.get_absolute_url()).content.decode())
    assert tags["og:image"].startswith("https://yumao.example/") and tags["og:image"].endswith("1600.webp")
    assert tags["image"] == tags["og:image"] == tags["twitter:image"]  # itemprop="image", for WeChat
    assert tags["twitter:card"] == "summary_large_image"


@pytest.mark.parametrize("title", ['引号" onload="alert(1)', "<script>alert(1)</script>标题"])
def test_share_metadata_is_escaped(client, author, editor, title):
    article = make_published(author, editor, title=title, summary='摘要里有 "引号" 和 <b>标签</b>')
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and 'onload="alert(1)' not in html
    tags = meta(html)
    assert tags["og:title"] == title
    assert tags["og:description"] == '摘要里有 "引号" 和 <b>标签</b>'


def test_print_layout_hides_the_chrome_and_shows_link_addresses(client):
    css = client.get("/static/css/site.css")
    text = b"".join(css.streaming_content).decode() if css.streaming else css.content.decode()
    block = text[text.index("@media print") :]
    for hidden in (".site-header", ".site-footer", ".comments", ".report-bar", "button", "form", "nav"):
        assert hidden in block.split("{")[0] or hidden in block[: block.index("display: none")], hidden
    assert 'content: " (" attr(href) ")"' in block

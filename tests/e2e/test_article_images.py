"""Pictures in an article, in a real browser on a phone-sized page (issue 13): the author
pastes a PNG into the Markdown editor, it shows in the preview, the author submits, an
editor publishes, and the public page shows the picture with its srcset.

The live server does not serve MEDIA_ROOT (in production the web server in front does,
see the README); the browser context below answers /media/ from the test's MEDIA_ROOT the
way that web server would.
"""

import base64
import io
import mimetypes
import re
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image
from playwright.sync_api import Browser, Page, Route, expect

from accounts import roles
from articles import services
from articles.models import Article, ArticleStatus
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}
TITLE = "一张图看懂漏斗转化"
BODY = "下面这张图是我们上个季度的转化漏斗，每一层的流失都标在旁边。\n\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def serve_media(route: Route) -> None:
    path = route.request.url.split("/media/", 1)[1].split("?", 1)[0]
    file = Path(settings.MEDIA_ROOT) / path
    if not file.is_file():
        route.fulfill(status=404, body="")
        return
    route.fulfill(status=200, body=file.read_bytes(), content_type=mimetypes.guess_type(file.name)[0] or "")


def phone_page(browser: Browser, base_url: str, user) -> Page:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.route("**/media/**", serve_media)
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")
    return page


def funnel_png() -> str:
    """A 1800×900 PNG (wider than the widest rendition), base64 for the page."""
    image = Image.new("RGB", (1800, 900), (250, 250, 245))
    for step, width in enumerate((1600, 1200, 800, 400)):
        image.paste(
            (40, 90 + step * 40, 200), ((1800 - width) // 2, 100 + step * 180, (1800 + width) // 2, 240 + step * 180)
        )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


PASTE_SCRIPT = """([field, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "漏斗.png", { type: "image/png" }));
  const event = new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true });
  field.focus();
  field.setSelectionRange(field.value.length, field.value.length);
  return field.dispatchEvent(event);
}"""


DROP_SCRIPT = """([field, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "拖入的图.png", { type: "image/png" }));
  field.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  return field.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
}"""


def library_count(user) -> int:
    from articles.images.models import Image as LibraryImage

    return LibraryImage.objects.filter(owner=user).count()


def test_a_pasted_picture_shows_in_the_preview_and_on_the_published_page(live_server, browser):
    author = UserFactory(username="e2e-img-author", pen_name="林小满", roles=[roles.READER, roles.AUTHOR])
    editor = UserFactory(username="e2e-img-editor", pen_name="周编辑", roles=[roles.READER, roles.EDITOR])
    page = phone_page(browser, live_server.url, author)
    page.goto(f"{live_server.url}/submit/")

    # The title's counter says how much is left before the server would refuse.
    page.get_by_label("标题").fill(TITLE)
    expect(page.locator("#field-title .counter")).to_have_text(f"还可输入 {120 - len(TITLE)} 字")
    page.get_by_label("摘要").fill("转化漏斗每一层的流失和原因。")
    body = page.get_by_label("正文（Markdown）")
    body.fill(BODY)

    # when the author pastes a picture into the editor
    not_cancelled = page.evaluate(PASTE_SCRIPT, [body.element_handle(), funnel_png()])
    assert not_cancelled is False  # the page took the paste over (preventDefault)

    # then a Markdown reference is put where the cursor was, and the preview shows the picture
    expect(page.locator("[data-image-status]")).to_contain_text("图片已上传")
    # with the alt text prompt selected, so the author types the description over it
    expect(body).to_have_value(re.compile(r"!\[图片说明\]\(/media/images/"))
    selected = page.evaluate("(el) => el.value.slice(el.selectionStart, el.selectionEnd)", body.element_handle())
    assert selected == "图片说明"
    page.keyboard.type("漏斗")
    expect(body).to_have_value(re.compile(r"!\[漏斗\]\(/media/images/"))
    value = body.input_value()
    assert value.startswith(BODY) and "![漏斗](/media/images/" in value
    preview_image = page.locator("#preview .prose img").first
    expect(preview_image).to_have_attribute("srcset", re.compile(r"/480\.webp 480w"))
    expect(preview_image).to_be_visible()
    assert preview_image.evaluate("img => img.complete && img.naturalWidth > 0")

    # Dropping a file on the editor uploads it the same way (the picture goes where the cursor is).
    body.evaluate("el => el.setSelectionRange(el.value.length, el.value.length)")
    page.evaluate(DROP_SCRIPT, [body.element_handle(), funnel_png()])
    expect(body).to_have_value(re.compile(r"!\[图片说明\]\(/media/images/"))
    page.keyboard.type("拖入的图")
    expect(body).to_have_value(re.compile(r"!\[拖入的图\]\(/media/images/"))
    assert library_count(author) == 2

    # The sticky action bar is one row on a 375-px screen, and nothing scrolls sideways.
    bar = page.locator(".sticky-actions")
    middles = bar.locator("> *:visible").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return r.top + r.height / 2; })"
    )
    heights = bar.locator(".button").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
    assert len(middles) == 3 and max(middles) - min(middles) <= 4
    assert bar.bounding_box()["height"] < 2 * max(heights)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0

    page.get_by_label("标签").fill("增长、数据")
    page.get_by_label("来源", exact=True).fill("增长实验室")
    page.get_by_role("button", name="投稿").click()
    expect(page.locator(".message.success")).to_contain_text("投稿成功")

    # an editor publishes it (the editors' own screens are tested in test_editorial_workflow)
    article = Article.objects.get(title=TITLE)
    article = services.article_claim(actor=editor, article=article)
    article = services.article_approve(actor=editor, article=article)
    article = services.article_publish(actor=editor, article=article)
    assert article.status == ArticleStatus.PUBLISHED

    # and a reader on a phone sees the picture, in the size the phone asks for
    reader_context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    reader_context.route("**/media/**", serve_media)
    reader = reader_context.new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    picture = reader.locator("article .prose img").first
    expect(picture).to_have_attribute("alt", "漏斗")
    srcset = picture.get_attribute("srcset")
    assert [candidate.rsplit(" ", 1)[1] for candidate in srcset.split(", ")] == ["480w", "960w", "1600w"]
    assert picture.get_attribute("loading") == "lazy" and picture.get_attribute("width") == "1800"
    picture.scroll_into_view_if_needed()
    reader.wait_for_function(
        "() => { const i = document.querySelector('article .prose img'); return i.complete && i.naturalWidth > 0; }"
    )
    # a 375-px phone (device scale 1) takes a rendition, not the 1800-px original
    assert "/original." not in picture.evaluate("img => img.currentSrc")

"""The image library (articles.images): what an upload must be, what is kept of it, the
sizes made, who may upload, where images are used, delete, evidence — and how the
article HTML shows them."""

import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import ExifTags
from PIL import Image as PILImage

from accounts import roles
from accounts.ratelimit import RateLimited
from articles import services
from articles.images import services as images
from articles.images.models import Image, ImageEvidence, ImageUse
from articles.rendering import markdown_to_html
from cms.errors import StateConflict
from tests.articles.conftest import content, make_draft, make_published
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def picture(width=2000, height=1000, fmt="PNG", color=(30, 120, 200), **save) -> bytes:
    buffer = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    PILImage.new(mode, (width, height), color).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def camera_jpeg() -> bytes:
    """A 400×200 photo as a phone stores it: EXIF with the camera, GPS position and
    orientation 6 (turn 90° clockwise to show it upright)."""
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Yumao Phone"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}
    buffer = io.BytesIO()
    image = PILImage.new("RGB", (400, 200), (255, 0, 0))
    image.paste((0, 0, 255), (0, 0, 200, 200))  # left half blue: after turning, the top half
    image.save(buffer, "JPEG", exif=exif, quality=95)
    return buffer.getvalue()


def upload(actor, data, name="photo.png"):
    return images.image_upload(actor=actor, upload=SimpleUploadedFile(name, data), name=name)


def stored(image: Image) -> PILImage.Image:
    with default_storage.open(image.file.name, "rb") as handle:
        opened = PILImage.open(io.BytesIO(handle.read()))
        opened.load()
        return opened


# --- what an upload must be ------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (b"%PDF-1.4\n%binary", "not_image", "不是有效的图片"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "svg", "SVG"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', "svg", "SVG"),
        (picture(fmt="BMP"), "wrong_type", "BMP"),
        (picture(fmt="TIFF"), "wrong_type", "TIFF"),
        (picture(fmt="PNG")[:200], "corrupt", "已损坏"),
        (b"", "empty", "空的"),
    ],
    ids=["pdf", "svg-with-xml-header", "bare-svg", "bmp", "tiff", "truncated-png", "empty"],
)
def test_a_file_that_is_not_an_accepted_image_is_refused_with_a_reason(author, data, code, words):
    with pytest.raises(ValidationError) as refused:
        upload(author, data, name="picture.png")
    assert refused.value.code == code and words in refused.value.messages[0]
    assert not Image.objects.exists()


def test_a_file_over_the_size_setting_is_refused_before_it_is_decoded(author, settings):
    settings.IMAGE_MAX_BYTES = 50_000
    data = picture(1200, 1200, fmt="BMP")  # 4 MB of pixels: over the limit whatever it is
    with pytest.raises(ValidationError) as refused:
        upload(author, data, name="big.bmp")
    assert refused.value.code == "too_big" and "请压缩到 48.8\xa0KB 以内" in refused.value.messages[0]


def test_a_decompression_bomb_is_refused_from_its_header(author, settings):
    # given a PNG whose header says 6000×6000 (36 million pixels) in a few kilobytes, over
    # a limit of 10 million (the same check as 400 million over the default 40 million)
    settings.IMAGE_MAX_PIXELS = 10_000_000
    buffer = io.BytesIO()
    PILImage.new("1", (6000, 6000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 50_000
    with pytest.raises(ValidationError) as refused:
        upload(author, buffer.getvalue(), name="bomb.png")
    assert refused.value.code == "too_many_pixels" and "万像素" in refused.value.messages[0]


def test_a_gif_keeps_its_first_frame_as_a_still_image(author):
    frames = [PILImage.new("RGB", (300, 200), color) for color in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    image = upload(author, buffer.getvalue(), name="anim.gif")
    kept = stored(image)
    assert image.format == "png" and getattr(kept, "n_frames", 1) == 1
    assert kept.convert("RGB").getpixel((10, 10)) == (255, 0, 0)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_each_accepted_type_is_kept_in_its_own_format(author, fmt):
    image = upload(author, picture(640, 480, fmt=fmt), name="x.bin")  # the name claims nothing
    assert image.format == fmt.lower() and stored(image).format == fmt


# --- what is kept of it ----------------------------------------------------------------


def test_exif_and_gps_are_stripped_after_the_orientation_is_applied(author):
    # given a phone photo with GPS and orientation 6
    original = PILImage.open(io.BytesIO(camera_jpeg()))
    assert original.getexif().get(ExifTags.Base.Orientation) == 6
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    # when it is uploaded
    image = upload(author, camera_jpeg(), name="IMG_0001.JPG")
    kept = stored(image)
    # then it is upright (400×200 turned to 200×400, the blue half on top) and bare
    assert (image.width, image.height) == (200, 400) == kept.size
    red, _green, blue = kept.convert("RGB").getpixel((100, 50))
    assert blue > 200 and red < 60
    assert len(kept.getexif()) == 0 and not kept.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" not in kept.info and "xmp" not in kept.info and "icc_profile" not in kept.info
    with default_storage.open(image.file.name, "rb") as handle:
        raw = handle.read()
    assert b"Exif" not in raw and b"Yumao Phone" not in raw


def test_renditions_are_made_for_phone_and_desktop_and_never_upscaled(author, settings):
    settings.IMAGE_RENDITION_WIDTHS = (480, 960, 1600)
    wide = images.image_ensure_renditions(image=upload(author, picture(2400, 1200)))
    assert [(r["width"], r["height"]) for r in wide.renditions] == [(480, 240), (960, 480), (1600, 800)]
    for rendition in wide.renditions:
        with default_storage.open(rendition["name"], "rb") as handle:
            made = PILImage.open(io.BytesIO(handle.read()))
        assert made.format == "WEBP" and made.width == rendition["width"]
    narrow = images.image_ensure_renditions(image=upload(author, picture(700, 350)))
    assert [r["width"] for r in narrow.renditions] == [480, 700]


def test_the_renditions_task_runs_after_commit_and_twice_does_no_harm(author, django_capture_on_commit_callbacks):
    from articles.images.tasks import image_renditions_make

    with django_capture_on_commit_callbacks(execute=True):
        image = upload(author, picture(1000, 500))
    image.refresh_from_db()
    assert [r["width"] for r in image.renditions] == [480, 960, 1000]
    assert image_renditions_make(image.pk) == 3
    image.refresh_from_db()
    assert len(image.renditions) == 3


# --- who may upload --------------------------------------------------------------------


def test_uploading_is_for_authors_and_editors_role_by_role(author, editor, moderator, reader, seeded):
    from django.contrib.auth.models import AnonymousUser

    from moderation.models import Rule
    from moderation.services import penalty_apply

    assert upload(author, picture(600, 300)).owner == author
    assert upload(editor, picture(600, 300)).owner == editor
    for refused in (reader, moderator, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            upload(refused, picture(600, 300))
    muted = UserFactory(username="muted-author", roles=[roles.READER, roles.AUTHOR])
    rule = Rule.objects.get(convention__is_current=True, code="2.6")
    penalty_apply(actor=moderator, user=muted, step=2, rule=rule, reason="辱骂他人", notify=False)
    with pytest.raises(PermissionDenied) as refused:
        upload(muted, picture(600, 300))
    assert "禁言" in str(refused.value)


def test_uploads_are_rate_limited_per_person(author, other_author, settings):
    settings.IMAGE_UPLOADS_PER_HOUR = 2
    upload(author, picture(500, 300))
    upload(author, picture(500, 300))
    with pytest.raises(RateLimited) as limited:
        upload(author, picture(500, 300))
    assert "每小时最多 2 张" in str(limited.value) and limited.value.retry_after
    assert upload(other_author, picture(500, 300)).owner == other_author


def test_a_cover_must_be_from_ones_own_library_unless_editor(author, other_author, editor):
    theirs = upload(other_author, picture(800, 450))
    with pytest.raises(PermissionDenied):
        images.image_for_article(actor=author, image_id=theirs.pk)
    assert images.image_for_article(actor=editor, image_id=theirs.pk) == theirs
    with pytest.raises(ValidationError):
        images.image_for_article(actor=author, image_id=999999)


# --- where used, delete, evidence ------------------------------------------------------


def test_saving_an_article_records_where_its_images_are_used(author):
    body_image = upload(author, picture(800, 400))
    cover = upload(author, picture(800, 450))
    article = make_draft(author, body=f"开头。\n\n![图一]({body_image.url})\n\n结尾。", cover_image=cover)
    assert set(ImageUse.objects.filter(article=article).values_list("image_id", "role")) == {
        (body_image.pk, "body"),
        (cover.pk, "cover"),
    }
    services.article_save_draft(actor=author, article=article, content=content(body="图删掉了。", clear_cover=True))
    assert not ImageUse.objects.filter(article=article).exists()


def test_an_image_in_use_cannot_be_deleted_and_the_message_names_the_article(author):
    image = upload(author, picture(800, 400))
    make_draft(author, title="私域流量的冷启动", body=f"![图]({image.url})")
    with pytest.raises(StateConflict) as refused:
        images.image_delete(actor=author, image=image)
    assert "《私域流量的冷启动》" in str(refused.value) and "不能删除" in str(refused.value)
    assert Image.objects.filter(pk=image.pk).exists()


def test_an_unused_image_is_deleted_with_its_files_by_its_owner_only(
    author, other_author, django_capture_on_commit_callbacks
):
    image = images.image_ensure_renditions(image=upload(author, picture(1200, 600)))
    names = [image.file.name, *(r["name"] for r in image.renditions)]
    with pytest.raises(PermissionDenied):
        images.image_delete(actor=other_author, image=image)
    with django_capture_on_commit_callbacks(execute=True):
        assert images.image_delete(actor=author, image=image) is True
    assert not Image.objects.filter(pk=image.pk).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_a_moderation_case_keeps_the_images_as_evidence(author, editor, moderator, seeded):
    from moderation.services.cases import case_decide, case_open_for

    # given a published article with a picture, taken down by a moderator after a case
    image = images.image_ensure_renditions(image=upload(author, picture(1200, 600)))
    article = make_published(
        author, editor, body=f"正文里有一张图。\n\n![证据图]({image.url})\n\n这里是更多的正文内容。"
    )
    with transaction.atomic():
        case = case_open_for(obj=article)
    assert ImageEvidence.objects.filter(image=image, case_id=case.pk).exists()
    assert image.url in case.evidence["text"]
    case_decide(actor=moderator, case=case, action="remove", reason="正文含有违规内容。", rule_code="2.6")
    article.refresh_from_db()
    assert article.status == "unpublished"
    # when the article's text no longer shows it and the author deletes it from the library
    ImageUse.objects.filter(article=article).delete()
    assert images.image_delete(actor=author, image=image) is False
    # then it leaves the library but its files stay for the case
    image.refresh_from_db()
    assert image.deleted_at is not None and not Image.objects.live().filter(pk=image.pk).exists()
    assert default_storage.exists(image.file.name)
    assert all(default_storage.exists(r["name"]) for r in image.renditions)


# --- rendering -------------------------------------------------------------------------


def test_own_images_get_srcset_sizes_dimensions_and_lazy_loading(author):
    image = upload(author, picture(2000, 1000))
    html = markdown_to_html(f"![增长曲线]({image.url})")
    tag = re.search(r"<img [^>]+>", html).group(0)
    assert 'alt="增长曲线"' in tag and 'width="2000"' in tag and 'height="1000"' in tag
    assert 'loading="lazy"' in tag and 'sizes="(max-width: 44rem) 100vw, 44rem"' in tag
    srcset = re.search(r'srcset="([^"]+)"', tag).group(1)
    assert [c.rsplit(" ", 1)[1] for c in srcset.split(", ")] == ["480w", "960w", "1600w"]
    assert all(c.startswith(f"/media/images/{image.key[:2]}/{image.key}/") for c in srcset.split(", "))
    # the renditions were made at once (no worker needed for the preview) and exist
    image.refresh_from_db()
    assert all(Path(default_storage.path(r["name"])).exists() for r in image.renditions)


def test_foreign_images_stay_as_they_were_written():
    html = markdown_to_html('![外链](https://example.com/a.png "标题")')
    assert html == '<p><img src="https://example.com/a.png" alt="外链" title="标题"></p>\n'


def test_the_sanitiser_keeps_only_the_shapes_the_renderer_writes():
    from articles.rendering import sanitize

    own = "/media/images/ab/" + "c" * 32 + "/480.webp 480w"
    kept = sanitize(f'<img src="/x.png" srcset="{own}" loading="lazy" width="10" height="5" onerror="alert(1)">')
    assert f'srcset="{own}"' in kept and 'loading="lazy"' in kept and "onerror" not in kept
    stripped = sanitize(
        '<img src="/x.png" srcset="https://evil.example/x.webp 480w" sizes="100vw" width="1e9" loading="x">'
    )
    assert stripped == '<img src="/x.png">'


# --- demo data -------------------------------------------------------------------------


def test_demo_pictures_give_every_article_a_cover_and_one_a_body_picture_once(author):
    from articles.images.demo import demo_images_ensure
    from tests.factories import ArticleFactory

    articles = [ArticleFactory(author=author, title=f"演示文章 {n}") for n in range(3)]
    assert demo_images_ensure(author=author, articles=articles) == 4
    assert demo_images_ensure(author=author, articles=[a.__class__.objects.get(pk=a.pk) for a in articles]) == 0
    covers = [a.__class__.objects.get(pk=a.pk).cover_image for a in articles]
    assert all(c is not None and (c.width, c.height) == (1600, 900) for c in covers)
    bodies = [a.__class__.objects.get(pk=a.pk).body for a in articles]
    assert sum("/media/images/" in body for body in bodies) == 1 and Image.objects.count() == 4
    assert ImageUse.objects.filter(role="body").count() == 1 and ImageUse.objects.filter(role="cover").count() == 3


def test_renditions_on_a_cdn_address_keep_their_srcset(author, settings):
    settings.MEDIA_URL = "https://cdn.yumao.example/media/"
    image = upload(author, picture(1000, 500))
    tag = re.search(r"<img [^>]+>", markdown_to_html(f"![图]({image.url})")).group(0)
    assert image.url.startswith("https://cdn.yumao.example/media/images/")
    assert 'srcset="https://cdn.yumao.example/media/images/' in tag and "960w" in tag

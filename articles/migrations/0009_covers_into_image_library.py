"""Every existing cover (Article.cover, a file under articles/covers/) becomes an image of
the library, owned by the article's account, with its metadata stripped like any upload,
and Article.cover_image points at it.

The old files and the old column are left in place: a rollback of the code still finds
them, nothing readers saw disappears, and an operator removes articles/covers/ by hand
once the release has settled. A cover that cannot be read (a missing file, not an image)
is reported and skipped, never a reason for the migration to fail. The renditions are
made by the first page that needs them (articles.images.services.image_ensure_renditions)
or by `image_renditions_make` — the migration stays quick on a large site.
"""

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations


def covers_into_library(apps, schema_editor):
    from articles.images import processing

    Article = apps.get_model("articles", "Article")
    Image = apps.get_model("articles", "Image")
    ImageUse = apps.get_model("articles", "ImageUse")
    skipped = []
    pending = (
        Article.objects.exclude(cover="").filter(cover_image__isnull=True).only("id", "cover", "author_id", "title")
    )
    for article in pending.iterator(chunk_size=200):
        name = article.cover.name
        try:
            with default_storage.open(name, "rb") as handle:
                data = handle.read(settings.IMAGE_MAX_BYTES + 1)
            processed = processing.process_upload(
                data, max_bytes=settings.IMAGE_MAX_BYTES, max_pixels=settings.IMAGE_MAX_PIXELS
            )
        except (OSError, processing.ImageRejected) as error:
            skipped.append(f"{article.pk}: {name} ({error})")
            continue
        key = uuid.uuid4().hex
        stored = default_storage.save(
            f"images/{key[:2]}/{key}/original.{processed.extension}", ContentFile(processed.data)
        )
        image = Image.objects.create(
            key=key,
            owner_id=article.author_id,
            file=stored,
            format=processed.format,
            width=processed.width,
            height=processed.height,
            size_bytes=len(processed.data),
            original_name=name.rsplit("/", 1)[-1][:200],
            alt=(article.title or "")[:200],
        )
        Article.objects.filter(pk=article.pk).update(cover_image=image)
        ImageUse.objects.get_or_create(image=image, article_id=article.pk, role="cover")
    if skipped:
        print(f"\n  封面迁移：{len(skipped)} 个旧封面无法读取，已跳过（文件仍在原处）：")
        for line in skipped:
            print(f"    {line}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_image_library"),
    ]

    operations = [
        migrations.RunPython(covers_into_library, migrations.RunPython.noop, elidable=True),
    ]

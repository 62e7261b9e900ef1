"""Tags whose slug was the old digest form ("t-6614a614", "ai-3f1c9a0b") get a readable one —
the name itself, slugified with Chinese kept ("增长黑客", "ai-产品") — and their old
address answers a 301 to the new one (AddressRedirect). Slugs somebody set by hand, and
Latin names (already readable), stay as they are."""

import hashlib
import re
import unicodedata

from django.db import migrations
from django.utils.text import slugify


def _normalize(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name or "").split())


def _old_slug(name: str) -> str:
    # The slug the previous articles.services.tag_slug_for gave this name.
    name = _normalize(name)
    latin = slugify(name)[:40].strip("-")
    if name.isascii() and latin:
        return latin
    digest = hashlib.blake2s(name.encode("utf-8"), digest_size=4).hexdigest()
    return f"{latin}-{digest}" if latin else f"t-{digest}"


def _readable(name: str) -> str:
    return slugify(_normalize(name), allow_unicode=True)[:60].strip("-")


def forwards(apps, schema_editor):
    Tag = apps.get_model("articles", "Tag")
    AddressRedirect = apps.get_model("articles", "AddressRedirect")
    taken = set(Tag.objects.values_list("slug", flat=True))
    for tag in Tag.objects.order_by("pk"):
        old = _old_slug(tag.name)
        if not (tag.slug == old or re.fullmatch(re.escape(old) + r"-\d+", tag.slug)):
            continue
        base = _readable(tag.name)
        if not base or base == tag.slug:
            continue
        slug, counter = base, 2
        while slug in taken:
            slug = f"{base[:56]}-{counter}"
            counter += 1
        taken.discard(tag.slug)
        taken.add(slug)
        old_path, new_path = f"/tags/{tag.slug}/", f"/tags/{slug}/"
        tag.slug = slug
        tag.save(update_fields=["slug"])
        AddressRedirect.objects.filter(old_path=new_path).delete()
        AddressRedirect.objects.filter(new_path=old_path).update(new_path=new_path)
        AddressRedirect.objects.update_or_create(old_path=old_path, defaults={"new_path": new_path})


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_trash_readable_slugs_redirects")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""Readable addresses: editors set an article's slug (Chinese allowed), tags get readable
slugs, and every old public address keeps working as a 301 to the new one.

The redirects live in AddressRedirect and are read only by OldAddressRedirectMiddleware when a
request would otherwise end in a 404, so pages that exist never pay for them. A row
always points at the current address: writing A→B rewrites every X→A to X→B, and an
address that becomes live again stops redirecting.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponsePermanentRedirect
from django.urls import get_script_prefix, reverse
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _

from articles.models import AddressRedirect, Article, Tag

PERM_REVIEW = "articles.review_article"
ARTICLE_SLUG_MAX = 140
TAG_SLUG_MAX = 60
# Letters of any script (汉字 included), digits, "_" and "-": what the uslug converter matches.
SLUG_PATTERN = re.compile(r"^[-\w]+\Z")


class UnicodeSlugConverter:
    """<uslug:slug> in URL patterns: a slug in any script ("私域流量的三个误区", "ai-产品")."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def path_of(url: str) -> str:
    """The decoded path without the script prefix, as request.path_info gives it."""
    return "/" + unquote(url)[len(get_script_prefix()) :]


def slug_clean(value: str, *, max_length: int, field: str, reserve_numbers_for: int | None = None) -> str:
    """Normalise what an editor typed into a slug, or raise ValidationError on `field`.

    Full-width forms become half-width (NFKC), Latin letters lower case, spaces hyphens.
    """
    slug = unicodedata.normalize("NFKC", value or "").strip().lower()
    slug = re.sub(r"\s+", "-", slug).strip("-")
    if not slug:
        raise ValidationError({field: _("请填写网址标识。")})
    if len(slug) > max_length:
        raise ValidationError(
            {field: _("网址标识最多 %(max)s 个字，现在有 %(n)s 个字。") % {"max": max_length, "n": len(slug)}}
        )
    if not SLUG_PATTERN.match(slug):
        raise ValidationError(
            {field: _("网址标识只能用汉字、字母、数字、连字符（-）和下划线（_），不能有斜杠、问号或其他标点。")}
        )
    if reserve_numbers_for is not None and slug.isdigit() and slug != str(reserve_numbers_for):
        raise ValidationError({field: _("纯数字的网址留给文章编号使用，请加上汉字或字母。")})
    return slug


# A slug proposed from a title is kept short: a readable address, not the whole headline.
ARTICLE_SLUG_PROPOSED_MAX = 40


def article_slug_from_title(title: str, *, exclude_pk: int | None = None) -> str:
    """A readable slug proposed from an article's title ("私域流量的三个误区"), normalised as
    slug_clean does (NFKC, lower case), punctuation and spaces turned into single hyphens,
    cut to ARTICLE_SLUG_PROPOSED_MAX characters and made unique with "-2", "-3"…

    Returns "" when the title gives nothing usable (empty, only punctuation, or all digits,
    which stay reserved for article numbers): the caller keeps the number then.
    """
    slug = unicodedata.normalize("NFKC", title or "").lower()
    slug = re.sub(r"[^\w]+", "-", slug).strip("-_")
    slug = slug[:ARTICLE_SLUG_PROPOSED_MAX].strip("-_")
    if not slug or slug.replace("-", "").replace("_", "").isdigit():
        return ""
    taken = Article.objects.all()
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    base, counter = slug, 2
    while taken.filter(slug=slug).exists() or AddressRedirect.objects.filter(old_path=_article_path(slug)).exists():
        suffix = f"-{counter}"
        slug = base[: ARTICLE_SLUG_PROPOSED_MAX - len(suffix)].rstrip("-_") + suffix
        counter += 1
    return slug


def _article_path(slug: str) -> str:
    return path_of(reverse("articles:detail", kwargs={"slug": slug}))


def redirect_record(*, old_path: str, new_path: str) -> None:
    """Make `old_path` answer a 301 to `new_path`, collapsing chains (call in a transaction)."""
    if old_path == new_path:
        return
    # The new address is live again: it must stop redirecting (else it would loop).
    AddressRedirect.objects.filter(old_path=new_path).delete()
    # Everything that led to the old address now leads straight to the new one.
    AddressRedirect.objects.filter(new_path=old_path).update(new_path=new_path)
    AddressRedirect.objects.update_or_create(old_path=old_path, defaults={"new_path": new_path})


def redirect_target(path: str) -> str | None:
    return AddressRedirect.objects.filter(old_path=path).values_list("new_path", flat=True).first()


class OldAddressRedirectMiddleware:
    """Answer a 404 for an old address with a 301 to where it lives now (query kept)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        target = redirect_target(request.path_info)
        if target is None:
            return response
        url = iri_to_uri(get_script_prefix().rstrip("/") + target)
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def _require_editor(actor: AbstractBaseUser | None, message: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm(PERM_REVIEW):
        raise PermissionDenied(message)


def _audit(*, actor, action: str, target, **data) -> None:
    from moderation.services import audit_record

    audit_record(actor=actor, action=action, target=target, data=data)


@transaction.atomic
def article_set_slug(*, actor: AbstractBaseUser, article: Article, slug: str) -> Article:
    """An editor gives the article a readable address. Once the article has been public,
    its old address redirects to the new one; the cached pages under both are purged."""
    from articles.cache import forget_article_page_on_commit, purge_article_on_commit

    _require_editor(actor, _("只有编辑可以修改文章的网址。"))
    article = Article.objects.select_for_update(of=("self",)).get(pk=article.pk)
    slug = slug_clean(slug, max_length=ARTICLE_SLUG_MAX, field="slug", reserve_numbers_for=article.pk)
    if slug == article.slug:
        return article
    other = Article.objects.filter(slug=slug).exclude(pk=article.pk).only("title").first()
    if other is not None:
        raise ValidationError(
            {"slug": _("网址“%(slug)s”已被文章《%(title)s》使用，请换一个。") % {"slug": slug, "title": other.title}}
        )
    old_slug = article.slug
    old_path = path_of(article.get_absolute_url())
    article.slug = slug
    article.save(update_fields=["slug", "updated_at"])
    if article.published_at is not None:
        redirect_record(old_path=old_path, new_path=path_of(article.get_absolute_url()))
    _audit(actor=actor, action="article.set_slug", target=article, old=old_slug, new=slug)
    forget_article_page_on_commit(old_slug)
    purge_article_on_commit(article)
    return article


@transaction.atomic
def tag_set_slug(*, actor: AbstractBaseUser, tag: Tag, slug: str) -> Tag:
    """An editor changes a tag's address; the old one redirects, the lists are purged."""
    from articles.cache import purge_lists_on_commit

    _require_editor(actor, _("只有编辑可以修改标签的网址。"))
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    slug = slug_clean(slug, max_length=TAG_SLUG_MAX, field="slug")
    if slug == tag.slug:
        return tag
    other = Tag.objects.filter(slug=slug).exclude(pk=tag.pk).only("name").first()
    if other is not None:
        raise ValidationError(
            {"slug": _("网址“%(slug)s”已被标签“%(name)s”使用，请换一个。") % {"slug": slug, "name": other.name}}
        )
    old_slug = tag.slug
    old_path = path_of(reverse("articles:tag", kwargs={"slug": old_slug}))
    tag.slug = slug
    tag.save(update_fields=["slug"])
    redirect_record(old_path=old_path, new_path=path_of(reverse("articles:tag", kwargs={"slug": slug})))
    _audit(actor=actor, action="tag.set_slug", target=tag, old=old_slug, new=slug)
    purge_lists_on_commit()
    return tag

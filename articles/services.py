"""Writes for the articles app: drafts, the editorial workflow, editorial comments.

Every transition of PRODUCT §3 is one function here. Each one
1. checks that the actor may do it (PermissionDenied) — roles via has_perm, plus ownership
   for authors and the claim for the reviewing editor;
2. checks the article's current status against articles.workflow (StateConflict);
3. writes with update_fields, under a row lock where two people could race;
4. records an audit entry (moderation.services.audit_record);
5. defers what follows — the scan, the e-mail, the cache purge — until the commit.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services import require_not_muted
from articles.models import (
    Article,
    ArticleStatus,
    EditorialComment,
    Originality,
    ReprintPolicy,
    Revision,
    Tag,
)
from articles.workflow import Transition, check, status_label
from cms.errors import StateConflict
from cms.text import as_clause, join_sentences

PERM_SUBMIT = "articles.submit_article"
PERM_REVIEW = "articles.review_article"
PERM_UNPUBLISH = "articles.unpublish_article"

MAX_TAGS = 8
MAX_TAG_LENGTH = 20
MIN_BODY_CHARS_TO_SUBMIT = 20
MAX_BODY_CHARS = 100_000
MAX_NOTE_CHARS = 2000
# Commas (ASCII and full-width), the Chinese enumeration comma, semicolons and new lines.
TAG_SEPARATORS = re.compile(r"[,，、;；\n]+")


# ---------------------------------------------------------------------------
# Helpers


def _is_owner(actor: AbstractBaseUser | None, article: Article) -> bool:
    return actor is not None and actor.is_authenticated and article.author_id == actor.pk


def _require(actor: AbstractBaseUser | None, perm: str, message: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm(perm):
        raise PermissionDenied(message)


def _require_owner_author(actor: AbstractBaseUser | None, article: Article, *, action: str) -> None:
    _require(actor, PERM_SUBMIT, _("只有加入作者计划的作者才能在网页上投稿。"))
    if not _is_owner(actor, article):
        raise PermissionDenied(_("这不是你的文章，不能修改或投稿。"))
    require_not_muted(actor, action=action)


def _require_claimant(actor: AbstractBaseUser, article: Article) -> None:
    """Review decisions belong to the editor who claimed the article; others take it over first."""
    if article.claimed_by_id != actor.pk:
        holder = article.claimed_by.display_name if article.claimed_by_id else _("其他编辑")
        raise StateConflict(_("这篇文章正由 %(editor)s 审稿。如需由你处理，请先“接手审稿”。") % {"editor": holder})


def _require_not_held(article: Article, action: str) -> None:
    if article.held:
        raise StateConflict(
            _(
                "这篇文章被内容审核暂扣，不能%(action)s：%(reason)s。"
                "请先在审稿页处理扫描结果（放行并写明理由，或转交社区治理）。"
            )
            # The stored reason is a whole sentence; inside this one it loses its full stop.
            % {"action": action, "reason": as_clause(article.hold_reason or _("扫描发现疑似违规内容"))}
        )


def _lock(article: Article) -> Article:
    """Reload `article` under a row lock (call inside a transaction)."""
    # of=("self",): lock the article row only (PostgreSQL refuses FOR UPDATE on the nullable
    # side of the outer joins to author and editor).
    locked = Article.objects.select_for_update(of=("self",)).select_related("author", "claimed_by").get(pk=article.pk)
    if locked.trashed_at is not None:
        raise StateConflict(_("这篇文章在回收站里。请先从回收站恢复，再继续操作。"))
    return locked


def _audit(*, actor: AbstractBaseUser | None, action: str, article: Article, **data: Any) -> None:
    from moderation.services import audit_record

    audit_record(actor=actor, action=f"article.{action}", target=article, data=data)


def _after_commit_scan(article: Article) -> None:
    from moderation.services import scan_request

    scan_request(obj=article)


def _after_commit_purge(article: Article) -> None:
    from articles.cache import purge_article_on_commit

    purge_article_on_commit(article)


def _notify(article: Article, event: str, note: str = "") -> None:
    """E-mail about `event` once the transaction commits (articles.tasks.send_article_notice
    decides the recipient: the author, or the reviewing editor for a resubmission)."""
    from articles.tasks import send_article_notice
    from reliability.outbox import outbox_enqueue

    outbox_enqueue(send_article_notice, article.pk, event, note)


def _move(article: Article, transition: Transition, *, extra_fields: Iterable[str] = ()) -> str:
    """Set the status the table gives for `transition`; return the status it came from."""
    previous = article.status
    article.status = check(article.status, transition)
    article.save(update_fields=["status", "updated_at", *extra_fields])
    return previous


# ---------------------------------------------------------------------------
# Tags


def tag_normalize(name: str) -> str:
    """NFKC (full-width → half-width), trimmed, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name or "").split())


def tag_slug_for(name: str) -> str:
    """A readable slug for a tag name: the name itself, slugified with Chinese kept
    ("增长黑客" → "增长黑客", "AI 产品" → "ai-产品", "Growth Hacking" → "growth-hacking").
    A name with nothing a slug can hold (only punctuation) gets a short digest of itself.
    tags_ensure adds "-2", "-3"… when two names give the same slug.
    """
    name = tag_normalize(name)
    slug = slugify(name, allow_unicode=True)[:56].strip("-")
    if slug:
        return slug
    return "t-" + hashlib.blake2s(name.encode("utf-8"), digest_size=4).hexdigest()


def tags_parse(text: str | Iterable[str]) -> list[str]:
    """Split what an author typed ("增长、AI, 产品") into clean, distinct tag names.

    Raises ValidationError for too many or too long tags.
    """
    parts = TAG_SEPARATORS.split(text) if isinstance(text, str) else list(text)
    names: list[str] = []
    seen: set[str] = set()
    for part in parts:
        name = tag_normalize(str(part)).lstrip("#")
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise ValidationError(
                {
                    "tags": _("标签“%(tag)s…”太长了，每个标签最多 %(max)s 个字。")
                    % {"tag": name[:10], "max": MAX_TAG_LENGTH}
                }
            )
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    if len(names) > MAX_TAGS:
        raise ValidationError(
            {"tags": _("最多添加 %(max)s 个标签，现在有 %(n)s 个。") % {"max": MAX_TAGS, "n": len(names)}}
        )
    return names


def tags_ensure(*, names: Iterable[str]) -> list[Tag]:
    """The Tag rows for `names`, creating the missing ones (in the given order)."""
    result = []
    for name in names:
        name = tag_normalize(name)
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            slug = base = tag_slug_for(name)
            counter = 2
            while Tag.objects.filter(slug=slug).exists():
                slug = f"{base}-{counter}"
                counter += 1
            tag, _created = Tag.objects.get_or_create(name=name, defaults={"slug": slug})
        result.append(tag)
    return result


# ---------------------------------------------------------------------------
# Article content (drafts and edits)


@dataclass
class ArticleContent:
    """The fields an author or editor writes. None means "leave as it is"."""

    title: str | None = None
    summary: str | None = None
    body: str | None = None
    source: str | None = None
    source_handle: str | None = None
    byline: str | None = None
    tags: list[str] | None = None
    originality: str | None = None
    reprint_source_url: str | None = None
    reprint_permission: str | None = None
    reprint_policy: str | None = None
    cover: UploadedFile | None = None
    clear_cover: bool = False
    # A library image (articles.Image) the caller may use (articles.images.services.image_for_article).
    cover_image: Any = None

    @classmethod
    def from_dict(cls, data: dict) -> ArticleContent:
        names = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in names})


TEXT_LIMITS = {
    "title": (120, gettext_lazy("标题")),
    "summary": (300, gettext_lazy("摘要")),
    "source": (60, gettext_lazy("来源")),
    "source_handle": (100, gettext_lazy("来源账号")),
    "byline": (60, gettext_lazy("作者署名")),
    "reprint_permission": (1000, gettext_lazy("转载授权说明")),
    "body": (MAX_BODY_CHARS, gettext_lazy("正文")),
}
REVISED_FIELDS = ("title", "summary", "body")


def _clean_content(content: ArticleContent) -> ArticleContent:
    """Trim and check field sizes and choices; raise ValidationError naming every problem.

    Completeness (a title, a body, a reprint's source) is only required to submit, so an
    unfinished draft can always be saved.
    """
    errors: dict[str, str] = {}
    for name, (limit, label) in TEXT_LIMITS.items():
        value = getattr(content, name)
        if value is None:
            continue
        value = value.replace("\r\n", "\n")
        value = value.strip() if name != "body" else value.rstrip()
        setattr(content, name, value)
        if len(value) > limit:
            errors[name] = _("%(label)s最多 %(max)s 个字，现在有 %(n)s 个字。") % {
                "label": label,
                "max": limit,
                "n": len(value),
            }
    if content.originality is not None and content.originality not in Originality.values:
        errors["originality"] = _("请选择原创或转载。")
    if content.reprint_policy is not None and content.reprint_policy not in ReprintPolicy.values:
        errors["reprint_policy"] = _("请选择一种转载政策。")
    if content.reprint_source_url:
        content.reprint_source_url = content.reprint_source_url.strip()
        try:
            URLValidator(schemes=["http", "https"])(content.reprint_source_url)
        except ValidationError:
            errors["reprint_source_url"] = _("原文链接不是有效的网址，请以 http:// 或 https:// 开头。")
    if content.tags is not None:
        try:
            content.tags = tags_parse(content.tags)
        except ValidationError as exc:
            errors.update({key: value[0] for key, value in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return content


def article_check_complete(*, article: Article) -> None:
    """What an article needs before an editor sees it; ValidationError lists what is missing."""
    errors: dict[str, str] = {}
    if not article.title.strip():
        errors["title"] = _("请填写标题。")
    if len(article.body.strip()) < MIN_BODY_CHARS_TO_SUBMIT:
        errors["body"] = _("正文太短了，至少写 %(n)s 个字再投稿。") % {"n": MIN_BODY_CHARS_TO_SUBMIT}
    if not article.byline.strip():
        errors["byline"] = _("请填写作者署名（可以用笔名）。")
    if article.originality == Originality.REPRINT:
        if not article.reprint_source_url:
            errors["reprint_source_url"] = _("转载文章请填写原文链接。")
        if len(article.reprint_permission.strip()) < 4:
            errors["reprint_permission"] = _("转载文章请说明已获得原作者或原平台的转载授权（例如授权人和方式）。")
    if errors:
        raise ValidationError(errors)


def _apply_content(article: Article, content: ArticleContent) -> list[str]:
    """Copy the given fields onto `article`; return the names of the fields that changed."""
    changed: list[str] = []
    for name in (
        "title",
        "summary",
        "body",
        "source",
        "source_handle",
        "byline",
        "originality",
        "reprint_source_url",
        "reprint_permission",
        "reprint_policy",
    ):
        value = getattr(content, name)
        if value is not None and getattr(article, name) != value:
            setattr(article, name, value)
            changed.append(name)
    if content.originality == Originality.ORIGINAL and (article.reprint_source_url or article.reprint_permission):
        # An original article carries no reprint details (they would show on the page).
        article.reprint_source_url = ""
        article.reprint_permission = ""
        changed += [n for n in ("reprint_source_url", "reprint_permission") if n not in changed]
    # Covers live in the image library (articles.images); `cover` is the column before it.
    if content.cover_image is not None:
        if article.cover_image_id != content.cover_image.pk:
            article.cover_image = content.cover_image
            changed.append("cover_image")
    elif content.clear_cover and (article.cover_image_id or article.cover):
        article.cover_image = None
        article.cover = ""
        changed += ["cover_image", "cover"]
    return changed


def _set_tags(article: Article, names: list[str] | None) -> bool:
    if names is None:
        return False
    current = list(article.tags.order_by("name").values_list("name", flat=True))
    if sorted(current) == sorted(names):
        return False
    article.tags.set(tags_ensure(names=names))
    return True


def _record_revision(article: Article, actor: AbstractBaseUser | None) -> Revision | None:
    """Store the article's current text as a new revision, unless it equals the latest one.

    Call while holding the article's row lock, so two saves cannot take the same number.
    """
    from articles.images.services import image_uses_sync

    image_uses_sync(article=article)  # the image library's "where used" follows every save
    latest = article.revisions.order_by("-number").first()
    if latest is not None and all(getattr(latest, f) == getattr(article, f) for f in REVISED_FIELDS):
        return None
    number = (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    return Revision.objects.create(
        article=article,
        number=number,
        title=article.title,
        summary=article.summary,
        body=article.body,
        author=actor if actor is not None and actor.is_authenticated else None,
    )


def _new_slug() -> str:
    return f"draft-{uuid.uuid4().hex[:16]}"


@transaction.atomic
def article_create_draft(
    *,
    actor: AbstractBaseUser,
    content: ArticleContent,
    external_submitter_name: str = "",
    external_submitter_email: str = "",
) -> Article:
    """A new draft. Authors write their own; editors create one for an e-mail submitter
    (external name/e-mail given, no account attached).

    The slug is proposed from the title (Chinese kept, articles.addresses.
    article_slug_from_title); a title that gives nothing usable leaves the article's
    number ("/a/1024/"). Editing the title later never changes it: editors set it
    (article_set_slug).
    """
    external = bool(external_submitter_name or external_submitter_email)
    if external:
        _require(actor, PERM_REVIEW, _("只有编辑可以为邮件投稿人创建文章。"))
    else:
        _require(actor, PERM_SUBMIT, _("只有加入作者计划的作者才能在网页上写文章。"))
        # An editor's draft for an e-mail submitter is editorial work, not the editor's own
        # speech, so only the author's own draft is refused to a muted person.
        require_not_muted(actor, action=_("写文章"))
    content = _clean_content(content)
    article = Article(
        author=None if external else actor,
        external_submitter_name=external_submitter_name.strip()[:100],
        external_submitter_email=external_submitter_email.strip(),
        slug=_new_slug(),
        status=ArticleStatus.DRAFT,
    )
    _apply_content(article, content)
    if not article.byline and not external:
        article.byline = getattr(actor, "pen_name", "") or getattr(actor, "display_name", actor.get_username())
    article.save()
    from articles.addresses import article_slug_from_title

    slug = article_slug_from_title(article.title, exclude_pk=article.pk) or str(article.pk)
    if Article.objects.filter(slug=slug).exclude(pk=article.pk).exists():
        slug = f"{article.pk}-{uuid.uuid4().hex[:6]}"
    article.slug = slug
    article.save(update_fields=["slug"])
    _set_tags(article, content.tags)
    _record_revision(article, actor)
    _audit(actor=actor, action="create", article=article, external=external)
    return article


@transaction.atomic
def article_save_draft(*, actor: AbstractBaseUser, article: Article, content: ArticleContent) -> Revision | None:
    """The author saves their draft (by hand or by autosave). Returns the new revision, or
    None when the text did not change. Nothing is validated beyond sizes: an unfinished
    draft is still worth keeping."""
    _require_owner_author(actor, article, action=_("保存草稿"))
    content = _clean_content(content)
    article = _lock(article)
    check(article.status, Transition.SAVE_DRAFT)
    changed = _apply_content(article, content)
    if changed:
        article.save(update_fields=[*changed, "updated_at"])
    tags_changed = _set_tags(article, content.tags)
    if tags_changed and not changed:
        article.save(update_fields=["updated_at"])
    return _record_revision(article, actor)


@transaction.atomic
def article_edit(*, actor: AbstractBaseUser, article: Article, content: ArticleContent) -> Revision | None:
    """Change an article that is past the draft stage.

    Editors edit at any stage up to publication (and a published article, which goes live
    at once); an author may still correct their submission until an editor claims it.
    Every change is a new revision and is scanned again.
    """
    article = _lock(article)
    if _is_owner(actor, article):
        # One's own article is one's own speech, also for an editor; editing other people's
        # articles is an editor's job, which a mute does not take away (accounts.restrictions).
        require_not_muted(actor, action=_("修改文章"))
    if actor is not None and actor.is_authenticated and actor.has_perm(PERM_REVIEW):
        pass
    elif _is_owner(actor, article) and actor.has_perm(PERM_SUBMIT):
        if article.status != ArticleStatus.SUBMITTED:
            raise StateConflict(
                _(
                    "文章当前状态为「%(status)s」，作者只能在编辑认领之前修改已投稿的文章；"
                    "请在编辑留言里说明要改的地方。"
                )
                % {"status": status_label(article.status)}
            )
    else:
        raise PermissionDenied(_("只有编辑或文章的作者可以修改这篇文章。"))
    check(article.status, Transition.EDIT)
    content = _clean_content(content)
    changed = _apply_content(article, content)
    if changed:
        article.save(update_fields=[*changed, "updated_at"])
    tags_changed = _set_tags(article, content.tags)
    if not changed and not tags_changed:
        return None
    # Past the draft stage an article must stay complete (a failure rolls the save back).
    article_check_complete(article=article)
    revision = _record_revision(article, actor)
    _audit(
        actor=actor,
        action="edit",
        article=article,
        fields=sorted(changed + (["tags"] if tags_changed else [])),
        revision=revision.number if revision else None,
    )
    if revision is not None:
        _after_commit_scan(article)
    if article.status == ArticleStatus.PUBLISHED:
        from articles.search import search_index_article

        search_index_article(article)
        _after_commit_purge(article)
    return revision


# ---------------------------------------------------------------------------
# Transitions


@transaction.atomic
def article_submit(*, actor: AbstractBaseUser, article: Article, note: str = "") -> Article:
    """The author hands the article to the editors.

    From a draft it joins the queue of new submissions; from "changes requested" it goes
    straight back to the editor who asked for the changes (`note` answers them).

    A manuscript that came by e-mail has no account to submit it: an editor hands it on for
    the external submitter (articles.mail.services.submission_accept made the draft, and
    already wrote to them, so no "submitted" mail goes out).
    """
    external = not article.author_id and bool(article.external_submitter_email or article.external_submitter_name)
    if external:
        _require(actor, PERM_REVIEW, _("邮件投稿的文章由编辑代投稿人提交审稿。"))
    else:
        _require_owner_author(actor, article, action=_("投稿"))
    article = _lock(article)
    check(article.status, Transition.SUBMIT)
    article_check_complete(article=article)
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationError({"note": _("留言最多 %(max)s 字。") % {"max": MAX_NOTE_CHARS}})
    _record_revision(article, actor)
    now = timezone.now()
    if article.status == ArticleStatus.CHANGES_REQUESTED:
        _move(article, Transition.SUBMIT)
        if note:
            EditorialComment.objects.create(article=article, author=actor, body=note)
        _audit(actor=actor, action="resubmit", article=article, note=note)
        _notify(article, "resubmitted", note)
    else:
        article.submitted_at = now
        _move(article, Transition.SUBMIT, extra_fields=["submitted_at"])
        if note:
            EditorialComment.objects.create(article=article, author=actor, body=note)
        _audit(actor=actor, action="submit", article=article, external=external)
        if not external:
            _notify(article, "submitted")
    _after_commit_scan(article)
    return article


@transaction.atomic
def article_claim(*, actor: AbstractBaseUser, article: Article) -> Article:
    """An editor takes a new submission for review; others then see who is reviewing it."""
    _require(actor, PERM_REVIEW, _("只有编辑可以认领审稿。"))
    article = _lock(article)
    if article.claimed_by_id and article.status != ArticleStatus.SUBMITTED:
        if article.claimed_by_id == actor.pk:
            raise StateConflict(_("你已经认领了这篇文章。"))
        raise StateConflict(
            _("这篇文章已由 %(editor)s 认领审稿；如需由你处理，请“接手审稿”。")
            % {"editor": article.claimed_by.display_name}
        )
    article.claimed_by = actor
    article.claimed_at = timezone.now()
    _move(article, Transition.CLAIM, extra_fields=["claimed_by", "claimed_at"])
    _audit(actor=actor, action="claim", article=article)
    return article


@transaction.atomic
def article_take_over(*, actor: AbstractBaseUser, article: Article, reason: str = "") -> Article:
    """Another editor explicitly takes over the review (recorded with who had it before)."""
    _require(actor, PERM_REVIEW, _("只有编辑可以接手审稿。"))
    article = _lock(article)
    check(article.status, Transition.TAKE_OVER)
    if article.claimed_by_id == actor.pk:
        raise StateConflict(_("你已经是这篇文章的审稿编辑。"))
    previous = article.claimed_by
    article.claimed_by = actor
    article.claimed_at = timezone.now()
    article.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
    _audit(
        actor=actor,
        action="take_over",
        article=article,
        previous_editor=previous.get_username() if previous else None,
        reason=(reason or "").strip()[:500],
    )
    return article


def _clean_note(note: str, *, field: str, required_message: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({field: required_message})
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationError(
            {field: _("最多 %(max)s 字，现在有 %(n)s 字。") % {"max": MAX_NOTE_CHARS, "n": len(note)}}
        )
    return note


@transaction.atomic
def article_request_changes(*, actor: AbstractBaseUser, article: Article, note: str) -> EditorialComment:
    """The reviewing editor sends the article back to its author with what to change."""
    _require(actor, PERM_REVIEW, _("只有编辑可以要求修改。"))
    note = _clean_note(note, field="note", required_message=_("请写明需要作者修改的地方。"))
    article = _lock(article)
    check(article.status, Transition.REQUEST_CHANGES)
    _require_claimant(actor, article)
    _move(article, Transition.REQUEST_CHANGES)
    comment = EditorialComment.objects.create(article=article, author=actor, body=note, is_change_request=True)
    _audit(actor=actor, action="request_changes", article=article, comment=comment.pk)
    _notify(article, "changes_requested", note)  # the e-mail
    _notice_changes_requested(article=article, comment=comment, note=note)
    return comment


def _notice_changes_requested(*, article: Article, comment: EditorialComment, note: str) -> None:
    """The author's notice that an editor wants changes: what, why (the editor's note) and
    where to act. (The e-mail goes separately, through send_article_notice.)"""
    from accounts.services import notice_send

    if article.author_id is None:
        return
    if article.status == ArticleStatus.PUBLISHED:
        what = _("编辑对你已发布的文章《%(title)s》提出了修改意见，文章仍然在线") % {"title": article.title}
    else:
        what = _("编辑请你修改文章《%(title)s》后再提交") % {"title": article.title}
    notice_send(
        user=article.author,
        kind="changes_requested",
        text=join_sentences(
            [
                what,
                _("修改意见：%(note)s") % {"note": as_clause(note[:300])},
                _("请打开文章页查看完整意见，修改后保存或重新提交"),
            ]
        ),
        link=reverse("articles:submit_detail", kwargs={"pk": article.pk}),
        key=f"editorial:{comment.pk}:changes",
        email=False,
    )


@transaction.atomic
def article_approve(*, actor: AbstractBaseUser, article: Article) -> Article:
    """The reviewing editor accepts the article; it can then be scheduled or published."""
    _require(actor, PERM_REVIEW, _("只有编辑可以审核通过文章。"))
    article = _lock(article)
    check(article.status, Transition.APPROVE)
    _require_claimant(actor, article)
    # A `block` scan verdict holds the article (moderation → ArticleAdapter.hold) until a
    # person resolves the findings.
    _require_not_held(article, _("审核通过"))
    article_check_complete(article=article)
    _move(article, Transition.APPROVE)
    _audit(actor=actor, action="approve", article=article)
    _notify(article, "approved")
    return article


@transaction.atomic
def article_schedule(*, actor: AbstractBaseUser, article: Article, publish_at: datetime) -> Article:
    """Publish an approved article at `publish_at` (an aware datetime in the future; the
    forms read it in Asia/Shanghai). Scheduling again moves the time."""
    _require(actor, PERM_REVIEW, _("只有编辑可以安排定时发布。"))
    if timezone.is_naive(publish_at):
        publish_at = timezone.make_aware(publish_at)
    if publish_at <= timezone.now():
        raise ValidationError({"publish_at": _("定时发布的时间必须晚于现在。")})
    article = _lock(article)
    check(article.status, Transition.SCHEDULE)
    _require_not_held(article, _("定时发布"))
    previous = article.scheduled_at
    article.scheduled_at = publish_at
    _move(article, Transition.SCHEDULE, extra_fields=["scheduled_at"])
    _audit(
        actor=actor,
        action="schedule",
        article=article,
        publish_at=publish_at.isoformat(),
        previous=previous.isoformat() if previous else None,
    )
    _notify(article, "scheduled")
    return article


@transaction.atomic
def article_unschedule(*, actor: AbstractBaseUser, article: Article) -> Article:
    """Cancel a scheduled publication; the article goes back to "approved"."""
    _require(actor, PERM_REVIEW, _("只有编辑可以取消定时发布。"))
    article = _lock(article)
    check(article.status, Transition.UNSCHEDULE)
    article.scheduled_at = None
    _move(article, Transition.UNSCHEDULE, extra_fields=["scheduled_at"])
    _audit(actor=actor, action="unschedule", article=article)
    return article


def _publish_locked(article: Article, *, actor: AbstractBaseUser | None) -> Article:
    """Publish `article`, already locked and checked by the caller."""
    from articles.search import search_index_article

    scheduled = article.status == ArticleStatus.SCHEDULED
    article.published_at = timezone.now()
    _move(article, Transition.PUBLISH, extra_fields=["published_at"])
    search_index_article(article)
    _audit(actor=actor, action="publish", article=article, scheduled=scheduled)
    _notify(article, "published")
    _after_commit_purge(article)
    return article


@transaction.atomic
def article_publish(*, actor: AbstractBaseUser, article: Article) -> Article:
    """Publish an approved (or scheduled) article now."""
    _require(actor, PERM_REVIEW, _("只有编辑可以发布文章。"))
    article = _lock(article)
    check(article.status, Transition.PUBLISH)
    _require_not_held(article, _("发布"))
    return _publish_locked(article, actor=actor)


# Rows per transaction in article_publish_due: small enough that the row locks are held
# for well under a second; the loop keeps going until nothing is due or the cap is hit.
PUBLISH_DUE_BATCH = 20
PUBLISH_DUE_MAX_BATCHES = 50


def article_publish_due(*, now: datetime | None = None) -> list[int]:
    """Publish every scheduled article whose time has come (the beat task, every minute).

    Rows are picked by status and locked with SKIP LOCKED, one small batch per
    transaction: a second run, or a second worker running at the same moment, finds the
    rows already published (or locked by the first) and publishes nothing twice. Held
    articles wait. Returns the ids published.
    """
    now = now or timezone.now()
    published: list[int] = []
    for _batch in range(PUBLISH_DUE_MAX_BATCHES):
        with transaction.atomic():
            batch = list(
                Article.objects.select_for_update(skip_locked=True)
                .filter(status=ArticleStatus.SCHEDULED, scheduled_at__lte=now, held=False)
                .order_by("scheduled_at", "pk")[:PUBLISH_DUE_BATCH]
            )
            for article in batch:
                _publish_locked(article, actor=None)
                published.append(article.pk)
        if len(batch) < PUBLISH_DUE_BATCH:
            break
    return published


@transaction.atomic
def article_unpublish(*, actor: AbstractBaseUser, article: Article, reason: str) -> Article:
    """Take a published article down (editors and moderators), with a reason the author reads."""
    _require(actor, PERM_UNPUBLISH, _("只有编辑或审核员可以下线文章。"))
    reason = _clean_note(reason, field="reason", required_message=_("请写明下线原因，作者会收到这条说明。"))
    article = _lock(article)
    check(article.status, Transition.UNPUBLISH)
    article.unpublished_at = timezone.now()
    article.unpublish_reason = reason
    _move(article, Transition.UNPUBLISH, extra_fields=["unpublished_at", "unpublish_reason"])
    _audit(actor=actor, action="unpublish", article=article, reason=reason)
    _notify(article, "unpublished", reason)
    _after_commit_purge(article)
    return article


@transaction.atomic
def article_archive(*, actor: AbstractBaseUser, article: Article, reason: str = "") -> Article:
    """Archive an unpublished article, or decline (退稿) one under review — then a reason
    for the author is required."""
    _require(actor, PERM_REVIEW, _("只有编辑可以归档文章。"))
    article = _lock(article)
    check(article.status, Transition.ARCHIVE)
    declining = article.status in (ArticleStatus.IN_REVIEW, ArticleStatus.CHANGES_REQUESTED)
    if declining:
        reason = _clean_note(reason, field="reason", required_message=_("退稿请写明原因，作者会收到这条说明。"))
    else:
        reason = (reason or "").strip()[:MAX_NOTE_CHARS]
    previous = _move(article, Transition.ARCHIVE)
    _audit(actor=actor, action="decline" if declining else "archive", article=article, reason=reason, was=previous)
    if declining:
        # The author reads why on the article's page too, not only in the e-mail.
        EditorialComment.objects.create(
            article=article, author=actor, body=_("退稿：%(reason)s") % {"reason": reason}, is_change_request=False
        )
        _notify(article, "declined", reason)
    return article


@transaction.atomic
def article_set_featured(*, actor: AbstractBaseUser, article: Article, featured: bool) -> Article:
    """Put an article on (or take it off) the home page's featured list."""
    _require(actor, PERM_REVIEW, _("只有编辑可以设置推荐。"))
    article = _lock(article)
    if article.featured == featured:
        return article
    article.featured = featured
    article.save(update_fields=["featured", "updated_at"])
    _audit(actor=actor, action="feature" if featured else "unfeature", article=article)
    _after_commit_purge(article)
    return article


# ---------------------------------------------------------------------------
# Editorial comments


def _require_participant(actor: AbstractBaseUser | None, article: Article) -> None:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    if not (actor.has_perm(PERM_REVIEW) or _is_owner(actor, article)):
        raise PermissionDenied(_("只有这篇文章的作者和编辑可以查看和参与编辑留言。"))


@transaction.atomic
def editorial_comment_add(
    *, actor: AbstractBaseUser, article: Article, body: str, parent: EditorialComment | None = None
) -> EditorialComment:
    """A note from an editor or the author. A reply joins its thread (replies to a reply
    go to the thread's first note, so threads stay one level deep)."""
    _require_participant(actor, article)
    body = _clean_note(body, field="body", required_message=_("留言内容不能为空。"))
    if parent is not None:
        if parent.article_id != article.pk:
            raise ValidationError({"parent": _("回复的留言不属于这篇文章。")})
        if parent.parent_id:
            parent = parent.parent
        if parent.resolved:
            raise StateConflict(_("这条讨论已经标记为解决，不能再回复；如有新问题请另起一条留言。"))
    if article.status == ArticleStatus.ARCHIVED:
        raise StateConflict(_("文章已归档，不能再留言。"))
    comment = EditorialComment.objects.create(article=article, author=actor, body=body, parent=parent)
    if article.status == ArticleStatus.PUBLISHED and not _is_owner(actor, article):
        # On a published article there is no 要求修改 step: an editor's note is the request,
        # and the author is told (the article stays online meanwhile).
        _notice_changes_requested(article=article, comment=comment, note=body)
    return comment


@transaction.atomic
def editorial_comment_resolve(*, actor: AbstractBaseUser, comment: EditorialComment) -> EditorialComment:
    """Mark a thread as resolved (by an editor or the article's author)."""
    comment = EditorialComment.objects.select_for_update().select_related("article").get(pk=comment.pk)
    _require_participant(actor, comment.article)
    if comment.parent_id:
        raise ValidationError({"comment": _("请在讨论的第一条留言上标记解决。")})
    if comment.resolved:
        raise StateConflict(_("这条讨论已经标记为解决。"))
    comment.resolved = True
    comment.resolved_by = actor
    comment.resolved_at = timezone.now()
    comment.save(update_fields=["resolved", "resolved_by", "resolved_at"])
    _audit(actor=actor, action="comment_resolve", article=comment.article, comment=comment.pk)
    return comment


# ---------------------------------------------------------------------------
# Demo data


@transaction.atomic
def article_seed_published(
    *,
    slug: str,
    title: str,
    summary: str,
    body: str,
    source: str,
    byline: str,
    author: AbstractBaseUser | None,
    featured: bool = False,
    tags: Iterable[str] = (),
) -> Article:
    """Create or refresh a published demo article (used by seed_demo only; idempotent by slug).
    `tags` are added when missing (tags an editor added since stay)."""
    article, _created = Article.objects.get_or_create(
        slug=slug,
        defaults={
            "title": title,
            "summary": summary,
            "body": body,
            "source": source,
            "byline": byline,
            "author": author,
            "featured": featured,
            "status": ArticleStatus.PUBLISHED,
            "published_at": timezone.now(),
        },
    )
    if tags:
        article.tags.add(*tags_ensure(names=tags_parse(list(tags))))
    return article


def article_seed_demo_submission(
    *, author: AbstractBaseUser, title: str, summary: str, body: str, source: str, tags: list[str], submit: bool
) -> Article:
    """A demo article in the workflow (seed_demo only): a draft, or a submission waiting for
    an editor. Goes through the real services; idempotent by author and title."""
    existing = Article.objects.filter(author=author, title=title).first()
    if existing is not None:
        return existing
    article = article_create_draft(
        actor=author, content=ArticleContent(title=title, summary=summary, body=body, source=source, tags=tags)
    )
    if submit:
        article = article_submit(actor=author, article=article)
    return article

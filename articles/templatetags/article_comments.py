"""{% comment_item comment %}: one reader comment as an <li>; {% comment_items comments %}: a list of them.

Written in Python rather than as an included template because an article page shows up to
50 comments and an {% include %} per comment was the largest cost of an uncached page.
Both the article page and the htmx answer to a new comment use this one function.
"""

from urllib.parse import quote

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from articles.models import Comment, CommentStatus

register = template.Library()


def _moderation_form(comment: Comment, *, action_url: str, csrf_token: str, error: str) -> str:
    """Hide / restore / remove, with a reason, for moderators (answered in place by htmx)."""
    pk = comment.pk
    hidden = comment.status == CommentStatus.HIDDEN
    buttons = (
        f'<button type="submit" class="button" name="action" value="restore">{escape(_("恢复显示"))}</button>'
        if hidden
        else f'<button type="submit" class="button" name="action" value="hide">{escape(_("隐藏"))}</button>'
    )
    ask = escape(_("确定删除这条评论吗？删除后所有人都看不到它。"))
    remove = escape(_("删除"))
    buttons += (
        f' <button type="submit" class="button" name="action" value="remove" hx-confirm="{ask}">{remove}</button>'
    )
    problem = f'<p class="errorlist" role="alert">{escape(error)}</p>' if error else ""
    confirm = escape(_("确认删除（只在按“删除”时需要）"))
    return (
        f'<details class="comment-actions"{" open" if error else ""}><summary>{escape(_("处理这条评论"))}</summary>'
        f'<form class="form" method="post" action="{escape(action_url)}" hx-post="{escape(action_url)}" '
        f'hx-target="#comment-{pk}" hx-swap="outerHTML">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">{problem}'
        f'<label for="comment-reason-{pk}">{escape(_("理由（隐藏和删除时必填，会记入操作记录）"))}</label>'
        f'<input id="comment-reason-{pk}" name="reason" maxlength="300">'
        f'<label class="choice"><input type="checkbox" name="confirm" value="1"> {confirm}</label>'
        f"<p>{buttons}</p></form></details>"
    )


def _report_link(comment: Comment, *, viewer_id: int | None, report_url: str) -> str:
    """举报: the report form for a signed-in reader (an htmx dialog, a plain page without
    JavaScript), sign-in first for a visitor; nothing on one's own comment. The same markup
    for every visitor, so the cached page stays shared."""
    if viewer_id is not None and comment.author_id == viewer_id:
        return ""
    url = f"{report_url}?target_type=comment&target_id={comment.pk}"
    label = escape(_("举报"))
    if viewer_id is None:
        href = escape(f"{settings.LOGIN_URL}?next={quote(url, safe='/')}")
        return f' · <a class="report-link" href="{href}" rel="nofollow">{label}</a>'
    url = escape(url)
    return (
        f' · <a class="report-link" href="{url}" hx-get="{url}" hx-target="#report-slot" '
        f'hx-swap="innerHTML" rel="nofollow">{label}</a>'
    )


def _reply_link(comment: Comment, *, viewer_id: int | None, article_url: str) -> str:
    """回复: the reply form under the thread (htmx), or the page's own form set to reply
    (without JavaScript); sign-in first for a visitor. Not on one's own comment."""
    if comment.status != CommentStatus.VISIBLE or (viewer_id is not None and comment.author_id == viewer_id):
        return ""
    label = escape(_("回复"))
    plain = f"{article_url}?reply={comment.pk}#comment-form"
    if viewer_id is None:
        href = escape(f"{settings.LOGIN_URL}?next={quote(plain, safe='/')}")
        return f' · <a class="reply-link" href="{href}" rel="nofollow">{label}</a>'
    thread = comment.parent_id or comment.pk
    form_url = escape(f"{article_url}comments/{comment.pk}/reply/")
    return (
        f' · <a class="reply-link" href="{escape(plain)}" hx-get="{form_url}" hx-target="#reply-slot-{thread}" '
        f'hx-swap="innerHTML" rel="nofollow">{label}</a>'
    )


def render_comment(
    comment: Comment,
    *,
    viewer_id: int | None,
    moderation: tuple[str, str] | None = None,
    error: str = "",
    report_url: str | None = None,
    replies: str = "",
    article_url: str | None = None,
) -> SafeString:
    """The comment as others see it; a hidden one only for its writer (with a note) and for
    moderators, for everyone else it is not there at all. `moderation` is (action URL, CSRF
    token) when the viewer moderates. A top-level comment carries the list of its replies
    (`replies`, already rendered) and the slot the reply form goes in.

    Every piece of text is escaped here; the markup around it is fixed.
    """
    hidden = comment.status == CommentStatus.HIDDEN
    if comment.status == CommentStatus.REMOVED:
        # Only a moderator who just removed it sees this (lists never include removed comments).
        return mark_safe(  # noqa: S308 — the only text is escaped
            f'<li class="comment comment-hidden" id="comment-{comment.pk}">'
            f'<p class="comment-placeholder">{escape(_("这条评论已删除。"))}</p></li>'
        )
    if hidden and comment.author_id != viewer_id and moderation is None:
        # Not counted for this reader either (CommentPage.for_viewer): it is simply not there.
        return mark_safe("")
    note = ""
    if hidden:
        reason = f"{escape(_('原因：'))}{escape(comment.hidden_reason)}" if comment.hidden_reason else ""
        if comment.author_id == viewer_id and comment.under_review:
            note = (
                f'<p class="comment-note comment-pending" role="status">'
                f"{escape(_('你的评论正在审核，通过后其他读者才能看到。'))} "
                f'<a href="/feedback/">{escape(_("有异议？去反馈"))}</a></p>'
            )
        elif comment.author_id == viewer_id:
            note = (
                f'<p class="comment-note">{escape(_("这条评论已被隐藏，其他读者看不到，只有你自己能看到。"))}{reason} '
                f'<a href="/feedback/">{escape(_("有异议？去反馈"))}</a></p>'
            )
        else:
            note = f'<p class="comment-note">{escape(_("已隐藏，读者看不到。"))}{reason}</p>'
    controls = ""
    if moderation is not None:
        controls = _moderation_form(comment, action_url=moderation[0], csrf_token=moderation[1], error=error)
    moment = localtime(comment.created_at)
    shown = date_format(moment, "DATETIME_FORMAT")
    body = escape(comment.body).replace("\r\n", "\n").replace("\n", "<br>")
    if article_url is None:
        article_url = comment.article.get_absolute_url()
    answering = ""
    if comment.parent_id and comment.reply_to_id:
        answering = (
            f'<span class="comment-reply-to">{escape(_("回复"))} {escape(comment.reply_to.display_name)}</span> · '
        )
    thread = ""
    if not comment.parent_id:
        thread = (
            f'<ol class="comment-replies" id="replies-{comment.pk}">{replies}</ol>'
            f'<div class="reply-slot" id="reply-slot-{comment.pk}"></div>'
        )
    classes = "comment" + (" comment-hidden" if hidden else "") + (" comment-reply" if comment.parent_id else "")
    return mark_safe(  # noqa: S308 — every piece of text is escaped above
        f'<li class="{classes}" id="comment-{comment.pk}">'
        f'<p class="meta"><strong class="comment-author">{escape(comment.author.display_name)}</strong> · '
        f"{answering}"
        f'<time datetime="{moment.isoformat()}">{shown}</time>'
        f"{_reply_link(comment, viewer_id=viewer_id, article_url=article_url)}"
        f"{_report_link(comment, viewer_id=viewer_id, report_url=report_url or reverse('moderation:report'))}</p>"
        f'<p class="comment-body">{body}</p>{note}{controls}{thread}</li>'
    )


def _viewer(context) -> tuple[int | None, str, str]:
    """(viewer's id, moderation base URL or "", CSRF token or "") from the page's context."""
    user = context.get("user")
    base = context.get("comment_moderation_base")  # set by the view for moderators only
    return getattr(user, "pk", None), base or "", str(context.get("csrf_token")) if base else ""


@register.simple_tag(takes_context=True)
def comment_item(context, comment: Comment) -> SafeString:
    viewer_id, base, token = _viewer(context)
    moderation = (f"{base}{comment.pk}/moderate/", token) if base else None
    return render_comment(comment, viewer_id=viewer_id, moderation=moderation)


@register.simple_tag(takes_context=True)
def comment_items(context, comments) -> SafeString:
    """{% comment_items comments %}: the <li> of each comment, as {% comment_item %} gives it,
    with the reader and the moderation details looked up once for the whole list."""
    viewer_id, base, token = _viewer(context)
    report_url = reverse("moderation:report")
    article = context.get("article")
    article_url = article.get_absolute_url() if article is not None else None
    comments = list(comments)
    # Replies go inside their top-level comment's list; a reply whose top-level comment is
    # on an earlier page stands at the top level, naming whom it answers.
    on_page = {comment.pk for comment in comments if not comment.parent_id}

    def one(comment: Comment, rendered_replies: str = "") -> str:
        return render_comment(
            comment,
            viewer_id=viewer_id,
            moderation=(f"{base}{comment.pk}/moderate/", token) if base else None,
            report_url=report_url,
            replies=rendered_replies,
            article_url=article_url,
        )

    replies: dict[int, list[str]] = {}
    for comment in comments:
        if comment.parent_id in on_page:
            replies.setdefault(comment.parent_id, []).append(one(comment))
    parts = [one(c, "".join(replies.get(c.pk, ()))) for c in comments if c.parent_id not in on_page]
    return mark_safe("".join(parts))  # noqa: S308 — each item is escaped by render_comment

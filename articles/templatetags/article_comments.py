"""{% comment_item comment %}: one reader comment as an <li>.

Written in Python rather than as an included template because an article page shows up to
50 comments and an {% include %} per comment was the largest cost of an uncached page.
Both the article page and the htmx answer to a new comment use this one function.
"""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from articles.models import Comment, CommentStatus

register = template.Library()


def _display_time(value) -> str:
    moment = localtime(value)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def render_comment(comment: Comment, *, viewer_id: int | None) -> SafeString:
    """The comment as others see it; a hidden one in full only for its writer, with a note."""
    hidden = comment.status == CommentStatus.HIDDEN
    if hidden and comment.author_id != viewer_id:
        return format_html(
            '<li class="comment comment-hidden" id="comment-{}"><p class="comment-placeholder">{}</p></li>',
            comment.pk,
            _("该评论已被隐藏"),
        )
    note = ""
    if hidden:
        reason = format_html("{}{}", _("原因："), comment.hidden_reason) if comment.hidden_reason else ""
        note = format_html(
            '<p class="comment-note">{}{} <a href="/feedback/">{}</a></p>',
            _("这条评论已被隐藏，其他读者看不到，只有你自己能看到。"),
            reason,
            _("有异议？去反馈"),
        )
    return format_html(
        '<li class="comment{}" id="comment-{}"><p class="meta"><strong class="comment-author">{}</strong> · '
        '<time datetime="{}">{}</time></p><p class="comment-body">{}</p>{}</li>',
        " comment-hidden" if hidden else "",
        comment.pk,
        comment.author.display_name,
        localtime(comment.created_at).isoformat(),
        _display_time(comment.created_at),
        linebreaksbr(comment.body, autoescape=True),
        note,
    )


@register.simple_tag(takes_context=True)
def comment_item(context, comment: Comment) -> SafeString:
    user = context.get("user")
    return render_comment(comment, viewer_id=getattr(user, "pk", None))

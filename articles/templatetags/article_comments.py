"""{% comment_item comment %}: one reader comment as an <li>.

Written in Python rather than as an included template because an article page shows up to
50 comments and an {% include %} per comment was the largest cost of an uncached page.
Both the article page and the htmx answer to a new comment use this one function.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from articles.models import Comment, CommentStatus

register = template.Library()


def render_comment(comment: Comment, *, viewer_id: int | None) -> SafeString:
    """The comment as others see it; a hidden one in full only for its writer, with a note.

    Every piece of text is escaped here; the markup around it is fixed.
    """
    hidden = comment.status == CommentStatus.HIDDEN
    if hidden and comment.author_id != viewer_id:
        placeholder = escape(_("该评论已被隐藏"))
        return mark_safe(  # noqa: S308 — the only text is escaped above
            f'<li class="comment comment-hidden" id="comment-{comment.pk}">'
            f'<p class="comment-placeholder">{placeholder}</p></li>'
        )
    note = ""
    if hidden:
        reason = f"{escape(_('原因：'))}{escape(comment.hidden_reason)}" if comment.hidden_reason else ""
        note = (
            f'<p class="comment-note">{escape(_("这条评论已被隐藏，其他读者看不到，只有你自己能看到。"))}{reason} '
            f'<a href="/feedback/">{escape(_("有异议？去反馈"))}</a></p>'
        )
    moment = localtime(comment.created_at)
    shown = f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"
    body = escape(comment.body).replace("\r\n", "\n").replace("\n", "<br>")
    return mark_safe(  # noqa: S308 — every piece of text is escaped above
        f'<li class="comment{" comment-hidden" if hidden else ""}" id="comment-{comment.pk}">'
        f'<p class="meta"><strong class="comment-author">{escape(comment.author.display_name)}</strong> · '
        f'<time datetime="{moment.isoformat()}">{shown}</time></p>'
        f'<p class="comment-body">{body}</p>{note}</li>'
    )


@register.simple_tag(takes_context=True)
def comment_item(context, comment: Comment) -> SafeString:
    user = context.get("user")
    return render_comment(comment, viewer_id=getattr(user, "pk", None))

"""Forms of the editorial workflow: the author's submission form and the editors' actions.

Forms only parse and check the shape of the input; the rules (what a submission needs,
who may do what, in which status) live in articles.services.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Originality, ReprintPolicy
from articles.services import ArticleContent

# A cover is a library image (articles.images) at least this large; type, size and pixel
# limits are the library's (settings.IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS).
COVER_MIN_SIZE = (400, 200)


class ArticleForm(forms.Form):
    """What an author (or an editor) writes. Nothing is required here: an unfinished draft
    must always be savable; what a submission needs is checked by the service."""

    title = forms.CharField(
        label=_("标题"), max_length=120, required=False, widget=forms.TextInput(attrs={"data-counter": ""})
    )
    summary = forms.CharField(
        label=_("摘要"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "data-counter": ""}),
        help_text=_("一两句话说明文章讲什么，显示在列表和分享卡片上（300 字以内）。"),
    )
    body = forms.CharField(
        label=_("正文（Markdown）"),
        max_length=100_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
        help_text=_(
            "支持 Markdown：## 小标题、**加粗**、- 列表、> 引用、[链接](https://…)。右侧（手机上在下方）实时预览。"
        ),
    )
    cover = forms.FileField(
        label=_("上传新封面"),
        required=False,
        help_text=_("JPG、PNG、WebP 或 GIF，至少 400×200 像素，建议 16:9 横图；也可以从图片库里选一张。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    # The library image chosen as the cover (the picker fills it in).
    cover_image = forms.IntegerField(required=False, widget=forms.HiddenInput(attrs={"data-cover-input": ""}))
    clear_cover = forms.BooleanField(label=_("删除现有封面图"), required=False)
    tags = forms.CharField(
        label=_("标签"),
        max_length=300,
        required=False,
        help_text=_("用逗号或顿号分隔，例如：增长、用户运营、AI（最多 8 个）。"),
    )
    source = forms.CharField(
        label=_("来源"), max_length=60, required=False, help_text=_("文章首发的媒体或账号名称，例如“增长实验室”。")
    )
    source_handle = forms.CharField(
        label=_("来源账号"), max_length=100, required=False, help_text=_("选填：公众号 ID、网站地址等。")
    )
    byline = forms.CharField(label=_("作者署名"), max_length=60, required=False, help_text=_("默认是你的笔名。"))
    originality = forms.ChoiceField(
        label=_("原创声明"), choices=Originality.choices, initial=Originality.ORIGINAL, widget=forms.RadioSelect
    )
    reprint_source_url = forms.URLField(
        label=_("原文链接"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("原文链接不是有效的网址，请以 http:// 或 https:// 开头。")},
    )
    reprint_permission = forms.CharField(
        label=_("转载授权说明"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例如：已获原作者张三书面授权，授权日期 2026 年 3 月。"),
    )
    reprint_policy = forms.ChoiceField(
        label=_("本文的转载政策"), choices=ReprintPolicy.choices, initial=ReprintPolicy.FORBIDDEN
    )
    note = forms.CharField(
        label=_("给编辑的说明"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("选填，提交时一并发给编辑，例如回应修改意见。"),
    )

    def clean_cover(self):
        from articles.images.services import image_check

        cover = self.cleaned_data.get("cover")
        if not cover:
            return cover
        if cover.size > settings.IMAGE_MAX_BYTES:
            raise ValidationError(
                _("封面图太大了（%(size)s），请压缩到 %(limit)s 以内再上传。")
                % {"size": filesizeformat(cover.size), "limit": filesizeformat(settings.IMAGE_MAX_BYTES)}
            )
        cover.seek(0)
        processed = image_check(data=cover.read(settings.IMAGE_MAX_BYTES + 1))
        if processed.width < COVER_MIN_SIZE[0] or processed.height < COVER_MIN_SIZE[1]:
            raise ValidationError(
                _("封面图太小了（%(w)s×%(h)s），至少需要 400×200 像素。")
                % {"w": processed.width, "h": processed.height}
            )
        cover.seek(0)
        return cover

    def clean(self):
        data = super().clean()
        if data.get("originality") != Originality.REPRINT:
            data["reprint_source_url"] = ""
            data["reprint_permission"] = ""
        return data

    def to_content(self, *, include_cover: bool = True) -> ArticleContent:
        data = self.cleaned_data
        return ArticleContent(
            title=data.get("title", ""),
            summary=data.get("summary", ""),
            body=data.get("body", ""),
            source=data.get("source", ""),
            source_handle=data.get("source_handle", ""),
            byline=data.get("byline", ""),
            tags=data.get("tags", ""),
            originality=data.get("originality") or Originality.ORIGINAL,
            reprint_source_url=data.get("reprint_source_url", ""),
            reprint_permission=data.get("reprint_permission", ""),
            reprint_policy=data.get("reprint_policy") or ReprintPolicy.FORBIDDEN,
            cover_image=getattr(self, "resolved_cover", None) if include_cover else None,
            clear_cover=bool(data.get("clear_cover")) if include_cover else False,
        )

    @classmethod
    def initial_for(cls, article) -> dict:
        return {
            "title": article.title,
            "summary": article.summary,
            "body": article.body,
            "tags": str(_("、")).join(tag.name for tag in article.tags.all()),
            "source": article.source,
            "source_handle": article.source_handle,
            "byline": article.byline,
            "originality": article.originality,
            "reprint_source_url": article.reprint_source_url,
            "reprint_permission": article.reprint_permission,
            "reprint_policy": article.reprint_policy,
            "cover_image": article.cover_image_id,
        }


class AutosaveForm(ArticleForm):
    """The same fields without the file (autosave sends the text only, every 30 s)."""

    cover = None
    cover_image = None
    clear_cover = None


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form's fields (or on top when no field fits)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("修改意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("发布时间（北京时间）"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("请填写有效的日期和时间，例如 2026-12-01 09:30。")},
    )

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        # datetime-local carries no zone: the site's zone (Asia/Shanghai) is what editors mean.
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value


class EditorialCommentForm(forms.Form):
    body = forms.CharField(label=_("留言"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

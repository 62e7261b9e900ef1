"""Forms of the feedback page and of appeals. They parse what the browser sends; the
rules (what each kind needs, limits, who may do what) live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import AppealOutcome, Infringement, PenaltyStep


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the service checks count, size and type)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp,application/pdf"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class FeedbackForm(forms.Form):
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000}))
    email = forms.CharField(required=False, max_length=254)
    attachments = MultipleFileField()
    # copyright
    article = forms.CharField(required=False, max_length=500)
    infringed = forms.MultipleChoiceField(
        required=False, choices=Infringement.choices, widget=forms.CheckboxSelectMultiple
    )
    rights_statement = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4, "maxlength": 3000}))
    rights_contact = forms.CharField(required=False, max_length=200)
    # report
    link = forms.CharField(required=False, max_length=500)
    rule = forms.CharField(required=False, max_length=10)


class AppealForm(forms.Form):
    penalty = forms.IntegerField(min_value=1, max_value=2**62)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6, "maxlength": 3000}), required=False)


class AppealLinkRequestForm(forms.Form):
    case_number = forms.CharField(max_length=20, label=_("案件编号"))
    email = forms.CharField(max_length=254, label=_("账号邮箱"))


class MessageForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}), required=False)


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=AppealOutcome.choices, label=_("审核结果"))
    step = forms.TypedChoiceField(
        choices=[("", _("（仅减轻时选择）")), *PenaltyStep.choices[:-1]], coerce=int, empty_value=None, required=False
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}), required=False)


class ReplyForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5, "maxlength": 5000}), required=False)

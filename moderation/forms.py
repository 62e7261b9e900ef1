import re

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import Term, TermAction
from moderation.selectors import convention_current
from moderation.services import TermData

CONTEXT_SEPARATORS = re.compile(r"[\n,，、;；]+")


def rule_choices() -> list[tuple[str, str]]:
    convention = convention_current()
    if convention is None:
        return []
    return [
        (rule.code, f"{rule.code} {rule.title}") for rule in convention.rules.order_by("category__number", "position")
    ]


class TermForm(forms.Form):
    term = forms.CharField(label=_("词条"), max_length=50, strip=True)
    rule_code = forms.ChoiceField(label=_("公约条款"))
    action = forms.ChoiceField(label=_("处理方式"), choices=TermAction.choices, initial=TermAction.REVIEW)
    whole_word = forms.BooleanField(
        label=_("整词匹配"), required=False, help_text=Term._meta.get_field("whole_word").help_text
    )
    contexts = forms.CharField(
        label=_("放行语境"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个，或用逗号、顿号隔开。命中处附近出现这些词语时不算违规。"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule_code"].choices = rule_choices()

    @classmethod
    def initial_for(cls, term: Term) -> dict:
        return {
            "term": term.term,
            "rule_code": term.rule_code,
            "action": term.action,
            "whole_word": term.whole_word,
            "contexts": "\n".join(term.contexts or ()),
            "note": term.note,
        }

    def to_data(self) -> TermData:
        cleaned = self.cleaned_data
        contexts = tuple(
            part.strip() for part in CONTEXT_SEPARATORS.split(cleaned.get("contexts") or "") if part.strip()
        )
        return TermData(
            term=cleaned["term"],
            rule_code=cleaned["rule_code"],
            action=cleaned["action"],
            whole_word=cleaned["whole_word"],
            contexts=contexts,
            note=cleaned.get("note", ""),
        )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("处理"),
        choices=[("dismiss", _("放行")), ("escalate", _("转交治理")), ("remove", _("删除"))],
    )
    reason = forms.CharField(
        label=_("理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请写明处理理由，它会记入操作记录。")},
    )
    # 删除 cannot be undone from the queue: the server asks for this box whatever the
    # browser did (hx-confirm is only a convenience on top).
    confirm = forms.BooleanField(label=_("确认删除"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "remove" and not data.get("confirm"):
            self.add_error(
                "confirm", _("删除前请勾选“确认删除”：删除后读者看不到这条内容，发布者会收到通知，理由记入操作记录。")
            )
        return data


def _rule_options(rules) -> list[tuple[str, str]]:
    return [("", _("请选择…")), *((rule.code, f"{rule.code} {rule.title}") for rule in rules)]


class ReportForm(forms.Form):
    """A reader's report: the rule (the service checks it is in the convention in force)
    and a note. The target comes from the address, not from the form."""

    rule = forms.ChoiceField(
        label=_("举报理由"),
        error_messages={"required": _("请选择举报理由：先找到类别，再选具体的条款。")},
    )
    note = forms.CharField(
        label=_("补充说明（选填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        help_text=_("最多 500 字。写清楚哪里违规，审核员能处理得更快。"),
        error_messages={"max_length": _("补充说明最多 500 字（现在 %(show_value)d 字）。")},
    )

    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = _rule_options(rules)


class DecisionForm(forms.Form):
    """A moderator's decision on a case; the service validates the rule, the reason and
    the step; this form parses the input and asks for confirmation of what cannot be undone."""

    ACTIONS = [
        ("dismiss", _("不违规，驳回举报")),
        ("remove", _("删除内容（不处罚账号）")),
        ("warn", _("警告当事人")),
        ("penalize", _("处罚当事人")),
    ]

    action = forms.ChoiceField(
        label=_("处理方式"),
        choices=ACTIONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择处理方式。")},
    )
    rule = forms.ChoiceField(label=_("认定违反的条款"), required=False)
    reason = forms.CharField(
        label=_("处理理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("会记入操作记录；处罚时当事人会在通知里看到。"),
        error_messages={"required": _("请写明处理理由，它会记入操作记录，当事人也会看到。")},
    )
    aggravations = forms.MultipleChoiceField(label=_("加重情节"), required=False, widget=forms.CheckboxSelectMultiple)
    step = forms.TypedChoiceField(label=_("处罚等级"), coerce=int, required=False, empty_value=None)
    step_reason = forms.CharField(
        label=_("调整处罚的理由"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("选择的处罚与建议的不同时必填，会记入操作记录。"),
    )
    remove_content = forms.BooleanField(label=_("同时删除内容"), required=False, initial=True)
    confirm = forms.BooleanField(
        label=_("我已核对证据，确认执行（删除和处罚不能撤销，只能通过申诉纠正）"), required=False
    )

    def __init__(self, *args, rules, aggravation_choices, step_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = _rule_options(rules)
        self.fields["aggravations"].choices = aggravation_choices
        self.fields["step"].choices = step_choices

    @property
    def destructive(self) -> bool:
        data = self.cleaned_data
        action = data.get("action")
        if action in ("remove", "penalize"):
            return True
        return action == "warn" and bool(data.get("remove_content"))

    def clean(self):
        data = super().clean()
        if data.get("action") and self.destructive and not data.get("confirm"):
            self.add_error("confirm", _("删除内容或处罚账号前，请勾选确认。"))
        return data

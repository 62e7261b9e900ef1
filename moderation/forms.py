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

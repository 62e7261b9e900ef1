from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.restrictions import sign_in_ban_message


class SignInForm(AuthenticationForm):
    """Django's sign-in form with one message for every failure: an unknown user name, a
    wrong password and a deactivated account look the same from outside."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确，请重新输入。"),
        "inactive": _("用户名或密码不正确，请重新输入。"),
    }

    ban_notice = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's form sets max_length on the field after building it, so the length is
        # never validated and a 300-character name reached authenticate() (and axes).
        username = self.fields["username"]
        username.validators.append(
            MaxLengthValidator(username.max_length, message=_("用户名最多 %(limit_value)s 个字符，请检查后重新输入。"))
        )

    def get_invalid_login_error(self):
        """A banned account with the right password is told why it cannot sign in (its ban,
        rule, date and the appeal route); every other failure keeps the one message, so
        nothing is revealed to someone without the password. Not while django-axes has
        locked the attempt out: its lockout page answers then."""
        if self.request is not None and not getattr(self.request, "axes_locked_out", False):
            message = sign_in_ban_message(
                username=self.cleaned_data.get("username") or "", password=self.cleaned_data.get("password") or ""
            )
            if message:
                self.ban_notice = message  # the page shows it with a link to the appeal route
                return ValidationError(message, code="banned")
        return super().get_invalid_login_error()


class SignUpForm(forms.Form):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        help_text=_("登录时使用，注册后不能修改。可以用中文、字母、数字和 @ . + - _。"),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        error_messages={"required": _("请填写用户名。")},
    )
    email = forms.EmailField(
        label=_("邮箱"),
        help_text=_("我们会发一封验证邮件到这里；找回密码和审核结果也会发到这个邮箱。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("请填写有效的邮箱地址。"), "required": _("请填写邮箱。")},
    )
    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        help_text=_("至少 8 位，不要只用数字，也不要和用户名太像。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("请设置密码。")},
    )
    password2 = forms.CharField(
        label=_("确认密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("请再输入一次密码。")},
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("两次输入的密码不一致，请重新输入。"))
        return data


class ProfileForm(forms.Form):
    pen_name = forms.CharField(
        label=_("笔名"),
        max_length=50,
        help_text=_("署在你文章上的名字，读者会在作者页看到它。"),
        error_messages={"required": _("作者需要一个笔名，它会署在你的文章上。")},
    )
    bio = forms.CharField(
        label=_("简介"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("一两句话介绍你自己，显示在作者页上。"),
    )


class AuthorApplicationForm(forms.Form):
    pen_name = forms.CharField(
        label=_("笔名"),
        max_length=50,
        help_text=_("文章的署名。可以用真名，也可以用常用的笔名。"),
        error_messages={"required": _("请填写笔名，它会署在你的文章上。")},
    )
    bio = forms.CharField(
        label=_("个人简介"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("你的职业背景和擅长的领域，500 字以内。"),
        error_messages={"required": _("请简单介绍一下你自己。")},
    )
    links = forms.CharField(
        label=_("过往作品链接"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "https://"}),
        help_text=_("每行一个链接，例如公众号文章、专栏或个人博客。没有也可以留空。"),
    )
    motivation = forms.CharField(
        label=_("申请理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("你想在这里写哪些主题？大概多久写一篇？"),
        error_messages={"required": _("请写下申请理由，比如你想写哪些主题。")},
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

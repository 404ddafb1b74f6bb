from django import forms

from . import two_factor


class CodeForm(forms.Form):
    code = forms.CharField(
        label="验证码",
        max_length=32,
        error_messages={"required": "请输入验证码。"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        return two_factor.normalise(self.cleaned_data["code"])


class EnrolForm(CodeForm):
    """The first code of a new authenticator: six digits."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = "身份验证器应用中显示的 6 位数字"
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class VerifyForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "验证码或恢复码"
        self.fields[
            "code"
        ].help_text = "身份验证器应用中的 6 位数字；手机不在身边时，可输入一个恢复码"

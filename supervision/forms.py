"""Forms of the supervision pages. Validation only: every write goes through supervision.services."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from liaison.privacy import phone_validator
from liaison.satisfaction import Satisfaction

from .models import Question

code_validator = RegexValidator(r"^\d{6}$", _("验证码是6位数字。"))


class TopicForm(forms.Form):
    title = forms.CharField(label=_("建议监督的议题"), max_length=200)
    description = forms.CharField(
        label=_("具体情况"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    area = forms.ChoiceField(label=_("所属地区"))
    website = forms.CharField(required=False, label="", widget=forms.TextInput(attrs={"tabindex": "-1"}))

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.code, a.name) for a in areas]


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=11,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
        help_text=_("只用于接收验证码，号码不会保存或公开。"),
    )


class SupportForm(PhoneForm):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        validators=[code_validator],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("您的评价"), choices=Satisfaction.choices, widget=forms.RadioSelect)


class ClueForm(forms.Form):
    content = forms.CharField(
        label=_("线索或意见"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )


class ReportForm(forms.Form):
    content = forms.CharField(label=_("整改报告"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复内容"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))
    mode = forms.ChoiceField(label=_("答复方式"), choices=Question.AnswerMode.choices, initial="written")
    answered_by_label = forms.CharField(label=_("答复人职务"), max_length=100, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class SelectForm(forms.Form):
    year = forms.IntegerField(label=_("列入年度"), min_value=2000, max_value=2100)

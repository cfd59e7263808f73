"""Forms of the station pages. Validation only: every write goes through stations.services."""

import datetime as dt

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.privacy import phone_validator

from .models import Delegate, Station

Q_MAX = 50
code_field_validator = RegexValidator(r"^\d{12}$", _("区划代码必须是12位数字。"))


class FinderForm(forms.Form):
    """`?area=CODE&q=NAME&page=N` of the station finder."""

    area = forms.CharField(required=False, max_length=12, validators=[code_field_validator])
    q = forms.CharField(
        label=_("按名称搜索联络站"),
        required=False,
        max_length=Q_MAX,
        widget=forms.TextInput(attrs={"class": "search", "placeholder": _("输入联络站名称或地址")}),
    )


class DelegateFilterForm(forms.Form):
    """`?level=&area=CODE&q=NAME` of the delegate directory."""

    level = forms.ChoiceField(
        label=_("代表层级"), required=False, choices=[("", _("全部层级")), *Delegate.Level.choices]
    )
    area = forms.CharField(
        label=_("区划代码"),
        required=False,
        max_length=12,
        validators=[code_field_validator],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": _("12位区划代码（可选）")}),
    )
    q = forms.CharField(
        label=_("姓名"),
        required=False,
        max_length=Q_MAX,
        widget=forms.TextInput(attrs={"class": "search", "placeholder": _("输入代表姓名")}),
    )


class AppointmentForm(forms.Form):
    name = forms.CharField(label=_("您的姓名"), max_length=50)
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=11,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
        help_text=_("仅用于通知预约结果，不会公开。"),
    )
    subject = forms.CharField(label=_("想谈的事"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))
    preferred_date = forms.DateField(
        label=_("希望日期（可选）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    station = forms.ModelChoiceField(
        label=_("见面地点（可选）"),
        queryset=Station.objects.none(),
        required=False,
        empty_label=_("由代表安排"),
    )
    # Honeypot: hidden from people by CSS (class hp); a bot that fills every field gives itself away.
    website = forms.CharField(required=False, label=_("请勿填写此项"))

    def __init__(self, *args, delegate: Delegate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Station.objects.filter(
            memberships__delegate=delegate, is_active=True
        ).order_by("name")
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_preferred_date(self):
        value = self.cleaned_data.get("preferred_date")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("希望日期不能早于今天。"))
        return value

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class ReceptionLogForm(forms.Form):
    station = forms.ModelChoiceField(label=_("联络站"), queryset=Station.objects.none())
    held_on = forms.DateField(label=_("接待日期"), widget=forms.DateInput(attrs={"type": "date"}))
    visitors = forms.IntegerField(label=_("接待人数"), min_value=0, max_value=10000, initial=0)
    summary = forms.CharField(
        label=_("接待情况"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    items = forms.CharField(
        label=_("群众反映的意见"),
        required=False,
        max_length=40000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一条意见；每条意见都会转为可跟踪的意见建议。"),
    )

    MAX_ITEMS = 50

    def __init__(self, *args, delegate: Delegate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Station.objects.filter(
            memberships__delegate=delegate, is_active=True
        ).order_by("name")

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("接待日期不能晚于今天。"))
        if value < timezone.localdate() - dt.timedelta(days=366):
            raise forms.ValidationError(_("只能登记一年内的接待。"))
        return value

    def clean_items(self):
        lines = [line.strip() for line in self.cleaned_data.get("items", "").splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > self.MAX_ITEMS:
            raise forms.ValidationError(_("一次最多登记%(n)s条意见。") % {"n": self.MAX_ITEMS})
        if any(len(line) > 2000 for line in lines):
            raise forms.ValidationError(_("每条意见不超过2000字。"))
        return lines


class AppointmentAcceptForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("约定时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("地点"), max_length=200, required=False)

    def clean_scheduled_at(self):
        value = self.cleaned_data["scheduled_at"]
        if value < timezone.now():
            raise forms.ValidationError(_("约定时间不能早于现在。"))
        return value


class AppointmentDeclineForm(forms.Form):
    reason = forms.CharField(label=_("婉拒理由"), max_length=500)

"""Forms of the station pages. Validation only: every write goes through stations.services."""

import datetime as dt

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.privacy import phone_validator
from liaison.widgets import DateInput, DateTimeInput

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
    # Chosen by drilling down the area tree (stations/_area_drill.html), kept in the form as a hidden field.
    area = forms.CharField(
        label=_("区划"),
        required=False,
        max_length=12,
        validators=[code_field_validator],
        widget=forms.HiddenInput,
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
    preferred_date = forms.DateField(label=_("希望日期（可选）"), required=False, widget=DateInput())
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


class ReceptionLogForm(forms.Form):
    """The reception day itself; the opinions raised are the rows of ReceptionItemFormSet beside it."""

    station = forms.ModelChoiceField(label=_("联络站"), queryset=Station.objects.none())
    held_on = forms.DateField(label=_("接待日期"), widget=DateInput())
    visitors = forms.IntegerField(label=_("接待人数"), min_value=0, max_value=10000, initial=0)
    summary = forms.CharField(
        label=_("接待情况"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

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


class ReceptionItemForm(forms.Form):
    """One opinion raised at the reception day, with the constituent's optional name and phone: given, they
    are told of the reply and asked to rate it (personal data: masked to all but the staff who need them)."""

    content = forms.CharField(
        label=_("意见内容"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    name = forms.CharField(label=_("反映人（选填）"), required=False, max_length=50)
    phone = forms.CharField(
        label=_("手机号码（选填，用于告知办理结果和邀请评价）"),
        required=False,
        max_length=11,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        data["content"] = (data.get("content") or "").strip()
        data["name"] = (data.get("name") or "").strip()
        if not data["content"] and (data["name"] or data.get("phone")):
            self.add_error("content", _("请填写该反映人的意见内容。"))
        return data


class BaseReceptionItemFormSet(forms.BaseFormSet):
    def items(self) -> list[dict]:
        """The filled-in rows, in order: {content, name, phone}."""
        return [
            {
                "content": f.cleaned_data["content"],
                "name": f.cleaned_data["name"],
                "phone": f.cleaned_data["phone"],
            }
            for f in self.forms
            if f.cleaned_data.get("content")
        ]


ITEM_ROWS = 5  # empty rows shown, and added by "more rows"
MAX_ITEMS = 50

ReceptionItemFormSet = forms.formset_factory(
    ReceptionItemForm,
    formset=BaseReceptionItemFormSet,
    extra=ITEM_ROWS,
    max_num=MAX_ITEMS,
    absolute_max=MAX_ITEMS,
    validate_max=True,
)


class AppointmentAcceptForm(forms.Form):
    scheduled_at = forms.DateTimeField(label=_("约定时间"), widget=DateTimeInput())
    place = forms.CharField(label=_("地点"), max_length=200, required=False)

    def clean_scheduled_at(self):
        value = self.cleaned_data["scheduled_at"]
        if value < timezone.now():
            raise forms.ValidationError(_("约定时间不能早于现在。"))
        return value


class AppointmentDeclineForm(forms.Form):
    reason = forms.CharField(label=_("婉拒理由"), max_length=500)

"""Workspace forms: a body, a member (a delegate or another person, optionally with an account), a member
leaving, and a council meeting (attendance boxes of the members on that day, opinions one per line)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bodies.models import Body, BodyMember


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BodyForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=Body.Kind.choices, initial=Body.Kind.STREET_COUNCIL)
    area = forms.ModelChoiceField(
        label=_("区划"), queryset=None, help_text=_("街道议政代表会须设在街道（乡镇）。")
    )
    term = forms.IntegerField(label=_("届次"), min_value=1, max_value=99, required=False)
    description = forms.CharField(label=_("简介"), max_length=2000, required=False, widget=forms.Textarea)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


SECTORS = [(k, v) for k, v in BodyMember.Sector.choices if k != BodyMember.Sector.DELEGATE]


class MemberForm(forms.Form):
    delegate = forms.ModelChoiceField(
        label=_("选择代表"), queryset=None, required=False, help_text=_("选择代表时，无需填写下面各项。")
    )
    name = forms.CharField(label=_("姓名（非代表成员）"), max_length=50, required=False)
    sector = forms.ChoiceField(label=_("界别"), choices=SECTORS, initial=BodyMember.Sector.RESIDENT)
    phone = forms.CharField(label=_("联系电话（不公开）"), max_length=20, required=False)
    joined_on = forms.DateField(label=_("加入日期"), required=False, widget=DateInput())
    account = forms.BooleanField(label=_("开设账号（网上投票）"), required=False)

    # The picker lists this many (narrowed by a name search); any delegate of the queryset is accepted.
    SHOWN = 200

    def __init__(self, *args, delegates, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["delegate"]
        field.queryset = delegates
        field.widget.choices = [("", "---------")] + [
            (d.pk, f"{d.name}（{d.get_level_display()}，{d.area.name}）") for d in delegates[: self.SHOWN]
        ]

    def clean(self):
        d = super().clean()
        if not d.get("delegate") and not (d.get("name") or "").strip():
            self.add_error("name", _("请填写成员姓名，或选择一位代表。"))
        return d


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("退出日期"), required=False, widget=DateInput())
    reason = forms.CharField(label=_("退出原因"), max_length=200, required=False)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("会议日期"), widget=DateInput())
    title = forms.CharField(label=_("会议名称"), max_length=200, required=False)
    place = forms.CharField(label=_("会议地点"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("会议议程"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一项。"),
    )
    attendance = forms.MultipleChoiceField(
        label=_("出席成员"), widget=forms.CheckboxSelectMultiple, required=False
    )
    minutes = forms.CharField(
        label=_("会议纪要"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    opinions = forms.CharField(
        label=_("会上提出的意见"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一条，登记后转为意见建议，按程序交办。"),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendance"].choices = [
            (str(m.pk), f"{m.name}（{m.get_sector_display()}）") for m in members
        ]
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())

    def opinion_list(self) -> list[dict]:
        return [
            {"content": line.strip()} for line in self.cleaned_data["opinions"].splitlines() if line.strip()
        ]

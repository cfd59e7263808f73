import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.parsing import BoundedFormDateField
from liaison.privacy import PHONE_MESSAGE, PHONE_RE
from liaison.satisfaction import Satisfaction
from liaison.uploads.fields import PhotosField
from liaison.widgets import DateInput
from stations.models import Area

from .conf import conf
from .models import Reply, Suggestion
from .photos import check_photos

PUBLIC_TIERS = ["province", "city", "county", "township"]


def _area_choices(root_path: str = "", tiers=None) -> list[tuple[str, str]]:
    """Areas (down to township level unless `tiers` says otherwise), indented by tier."""
    qs = Area.objects.filter(tier__in=tiers or PUBLIC_TIERS).only("code", "name", "path")
    if root_path:
        qs = qs.filter(path__startswith=root_path)
    out = [("", _("请选择"))]
    for a in qs.order_by("path"):
        depth = a.path.count("/") - 1
        out.append((a.code, "\u3000" * max(depth - 1, 0) + a.name))
    return out


class SuggestionForm(forms.Form):
    """The public form. `area` is a choice only when the form was not pre-addressed to a station/delegate."""

    area = forms.ChoiceField(label=_("反映问题所在地"), required=False)
    title = forms.CharField(label=_("标题"), max_length=conf.TITLE_MAX)
    content = forms.CharField(
        label=_("具体内容"), max_length=conf.CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    category = forms.ChoiceField(label=_("类别"), choices=Suggestion.Category.choices, initial="other")
    name = forms.CharField(label=_("姓名（选填）"), max_length=50, required=False)
    phone = forms.RegexField(
        label=_("手机号码（选填，用于接收办理结果和评价邀请）"),
        regex=PHONE_RE,
        required=False,
        error_messages={"invalid": PHONE_MESSAGE},
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("电子邮箱（选填）"), required=False)
    photos = PhotosField(
        check=check_photos, label=_("图片（选填，最多3张，JPEG/PNG，每张不超过5MB）"), required=False
    )
    website = forms.CharField(required=False, label=_("网站"))  # honeypot, hidden by CSS

    area_tiers = PUBLIC_TIERS

    def __init__(self, *args, addressed: bool = False, area_root: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.addressed = addressed
        if addressed:
            del self.fields["area"]
        else:
            self.fields["area"].choices = _area_choices(area_root, self.area_tiers)
            self.fields["area"].required = True

    def clean_area(self):
        code = self.cleaned_data.get("area")
        if not code:
            return None
        area = Area.objects.filter(code=code).first()
        if area is None:
            raise forms.ValidationError(_("请选择区划。"))
        return area


class StaffIntakeForm(SuggestionForm):
    """Staff enter letters, visits and hotline calls on someone's behalf."""

    channel = forms.ChoiceField(
        label=_("来源渠道"),
        choices=[
            (c.value, c.label)
            for c in (Suggestion.Channel.LETTER, Suggestion.Channel.VISIT, Suggestion.Channel.HOTLINE)
        ],
    )

    area_tiers = [*PUBLIC_TIERS, "village"]
    field_order = ["channel", "area", "title", "content", "category", "name", "phone", "email", "photos"]


class DelegateSuggestionForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=conf.TITLE_MAX)
    content = forms.CharField(
        label=_("建议内容"), max_length=conf.CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )
    category = forms.ChoiceField(label=_("类别"), choices=Suggestion.Category.choices, initial="other")
    area = forms.ChoiceField(label=_("涉及区划"), required=False)
    photos = PhotosField(check=check_photos, label=_("图片（选填，最多3张）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _area_choices()

    def clean_area(self):
        code = self.cleaned_data.get("area")
        return Area.objects.filter(code=code).first() if code else None


class LookupForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=20)


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("您对办理结果是否满意"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("意见（选填）"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(forms.Form):
    into = forms.CharField(label=_("合并到（查询码）"), max_length=20)


def units_by_area(units) -> list:
    """Choices of handling units grouped by their area (optgroups), areas in tree order (one query)."""
    groups: dict[str, tuple[str, list]] = {}
    for u in units.select_related("area").order_by("area__path", "name", "id"):
        groups.setdefault(u.area.path, (u.area.name, []))[1].append((u.pk, u.name))
    return [groups[path] for path in sorted(groups)]


class ReferForm(forms.Form):
    """Units are picked from a <select> grouped by area; static/js/portal.js adds a search box over it
    (`data-picker`). Without JavaScript the select still works."""

    lead_unit = forms.ModelChoiceField(
        label=_("主办单位"), queryset=None, widget=forms.Select(attrs={"data-picker": _("输入单位名称筛选")})
    )
    assisting_units = forms.ModelMultipleChoiceField(
        label=_("协办单位（可多选）"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"data-picker": _("输入单位名称筛选"), "size": 8}),
        help_text=_("按住 Ctrl（手机上直接点选）可选多个单位。"),
    )
    due_workdays = forms.IntegerField(
        label=_("办理期限（工作日）"), min_value=1, max_value=120, required=False
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units
        self.fields["assisting_units"].queryset = units
        grouped = units_by_area(units) if units is not None else []
        self.fields["lead_unit"].choices = [("", _("请选择主办单位")), *grouped]
        self.fields["assisting_units"].choices = grouped
        self.fields["due_workdays"].help_text = _("不填则按默认 %(n)s 个工作日（代表建议默认3个月）") % {
            "n": conf.REPLY_WORKDAYS
        }

    def clean(self):
        data = super().clean()
        lead = data.get("lead_unit")
        if lead and lead in (data.get("assisting_units") or []):
            self.add_error("assisting_units", _("主办单位不能同时是协办单位。"))
        return data


class ReplyForm(forms.Form):
    result = forms.ChoiceField(label=_("办理结果"), choices=Reply.Result.choices, widget=forms.RadioSelect)
    content = forms.CharField(
        label=_("答复内容"), max_length=conf.CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )


class ExtensionForm(forms.Form):
    requested_due = forms.DateField(label=_("申请延至"), widget=DateInput())
    reason = forms.CharField(label=_("延期理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("审核意见"), max_length=500, required=False)


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), max_length=50, required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("未办结")), ("all", _("全部"))] + Suggestion.Status.choices,
    )
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部"))] + Suggestion.Category.choices
    )
    channel = forms.ChoiceField(
        label=_("渠道"), required=False, choices=[("", _("全部"))] + Suggestion.Channel.choices
    )
    area = forms.ChoiceField(label=_("区划"), required=False)
    station = forms.TypedChoiceField(label=_("联络站"), required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label=_("只看超期"), required=False)
    key = forms.BooleanField(label=_("只看重点"), required=False)
    ordering = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("", _("需要办理的在前")),
            ("created_at", _("提交时间从早到晚")),
            ("-created_at", _("提交时间从晚到早")),
        ],
    )

    def __init__(self, *args, root_path: str = "", **kwargs):
        from stations.models import Station

        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _area_choices(root_path)
        stations = Station.objects.filter(is_active=True).order_by("area__path", "name").only("id", "name")
        if root_path:
            stations = stations.filter(area__path__startswith=root_path)
        self.fields["station"].choices = [("", _("全部"))] + [(st.pk, st.name) for st in stations]

    def clean_area(self):
        code = self.cleaned_data.get("area")
        return Area.objects.filter(code=code).only("id", "path").first() if code else None


class StatsForm(forms.Form):
    area = forms.ChoiceField(label=_("区划"), required=False)
    start = BoundedFormDateField(label=_("起"), required=False, widget=DateInput())
    end = BoundedFormDateField(label=_("止"), required=False, widget=DateInput())

    def __init__(self, *args, root_path: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _area_choices(root_path)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        if end and end > timezone.localdate() + dt.timedelta(days=366):
            self.add_error("end", _("日期无效。"))
        return data

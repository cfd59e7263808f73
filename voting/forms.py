import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bodies.models import Body, Counting
from liaison.privacy import PHONE_MESSAGE, PHONE_RE
from liaison.scoping import scope_to_area
from liaison.uploads import CheckedUpload, check_images
from liaison.uploads.fields import PhotosField
from liaison.widgets import DateInput
from stations.models import Area, Delegate, HandlingUnit

from .conf import conf
from .models import Ballot, Candidate, ProjectProposal, Vote


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        depth = obj.path.count("/") - 1
        return f"{'　' * max(depth - 1, 0)}{obj.name}"


def _areas_under(paths: list[str]):
    from django.db.models import Q

    if not paths:
        return Area.objects.none()
    q = Q()
    for p in paths:
        q |= Q(path__startswith=p)
    return Area.objects.filter(q).order_by("path")


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=100)
    description = forms.CharField(
        label=_("项目内容"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("想办什么事、在哪里、为什么需要。"),
    )
    area = AreaChoiceField(label=_("所在区划"), queryset=Area.objects.none())
    rough_cost = forms.DecimalField(
        label=_("估算金额（万元，可不填）"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    name = forms.CharField(label=_("您的姓名（可不填，不公开）"), max_length=50, required=False)
    phone = forms.RegexField(
        label=_("手机号码（可不填，不公开，用于告知处理结果）"),
        regex=PHONE_RE,
        required=False,
        error_messages={"invalid": PHONE_MESSAGE},
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"}),
    )
    website = forms.CharField(required=False, label=_("网址"))  # honeypot, hidden with CSS

    def __init__(self, *args, window_paths: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas_under(window_paths)


class WindowForm(forms.Form):
    area = AreaChoiceField(label=_("区划"), queryset=Area.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    closes_on = forms.DateField(label=_("截止日期"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas_under(
            [user.area_path] if user.area_path is not None else []
        ).exclude(tier=Area.Tier.VILLAGE)
        self.fields["year"].initial = timezone.localdate().year + 1
        self.fields["opens_on"].initial = timezone.localdate()
        self.fields["closes_on"].initial = timezone.localdate() + dt.timedelta(days=30)


class BallotForm(forms.Form):
    title = forms.CharField(label=_("表决名称"), max_length=200)
    session_name = forms.CharField(label=_("会议名称"), max_length=200, required=False)
    area = AreaChoiceField(label=_("区划"), queryset=Area.objects.none())
    seats = forms.IntegerField(label=_("应选项目数"), min_value=1, max_value=1000)
    threshold_basis = forms.ChoiceField(label=_("当选基数"), choices=Ballot.ThresholdBasis.choices)
    secret = forms.BooleanField(label=_("无记名投票"), required=False, initial=True)
    allow_change = forms.BooleanField(label=_("表决期间允许改票（仅记名表决）"), required=False)
    roll_level = forms.ChoiceField(
        label=_("表决名单"),
        choices=Delegate.Level.choices,
        initial=Delegate.Level.COUNTY,
        help_text=_("该区划（含下级）全部在任的这一层级代表。"),
    )
    body = forms.ModelChoiceField(
        label=_("表决机构"),
        queryset=Body.objects.none(),
        required=False,
        help_text=_("选择机构（如街道议政代表会、人民代表大会）时，表决名单为开始表决当天该机构的成员，不再按代表层级取名单。"),
    )
    counting = forms.ChoiceField(
        label=_("计票方式"), choices=Counting.choices, initial=Counting.ONLINE, required=False
    )
    candidates = forms.ModelMultipleChoiceField(
        label=_("候选项目"), queryset=ProjectProposal.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas_under(
            [user.area_path] if user.area_path is not None else []
        ).exclude(tier=Area.Tier.VILLAGE)
        self.fields["body"].queryset = scope_to_area(Body.objects.filter(is_active=True), user).select_related("area")
        self.fields["candidates"].queryset = proposals
        self.fields["candidates"].label_from_instance = lambda p: f"{p.title}（{p.area.name}）"


class ProjectForm(forms.Form):
    candidate = forms.ModelChoiceField(label=_("当选项目"), queryset=Candidate.objects.none())
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=HandlingUnit.objects.none())
    budget = forms.DecimalField(label=_("预算（万元）"), min_value=0, max_digits=12, decimal_places=2)
    target_date = forms.DateField(label=_("计划完成日期"), widget=DateInput())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def __init__(self, *args, candidates, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = Candidate.objects.filter(
            pk__in=[c.pk for c in candidates]
        ).select_related("proposal", "ballot")
        self.fields["candidate"].label_from_instance = lambda c: (
            _("%(name)s（%(note)s）")
            % {
                "name": c.proposal.title,
                "note": c.ballot.title,
            }
        )
        self.fields["unit"].queryset = units
        self.fields["year"].initial = timezone.localdate().year


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("节点"), max_length=200)
    due = forms.DateField(label=_("计划日期"), widget=DateInput())


class SiteForm(forms.Form):
    name = forms.CharField(label=_("点位名称"), max_length=200)
    latitude = forms.DecimalField(
        label=_("纬度（可不填）"), required=False, min_value=-90, max_value=90, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("经度（可不填）"), required=False, min_value=-180, max_value=180, decimal_places=6
    )


def check_progress_photos(files) -> list[CheckedUpload]:
    return check_images(files, max_count=conf.PHOTO_MAX_COUNT, max_bytes=conf.PHOTO_MAX_BYTES)


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("进展情况"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))
    photos = PhotosField(
        check=check_progress_photos, label=_("现场照片（最多3张，JPEG/PNG，每张不超过5MB）"), required=False
    )


VOTE_CHOICES = Vote.Choice.choices

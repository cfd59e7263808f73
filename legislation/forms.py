"""Forms of the legislation pages. Validation only: every write goes through legislation.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.parsing import BoundedFormDateField
from liaison.privacy import phone_validator
from liaison.widgets import DateInput

from .models import MAX_OPINION_CHARS, Opinion


class OpinionForm(forms.Form):
    article = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)
    content = forms.CharField(
        label=_("您的意见"), max_length=MAX_OPINION_CHARS, widget=forms.Textarea(attrs={"rows": 4})
    )
    name = forms.CharField(label=_("姓名（选填，不公开）"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("手机号码（选填，不公开，用于通知采纳情况）"),
        max_length=11,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
    )


class TrackForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=20)


class DraftForm(forms.Form):
    title = forms.CharField(label=_("草案名称"), max_length=200)
    issuer = forms.CharField(label=_("征求意见单位"), max_length=100, help_text=_("如 全国人大常委会法工委"))
    stage = forms.CharField(label=_("审议阶段"), max_length=30, help_text=_("如 一审稿、二审稿"))
    opens_on = BoundedFormDateField(label=_("征求意见开始日期"), widget=DateInput)
    closes_on = BoundedFormDateField(label=_("征求意见截止日期"), widget=DateInput)
    stations = forms.MultipleChoiceField(
        label=_("分派到立法联系点"), required=False, widget=forms.CheckboxSelectMultiple
    )
    background = forms.CharField(
        label=_("起草说明"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    text = forms.CharField(
        label=_("草案全文"),
        max_length=300000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("粘贴草案全文，系统按“第X章”“第X条”自动拆分，公开前可以修改。"),
    )

    def __init__(self, *args, stations=(), previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stations"].choices = [(str(s.pk), s.name) for s in stations]
        if previous is not None:
            self.fields["title"].initial = previous.title
            self.fields["issuer"].initial = previous.issuer


class ResplitForm(forms.Form):
    text = forms.CharField(label=_("草案全文"), max_length=300000, widget=forms.Textarea(attrs={"rows": 16}))


class ArticleForm(forms.Form):
    chapter = forms.CharField(label=_("章节"), max_length=200, required=False)
    text = forms.CharField(label=_("条文"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))


class ForumForm(forms.Form):
    station = forms.ChoiceField(label=_("联系点"))
    held_on = BoundedFormDateField(label=_("召开日期"), widget=DateInput)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    attendance = forms.IntegerField(label=_("参加人数"), min_value=1, max_value=100000)
    minutes = forms.CharField(
        label=_("会议纪要"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    opinions = forms.CharField(
        label=_("座谈会意见"),
        max_length=200000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("每行一条意见；针对某一条的，以“第X条：”开头。"),
    )

    def __init__(self, *args, stations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = [(str(s.pk), s.name) for s in stations]


class RecordForm(forms.Form):
    station = forms.ChoiceField(label=_("联系点"))
    source = forms.ChoiceField(
        label=_("来源"),
        choices=[
            (Opinion.Source.EXPERT, Opinion.Source.EXPERT.label),
            (Opinion.Source.DELEGATE, Opinion.Source.DELEGATE.label),
            (Opinion.Source.INFORMANT, Opinion.Source.INFORMANT.label),
        ],
    )
    expert = forms.ChoiceField(label=_("专家"), required=False)
    delegate = forms.IntegerField(label=_("代表编号"), required=False, min_value=1, max_value=2**62)
    article = forms.ChoiceField(label=_("条文"), required=False)
    content = forms.CharField(
        label=_("意见内容"), max_length=MAX_OPINION_CHARS, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, stations=(), experts=(), articles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = [(str(s.pk), s.name) for s in stations]
        self.fields["expert"].choices = [("", "—")] + [
            (str(e.pk), f"{e.name}（{e.station.name}）") for e in experts
        ]
        self.fields["article"].choices = [("", _("草案整体"))] + [(str(a.pk), a.label) for a in articles]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("采纳情况"), choices=Opinion.Outcome.choices)
    note = forms.CharField(label=_("说明"), max_length=2000, required=False)

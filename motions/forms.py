from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.satisfaction import Satisfaction
from liaison.uploads.fields import MultipleFileInput

from .models import Contact, FormalSuggestion, ReplyClass


class MotionForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    content = forms.CharField(label=_("内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    kind = forms.ChoiceField(
        label=_("类别"),
        choices=FormalSuggestion.Kind.choices,
        initial="suggestion",
        help_text=_("议案须有足够的代表附议，否则作为建议办理。"),
    )
    cosigners = forms.MultipleChoiceField(
        label=_("邀请附议代表"), required=False, widget=forms.CheckboxSelectMultiple
    )
    attachments = forms.FileField(
        label=_("附件（照片或 PDF，每个不超过 10 MB）"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    def __init__(self, *args, peers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cosigners"].choices = [(d.pk, d.name) for d in peers]


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("评价"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ContactForm(forms.Form):
    way = forms.ChoiceField(label=_("沟通方式"), choices=Contact.Way.choices)
    note = forms.CharField(label=_("沟通情况"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    reply_class = forms.ChoiceField(label=_("答复类别"), choices=ReplyClass.choices, widget=forms.RadioSelect)
    content = forms.CharField(label=_("答复内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    public = forms.BooleanField(label=_("答复公开"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("转为参阅件的理由"), max_length=500)


class ReferForm(forms.Form):
    lead_unit = forms.ModelChoiceField(label=_("主办单位"), queryset=None)
    cohandling_units = forms.ModelMultipleChoiceField(
        label=_("会办单位"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    key = forms.BooleanField(label=_("重点建议"), required=False)
    leader = forms.CharField(label=_("领衔督办领导"), max_length=50, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units
        self.fields["cohandling_units"].queryset = units

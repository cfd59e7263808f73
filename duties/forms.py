from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.satisfaction import Satisfaction
from liaison.widgets import DateInput
from supervision.forms import PhoneForm, SupportForm  # noqa: F401 - the one phone/code form pair, reused

from .models import SELF_REPORTED_KINDS


class RatingForm(SupportForm):
    rating = forms.ChoiceField(label=_("您的评价"), choices=Satisfaction.choices, widget=forms.RadioSelect)


class SelfReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("履职类型"), choices=[(k.value, k.label) for k in SELF_REPORTED_KINDS])
    occurred_on = forms.DateField(label=_("日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(
        label=_("佐证材料（照片或PDF，可选）"), required=False, help_text=_("照片或PDF文件，将经过格式检查。")
    )

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("日期不能晚于今天。"))
        return value


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("不通过理由"), max_length=500)

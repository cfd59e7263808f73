"""The admins' form for the tally sheet of a vote counted on paper or by a device; the numbers are checked by
supervision.services.assessment_counts, whose field errors land on these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bodies.models import Counting


def _count(label, required=False):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=100_000,
        required=required,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class TallyForm(forms.Form):
    method = forms.ChoiceField(
        label=_("计票方式"),
        choices=[(Counting.PAPER, Counting.PAPER.label), (Counting.DEVICE, Counting.DEVICE.label)],
    )
    present = _count(_("实到人数"), required=True)
    papers_issued = _count(_("发出选票（不填则等于实到人数）"))
    papers_returned = _count(_("收回选票（不填则等于发出选票）"))
    invalid = _count(_("无效票（不填为0）"))
    valid = _count(_("有效票（不填则为收回减无效）"))
    satisfied = _count(_("满意"), required=True)
    basically_satisfied = _count(_("基本满意"), required=True)
    unsatisfied = _count(_("不满意"), required=True)
    note = forms.CharField(label=_("计票说明"), max_length=500, required=False)

    def counts(self) -> dict:
        return dict(self.cleaned_data)

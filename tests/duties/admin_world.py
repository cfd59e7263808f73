"""The duties part of tests/liaison/admin_world.py: one object of each area-scoped duties admin in 商州区."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from duties.models import DutyEntry
from duties.services.records import self_report_submit
from duties.services.report_backs import report_back_schedule
from duties.services.trainings import training_create


def build(tree, station, delegate, staff) -> dict:
    today = timezone.localdate()
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    photo = SimpleUploadedFile("e.png", buf.getvalue(), content_type="image/png")
    report = self_report_submit(
        delegate=delegate, kind="award", occurred_on=today, note="表彰", evidence=photo
    )
    training = training_create(
        title="培训", held_on=today, area=tree.county, attendees=[delegate.pk], actor=staff
    )
    rb = report_back_schedule(delegate_id=delegate.pk, station=station, scheduled_on=today, actor=staff)
    return {
        "duties.dutyentry": list(DutyEntry.objects.filter(delegate=delegate)),
        "duties.selfreport": [report],
        "duties.training": [training],
        "duties.reportback": [rb],
    }

"""The channel rules of formal suggestions on the shared machinery: extension to at most 6 months, the rating
window of 30 days that closes it when it lapses, and the register export's formula-safe cells."""

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from motions.models import FormalSuggestion
from motions.services.filing import motion_save
from motions.services.handling import motion_contact, motion_refer, motion_register, motion_reply
from suggestions.jobs import suggestion_close_expired

from .conftest import at

pytestmark = pytest.mark.django_db


def _referred(lead, staff, unit, title="关于修路的建议", session=None):
    m = motion_save(lead=lead, title=title, content="内容", session=session)
    motion_register(motion_id=m.pk, actor=staff)
    motion_refer(motion_id=m.pk, lead_unit=unit, actor=staff)
    return FormalSuggestion.objects.select_related("suggestion").get(pk=m.pk)


def test_extension_up_to_six_months(delegate_user, staff, unit, unit_user, client_for):
    with at(dt.date(2026, 3, 2)):
        m = _referred(delegate_user.delegate, staff, unit)
        ref = m.suggestion.referrals.get()
        assert ref.due == dt.date(2026, 6, 2)
        api = client_for(unit_user)
        url = f"/api/v1/referrals/{ref.pk}/extension/"
        r = api.post(url, {"requested_due": "2026-09-03", "reason": "需立项"}, format="json")
        assert r.status_code == 400, r.content  # past six months from the referral
        r = api.post(url, {"requested_due": "2026-09-02", "reason": "需立项"}, format="json")
        assert r.status_code in (200, 201), r.content


def test_no_rating_within_30_days_closes_it(delegate_user, staff, unit, unit_user):
    with at(dt.date(2026, 3, 2)):
        m = _referred(delegate_user.delegate, staff, unit)
        motion_contact(motion_id=m.pk, way="phone", note="电话", actor=unit_user)
        motion_reply(motion_id=m.pk, reply_class="B", content="列入计划", public=False, actor=unit_user)
    m.suggestion.refresh_from_db()
    assert m.suggestion.rating_due == dt.date(2026, 4, 1)
    assert suggestion_close_expired(today=dt.date(2026, 4, 1)) == 0
    assert suggestion_close_expired(today=dt.date(2026, 4, 2)) == 1
    m.refresh_from_db()
    assert m.status == "closed" and m.suggestion.rating == ""


def test_export_cells_are_not_formulas(delegate_user, staff, unit):
    _referred(delegate_user.delegate, staff, unit, title='=HYPERLINK("http://evil","x")')
    c = Client()
    c.force_login(staff)
    r = c.get("/workspace/motions/staff/export/")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    ws = wb.active
    titles = [row[3].value for row in ws.iter_rows(min_row=3)]
    assert titles == ['\'=HYPERLINK("http://evil","x")']


def test_other_area_staff_cannot_export_or_see_stats_of_my_area(other_staff, tree):
    c = Client()
    c.force_login(other_staff)
    assert c.get(f"/workspace/motions/staff/stats/?area={tree.county.code}").status_code == 404
    assert c.get(f"/workspace/motions/staff/export/?area={tree.county.code}").status_code == 404

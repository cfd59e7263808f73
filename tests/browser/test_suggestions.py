"""A constituent submits the form with a photo on a phone, follows the tracking page, and rates the reply."""

import pytest
from PIL import Image

from suggestions.models import Suggestion
from suggestions.services.referrals import referral_reply, suggestion_refer
from suggestions.services.triage import suggestion_accept

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submit_track_and_rate(page, station, staff, unit, unit_user, tmp_path):
    photo = tmp_path / "lamp.png"
    Image.new("RGB", (64, 48), (30, 30, 30)).save(photo, format="PNG")

    page.goto(f"/suggest/?station={station.pk}")
    page.fill("input[name=title]", "小区路灯不亮")
    page.fill("textarea[name=content]", "东关社区3号楼前的路灯坏了一个月。")
    page.select_option("select[name=category]", "urban")
    page.fill("input[name=phone]", "13812341234")
    page.set_input_files("input[name=photos]", str(photo))
    page.click(".suggestion-form button[type=submit]")

    code = page.locator("#tracking-code").inner_text().strip()
    assert len(code) == 10
    assert page.locator(".qr svg").count() == 1
    s = Suggestion.objects.get(tracking_code=code)
    assert s.photos.count() == 1 and s.station == station

    page.click(f"a[href='/track/{code}/']")
    assert page.locator("#status").inner_text() == "待受理"
    assert "13812341234" not in page.content()

    # Staff accept and refer; the unit replies (through the services, as their pages do).
    suggestion_accept(suggestion_id=s.pk, actor=staff)
    suggestion_refer(suggestion_id=s.pk, lead_unit=unit, actor=staff)
    referral_reply(referral_id=s.referrals.get().pk, result="solved", content="路灯已修复。", actor=unit_user)

    page.reload()
    assert page.locator("#status").inner_text() == "已答复"
    assert "路灯已修复。" in page.locator(".reply").inner_text()
    page.check("input[name=rating][value=satisfied]")
    page.click(".rating-form button[type=submit]")
    page.wait_for_selector("text=感谢您的评价")
    assert page.locator("#status").inner_text() == "已办结"
    assert "已办结" in page.locator(".timeline").inner_text()
    s.refresh_from_db()
    assert s.status == "closed" and s.rating == "satisfied"

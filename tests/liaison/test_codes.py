"""One code generator (liaison.codes): phone-safe codes everywhere, and a collision draws another code."""

import pytest

from liaison import codes
from liaison.errors import Conflict
from stations.models import Appointment, Delegate
from suggestions.models import Suggestion
from suggestions.services.intake import suggestion_submit
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

MISREADABLE = set("0O1I")


def _submit(station, **kw):
    data = {"title": "小区路灯不亮", "content": "东关社区3号楼前的路灯坏了一个月。", "station": station}
    return suggestion_submit(**{**data, **kw})


def _scripted(monkeypatch, *drawn):
    """Make liaison.codes draw the given codes first (then random ones), as if chance repeated a code."""
    queue = list(drawn)
    real = codes.new_code

    def fake(length=10, prefix=""):
        return prefix + queue.pop(0) if queue else real(length, prefix)

    monkeypatch.setattr(codes, "new_code", fake)
    return queue


def test_a_code_has_no_misreadable_characters():
    for _ in range(200):
        code = codes.new_code()
        assert len(code) == 10 and not set(code) & MISREADABLE and code == code.upper()
    assert codes.new_code(7, prefix="A").startswith("A") and len(codes.new_code(7, prefix="A")) == 8


def test_normalise_code_drops_separators_and_case():
    assert codes.normalise_code(" ab-cd 23 ") == "ABCD23"
    assert len(codes.normalise_code("X" * 40)) == 12


def test_every_generated_code_is_phone_safe(api, station, delegate):
    s = _submit(station)
    r = api.post(
        "/api/v1/appointments/",
        {"delegate": delegate.pk, "name": "王小明", "phone": "13812341234", "subject": "想反映小区停车难"},
        format="json",
    )
    assert r.status_code == 201, r.content
    appointment = r.json()["code"]
    assert appointment.startswith("A") and len(appointment) == 8
    assert len(Delegate.new_code()) == 8
    for code in (s.tracking_code, appointment[1:], Delegate.new_code()):
        assert not set(code) & MISREADABLE


def test_a_collision_retries_with_another_code(monkeypatch, station):
    first = _submit(station)
    left = _scripted(monkeypatch, first.tracking_code, "ZZZZZZZZZZ")
    second = _submit(station)
    assert second.tracking_code == "ZZZZZZZZZZ" and not left
    assert Suggestion.objects.count() == 2


def test_an_appointment_collision_retries(monkeypatch, delegate):
    AppointmentFactory(delegate=delegate, code="ABBBBBBB")
    _scripted(monkeypatch, "BBBBBBB", "CCCCCCC")
    from stations.services import appointment_request

    appt = appointment_request(delegate=delegate, name="王小明", phone="13812341234", subject="停车难")
    assert appt.code == "ACCCCCCC"


def test_endless_collisions_are_a_conflict_not_a_500(monkeypatch, station):
    first = _submit(station)
    monkeypatch.setattr(codes, "new_code", lambda length=10, prefix="": first.tracking_code)
    with pytest.raises(Conflict):
        _submit(station)
    assert Suggestion.objects.count() == 1


def test_old_hex_appointment_codes_are_still_found(client, delegate):
    AppointmentFactory(delegate=delegate, code="A1B2C3D")
    assert client.get("/appointments/a1b2c3d/").status_code == 200
    assert client.get("/appointments/A1B2C3D/done/").status_code == 200
    assert Appointment.objects.filter(code="A1B2C3D").exists()


def test_a_reception_log_uses_the_one_phone_rule(delegate, station):
    """`^1[3-9]\\d{9}$` everywhere: the reception log's looser `1\\d{10}` copy is gone."""
    import datetime as dt

    from liaison.errors import ValidationFailed
    from stations.services import reception_log_create

    def log(phone):
        return reception_log_create(
            delegate=delegate,
            station=station,
            held_on=dt.date(2026, 3, 2),
            visitors=1,
            summary="接待",
            items=[{"content": "路灯不亮", "phone": phone}],
        )

    with pytest.raises(ValidationFailed) as exc:
        log("12012341234")
    assert exc.value.field_errors == {"phone": ["请输入11位手机号码。"]}
    assert log("13812341234").items.get().constituent_phone == "13812341234"

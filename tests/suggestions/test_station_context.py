"""Writing to a delegate from a station's page keeps the station (and its area): the opinion is filed where
the constituent came from, so the station's triage queue and the similar-opinion search find it."""

import pytest

from suggestions.models import Suggestion
from tests.html import parse

pytestmark = pytest.mark.django_db


def _follow(client, url, link_text):
    links = parse(client.get(url)).links()
    return next(href for href, text in links.items() if text == link_text)


def test_writing_to_a_delegate_from_a_stations_page_files_it_under_the_station(
    client, tree, station, delegate
):
    delegate_url = _follow(client, f"/stations/{station.pk}/", delegate.name)
    write_url = _follow(client, delegate_url, "给代表写信")
    form = parse(client.get(write_url))
    assert station.name in form.find("section.card").text  # the form says where it goes

    r = client.post(
        write_url,
        {
            "station": form.find("input[name=station]").attrs["value"],
            "delegate": form.find("input[name=delegate]").attrs["value"],
            "title": "小区路灯不亮",
            "content": "东关社区3号楼前的路灯坏了一个月。",
            "category": "urban",
        },
    )
    assert r.status_code == 302
    s = Suggestion.objects.get()
    assert (s.delegate, s.station, s.area) == (delegate, station, station.area)


def test_asking_for_an_appointment_from_a_stations_page_proposes_that_station(client, station, delegate):
    delegate_url = _follow(client, f"/stations/{station.pk}/", delegate.name)
    appointment_url = _follow(client, delegate_url, "预约见面")
    select = parse(client.get(appointment_url)).find("select[name=station]")
    selected = [o.attrs["value"] for o in select.find_all("option") if "selected" in o.attrs]
    assert selected == [str(station.pk)]


def test_a_station_the_delegate_is_not_in_is_not_carried(client, station, other_station, delegate):
    links = parse(client.get(f"/delegates/{delegate.pk}/?station={other_station.pk}")).links()
    write = next(href for href, text in links.items() if text == "给代表写信")
    assert f"station={other_station.pk}" not in write
    assert client.get(f"/delegates/{delegate.pk}/?station=abc").status_code == 200

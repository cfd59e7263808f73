"""On a phone, with a mocked location, the home page finds the nearest stations; the figures page shows its
charts and numbers."""

from decimal import Decimal

import pytest

from suggestions.services.intake import suggestion_submit
from tests.factories import StationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_the_nearest_station_on_a_phone(page, tree, station):
    near = StationFactory(
        area=tree.township, name="北新街联络点", latitude=Decimal("33.8700"), longitude=Decimal("109.9410")
    )
    StationFactory(
        area=tree.other_township,
        name="洛南城关站",
        latitude=Decimal("34.0900"),
        longitude=Decimal("110.1480"),
    )
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 33.8689, "longitude": 109.9405})
    page.goto("/")
    button = page.locator("[data-nearby-find]")
    button.click()
    first = page.locator("[data-nearby-list] li").first
    first.wait_for()
    assert near.name in first.inner_text()
    assert "米" in first.inner_text()  # ~130 m
    items = page.locator("[data-nearby-list] li")
    assert items.count() == 2
    assert "洛南城关站" in items.nth(1).inner_text() and "公里" in items.nth(1).inner_text()
    assert station.name not in page.locator("[data-nearby-list]").inner_text()  # no coordinates
    first.locator("a").click()
    page.wait_for_url(f"**/stations/{near.pk}/")


def test_nearby_denied_falls_back_to_the_finder(page, tree, station):
    page.goto("/")  # no permission granted: the browser refuses
    page.locator("[data-nearby-find]").click()
    page.wait_for_function("document.querySelector('[data-nearby-status]').textContent.includes('未能获取')")
    assert station.name in page.locator("#finder").inner_text()


def test_figures_page_shows_charts_and_numbers(page, tree, station):
    for i in range(3):
        suggestion_submit(title=f"意见{i}", content="内容", station=station, category="urban")
    page.goto(f"/figures/?area={tree.county.code}")
    received = page.locator("#figures-opinions [data-figure=received]")
    assert received.inner_text() == "3"
    chart = page.locator("#chart-opinions-opinions_by_month svg")
    assert chart.is_visible() and chart.get_attribute("role") == "img"
    box = chart.bounding_box()
    assert box["width"] <= 390 and box["height"] > 50  # fits the phone
    assert page.locator("#chart-opinions-opinions_by_month rect.chart-bar").count() == 12
    assert "3" in page.locator("#chart-opinions-opinions_by_month table").inner_text()
    # The area picker moves to another county (the select submits itself).
    page.select_option("select[name=area]", tree.other_county.code)
    page.wait_for_url(f"**area={tree.other_county.code}**")
    assert page.locator("#figures-opinions [data-figure=received]").inner_text() == "0"

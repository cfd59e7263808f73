"""The Content-Security-Policy holds in a real browser: the public pages, the workspace, the admin and the API
pages load and work without a single violation reported in Chromium's console."""

import re

import pytest
from playwright.sync_api import expect

from suggestions.services.intake import suggestion_submit
from tests.conftest import PASSWORD
from tests.factories import HandlingUnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Violations:
    """Every console message and page error about the policy, with the page it came from."""

    def __init__(self, page):
        self.seen: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.seen.append(f"{page.url}: page error {error}"))
        self.page = page

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.seen.append(f"{self.page.url}: {message.text}")

    def visit(self, path: str):
        response = self.page.goto(path)
        assert response is not None and response.status == 200, path
        policy = response.header_value("content-security-policy") or ""
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        # Scripts from the portal only (and, where a page needs one, a nonce): never inline or eval.
        assert directives["script-src"].startswith("'self'") and "unsafe" not in directives["script-src"], (
            path
        )
        self.page.wait_for_load_state("load")
        return response


@pytest.fixture
def violations(page):
    return Violations(page)


def _login(page, username: str):
    page.goto("/accounts/login/?next=/workspace/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/workspace/$"))


def test_public_pages_load_and_work_without_a_policy_violation(page, violations, tree, station, delegate):
    for path in [
        "/",
        f"/stations/{station.pk}/",
        f"/stations/{station.pk}/poster/",
        "/delegates/",
        f"/delegates/{delegate.pk}/",
        f"/delegates/{delegate.pk}/appointment/",
        "/suggest/",
        "/track/",
        "/proposals/",
        "/proposals/new/",
        "/projects/",
        "/supervision/",
        "/accounts/login/",
    ]:
        violations.visit(path)

    # portal.js runs under the policy: the phone-sized menu opens, htmx drills down the area tree in place.
    violations.visit("/")
    expect(page.locator(".site-nav")).to_be_hidden()
    page.locator("[data-nav-toggle]").click()
    expect(page.locator(".site-nav")).to_be_visible()
    page.locator("a.area-link", has_text="陕西省").click()
    expect(page.locator(".breadcrumb strong")).to_have_text("陕西省")
    assert violations.seen == []


def test_workspace_admin_and_api_pages_load_without_a_policy_violation(
    page, violations, tree, station, delegate, staff
):
    unit = HandlingUnitFactory(area=tree.county)
    for i in range(3):
        suggestion_submit(title=f"路灯不亮{i}", content="东关路口的路灯坏了", station=station)
    _login(page, staff.username)
    for path in [
        "/workspace/",
        "/workspace/suggestions/",
        "/workspace/suggestions/stats/",
        "/workspace/voting/proposals/",
        "/admin/",
        "/admin/stations/station/",
        f"/admin/stations/station/{station.pk}/change/",
        f"/admin/stations/handlingunit/{unit.pk}/change/",
        f"/admin/stations/station/{station.pk}/history/",
        "/api/v1/areas/",
    ]:
        violations.visit(path)

    # The statistics charts are server-rendered SVG styled by classes (a style attribute would be refused).
    violations.visit("/workspace/suggestions/stats/")
    bar = page.locator(".stats-chart svg rect.chart-bar").first
    expect(bar).to_be_visible()
    assert float(bar.get_attribute("width")) > 0

    # Swagger UI renders from the split view's same-origin script, its inline style carrying the nonce.
    response = violations.visit("/api/v1/docs/")
    assert "'nonce-" in response.header_value("content-security-policy")
    expect(page.locator(".swagger-ui .info .title")).to_be_visible(
        timeout=30_000
    )  # the UI bundle is large: slow on a busy machine
    assert violations.seen == []

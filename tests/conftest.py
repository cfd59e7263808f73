"""Named personas and the area tree they live in, shared by every test module.

The tree is a slice of 商洛市: two counties side by side, so cross-area tests read naturally
(staff of 商州区 must never see 洛南县's objects).
"""

import logging
import os
import re
import shutil

import pytest
from rest_framework.test import APIClient

from liaison.accounts.models import User
from liaison.privacy import mask_phone
from stations.models import Area, Delegate

from .factories import (
    AreaFactory,
    DelegateFactory,
    HandlingUnitFactory,
    MembershipFactory,
    StationFactory,
    UserFactory,
)

PASSWORD = "pw-Liaison-2026"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from liaison.workdays import forget_overrides

    cache.clear()
    forget_overrides()
    yield
    cache.clear()
    forget_overrides()


@pytest.fixture
def tree(db):
    province = AreaFactory(code="610000000000", name="陕西省", tier=Area.Tier.PROVINCE)
    city = AreaFactory(code="611000000000", name="商洛市", tier=Area.Tier.CITY, parent=province)
    county = AreaFactory(code="611002000000", name="商州区", tier=Area.Tier.COUNTY, parent=city)
    other_county = AreaFactory(code="611021000000", name="洛南县", tier=Area.Tier.COUNTY, parent=city)
    township = AreaFactory(code="611002001000", name="城关街道", tier=Area.Tier.TOWNSHIP, parent=county)
    village = AreaFactory(code="611002001001", name="东关社区", tier=Area.Tier.VILLAGE, parent=township)
    other_township = AreaFactory(
        code="611021100000", name="城关镇", tier=Area.Tier.TOWNSHIP, parent=other_county
    )

    class Tree:
        pass

    t = Tree()
    t.province, t.city, t.county, t.other_county = province, city, county, other_county
    t.township, t.village, t.other_township = township, village, other_township
    return t


@pytest.fixture
def station(tree):
    return StationFactory(
        name="城关街道中心联络站", kind="centre", area=tree.township, address="商州区北新街1号"
    )


@pytest.fixture
def other_station(tree):
    return StationFactory(name="城关镇中心联络站", kind="centre", area=tree.other_township)


@pytest.fixture
def delegate(tree, station):
    d = DelegateFactory(name="李桂兰", level=Delegate.Level.COUNTY, area=tree.county, mobile="13900000001")
    MembershipFactory(station=station, delegate=d, role="head")
    return d


@pytest.fixture
def other_delegate(tree, other_station):
    d = DelegateFactory(name="赵建国", level=Delegate.Level.COUNTY, area=tree.other_county)
    MembershipFactory(station=other_station, delegate=d)
    return d


@pytest.fixture
def unit(tree):
    return HandlingUnitFactory(name="商州区住房和城乡建设局", area=tree.county)


@pytest.fixture
def other_unit(tree):
    return HandlingUnitFactory(name="商州区交通运输局", area=tree.county)


def _user(username, **kw):
    return UserFactory(username=username, **kw)


@pytest.fixture
def admin_user(tree):
    return _user("admin", role=User.Role.ADMIN, area=tree.city, is_staff=True)


@pytest.fixture
def staff(tree):
    """Staff of 商州区."""
    return _user(
        "staff_sz", role=User.Role.STAFF, area=tree.county, is_staff=True, email="staff@sz.example.cn"
    )


@pytest.fixture
def city_staff(tree):
    return _user("staff_city", role=User.Role.STAFF, area=tree.city, is_staff=True)


@pytest.fixture
def other_staff(tree):
    """Staff of the neighbouring 洛南县."""
    return _user("staff_ln", role=User.Role.STAFF, area=tree.other_county, is_staff=True)


@pytest.fixture
def unit_user(unit):
    return _user("unit_zj", role=User.Role.UNIT, area=unit.area, unit=unit, email="zj@example.cn")


@pytest.fixture
def other_unit_user(other_unit):
    return _user("unit_jt", role=User.Role.UNIT, area=other_unit.area, unit=other_unit)


@pytest.fixture
def delegate_user(delegate):
    return _user("delegate01", role=User.Role.DELEGATE, delegate=delegate)


@pytest.fixture
def other_delegate_user(other_delegate):
    return _user("delegate02", role=User.Role.DELEGATE, delegate=other_delegate)


@pytest.fixture
def api():
    """An anonymous API client (the constituent)."""
    return APIClient()


@pytest.fixture
def client_for():
    """`client_for(user)`: an API client authenticated as that user (forced auth: no session queries)."""

    def make(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    return make


# --- Browser tests -----------------------------------------------------------------------------------------
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER", "") == "1"


def _browser_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed"
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        return f"Chromium was not found at {CHROMIUM}"
    return None


def pytest_collection_modifyitems(config, items):
    browser_items = [i for i in items if "browser" in i.keywords]
    if not browser_items:
        return
    reason = _browser_missing()
    if reason is None:
        return
    if REQUIRE_BROWSER:
        raise pytest.UsageError(f"Browser tests are required here (REQUIRE_BROWSER=1) but {reason}.")
    config._liaison_browser_skip = (
        f"{len(browser_items)} browser tests skipped: {reason} (apt install chromium to run them)."
    )
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=config._liaison_browser_skip))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    message = getattr(config, "_liaison_browser_skip", None)
    if message:
        terminalreporter.write_line(message, yellow=True)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the portal in headless Chromium through Playwright")
    config.addinivalue_line("markers", "postgres: needs PostgreSQL (skipped on SQLite)")


@pytest.fixture
def page(live_server):
    """A Playwright page in headless Chromium, phone-sized, pointed at the live server."""
    from playwright.sync_api import sync_playwright

    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="zh-CN", base_url=live_server.url
        )
        pg = context.new_page()
        pg.set_default_timeout(15000)
        yield pg
        context.close()
        browser.close()


class SmsCapture(logging.Handler):
    """The messages the logging SMS backend wrote (`SMS to 138****1234: …`), to read a one-time code back."""

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())

    def code_for(self, phone: str) -> str:
        for message in reversed(self.messages):
            m = re.search(rf"SMS to {re.escape(mask_phone(phone))}: .*?(\d{{6}})", message)
            if m:
                return m.group(1)
        raise AssertionError(f"no SMS to {phone} in {self.messages}")


@pytest.fixture
def sms():
    """Capture the logging SMS backend's lines; `sms.code_for(phone)` is the last 6-digit code sent there."""
    handler = SmsCapture()
    logger = logging.getLogger("liaison.sms")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(old_level)

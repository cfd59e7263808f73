import datetime as dt

import pytest
from django.utils import timezone

from legislation.models import Informant
from liaison.accounts.models import User
from tests.factories import StationFactory, UserFactory

from .texts import numbered_draft


@pytest.fixture
def point(tree):
    """The 基层立法联系点 of 城关街道 (商州区)."""
    return StationFactory(name="城关街道基层立法联系点", kind="legislative", area=tree.township)


@pytest.fixture
def other_point(tree):
    return StationFactory(name="城关镇基层立法联系点", kind="legislative", area=tree.other_township)


@pytest.fixture
def informant(tree, point):
    user = UserFactory(username="informant01", role=User.Role.INFORMANT, area=tree.township)
    Informant.objects.create(user=user, station=point)
    return user


@pytest.fixture
def draft_payload(point):
    today = timezone.localdate()

    def make(n=50, **kw):
        body = {
            "title": "商洛市社区服务条例（草案）",
            "issuer": "市人大常委会法工委",
            "stage": "一审稿",
            "opens_on": today.isoformat(),
            "closes_on": (today + dt.timedelta(days=30)).isoformat(),
            "text": numbered_draft(n),
            "stations": [point.pk],
        }
        body.update(kw)
        return body

    return make


@pytest.fixture
def open_draft(client_for, staff, draft_payload):
    """An open 20-article draft of 商州区 assigned to the point; returns its JSON (with articles)."""
    c = client_for(staff)
    r = c.post("/api/v1/drafts/", draft_payload(20), format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert c.post(f"/api/v1/drafts/{pk}/open/").status_code == 200
    return c.get(f"/api/v1/drafts/{pk}/").json()

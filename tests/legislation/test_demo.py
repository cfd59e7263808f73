import io

import pytest
from django.apps import apps

from legislation.models import Draft, Opinion
from liaison.accounts.models import User
from tests.factories import StationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_one_open_and_one_finished_consultation(tree, client):
    UserFactory(username="staff", role=User.Role.STAFF, area=tree.county, is_staff=True)
    StationFactory(name="商洛市人大常委会基层立法联系点（城关街道）", kind="legislative", area=tree.township)
    config = apps.get_app_config("legislation")
    out = io.StringIO()
    config.seed_demo(out)
    config.seed_demo(out)
    assert "demo data present" in out.getvalue()
    finished = Draft.objects.get(status="feedback_published")
    second = Draft.objects.get(status="open")
    assert second.previous == finished
    assert Opinion.objects.filter(draft=finished, status="forwarded").exclude(outcome="").count() == 5
    assert client.get(f"/legislation/drafts/{second.pk}/diff/").status_code == 200
    assert client.get(f"/legislation/drafts/{finished.pk}/feedback/").status_code == 200

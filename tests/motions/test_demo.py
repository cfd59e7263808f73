import io

import pytest
from django.apps import apps

from liaison.accounts.models import User
from motions.models import FormalSuggestion, Status
from tests.factories import DelegateFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_covers_every_state(tree, unit, other_unit, monkeypatch):
    monkeypatch.setattr("motions.demo.DEMO_COUNT", 16)  # two in each state: the test stays quick
    UserFactory(username="staff", role=User.Role.STAFF, area=tree.city, is_staff=True)
    UserFactory(username="unit", role=User.Role.UNIT, area=unit.area, unit=unit)
    for i in range(1, 6):
        UserFactory(
            username=f"delegate{i:02d}", role=User.Role.DELEGATE, delegate=DelegateFactory(area=tree.county)
        )
    config = apps.get_app_config("motions")
    out = io.StringIO()
    config.seed_demo(out)
    config.seed_demo(out)
    assert FormalSuggestion.objects.count() == 16
    states = {m.status for m in FormalSuggestion.objects.select_related("suggestion")}
    assert states == set(Status.values) - {"draft"}
    assert "demo data present" in out.getvalue()

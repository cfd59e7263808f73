import io

import pytest
from django.apps import apps

from liaison.accounts.models import User
from supervision.models import Activity, Assessment, Rectification, Topic
from tests.factories import DelegateFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(tree, unit):
    UserFactory(username="staff", role=User.Role.STAFF, area=tree.city, is_staff=True)
    UserFactory(username="unit", role=User.Role.UNIT, area=unit.area, unit=unit)
    for i in range(1, 6):
        UserFactory(
            username=f"delegate{i:02d}", role=User.Role.DELEGATE, delegate=DelegateFactory(area=tree.county)
        )
    config = apps.get_app_config("supervision")
    out = io.StringIO()
    config.seed_demo(out)
    config.seed_demo(out)
    assert Topic.objects.count() == 4
    assert Activity.objects.count() == 1
    assert Rectification.objects.filter(source="opinion").count() == 1
    a = Assessment.objects.get()
    assert a.status == "closed" and a.outcome == "satisfied"
    top = Topic.objects.order_by("-supports_count").first()
    assert top.supports_count == top.supports.count() == 86
    assert "demo data present" in out.getvalue()

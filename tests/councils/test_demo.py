import io

import pytest
from django.apps import apps

from bodies.models import Body
from councils.models import Meeting
from liaison.accounts.models import User
from suggestions.models import Suggestion
from tests.factories import DelegateFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_a_council_with_a_meeting_to_each_street(tree, client):
    admin = UserFactory(
        username="admin", role=User.Role.ADMIN, area=tree.city, is_staff=True, email="admin@demo.example.cn"
    )
    admin.set_password("liaison-demo-2026")
    admin.save()
    for i in range(4):
        DelegateFactory(name=f"代表{i}", area=tree.county)
    config = apps.get_app_config("councils")
    out = io.StringIO()
    config.seed_demo(out)
    config.seed_demo(out)
    assert "demo data present" in out.getvalue()
    # 城关街道 is the tree's one street (城关镇 is a town, not a street)
    council = Body.objects.get(kind="street_council")
    assert council.area == tree.township
    assert council.members.count() == 15 and council.members.filter(delegate__isnull=False).count() == 3
    member = council.members.get(user__isnull=False)
    assert member.user.username == "member01" and member.user.check_password("liaison-demo-2026")
    meeting = Meeting.objects.get(body=council)
    assert meeting.minutes and meeting.opinions.count() == 2
    assert Suggestion.objects.filter(channel="council", status="accepted").count() == 2
    html = client.get(f"/councils/{council.pk}/").content.decode()
    assert council.name in html and meeting.opinions.first().suggestion.tracking_code in html
    assert "1350914" not in html

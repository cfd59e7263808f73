import datetime as dt

import pytest

from bodies.models import Body
from bodies.services import body_create, member_add
from liaison.accounts.models import User
from tests.factories import UserFactory

PHONE = "13712345678"


@pytest.fixture
def county_admin(tree):
    return UserFactory(username="admin_sz", role=User.Role.ADMIN, area=tree.county, is_staff=True)


@pytest.fixture
def council(tree):
    """城关街道议政代表会: a delegate, two residents (one with a contact), an enterprise; members since a month."""
    return body_create(name="城关街道议政代表会", kind=Body.Kind.STREET_COUNCIL, area=tree.township, term=1)


@pytest.fixture
def members(council, delegate):
    since = dt.date.today() - dt.timedelta(days=30)
    d, _ = member_add(body=council, delegate=delegate, joined_on=since)
    r1, _ = member_add(body=council, name="王秀兰", sector="resident", phone=PHONE, joined_on=since)
    r2, _ = member_add(body=council, name="张建华", sector="resident", joined_on=since)
    e, _ = member_add(body=council, name="刘德明", sector="enterprise", joined_on=since)

    class M:
        pass

    m = M()
    m.delegate, m.resident, m.resident2, m.enterprise = d, r1, r2, e
    return m

"""The one rule for who receives a message (liaison.notifications.recipients)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.accounts.models import User
from liaison.notifications.recipients import (
    handling_staff,
    handling_staff_recipients,
    supervising_staff,
    unit_recipients,
    unit_users,
)
from liaison.notifications.services import Recipient
from stations.models import HandlingUnit
from tests.factories import HandlingUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- unit users ----------------------------------------------------------------------------------------------
def test_unit_users_are_active_users_of_role_unit(unit, tree):
    a = UserFactory(username="u_a", role=User.Role.UNIT, unit=unit, email="a@example.cn")
    UserFactory(username="u_off", role=User.Role.UNIT, unit=unit, is_active=False)
    UserFactory(username="u_staff", role=User.Role.STAFF, unit=unit, area=tree.county)  # wrong role
    assert unit_users(unit) == [a]
    assert unit_recipients(unit) == [Recipient(user=a)]  # reachable: no contact email


def test_contact_email_added_when_no_unit_user_has_an_email_or_phone(unit):
    a = UserFactory(username="u_a", role=User.Role.UNIT, unit=unit)
    assert unit_recipients(unit) == [Recipient(user=a), Recipient(email=unit.contact_email)]
    a.phone = "13900001111"
    a.save()
    assert unit_recipients(unit) == [Recipient(user=a)]


def test_contact_email_alone_when_the_unit_has_no_users(unit):
    assert unit_recipients(unit) == [Recipient(email=unit.contact_email)]
    assert unit_recipients(HandlingUnitFactory(contact_email="")) == []


def test_unit_recipients_use_prefetched_users_without_a_query(unit, unit_user):
    fetched = HandlingUnit.objects.prefetch_related("users").get(pk=unit.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert unit_recipients(fetched) == [Recipient(user=unit_user)]
    assert len(ctx) == 0


def test_unit_recipients_one_query_for_many_users(unit, django_assert_num_queries):
    for i in range(5):
        UserFactory(username=f"u{i}", role=User.Role.UNIT, unit=unit, email=f"u{i}@example.cn")
    with django_assert_num_queries(1):
        assert len(unit_recipients(unit)) == 5


# --- staff tiers ---------------------------------------------------------------------------------------------
def test_handling_staff_are_staff_and_admins_of_the_nearest_area_that_has_any(tree):
    county = UserFactory(username="c1", role=User.Role.STAFF, area=tree.county)
    county_admin = UserFactory(username="c2", role=User.Role.ADMIN, area=tree.county)
    UserFactory(username="c3", role=User.Role.STAFF, area=tree.county, is_active=False)
    UserFactory(username="city", role=User.Role.STAFF, area=tree.city)
    UserFactory(username="n1", role=User.Role.STAFF, area=tree.other_county)  # a neighbour, not above
    assert handling_staff(tree.village) == [county, county_admin]
    assert handling_staff(tree.county) == [county, county_admin]
    assert handling_staff_recipients(tree.village) == [Recipient(user=county), Recipient(user=county_admin)]


def test_own_area_staff_handle_before_those_above(tree):
    UserFactory(username="c1", role=User.Role.STAFF, area=tree.county)
    town = UserFactory(username="t1", role=User.Role.STAFF, area=tree.township)
    assert handling_staff(tree.village) == [town]


def test_supervising_staff_are_one_tier_above(tree):
    town = UserFactory(username="t1", role=User.Role.STAFF, area=tree.township)
    county = UserFactory(username="c1", role=User.Role.ADMIN, area=tree.county)
    city = UserFactory(username="x1", role=User.Role.STAFF, area=tree.city)
    assert supervising_staff(tree.village) == [county]
    assert supervising_staff(tree.county) == [city]
    assert supervising_staff(tree.city) == [city]  # the top tier supervises itself
    assert town not in supervising_staff(tree.village)


def test_no_staff_anywhere(tree):
    assert handling_staff(tree.village) == [] and supervising_staff(tree.village) == []


def test_staff_tiers_one_query_however_deep(tree, django_assert_num_queries):
    for i, area in enumerate([tree.province, tree.city, tree.county, tree.township, tree.village]):
        UserFactory(username=f"s{i}", role=User.Role.STAFF, area=area)
    with django_assert_num_queries(1):
        handling_staff(tree.village)
    with django_assert_num_queries(1):
        supervising_staff(tree.village)

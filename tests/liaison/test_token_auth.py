"""Token authentication (liaison.authentication): the token, its user and the user's area in one query."""

import pytest
from rest_framework.authtoken.models import Token

from liaison.authentication import token_with_user

pytestmark = pytest.mark.django_db

ME_URL = "/api/v1/me/"


def test_me_with_a_token_is_one_query(api, staff, tree, django_assert_num_queries):
    token = Token.objects.create(user=staff)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    with django_assert_num_queries(1):  # token ⋈ user ⋈ area
        r = api.get(ME_URL)
    assert r.status_code == 200
    assert r.json()["area"] == tree.county.code and r.json()["area_name"] == tree.county.name


def test_the_prepared_lookup_loads_what_the_orm_loads(staff, admin_user, delegate_user):
    for user in [staff, admin_user, delegate_user]:
        key = Token.objects.create(user=user).key
        expected = Token.objects.select_related("user__area").get(key=key)
        token = token_with_user(key)
        for model, a, b in [
            (Token, expected, token),
            (type(user), expected.user, token.user),
        ]:
            for field in model._meta.concrete_fields:
                assert getattr(a, field.attname) == getattr(b, field.attname), field.name
        assert token.user.area == expected.user.area
        if expected.user.area is not None:
            assert token.user.area.path == expected.user.area.path
    assert token_with_user("no-such-token") is None


def test_a_bad_or_revoked_token_or_an_inactive_user_is_401(api, staff):
    token = Token.objects.create(user=staff)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(ME_URL).status_code == 200
    staff.is_active = False
    staff.save()
    assert api.get(ME_URL).status_code == 401
    staff.is_active = True
    staff.save()
    assert api.get(ME_URL).status_code == 200
    token.delete()
    assert api.get(ME_URL).status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get(ME_URL).status_code == 401


def test_the_public_orm_path_answers_the_same(api, staff, tree, monkeypatch, django_assert_num_queries):
    """Without the prepared query (a Django whose compiler changed) every lookup takes the public ORM path."""
    from liaison import authentication

    token = Token.objects.create(user=staff)
    prepared = api.get(ME_URL, HTTP_AUTHORIZATION=f"Token {token.key}").json()
    monkeypatch.setattr(authentication, "PREPARED", False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    with django_assert_num_queries(1):
        r = api.get(ME_URL)
    assert r.status_code == 200 and r.json() == prepared
    public = authentication.public_token_with_user(token.key)
    assert public.user == staff and public.user.area == tree.county
    assert authentication.token_with_user("no-such-token") is None
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get(ME_URL).status_code == 401

"""Identity: token auth, login lockout (django-axes) on the API and the login page, and GET /api/v1/me/."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/me/"


def _token(api, username, password):
    return api.post(TOKEN_URL, {"username": username, "password": password}, format="json")


def test_good_credentials_give_a_token_that_authenticates(api, staff):
    r = _token(api, "staff_sz", PASSWORD)
    assert r.status_code == 200
    assert set(r.json()) == {"token"}
    api.credentials(HTTP_AUTHORIZATION=f"Token {r.json()['token']}")
    assert api.get(ME_URL).json()["username"] == "staff_sz"
    # Asking again gives the same token.
    assert _token(api, "staff_sz", PASSWORD).json()["token"] == r.json()["token"]


@pytest.mark.parametrize(
    "username,password",
    [("staff_sz", "wrong-password"), ("nobody", PASSWORD)],
    ids=["wrong password", "unknown user"],
)
def test_bad_credentials_are_400_with_a_detail(api, staff, username, password):
    r = _token(api, username, password)
    assert r.status_code == 400
    body = r.json()
    assert body["detail"] == "用户名或密码错误。" and body["code"] == "bad_credentials"
    assert "token" not in body


def test_an_inactive_user_gets_no_token(api, staff):
    staff.is_active = False
    staff.save()
    assert _token(api, "staff_sz", PASSWORD).status_code == 400


@pytest.mark.parametrize(
    "body,content_type",
    [
        ('{"username": "staff_sz", "password": ', "application/json"),  # truncated JSON
        ("[1, 2]", "application/json"),  # not an object
        ('{"username": ["staff_sz"], "password": {"a": 1}}', "application/json"),  # wrong types
        ('{"username": "staff_sz"}', "application/json"),  # missing password
        ("username=staff_sz", "text/plain"),  # unsupported media type
    ],
    ids=["truncated", "array", "wrong types", "missing field", "text/plain"],
)
def test_malformed_token_requests_are_4xx_not_500(api, staff, body, content_type):
    r = api.generic("POST", TOKEN_URL, body, content_type=content_type)
    assert r.status_code in (400, 415), r.content
    assert r.json()  # a JSON error body, never an HTML error page


def test_five_failures_lock_the_api_login_even_for_the_right_password(api, staff):
    for attempt in range(1, 5):
        r = _token(api, "staff_sz", f"wrong-{attempt}")
        assert r.status_code == 400, attempt
    # django-axes really records the failures made through this DRF view.
    assert AccessAttempt.objects.get(username="staff_sz").failures_since_start == 4

    r = _token(api, "staff_sz", "wrong-5")  # the fifth failure locks the account
    assert r.status_code == 429
    r = _token(api, "staff_sz", PASSWORD)
    assert r.status_code == 429
    body = r.json()
    assert body["code"] == "locked_out"
    assert "锁定" in body["detail"]
    assert "token" not in body


def test_lockout_is_per_username_and_a_success_resets_the_count(api, staff, city_staff):
    for attempt in range(4):
        _token(api, "staff_sz", f"wrong-{attempt}")
    assert _token(api, "staff_sz", PASSWORD).status_code == 200  # four failures do not lock
    assert _token(api, "staff_city", PASSWORD).status_code == 200
    for attempt in range(4):  # the count started again after the success
        assert _token(api, "staff_sz", f"wrong-{attempt}").status_code == 400


def test_five_wrong_passwords_on_the_login_page_lock_it(staff):
    client = Client()
    for attempt in range(1, 5):
        r = client.post("/accounts/login/", {"username": "staff_sz", "password": f"wrong-{attempt}"})
        assert r.status_code == 200, attempt  # the form again, with an error
    r = client.post("/accounts/login/", {"username": "staff_sz", "password": "wrong-5"})
    assert r.status_code == 429
    r = client.post("/accounts/login/", {"username": "staff_sz", "password": PASSWORD})
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "锁定" in r.content.decode()


def test_the_login_page_logs_in_with_the_right_password(staff):
    client = Client()
    r = client.post("/accounts/login/", {"username": "staff_sz", "password": PASSWORD})
    assert r.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


# --- GET /api/v1/me/ ---------------------------------------------------------------------------------------

CONTRACT = {"username", "roles", "area", "delegate", "unit"}


def _me(api, username):
    r = _token(api, username, PASSWORD)
    assert r.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {r.json()['token']}")
    r = api.get(ME_URL)
    assert r.status_code == 200
    body = r.json()
    assert CONTRACT <= set(body)
    return {k: body[k] for k in CONTRACT}


def test_me_for_an_admin(api, admin_user, tree):
    assert _me(api, "admin") == {
        "username": "admin",
        "roles": ["admin"],
        "area": tree.city.code,
        "delegate": None,
        "unit": None,
    }


def test_me_for_staff(api, staff, tree):
    assert _me(api, "staff_sz") == {
        "username": "staff_sz",
        "roles": ["staff"],
        "area": tree.county.code,
        "delegate": None,
        "unit": None,
    }


def test_me_for_a_unit_user(api, unit_user, unit, tree):
    assert _me(api, "unit_zj") == {
        "username": "unit_zj",
        "roles": ["unit"],
        "area": tree.county.code,
        "delegate": None,
        "unit": unit.pk,
    }


def test_me_for_a_delegate(api, delegate_user, delegate):
    assert _me(api, "delegate01") == {
        "username": "delegate01",
        "roles": ["delegate"],
        "area": None,
        "delegate": delegate.pk,
        "unit": None,
    }


def test_me_for_staff_who_is_also_a_delegate_lists_both_roles(api, staff, delegate):
    staff.delegate = delegate
    staff.save()
    me = _me(api, "staff_sz")
    assert me["roles"] == ["staff", "delegate"] and me["delegate"] == delegate.pk


def test_me_works_with_a_browser_session(staff):
    client = Client()
    client.force_login(staff)
    r = client.get(ME_URL)
    assert r.status_code == 200 and r.json()["username"] == "staff_sz"


def test_me_is_401_for_anonymous_and_for_a_bad_token(api):
    assert api.get(ME_URL).status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    r = api.get(ME_URL)
    assert r.status_code == 401
    assert "detail" in r.json()

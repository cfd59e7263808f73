"""The inbox: the page, the header's unread count, marking read, the API of API.md "Notifications", and the
digest preference."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.notifications.models import Notification
from liaison.notifications.services import Recipient, notify

pytestmark = pytest.mark.django_db


def _notes(user, n, start=0):
    for i in range(start, start + n):
        notify(
            [Recipient(user=user)],
            kind="test",
            key=f"test:{i}",
            subject=f"第{i}条消息",
            body="正文",
            link="/workspace/",
        )


def _inbox(user):
    return Notification.objects.filter(recipient=user, channel=Notification.Channel.INBOX)


# --- page --------------------------------------------------------------------------------------------------
def test_inbox_page_lists_own_notifications_newest_first(client, staff, unit_user):
    _notes(staff, 3)
    _notes(unit_user, 1, start=10)
    client.force_login(staff)
    r = client.get("/workspace/inbox/")
    assert r.status_code == 200
    html = r.content.decode()
    assert html.index("第2条消息") < html.index("第1条消息") < html.index("第0条消息")
    assert "第10条消息" not in html
    assert 'data-testid="inbox-unread">3<' in html


def test_inbox_needs_login(client):
    r = client.get("/workspace/inbox/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_header_unread_count_on_every_page_is_one_query(client, staff):
    _notes(staff, 2)
    client.force_login(staff)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/workspace/")
    assert 'data-testid="inbox-unread">2<' in r.content.decode()
    counts = [q["sql"] for q in ctx.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1 and "COUNT" in counts[0].upper()


def test_no_count_without_unread_or_for_anonymous(client, staff):
    r = client.get("/")
    assert "inbox-unread" not in r.content.decode()
    client.force_login(staff)
    r = client.get("/workspace/")
    assert "inbox-unread" not in r.content.decode() and "/workspace/inbox/" in r.content.decode()


def test_inbox_page_fixed_queries(client, staff, django_assert_max_num_queries):
    client.force_login(staff)
    _notes(staff, 2)
    with CaptureQueriesContext(connection) as few:
        client.get("/workspace/inbox/")
    _notes(staff, 40, start=2)
    with CaptureQueriesContext(connection) as many:
        r = client.get("/workspace/inbox/?page=2")
    assert r.status_code == 200 and "第21条消息" in r.content.decode()
    assert len(many) == len(few)


def test_mark_one_read_is_prg_and_drops_the_count(client, staff):
    _notes(staff, 2)
    n = _inbox(staff).first()
    client.force_login(staff)
    r = client.post(f"/workspace/inbox/{n.pk}/read/")
    assert r.status_code == 303 and r["Location"] == "/workspace/inbox/"
    n.refresh_from_db()
    assert n.read_at is not None
    assert 'data-testid="inbox-unread">1<' in client.get("/workspace/inbox/").content.decode()


def test_open_marks_read_and_goes_to_the_link(client, staff):
    _notes(staff, 1)
    n = _inbox(staff).get()
    client.force_login(staff)
    r = client.post(f"/workspace/inbox/{n.pk}/read/", {"open": "1"})
    assert r.status_code == 303 and r["Location"] == "/workspace/"


def test_offsite_link_is_not_followed(client, staff):
    notify([Recipient(user=staff)], kind="t", key="t:x", subject="x", link="https://evil.example/")
    n = _inbox(staff).get()
    client.force_login(staff)
    r = client.post(f"/workspace/inbox/{n.pk}/read/", {"open": "1"})
    assert r["Location"] == "/workspace/inbox/"


def test_another_users_notification_is_404_and_unchanged(client, staff, unit_user):
    _notes(unit_user, 1)
    n = _inbox(unit_user).get()
    client.force_login(staff)
    assert client.post(f"/workspace/inbox/{n.pk}/read/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read(client, staff, unit_user):
    _notes(staff, 3)
    _notes(unit_user, 1, start=10)
    client.force_login(staff)
    r = client.post("/workspace/inbox/read-all/")
    assert r.status_code == 303
    assert not _inbox(staff).filter(read_at=None).exists()
    assert _inbox(unit_user).filter(read_at=None).count() == 1


def test_read_needs_post_and_csrf(staff):
    from django.test import Client

    _notes(staff, 1)
    n = _inbox(staff).get()
    c = Client(enforce_csrf_checks=True)
    c.force_login(staff)
    assert c.get(f"/workspace/inbox/{n.pk}/read/").status_code == 405
    assert c.post("/workspace/inbox/read-all/").status_code == 403
    assert _inbox(staff).filter(read_at=None).count() == 1


def test_workspace_links_to_the_inbox(client, unit_user):
    client.force_login(unit_user)
    html = client.get("/workspace/").content.decode()
    assert 'href="/workspace/inbox/"' in html and "/workspace/inbox/#digest" in html


# --- digest preference page --------------------------------------------------------------------------------
def test_digest_preference_page(client, unit_user):
    client.force_login(unit_user)
    assert 'name="digest"' in client.get("/workspace/inbox/").content.decode()
    r = client.post("/workspace/inbox/preferences/", {"digest": "daily"})
    assert r.status_code == 303
    unit_user.refresh_from_db()
    assert unit_user.digest == "daily"
    client.post("/workspace/inbox/preferences/", {"digest": "weekly"})
    unit_user.refresh_from_db()
    assert unit_user.digest == "daily"


def test_user_without_role_cannot_choose_digest(client, db):
    from tests.factories import UserFactory

    plain = UserFactory(username="plain")
    client.force_login(plain)
    assert 'name="digest"' not in client.get("/workspace/inbox/").content.decode()
    client.post("/workspace/inbox/preferences/", {"digest": "daily"})
    plain.refresh_from_db()
    assert plain.digest == "none"


# --- API ---------------------------------------------------------------------------------------------------
def test_api_list_shape_and_unread_filter(client_for, staff):
    _notes(staff, 3)
    first = _inbox(staff).order_by("created_at", "id").first()
    first.read_at = first.created_at
    first.save()
    r = client_for(staff).get("/api/v1/notifications/")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 3
    item = body["results"][0]
    assert set(item) == {"id", "kind", "subject", "text", "url", "at", "read"}
    assert item["subject"] == "第2条消息" and item["text"] == "正文" and item["url"] == "/workspace/"
    assert item["read"] is False
    r = client_for(staff).get("/api/v1/notifications/?unread=true")
    assert [n["subject"] for n in r.json()["results"]] == ["第2条消息", "第1条消息"]
    assert client_for(staff).get("/api/v1/notifications/?unread=maybe").status_code == 400


def test_api_list_fixed_queries(client_for, staff):
    c = client_for(staff)
    _notes(staff, 2)
    with CaptureQueriesContext(connection) as few:
        c.get("/api/v1/notifications/")
    _notes(staff, 30, start=2)
    with CaptureQueriesContext(connection) as many:
        assert len(c.get("/api/v1/notifications/").json()["results"]) == 20
    assert len(many) == len(few)


def test_api_mark_read_and_read_all(client_for, staff, unit_user):
    _notes(staff, 3)
    _notes(unit_user, 1, start=10)
    n = _inbox(staff).first()
    r = client_for(staff).post(f"/api/v1/notifications/{n.pk}/read/")
    assert r.status_code == 200 and r.json()["id"] == n.pk and r.json()["read"] is True
    r = client_for(staff).post("/api/v1/notifications/read-all/")
    assert r.status_code == 200 and r.json() == {"marked": 2}
    assert _inbox(unit_user).filter(read_at=None).count() == 1


def test_api_another_users_notification_is_404(client_for, staff, unit_user):
    _notes(unit_user, 1)
    n = _inbox(unit_user).get()
    r = client_for(staff).post(f"/api/v1/notifications/{n.pk}/read/")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert client_for(staff).post("/api/v1/notifications/99999999999999999999/read/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_api_anonymous_is_refused(api):
    assert api.get("/api/v1/notifications/").status_code in (401, 403)
    assert api.get("/api/v1/me/preferences/").status_code in (401, 403)


def test_api_preferences(client_for, delegate_user):
    c = client_for(delegate_user)
    assert c.get("/api/v1/me/preferences/").json() == {"digest": "none"}
    r = c.put("/api/v1/me/preferences/", {"digest": "daily"}, format="json")
    assert r.status_code == 200 and r.json() == {"digest": "daily"}
    r = c.put("/api/v1/me/preferences/", {"digest": "hourly"}, format="json")
    assert r.status_code == 400 and "digest" in r.json()["errors"]
    delegate_user.refresh_from_db()
    assert delegate_user.digest == "daily"


def test_api_preferences_refused_for_a_user_without_role(client_for, db):
    from tests.factories import UserFactory

    plain = UserFactory(username="plain")
    r = client_for(plain).put("/api/v1/me/preferences/", {"digest": "daily"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "invalid" and "digest" in r.json()["errors"]
    assert (
        client_for(plain).put("/api/v1/me/preferences/", {"digest": "none"}, format="json").status_code == 200
    )


# --- demo --------------------------------------------------------------------------------------------------
def test_seed_demo_gives_inbox_messages_and_a_daily_digest_idempotently(tree, unit):
    import io

    from django.apps import apps

    from liaison.accounts.models import User
    from tests.factories import DelegateFactory, UserFactory

    staff = UserFactory(username="staff", role=User.Role.STAFF, area=tree.city, email="s@example.cn")
    unit_user = UserFactory(
        username="unit", role=User.Role.UNIT, area=unit.area, unit=unit, email="u@example.cn"
    )
    UserFactory(username="delegate01", role=User.Role.DELEGATE, delegate=DelegateFactory(area=tree.county))
    config = apps.get_app_config("notifications")
    out = io.StringIO()
    config.seed_demo(out)
    rows = Notification.objects.count()
    config.seed_demo(out)
    assert Notification.objects.count() == rows >= 5
    assert not Notification.objects.exclude(channel=Notification.Channel.INBOX).exists()  # no demo email
    assert _inbox(staff).filter(read_at=None).count() == 2
    unit_user.refresh_from_db()
    assert unit_user.digest == "daily"
    assert "demo messages present" in out.getvalue()


# --- admin -------------------------------------------------------------------------------------------------
def test_admin_lists_the_outbox_read_only_for_those_who_see_the_whole_network(client, staff, admin_user):
    from tests.factories import UserFactory

    notify([Recipient(user=staff), Recipient(phone="13800001111")], kind="t", key="t:a", subject="管理员可见")
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    r = client.get("/admin/notifications/notification/")
    html = r.content.decode()
    assert r.status_code == 200 and "管理员可见" in html
    assert "13800001111" not in html and "138****1111" in html
    n = Notification.objects.filter(channel=Notification.Channel.SMS).get()
    assert client.get(f"/admin/notifications/notification/{n.pk}/change/").status_code == 200
    assert client.get("/admin/notifications/notification/add/").status_code == 403
    client.force_login(admin_user)  # the city's portal admin reads the log too …
    assert client.get("/admin/notifications/notification/").status_code == 200
    client.force_login(staff)  # … a county's staff does not
    assert client.get("/admin/notifications/notification/").status_code == 403

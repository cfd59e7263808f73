"""Public pages and API lists run a fixed number of queries whatever the number of articles and opinions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from legislation.models import Opinion
from legislation.services.opinions import opinion_submit

pytestmark = pytest.mark.django_db


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _draft(client_for, staff, draft_payload, n):
    c = client_for(staff)
    d = c.post("/api/v1/drafts/", draft_payload(n), format="json").json()
    c.post(f"/api/v1/drafts/{d['id']}/open/")
    return c.get(f"/api/v1/drafts/{d['id']}/").json()


def _finish(client_for, staff, draft):
    c = client_for(staff)
    for o in Opinion.objects.filter(draft_id=draft["id"])[:3]:
        c.post(f"/api/v1/legislative-opinions/{o.pk}/forward/")
    c.post(f"/api/v1/drafts/{draft['id']}/close/")
    c.post(f"/api/v1/drafts/{draft['id']}/report/")
    for o in Opinion.objects.filter(draft_id=draft["id"], status="forwarded"):
        c.post(f"/api/v1/legislative-opinions/{o.pk}/outcome/", {"outcome": "adopted"}, format="json")
    assert c.post(f"/api/v1/drafts/{draft['id']}/publish-feedback/").status_code == 200


def test_draft_page_feedback_and_api_do_not_grow(client, api, client_for, staff, draft_payload):
    counts = []
    for n_articles, n_opinions in ((2, 3), (60, 40)):
        d = _draft(client_for, staff, draft_payload, n_articles)
        for i in range(n_opinions):
            opinion_submit(
                draft_id=d["id"], content=f"意见{i}", article_id=d["articles"][i % n_articles]["id"]
            )
        page = _queries(lambda d=d: client.get(f"/legislation/drafts/{d['id']}/"))
        detail = _queries(lambda d=d: api.get(f"/api/v1/drafts/{d['id']}/"))
        _finish(client_for, staff, d)
        fb_page = _queries(lambda d=d: client.get(f"/legislation/drafts/{d['id']}/feedback/"))
        fb_api = _queries(lambda d=d: api.get(f"/api/v1/drafts/{d['id']}/feedback/"))
        listing = _queries(lambda: api.get("/api/v1/drafts/"))
        index = _queries(lambda: client.get("/legislation/"))
        counts.append((page, detail, fb_page, fb_api, listing, index))
    assert counts[0] == counts[1], counts
    assert counts[0][0] <= 8


def test_compilation_and_report_do_not_grow(client_for, staff, draft_payload):
    c = client_for(staff)
    counts = []
    for n in (2, 30):
        d = _draft(client_for, staff, draft_payload, 10)
        for i in range(n):
            opinion_submit(
                draft_id=d["id"], content=f"第{i}条意见内容", article_id=d["articles"][i % 10]["id"]
            )
        counts.append(
            (
                _queries(lambda d=d: c.get(f"/api/v1/drafts/{d['id']}/compilation/")),
                _queries(lambda d=d: c.get(f"/api/v1/drafts/{d['id']}/report/")),
            )
        )
    assert counts[0] == counts[1], counts

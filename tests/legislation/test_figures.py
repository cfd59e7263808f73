"""The legislative consultation figures on the public figures page and API (figures' `public_figures` hook)."""

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

API = "/api/v1/figures/"


def test_figures_count_drafts_and_opinions_of_the_subtree(tree, api, open_draft, client_for, staff):
    draft_id = open_draft["id"]
    article = open_draft["articles"][2]["id"]
    for content in ("第三条应写明由社区居委会负责。", "第三条应增加上门服务。"):
        r = api.post(
            f"/api/v1/drafts/{draft_id}/opinions/", {"article": article, "content": content}, format="json"
        )
        assert r.status_code == 201, r.content
    year = timezone.localdate().year

    body = api.get(API, {"area": tree.city.code, "year": year}).json()
    assert body["drafts"] == 1
    assert body["legislative_opinions"] == {"received": 2, "forwarded": 0, "adopted": 0}
    section = next(s for s in body["sections"] if s["key"] == "legislation")
    assert {f["key"]: f["value"] for f in section["figures"]}["received"] == 2

    other = api.get(API, {"area": tree.other_county.code, "year": year}).json()
    assert other["drafts"] == 0 and other["legislative_opinions"]["received"] == 0


def test_the_figures_page_shows_the_legislation_section(tree, client, open_draft):
    html = client.get(
        "/figures/", {"area": tree.city.code, "year": timezone.localdate().year}
    ).content.decode()
    assert "立法征询" in html

"""Content-Security-Policy on every response; pages carry nothing inline that it would refuse.

The browser-level check (no violation in Chromium's console) is tests/browser/test_csp.py.
"""

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


class _Inline(HTMLParser):
    """Collects what the policy refuses: inline scripts, event-handler attributes and style attributes."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.found.append("inline <script>")
        if tag == "style" and "nonce" not in names:
            self.found.append("<style> without a nonce")
        for name, _value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=…>")


def _inline(html: str) -> list[str]:
    parser = _Inline()
    parser.feed(html)
    return parser.found


def test_public_pages_have_the_policy_and_nothing_inline(client, tree, station, delegate):
    for path in ["/", f"/stations/{station.pk}/", f"/stations/{station.pk}/poster/", "/delegates/",
                 f"/delegates/{delegate.pk}/", "/suggest/", "/track/", "/proposals/", "/supervision/"]:  # fmt: skip
        r = client.get(path)
        assert r.status_code == 200, path
        d = _directives(r)
        assert (d["default-src"], d["script-src"], d["object-src"], d["frame-ancestors"]) == (
            "'self'",
            "'self'",  # no nonce: these pages have no inline script, so they can be cached whole
            "'none'",
            "'none'",
        ), path
        assert _inline(r.content.decode()) == [], path


def test_the_cached_home_page_keeps_its_policy(client, tree, station):
    first, second = client.get("/"), client.get("/")
    assert first.content == second.content
    assert _directives(second)["script-src"] == "'self'"


def test_staff_pages_have_nothing_inline(client, tree, station, staff, admin_user):
    client.force_login(staff)
    for path in ["/workspace/", "/workspace/suggestions/", "/workspace/suggestions/stats/",
                 "/workspace/voting/proposals/"]:  # fmt: skip
        r = client.get(path)
        assert r.status_code == 200, path
        assert _inline(r.content.decode()) == [], path
    client.force_login(admin_user)
    r = client.get("/workspace/voting/ballots/")
    assert r.status_code == 200 and _inline(r.content.decode()) == []


def test_the_api_docs_style_carries_the_nonce_of_the_header(client):
    r = client.get("/api/v1/docs/")
    assert r.status_code == 200
    d = _directives(r)
    (nonce,) = re.findall(r"'nonce-([^']+)'", d["style-src"])
    assert f'<style nonce="{nonce}">' in r.content.decode()
    assert _inline(r.content.decode()) == []  # the start-up script is a separate request:
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert (
        client.get("/api/v1/docs/").headers["Content-Security-Policy"] != r.headers["Content-Security-Policy"]
    )


def test_only_the_browsable_api_may_use_inline_styles(client, tree, staff):
    client.force_login(staff)
    html = client.get("/api/v1/areas/", HTTP_ACCEPT="text/html")
    d = _directives(html)
    assert d["style-src"] == "'self' 'unsafe-inline'" and d["style-src-attr"] == "'unsafe-inline'"
    assert d["script-src"] == "'self'"
    as_json = client.get("/api/v1/areas/", HTTP_ACCEPT="application/json")
    assert "'unsafe-inline'" not in as_json["Content-Security-Policy"]

"""Every upload endpoint, API and page, against the same hostile files.

Each file is either refused with a 4xx that names the problem (and nothing is stored) or stored under a
random name with the extension of the type Pillow detected, and served with `nosniff` and a sandboxing CSP.
Never a 500, and never the client's file name.
"""

import datetime as dt
import functools
import io
import os
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

from suggestions.models import SuggestionPhoto
from supervision.models import ActivityRecord
from supervision.services.activities import activity_create
from tests.voting.conftest import make_ballot, make_proposals, roll_delegates, window  # noqa: F401
from voting.models import ProgressPhoto
from voting.services.ballots import ballot_cast, ballot_close, ballot_publish
from voting.services.projects import project_create

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
MEDIA_CSP = "default-src 'none'; img-src 'self'; sandbox"


# --- the files ---------------------------------------------------------------------------------------------
def _png(size=(40, 30), mode="RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size).save(buf, format="PNG")
    return buf.getvalue()


@functools.cache
def _big_png(side: int) -> bytes:
    """A 1-bit PNG of side×side pixels: a few KB on disk, side² pixels once decoded."""
    return _png((side, side), mode="1")


@functools.cache
def _noisy_jpeg(at_least: int) -> bytes:
    """A valid JPEG of at least `at_least` bytes: random pixels do not compress (~1.2 bytes/pixel at q95)."""
    side = int((at_least / 1.1) ** 0.5)
    while True:
        img = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=95)
        if buf.tell() >= at_least:
            return buf.getvalue()
        side += 100


def _file(name: str, payload: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, payload, content_type=content_type)


@dataclass(frozen=True)
class Case:
    files: Any  # (max_files) -> list of uploads
    accepted_ext: str | None = None  # stored with this extension; None: refused
    code: str | None = None  # the refusal's code


POLYGLOT_TAIL = b"<html><body><script>alert(document.cookie)</script></body></html>"
GIF = Image.new("RGB", (8, 8), (255, 0, 0))

CASES = {
    "html-polyglot": Case(
        lambda n: [_file("polyglot.html", _png() + POLYGLOT_TAIL, "text/html")], accepted_ext="png"
    ),
    "php-renamed-jpg": Case(
        lambda n: [_file("shell.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg")], code="photo_invalid"
    ),
    "svg-renamed-png": Case(
        lambda n: [
            _file(
                "logo.png",
                b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>',
                "image/png",
            )
        ],
        code="photo_invalid",
    ),
    "gif": Case(
        lambda n: [_file("anim.gif", _gif_bytes(), "image/gif")],
        code="photo_invalid",
    ),
    "png-100-megapixels": Case(
        lambda n: [_file("big.png", _big_png(10_000), "image/png")], code="photo_too_large"
    ),
    "png-20000x20000": Case(
        lambda n: [_file("bomb.png", _big_png(20_000), "image/png")], code="photo_too_large"
    ),
    "jpeg-3mb": Case(
        lambda n: [_file("IMG_0001.JPG", _noisy_jpeg(3 * MB), "image/jpeg")], accepted_ext="jpg"
    ),
    "jpeg-6mb": Case(
        lambda n: [_file("IMG_0002.jpg", _noisy_jpeg(6 * MB), "image/jpeg")], code="photo_too_large"
    ),
    "one-file-too-many": Case(
        lambda n: [_file(f"p{i}.png", _png(), "image/png") for i in range(n + 1)], code="too_many_photos"
    ),
}


def _gif_bytes() -> bytes:
    buf = io.BytesIO()
    GIF.save(buf, format="GIF")
    return buf.getvalue()


# --- the endpoints -----------------------------------------------------------------------------------------
@pytest.fixture
def project(make_ballot, unit):  # noqa: F811
    ballot, cands, roll = make_ballot()
    for d in roll[:6]:
        ballot_cast(
            ballot_id=ballot.pk,
            delegate=d,
            choices={c.pk: "for" if c == cands[0] else "against" for c in cands},
        )
    ballot_close(ballot_id=ballot.pk)
    ballot_publish(ballot_id=ballot.pk)
    return project_create(candidate_id=cands[0].pk, unit=unit, budget=100, target_date=dt.date(2027, 6, 30))


@pytest.fixture
def activity(tree, unit):
    return activity_create(kind="inspection", title="背街小巷照明视察", area=tree.county, units=[unit])


def _api(user=None) -> APIClient:
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def _page(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


SUGGESTION_FORM = {"title": "小区路灯不亮", "content": "3号楼前的路灯坏了。", "category": "urban"}


@dataclass
class Endpoint:
    kind: str  # "api", "page" or "admin"
    max_files: int
    post: Any  # (files) -> response
    stored: Any  # () -> names of the stored files
    field: str


def _suggestion_photos():
    return [p.image.name for p in SuggestionPhoto.objects.all()]


def _progress_photos():
    return [p.image.name for p in ProgressPhoto.objects.all()]


def _record_photos():
    return [r.photo.name for r in ActivityRecord.objects.exclude(photo="")]


def _admin_activity_form(activity, files) -> dict:
    data = {
        "kind": activity.kind,
        "title": activity.title,
        "description": "",
        "area": activity.area_id,
        "status": activity.status,
        "starts_at_0": "",
        "starts_at_1": "",
        "ends_at_0": "",
        "ends_at_1": "",
        "place": "",
        "units": [u.pk for u in activity.units.all()],
        "committee_members": "",
        "official_name": "",
        "official_title": "",
        "records-INITIAL_FORMS": "0",
        "records-MIN_NUM_FORMS": "0",
        "records-MAX_NUM_FORMS": "1000",
    }
    data.update(
        {
            "records-TOTAL_FORMS": "1",
            "records-0-text": "",
            "records-0-photo": files if len(files) > 1 else files[0],  # several files in the one input
            "records-0-is_public": "on",
        }
    )
    return data


@pytest.fixture
def endpoint(request, station, staff, delegate_user, unit_user, tree):
    name = request.param
    if name == "api: POST suggestions/":
        return Endpoint(
            "api",
            3,
            lambda files: _api().post(
                "/api/v1/suggestions/",
                {"title": "路灯不亮", "content": "见图。", "station": station.pk, "photos": files},
                format="multipart",
            ),
            _suggestion_photos,
            "photos",
        )
    if name == "page: /suggest/":
        return Endpoint(
            "page",
            3,
            lambda files: _page().post(
                f"/suggest/?station={station.pk}",
                {**SUGGESTION_FORM, "station": station.pk, "name": "", "phone": "", "photos": files},
            ),
            _suggestion_photos,
            "photos",
        )
    if name == "page: staff intake":
        return Endpoint(
            "page",
            3,
            lambda files: _page(staff).post(
                "/workspace/suggestions/new/",
                {**SUGGESTION_FORM, "channel": "letter", "area": tree.village.code, "photos": files},
            ),
            _suggestion_photos,
            "photos",
        )
    if name == "page: delegate's suggestion":
        return Endpoint(
            "page",
            3,
            lambda files: _page(delegate_user).post(
                "/workspace/my-suggestions/new/", {**SUGGESTION_FORM, "area": "", "photos": files}
            ),
            _suggestion_photos,
            "photos",
        )
    if name == "api: POST projects/ID/progress/":
        project = request.getfixturevalue("project")
        return Endpoint(
            "api",
            3,
            lambda files: _api(unit_user).post(
                f"/api/v1/projects/{project.pk}/progress/",
                {"percent": 40, "text": "主体完工", "photos": files},
                format="multipart",
            ),
            _progress_photos,
            "photos",
        )
    if name == "page: progress report":
        project = request.getfixturevalue("project")
        return Endpoint(
            "page",
            3,
            lambda files: _page(unit_user).post(
                f"/workspace/voting/projects/{project.pk}/report/",
                {"percent": 40, "text": "主体完工", "photos": files},
            ),
            _progress_photos,
            "photos",
        )
    if name == "api: POST activities/ID/records/":
        activity = request.getfixturevalue("activity")
        return Endpoint(
            "api",
            1,
            lambda files: _api(staff).post(
                f"/api/v1/activities/{activity.pk}/records/",
                {"text": "现场检查", "photo": files if len(files) > 1 else files[0]},
                format="multipart",
            ),
            _record_photos,
            "photo",
        )
    if name == "admin: activity records":
        activity = request.getfixturevalue("activity")
        return Endpoint(
            "admin",
            1,
            lambda files: _page(staff).post(
                f"/admin/supervision/activity/{activity.pk}/change/", _admin_activity_form(activity, files)
            ),
            _record_photos,
            "photo",
        )
    raise AssertionError(name)


ENDPOINTS = [
    "api: POST suggestions/",
    "page: /suggest/",
    "page: staff intake",
    "page: delegate's suggestion",
    "api: POST projects/ID/progress/",
    "page: progress report",
    "api: POST activities/ID/records/",
    "admin: activity records",
]


def _page_error_codes(response, field: str) -> list[str]:
    form = response.context["form"]
    return [e.code for e in form.errors.as_data()[field]]


def _admin_error_codes(response, field: str) -> list[str]:
    codes = []
    for formset in response.context["inline_admin_formsets"]:
        for form in formset.formset.forms:
            codes += [e.code for e in form.errors.as_data().get(field, [])]
    return codes


def _assert_refused(endpoint: Endpoint, r, case: Case):
    if endpoint.kind == "api":
        assert r.status_code == 400, r.content[:500]
        body = r.json()
        if case.code == "too_many_photos" and endpoint.field in body:
            # The serializer's own list limit: a field error, the messages a list of strings.
            assert all(isinstance(m, str) for m in body[endpoint.field])
        else:
            assert body["code"] == case.code, body
            assert body["detail"]
    elif endpoint.kind == "page":
        assert r.status_code == 400
        assert case.code in _page_error_codes(r, endpoint.field)
    else:  # the admin re-renders its form with the inline's error
        assert r.status_code == 200
        assert case.code in _admin_error_codes(r, endpoint.field)
    assert endpoint.stored() == []


@pytest.mark.parametrize("endpoint", ENDPOINTS, indirect=True)
@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_upload_matrix(endpoint, case):
    case = CASES[case]
    files = case.files(endpoint.max_files)
    r = endpoint.post(files)
    if case.accepted_ext is None:
        _assert_refused(endpoint, r, case)
        return
    assert r.status_code in (201, 302), r.content[:500]
    (name,) = endpoint.stored()
    assert re.fullmatch(rf"[a-z/]+/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.{case.accepted_ext}", name), name
    media = Client().get(default_storage.url(name))
    assert media.status_code == 200
    assert media["Content-Type"] == {"png": "image/png", "jpg": "image/jpeg"}[case.accepted_ext]
    assert media["X-Content-Type-Options"] == "nosniff"
    assert media["Content-Security-Policy"] == MEDIA_CSP
    assert media["Content-Disposition"].startswith("inline")
    files[0].seek(0)
    assert b"".join(media.streaming_content) == files[0].read()


# --- serving what is already on disk ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, content_type",
    [
        ("voting/progress/2025/01/polyglot.html", "application/octet-stream"),  # stored before the check
        ("supervision/2025/01/logo.svg", "application/octet-stream"),
        ("documents/2025/01/report.pdf", "application/pdf"),
    ],
)
def test_old_files_are_served_as_downloads_that_cannot_run(name, content_type):
    default_storage.save(name, io.BytesIO(b"<html><script>alert(1)</script></html>"))
    r = Client().get(f"/media/{name}")
    assert r.status_code == 200
    assert r["Content-Type"] == content_type
    assert r["Content-Disposition"].startswith("attachment")
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Security-Policy"] == MEDIA_CSP


def test_media_view_serves_only_files_under_media_root():
    c = Client()
    assert c.get("/media/../liaison/settings.py").status_code == 404
    assert c.get("/media/suggestions/").status_code == 404  # no directory listings
    assert c.get("/media/nothing-here.png").status_code == 404
    default_storage.save("suggestions/2025/01/a.png", io.BytesIO(_png()))
    assert c.head("/media/suggestions/2025/01/a.png").status_code == 200
    assert c.post("/media/suggestions/2025/01/a.png").status_code == 405


# --- the check itself ---------------------------------------------------------------------------------------
def test_pixel_limit_is_a_setting(settings, client_for, staff, activity):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 1000
    r = client_for(staff).post(
        f"/api/v1/activities/{activity.pk}/records/",
        {"photo": _file("p.png", _png((40, 30)), "image/png")},  # 1200 pixels
        format="multipart",
    )
    assert r.status_code == 400 and r.json()["code"] == "photo_too_large"
    settings.UPLOAD_IMAGE_MAX_PIXELS = 1200
    r = client_for(staff).post(
        f"/api/v1/activities/{activity.pk}/records/",
        {"photo": _file("p.png", _png((40, 30)), "image/png")},
        format="multipart",
    )
    assert r.status_code == 201


def test_truncated_jpeg_is_refused():
    from liaison.errors import ValidationFailed
    from liaison.uploads import check_image

    jpeg = _noisy_jpeg(200_000)
    with pytest.raises(ValidationFailed) as exc:
        check_image(_file("cut.jpg", jpeg[: len(jpeg) // 2], "image/jpeg"))
    assert exc.value.code == "photo_invalid"


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.mark.parametrize(
    "payload, code",
    [
        (PDF, None),
        (b"<html>" + PDF, "document_invalid"),  # the signature must come first
        (PDF[:30], "document_invalid"),  # truncated: no end-of-file marker
        (b"", "document_invalid"),
        (PDF + b" " * 2000, "document_too_large"),
    ],
)
def test_pdf_check(payload, code):
    from liaison.errors import ValidationFailed
    from liaison.uploads import check_pdf

    f = _file("report.html", payload, "text/html")
    if code is None:
        checked = check_pdf(f, max_bytes=2000)
        assert (checked.ext, checked.content_type, checked.file.name) == (
            "pdf",
            "application/pdf",
            "upload.pdf",
        )
        return
    with pytest.raises(ValidationFailed) as exc:
        check_pdf(f, max_bytes=2000)
    assert exc.value.code == code


def test_a_name_that_did_not_come_from_the_check_is_stored_as_opaque_bytes():
    from liaison.uploads import UploadTo

    assert re.fullmatch(r"x/\d{4}/\d{2}/[0-9a-f]{32}\.bin", UploadTo("x")(None, "shell.php.html"))
    assert re.fullmatch(r"x/\d{4}/\d{2}/[0-9a-f]{32}\.png", UploadTo("x")(None, "upload.png"))


def test_public_project_page_links_the_polyglot_as_a_random_png(project, unit_user):
    r = _api(unit_user).post(
        f"/api/v1/projects/{project.pk}/progress/",
        {"percent": 40, "text": "主体完工", "photos": [CASES["html-polyglot"].files(3)[0]]},
        format="multipart",
    )
    assert r.status_code == 201
    (url,) = r.json()["photos"]
    assert re.fullmatch(r"/media/voting/progress/\d{4}/\d{2}/[0-9a-f]{32}\.png", url)
    page = Client().get(f"/projects/{project.pk}/")
    assert page.status_code == 200
    assert re.findall(r'<img src="(/media/[^"]+)"', page.content.decode()) == [url]

"""政府办: projects, sites, progress reports with photos, and the Celery reminders (each sent once)."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from liaison.notifications.models import Notification
from voting import tasks
from voting.models import LivelihoodProject, ProgressPhoto
from voting.services.projects import (
    milestone_add,
    milestone_complete,
    milestone_overdue_warn,
    progress_reminders_send,
    site_add,
)

pytestmark = pytest.mark.django_db


def _image(fmt="JPEG", size=(40, 30), name="p.jpg"):
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format=fmt)
    return SimpleUploadedFile(name, buf.getvalue(), content_type=f"image/{fmt.lower()}")


def test_unit_reports_progress_with_photos(client_for, project, unit_user, other_unit_user):
    url = f"/api/v1/projects/{project.pk}/progress/"
    r = client_for(unit_user).post(
        url,
        {"percent": 40, "text": "主体完工", "photos": [_image(), _image("PNG", name="b.png")]},
        format="multipart",
    )
    assert r.status_code == 201, r.content
    assert len(r.json()["photos"]) == 2
    assert r.json()["percent"] == 0  # computed from sites and milestones, the typed 40 is ignored
    project.refresh_from_db()
    assert project.percent == 0 and project.status == "in_progress"
    # another unit's user does not see the project at all
    assert (
        client_for(other_unit_user).post(url, {"percent": 50, "text": "x"}, format="multipart").status_code
        == 404
    )


@pytest.mark.parametrize(
    "photos, code",
    [
        (lambda: [_image() for _ in range(4)], "too_many_photos"),
        (lambda: [SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")], "photo_invalid"),
        (lambda: [_image("GIF", name="x.gif")], "photo_invalid"),
    ],
)
def test_bad_photos_are_400_and_nothing_saved(client_for, project, unit_user, photos, code):
    r = client_for(unit_user).post(
        f"/api/v1/projects/{project.pk}/progress/",
        {"percent": 40, "text": "t", "photos": photos()},
        format="multipart",
    )
    assert r.status_code == 400 and r.json()["code"] == code
    assert not ProgressPhoto.objects.exists()
    project.refresh_from_db()
    assert project.percent == 0


def test_oversized_photo_is_refused(client_for, project, unit_user, settings):
    settings.VOTING_PHOTO_MAX_BYTES = 100
    r = client_for(unit_user).post(
        f"/api/v1/projects/{project.pk}/progress/",
        {"percent": 40, "text": "t", "photos": [_image(size=(400, 400))]},
        format="multipart",
    )
    assert r.status_code == 400 and r.json()["code"] == "photo_too_large"
    assert not ProgressPhoto.objects.exists()


def test_percent_out_of_range_is_400(client_for, project, unit_user):
    r = client_for(unit_user).post(
        f"/api/v1/projects/{project.pk}/progress/", {"percent": 101, "text": "t"}, format="multipart"
    )
    assert r.status_code == 400


def test_site_leads_must_lead_the_project(client_for, project, staff, tree):
    site = site_add(project_id=project.pk, name="1号点位")
    r = client_for(staff).post(
        f"/api/v1/sites/{site.pk}/leads/", {"delegates": [project.roll[5].pk]}, format="json"
    )
    assert r.status_code == 400
    r = client_for(staff).post(
        f"/api/v1/sites/{site.pk}/leads/", {"delegates": [project.roll[0].pk]}, format="json"
    )
    assert r.status_code == 200 and r.json()["lead_delegates"] == [project.roll[0].pk]


def test_other_county_staff_cannot_touch_project(client_for, project, other_staff):
    r = client_for(other_staff).post(f"/api/v1/projects/{project.pk}/sites/", {"name": "x"}, format="json")
    assert r.status_code == 404


def test_monthly_reminder_is_sent_once_per_month(project, unit_user):
    day = dt.date(2027, 3, 2)
    assert progress_reminders_send(today=day) >= 1
    assert progress_reminders_send(today=day + dt.timedelta(days=3)) == 0  # same month: nothing new
    inbox = Notification.objects.filter(
        kind="project_progress_reminder", recipient=unit_user, channel="inbox"
    )
    assert inbox.count() == 1
    assert progress_reminders_send(today=dt.date(2027, 4, 1)) >= 1  # next month: a new reminder
    assert inbox.count() == 2
    # a completed project is not chased
    LivelihoodProject.objects.filter(pk=project.pk).update(status="completed")
    assert progress_reminders_send(today=dt.date(2027, 5, 1)) == 0


def test_overdue_milestone_warns_staff_once(project, staff, other_staff):
    m = milestone_add(project_id=project.pk, title="完成招标", due=dt.date(2027, 3, 1))
    assert milestone_overdue_warn(today=dt.date(2027, 3, 1)) == 0  # due today is not overdue
    assert milestone_overdue_warn(today=dt.date(2027, 3, 2)) >= 1
    assert milestone_overdue_warn(today=dt.date(2027, 3, 9)) == 0
    warned = Notification.objects.filter(kind="project_milestone_overdue")
    assert warned.filter(recipient=staff, channel="inbox").count() == 1
    assert not warned.filter(recipient=other_staff).exists()
    milestone_complete(milestone_id=m.pk)
    assert milestone_overdue_warn(today=dt.date(2027, 4, 1)) == 0


def test_tasks_call_the_services(project, unit_user):
    assert tasks.remind_progress_reports() >= 1
    assert tasks.remind_progress_reports() == 0


def test_beat_schedule_lists_the_tasks(settings):
    names = {v["task"] for v in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"voting.tasks.remind_progress_reports", "voting.tasks.warn_overdue_milestones"} <= names


def test_happiness_bill_page_and_query_count(client, project, django_assert_max_num_queries):
    site_add(project_id=project.pk, name="1号点位")
    # years, projects, then milestones, sites and lead delegates prefetched, the open collection windows and
    # (none open) the next ones = 7 (anonymous: no session)
    with django_assert_max_num_queries(7):
        r = client.get("/projects/", {"year": project.year})
    assert r.status_code == 200 and project.title in r.content.decode()


def test_project_list_api_queries_do_not_grow(api, project, django_assert_max_num_queries):
    # count, page, milestones, sites, lead delegates = 5
    with django_assert_max_num_queries(5):
        assert api.get("/api/v1/projects/").json()["count"] == 1

"""督前征集: clue requests to the area's delegates, with a deadline and one reminder."""

import datetime as dt

import pytest
from django.utils import timezone

from liaison.notifications.models import Notification
from liaison.workdays import add_workdays
from supervision.models import Clue
from supervision.services.activities import activity_create, clue_reminders_sweep, clue_submit

pytestmark = pytest.mark.django_db


def test_clue_request_submit_and_reminder(
    tree, staff, other_staff, delegate_user, other_delegate_user, client_for, delegate
):
    activity = activity_create(kind="law_enforcement_check", title="食品安全法执法检查", area=tree.county)
    today = timezone.localdate()
    deadline = add_workdays(today, 5)
    body = {"deadline": str(deadline), "message": "请反映食品安全问题线索"}
    assert (
        client_for(other_staff)
        .post(f"/api/v1/activities/{activity.pk}/clue-requests/", body, format="json")
        .status_code
        == 404
    )
    assert (
        client_for(staff)
        .post(f"/api/v1/activities/{activity.pk}/clue-requests/", {"deadline": "2000-01-01"}, format="json")
        .status_code
        == 400
    )
    r = client_for(staff).post(f"/api/v1/activities/{activity.pk}/clue-requests/", body, format="json")
    assert r.status_code == 201
    cr_id = r.json()["id"]
    # the county's delegates are asked; the neighbouring county's are not
    asked = Notification.objects.filter(kind="clue_request", channel="inbox")
    assert [n.recipient for n in asked] == [delegate_user]

    r = client_for(other_delegate_user).post(
        f"/api/v1/clue-requests/{cr_id}/clues/", {"content": "x"}, format="json"
    )
    assert r.status_code == 403
    r = client_for(delegate_user).post(
        f"/api/v1/clue-requests/{cr_id}/clues/", {"content": "某超市售卖过期食品"}, format="json"
    )
    assert r.status_code == 201
    assert Clue.objects.get().delegate == delegate

    # one reminder on the last working day, to those who have not answered (here: nobody left)
    assert clue_reminders_sweep(today=today) == 0  # too early
    last = deadline - dt.timedelta(days=1)
    assert clue_reminders_sweep(today=last) == 1
    assert clue_reminders_sweep(today=last) == 0
    assert not Notification.objects.filter(
        kind="clue_reminder"
    ).exists()  # the only delegate already answered
    # after the deadline: 409
    from liaison.errors import InvalidTransition

    with pytest.raises(InvalidTransition):
        clue_submit(
            request_id=cr_id, delegate=delegate, content="迟到", today=deadline + dt.timedelta(days=1)
        )

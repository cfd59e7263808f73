"""The steps and queue ranks of the suggestions made before migration 0009 (a separate migration: on PostgreSQL
rows updated in a transaction block its later ALTER TABLE and CREATE INDEX).

The backfill gives the open rows their step from what they already record (the deadline of their status;
a referral step for accepted, reopened and supervised ones, counted from when they got there) and every row
its rank, with two UPDATEs for the ranks and a pass over the open rows only.
"""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone

OPEN = ("submitted", "accepted", "referred", "replied", "reopened", "supervised")
STAFF = ("submitted", "accepted", "reopened", "supervised")


def _day(moment):
    return timezone.localdate(moment) if moment is not None else None


def backfill_steps(apps, schema_editor):
    from liaison.workdays import add_workdays
    from suggestions.conf import conf

    Suggestion = apps.get_model("suggestions", "Suggestion")
    Rating = apps.get_model("suggestions", "Rating")
    Suggestion.objects.exclude(status__in=OPEN).update(queue_rank=9)
    Suggestion.objects.filter(status__in=OPEN, is_overdue=True).update(queue_rank=0)
    rated = dict(
        Rating.objects.filter(suggestion__status__in=("reopened", "supervised"))
        .values("suggestion_id")
        .annotate(at=Max("at"))
        .values_list("suggestion_id", "at")
    )
    last, batch = 0, []
    while True:
        rows = list(Suggestion.objects.filter(status__in=OPEN, pk__gt=last).order_by("pk")[:1000])
        if not rows:
            break
        last = rows[-1].pk
        for s in rows:
            if s.status == "submitted":
                s.step_from, s.step_due = _day(s.created_at), s.triage_due
            elif s.status == "referred":
                s.step_from, s.step_due = _day(s.referred_at), s.reply_due
            elif s.status == "replied":
                s.step_from, s.step_due = _day(s.replied_at), s.rating_due
            else:
                since = rated.get(s.pk) if s.status != "accepted" else (s.triaged_at or s.created_at)
                s.step_from = _day(since or s.updated_at)
                s.step_due = add_workdays(s.step_from, conf.REFER_WORKDAYS)
            if s.is_overdue:
                s.queue_rank = 0
            else:
                s.queue_rank = 1 if s.status in STAFF else (2 if s.status == "referred" else 3)
            batch.append(s)
        Suggestion.objects.bulk_update(batch, ["step_from", "step_due", "queue_rank"], batch_size=1000)
        batch = []



class Migration(migrations.Migration):
    dependencies = [("suggestions", "0009_steps_and_return_requests")]

    operations = [migrations.RunPython(backfill_steps, migrations.RunPython.noop, elidable=True)]

"""Progress is computed from sites ticked off and milestones reached: recompute what was typed by hand before."""

from django.db import migrations
from django.db.models import Count, Q


def recompute(apps, schema_editor):
    Project = apps.get_model("voting", "LivelihoodProject")
    projects = Project.objects.annotate(
        sites_total=Count("sites", distinct=True),
        sites_done=Count("sites", filter=Q(sites__done_on__isnull=False), distinct=True),
        steps_total=Count("milestones", distinct=True),
        steps_done=Count("milestones", filter=Q(milestones__done_at__isnull=False), distinct=True),
        report_count=Count("reports", distinct=True),
    )
    for p in projects.iterator(chunk_size=500):
        total, done = p.sites_total + p.steps_total, p.sites_done + p.steps_done
        percent = done * 100 // total if total else 0
        if total and done == total:
            status = "completed"
        elif done or p.report_count:
            status = "in_progress"
        else:
            status = "planned"
        if (p.percent, p.status) != (percent, status):
            Project.objects.filter(pk=p.pk).update(percent=percent, status=status)


class Migration(migrations.Migration):
    dependencies = [("voting", "0001_initial")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]

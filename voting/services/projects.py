"""政府办: delivery of the elected projects — leads, milestones, sites, progress reports with photos, and
the monthly progress reminders and overdue-milestone warnings (Celery beat)."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import Conflict, InvalidTransition, ValidationFailed, get_or_not_found
from liaison.notifications.recipients import handling_staff_recipients, unit_recipients
from liaison.notifications.services import notify
from liaison.uploads import check_images
from stations.models import HandlingUnit

from ..conf import conf
from ..models import Ballot, Candidate, LivelihoodProject, Milestone, ProgressPhoto, ProgressReport, Site
from ._common import _active_delegates, _pk


@transaction.atomic
def project_create(
    *,
    candidate_id: int,
    unit: HandlingUnit,
    budget: Decimal,
    target_date: dt.date,
    year: int | None = None,
    lead_delegates: Iterable = (),
    actor=None,
) -> LivelihoodProject:
    """Turn an elected candidate of a published ballot into a project owned by a unit."""
    cand = get_or_not_found(Candidate.objects.select_related("ballot", "proposal"), pk=candidate_id)
    ballot = Ballot.objects.select_for_update().get(pk=cand.ballot_id)
    if ballot.status != Ballot.Status.PUBLISHED:
        raise InvalidTransition(_("表决结果公布后才能确定民生实事项目。"))
    elected = {c["id"] for c in (ballot.published_result or {}).get("candidates", []) if c.get("elected")}
    if cand.pk not in elected:
        raise InvalidTransition(_("只有当选的候选项目才能成为民生实事项目。"))
    if LivelihoodProject.objects.filter(candidate=cand).exists():
        raise Conflict(_("该候选项目已确定为民生实事项目。"))
    if budget is None or Decimal(budget) < 0:
        raise ValidationFailed(_("预算不能为负数。"))
    project = LivelihoodProject.objects.create(
        candidate=cand,
        title=cand.proposal.title,
        description=cand.proposal.description,
        area_id=ballot.area_id,
        unit=unit,
        year=year or (ballot.published_at or timezone.now()).year,
        budget=budget,
        target_date=target_date,
        created_by=actor,
    )
    leads = [_pk(d) for d in lead_delegates]
    if leads:
        project.lead_delegates.set(_active_delegates(leads))
    return project


def _project_progress(project: LivelihoodProject) -> LivelihoodProject:
    """Recompute the stored progress from the project's own record (the project row is locked by the caller).

    Progress is the share of sites ticked off and milestones reached, never a typed figure, so it only moves
    when something is done (or when a new site or milestone is added to the work). 已完成 means every site and
    every milestone is done; a project with none of either has nothing to show and is never completed.
    """
    sites = project.sites.aggregate(total=Count("id"), done=Count("id", filter=Q(done_on__isnull=False)))
    steps = project.milestones.aggregate(total=Count("id"), done=Count("id", filter=Q(done_at__isnull=False)))
    total, done = sites["total"] + steps["total"], sites["done"] + steps["done"]
    percent = done * 100 // total if total else 0
    if total and done == total:
        status = LivelihoodProject.Status.COMPLETED
    elif done or project.reports.exists():
        status = LivelihoodProject.Status.IN_PROGRESS
    else:
        status = LivelihoodProject.Status.PLANNED
    if (project.percent, project.status) != (percent, status):
        project.percent, project.status = percent, status
        project.save(update_fields=["percent", "status"])
    return project


@transaction.atomic
def project_progress_refresh(*, project_id: int) -> LivelihoodProject:
    return _project_progress(LivelihoodProject.objects.select_for_update().get(pk=project_id))


def _done_date(day: dt.date | None) -> dt.date:
    """The day something was done: today by default, never a day still to come."""
    today = timezone.localdate()
    if day is None:
        return today
    if day > today:
        raise ValidationFailed(_("完成日期不能晚于今天（%(today)s）。") % {"today": today.isoformat()})
    return day


@transaction.atomic
def project_set_leads(*, project_id: int, delegates: Iterable, actor=None) -> LivelihoodProject:
    project = get_or_not_found(LivelihoodProject.objects.select_for_update(), pk=project_id)
    ids = _active_delegates([_pk(d) for d in delegates])
    project.lead_delegates.set(ids)
    # A delegate who no longer leads the project no longer leads any of its sites.
    for site in project.sites.all():
        site.lead_delegates.remove(*site.lead_delegates.exclude(pk__in=ids))
    return project


@transaction.atomic
def milestone_add(*, project_id: int, title: str, due: dt.date, actor=None) -> Milestone:
    project = get_or_not_found(LivelihoodProject.objects.select_for_update(), pk=project_id)
    if not title.strip():
        raise ValidationFailed(_("请填写进度节点名称。"))
    m = Milestone.objects.create(project=project, title=title.strip(), due=due)
    _project_progress(project)
    return m


@transaction.atomic
def milestone_complete(*, milestone_id: int, done_on: dt.date | None = None, actor=None) -> Milestone:
    done_on = _done_date(done_on)
    project_id = get_or_not_found(Milestone.objects.values_list("project_id", flat=True), pk=milestone_id)
    project = get_or_not_found(
        LivelihoodProject.objects.select_for_update(), pk=project_id
    )  # progress is the project's
    m = Milestone.objects.select_for_update().get(pk=milestone_id)
    if m.done_at:
        return m
    m.done_at = done_on
    m.save(update_fields=["done_at"])
    _project_progress(project)
    return m


@transaction.atomic
def site_add(
    *, project_id: int, name: str, latitude=None, longitude=None, lead_delegates: Iterable = (), actor=None
) -> Site:
    project = get_or_not_found(LivelihoodProject.objects.select_for_update(), pk=project_id)
    if not name.strip():
        raise ValidationFailed(_("请填写点位名称。"))
    if (latitude is None) != (longitude is None):
        raise ValidationFailed(_("经纬度要么都填，要么都不填。"))
    site = Site.objects.create(project=project, name=name.strip(), latitude=latitude, longitude=longitude)
    leads = [_pk(d) for d in lead_delegates]
    if leads:
        site_assign_leads(site_id=site.pk, delegates=leads, actor=actor)
    _project_progress(project)
    return site


@transaction.atomic
def site_assign_leads(*, site_id: int, delegates: Iterable, actor=None) -> Site:
    site = get_or_not_found(Site.objects.select_for_update(), pk=site_id)
    ids = [_pk(d) for d in delegates]
    allowed = set(site.project.lead_delegates.values_list("pk", flat=True))
    outside = [i for i in ids if i not in allowed]
    if outside:
        raise ValidationFailed(
            _("点位的领办代表须是本项目的领办代表：%(ids)s") % {"ids": ", ".join(map(str, outside))}
        )
    site.lead_delegates.set(ids)
    return site


@transaction.atomic
def site_complete(*, site_id: int, done_on: dt.date | None = None, actor=None) -> Site:
    """销号: the site is done."""
    done_on = _done_date(done_on)
    project_id = get_or_not_found(Site.objects.values_list("project_id", flat=True), pk=site_id)
    project = get_or_not_found(
        LivelihoodProject.objects.select_for_update(), pk=project_id
    )  # progress is the project's
    site = Site.objects.select_for_update().get(pk=site_id)
    if site.done_on:
        return site
    site.done_on = done_on
    site.save(update_fields=["done_on"])
    _project_progress(project)
    return site


@transaction.atomic
def progress_report_create(
    *, project_id: int, text: str, photos: list | None = None, actor=None, percent=None
) -> ProgressReport:
    """The owning unit's progress report: text and photos. The report records the project's progress as
    computed from its sites and milestones at that moment; `percent`, a figure typed by older clients, is
    ignored."""
    photos = list(photos or [])
    if not (text or "").strip():
        raise ValidationFailed(_("请填写进展情况。"))
    photos = check_images(photos, max_count=conf.PHOTO_MAX_COUNT, max_bytes=conf.PHOTO_MAX_BYTES)
    project = get_or_not_found(LivelihoodProject.objects.select_for_update(), pk=project_id)
    report = ProgressReport(project=project, percent=0, text=text.strip(), created_by=actor)
    report.save()
    project = _project_progress(project)
    report.percent = project.percent
    report.save(update_fields=["percent"])
    for p in photos:
        ProgressPhoto.objects.create(report=report, image=p.file)
    return report


def progress_reminders_send(*, today: dt.date | None = None) -> int:
    """The monthly reminder to each unit with a project under way. Once per project per month (dedupe key)."""
    today = today or timezone.localdate()
    if today.day < conf.PROGRESS_REMINDER_DAY:
        return 0
    sent = 0
    projects = LivelihoodProject.objects.exclude(status=LivelihoodProject.Status.COMPLETED).select_related(
        "unit"
    )
    for project in projects.iterator(chunk_size=200):
        with transaction.atomic():
            sent += notify(
                unit_recipients(project.unit),
                kind="project_progress_reminder",
                key=f"project-progress:{project.pk}:{today:%Y-%m}",
                subject=_("请报送民生实事项目“%(t)s”%(m)s月的进展") % {"t": project.title, "m": today.month},
                link=reverse("voting:project-report", args=[project.pk]),
            )
    return sent


def milestone_overdue_warn(*, today: dt.date | None = None) -> int:
    """Warn the supervising staff once when a milestone passes its due date undone (once per due date)."""
    today = today or timezone.localdate()
    sent = 0
    overdue = Milestone.objects.filter(done_at__isnull=True, due__lt=today).select_related(
        "project", "project__area"
    )
    for m in overdue.iterator(chunk_size=200):
        with transaction.atomic():
            sent += notify(
                handling_staff_recipients(m.project.area),
                kind="project_milestone_overdue",
                key=f"milestone-overdue:{m.pk}:{m.due:%Y-%m-%d}",
                subject=_("民生实事项目“%(t)s”的节点“%(m)s”已逾期（计划 %(d)s）")
                % {"t": m.project.title, "m": m.title, "d": m.due.isoformat()},
                link=reverse("voting:manage-project", args=[m.project_id]),
            )
    return sent

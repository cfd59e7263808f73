"""Drafts: create from pasted text, correct the split, assign to contact points, and move through
draft → open → closed → reported → feedback_published."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import InvalidTransition, ValidationFailed
from liaison.scoping import user_sees_area
from stations.models import Area, Station

from ..models import Article, Draft, DraftAssignment
from ..splitter import split_draft
from ._common import locked_draft, require_staff_of

MAX_ARTICLES = 1000


def _split_into(draft: Draft, text: str) -> list[Article]:
    result = split_draft(text)
    if not result.articles:
        message = _("未能识别出条文：每条应以“第X条”开头。")
        raise ValidationFailed({"text": [message]})
    if len(result.articles) > MAX_ARTICLES:
        message = _("条文过多（最多%(n)d条）。") % {"n": MAX_ARTICLES}
        raise ValidationFailed({"text": [message]})
    seen = set()
    for a in result.articles:
        if a.key in seen:
            message = _("%(label)s重复出现，请修改原文后再提交。") % {"label": a.label}
            raise ValidationFailed({"text": [message]})
        seen.add(a.key)
    draft.preamble = result.preamble[:5000]
    return [
        Article(
            draft=draft,
            number=a.number,
            sub=a.sub,
            label=a.label,
            chapter=a.chapter[:200],
            text=a.text,
            position=i,
        )
        for i, a in enumerate(result.articles, start=1)
    ]


def _check_window(opens_on: dt.date, closes_on: dt.date) -> None:
    if closes_on < opens_on:
        message = _("截止日期不能早于开始日期。")
        raise ValidationFailed({"closes_on": [message]})


def _stations_for(user, station_ids, area_ids) -> list[Station]:
    stations = {}
    if station_ids:
        found = {s.pk: s for s in Station.objects.select_related("area").filter(pk__in=station_ids)}
        for pk in station_ids:
            s = found.get(pk)
            if s is None or not user_sees_area(user, s.area):
                message = _("联系点 %(id)s 不存在或不在您的管辖范围内。") % {"id": pk}
                raise ValidationFailed({"stations": [message]})
            stations[s.pk] = s
    for pk in area_ids or []:
        area = Area.objects.filter(pk=pk).first()
        if area is None or not user_sees_area(user, area):
            message = _("区划 %(id)s 不存在或不在您的管辖范围内。") % {"id": pk}
            raise ValidationFailed({"areas": [message]})
        for s in Station.objects.filter(area__path__startswith=area.path, is_active=True):
            stations.setdefault(s.pk, s)
    return list(stations.values())


def assign(draft: Draft, stations, deadline: dt.date) -> int:
    existing = set(draft.assignments.values_list("station_id", flat=True))
    rows = [
        DraftAssignment(draft=draft, station=s, deadline=deadline) for s in stations if s.pk not in existing
    ]
    DraftAssignment.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def draft_create(
    *,
    user,
    title: str,
    issuer: str,
    stage: str,
    opens_on: dt.date,
    closes_on: dt.date,
    text: str,
    background: str = "",
    area: Area | None = None,
    previous: Draft | None = None,
    station_ids: list[int] | None = None,
    area_ids: list[int] | None = None,
    deadline: dt.date | None = None,
) -> Draft:
    area = area or user.area
    if area is None or not user_sees_area(user, area):
        message = _("该区划不在您的管辖范围内。")
        raise ValidationFailed({"area": [message]})
    _check_window(opens_on, closes_on)
    if previous is not None:
        require_staff_of(user, previous)
    stations = _stations_for(user, station_ids, area_ids)
    draft = Draft(
        title=title.strip(),
        issuer=issuer.strip(),
        stage=stage.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        background=background or "",
        source_text=text,
        area=area,
        previous=previous,
        created_by=user,
    )
    articles = _split_into(draft, text)
    draft.save()
    Article.objects.bulk_create(articles)
    assign(draft, stations, deadline or closes_on)
    return draft


@transaction.atomic
def draft_resplit(*, user, draft_id: int, text: str) -> Draft:
    """Replace the articles by a new split of corrected text: only before the draft is opened."""
    draft = locked_draft(draft_id)
    require_staff_of(user, draft)
    if draft.status != Draft.Status.DRAFT:
        raise InvalidTransition(_("草案已公开，不能再修改条文。"))
    articles = _split_into(draft, text)
    draft.source_text = text
    draft.save(update_fields=["source_text", "preamble"])
    draft.articles.all().delete()
    Article.objects.bulk_create(articles)
    return draft


@transaction.atomic
def article_update(*, user, article_id: int, chapter: str, text: str) -> Article:
    """Correct one article's chapter heading or text before the draft is opened."""
    article = Article.objects.select_related("draft__area").filter(pk=article_id).first()
    if article is None:
        from liaison.errors import NotFound

        raise NotFound()
    draft = locked_draft(article.draft_id)
    require_staff_of(user, draft)
    if draft.status != Draft.Status.DRAFT:
        raise InvalidTransition(_("草案已公开，不能再修改条文。"))
    text = (text or "").strip()
    if not text:
        raise ValidationFailed({"text": [_("条文不能为空。")]})
    article.chapter = (chapter or "").strip()[:200]
    article.text = text[:20000]
    article.save(update_fields=["chapter", "text"])
    return article


@transaction.atomic
def draft_assign(*, user, draft_id: int, station_ids=None, area_ids=None, deadline: dt.date) -> int:
    draft = locked_draft(draft_id)
    require_staff_of(user, draft)
    if draft.status not in (Draft.Status.DRAFT, Draft.Status.OPEN):
        raise InvalidTransition(_("征求意见已结束，不能再分派联系点。"))
    return assign(draft, _stations_for(user, station_ids, area_ids), deadline)


def _move(user, draft_id: int, from_: tuple, to: str, message: str) -> Draft:
    draft = locked_draft(draft_id)
    require_staff_of(user, draft)
    if draft.status not in from_:
        raise InvalidTransition(message)
    draft.status = to
    return draft


@transaction.atomic
def draft_open(*, user, draft_id: int) -> Draft:
    draft = _move(user, draft_id, (Draft.Status.DRAFT,), Draft.Status.OPEN, _("只有草稿可以公开征求意见。"))
    if not draft.articles.exists():
        raise InvalidTransition(_("草案没有条文，不能公开。"))
    draft.opened_at = timezone.now()
    draft.save(update_fields=["status", "opened_at"])
    return draft


@transaction.atomic
def draft_close(*, user, draft_id: int) -> Draft:
    draft = _move(
        user, draft_id, (Draft.Status.OPEN,), Draft.Status.CLOSED, _("只有征求意见中的草案可以结束。")
    )
    draft.save(update_fields=["status"])
    return draft


@transaction.atomic
def draft_report(*, user, draft_id: int) -> Draft:
    draft = _move(
        user, draft_id, (Draft.Status.CLOSED,), Draft.Status.REPORTED, _("征求意见结束后才能汇总上报。")
    )
    draft.reported_at = timezone.now()
    draft.save(update_fields=["status", "reported_at"])
    return draft

"""Opinions in: from the public web form (anonymous, tracking code), and entered by staff and 立法信息员 —
single opinions of an expert, a delegate or an officer, and forums (座谈会) with several opinions at once."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.acts import delegate_act
from liaison.codes import save_with_new_code
from liaison.errors import Conflict, NotFound, ValidationFailed
from liaison.privacy import normalise_phone
from stations.models import Delegate, Station

from ..models import Article, Draft, Expert, Forum, Opinion
from ._common import clean_content, require_station, station_of_informant

TRACKING_CODE_LENGTH = 10
MAX_FORUM_OPINIONS = 200


def _open_draft(draft_id: int) -> Draft:
    draft = Draft.objects.filter(pk=draft_id).only("id", "status", "area_id").order_by().first()
    if draft is None:
        raise NotFound()
    if draft.status != Draft.Status.OPEN:
        raise Conflict(_("该草案不在征求意见期内。"))
    return draft


def _article(draft: Draft, article_id: int | None) -> Article | None:
    if article_id in (None, ""):
        return None
    article = (
        Article.objects.filter(pk=article_id, draft_id=draft.pk).only("id", "draft_id").order_by().first()
    )
    if article is None:
        message = _("该条文不属于此草案。")
        raise ValidationFailed({"article": [message]})
    return article


def _open_draft_and_article(draft_id: int, article_id: int | None) -> tuple[Draft, Article | None]:
    """The open draft and the article of it, in one query when an article is given (the public hot path)."""
    if article_id in (None, ""):
        return _open_draft(draft_id), None
    article = (
        Article.objects.select_related("draft")
        .only("id", "draft_id", "draft__id", "draft__status", "draft__area_id")
        .filter(pk=article_id, draft_id=draft_id)
        .order_by()
        .first()
    )
    if article is None:
        draft = _open_draft(draft_id)  # a missing draft is a 404 and a closed one a 409 before the article
        return draft, _article(draft, article_id)
    if article.draft.status != Draft.Status.OPEN:
        raise Conflict(_("该草案不在征求意见期内。"))
    return article.draft, article


def _station(station_id) -> Station | None:
    if station_id in (None, ""):
        return None
    station = Station.objects.select_related("area").filter(pk=station_id, is_active=True).first()
    if station is None:
        message = _("联系点不存在。")
        raise ValidationFailed({"station": [message]})
    return station


def _save(opinion: Opinion) -> Opinion:
    def save(code: str) -> Opinion:
        opinion.tracking_code = code
        opinion.save()
        return opinion

    return save_with_new_code(save, length=TRACKING_CODE_LENGTH)


@transaction.atomic
def opinion_submit(
    *,
    draft_id: int,
    content: str,
    article_id: int | None = None,
    name: str = "",
    phone: str = "",
    station_id: int | None = None,
) -> Opinion:
    """A member of the public comments on one article or on the whole draft, without an account."""
    draft, article = _open_draft_and_article(draft_id, article_id)
    content = clean_content(content)
    phone = normalise_phone(phone) if (phone or "").strip() else ""
    return _save(
        Opinion(
            draft=draft,
            article=article,
            content=content,
            source=Opinion.Source.PUBLIC,
            station=_station(station_id),
            name=(name or "").strip()[:50],
            phone=phone,
        )
    )


@transaction.atomic
def opinion_record(
    *,
    user,
    draft_id: int,
    content: str,
    source: str,
    station_id: int | None,
    article_id: int | None = None,
    expert_id: int | None = None,
    delegate_id: int | None = None,
) -> Opinion:
    """Staff or an information officer enter an opinion gathered at their point (an officer's own, an
    expert's or a delegate's)."""
    if getattr(user, "is_informant", False) and station_id in (None, ""):
        station = station_of_informant(user)
    else:
        station = _station(station_id)
    if station is None:
        raise ValidationFailed({"station": [_("请选择联系点。")]})
    require_station(user, station)
    draft = _open_draft(draft_id)
    content = clean_content(content)
    article = _article(draft, article_id)
    if source not in (Opinion.Source.EXPERT, Opinion.Source.DELEGATE, Opinion.Source.INFORMANT):
        message = _("来源须为专家、代表或立法信息员；座谈会意见请随座谈会录入。")
        raise ValidationFailed({"source": [message]})
    expert = delegate = None
    if source == Opinion.Source.EXPERT:
        expert = Expert.objects.filter(pk=expert_id or 0, station=station, is_active=True).first()
        if expert is None:
            raise ValidationFailed({"expert": [_("请选择本联系点的专家。")]})
    if source == Opinion.Source.DELEGATE:
        delegate = Delegate.objects.filter(pk=delegate_id or 0, is_active=True).first()
        if delegate is None:
            raise ValidationFailed({"delegate": [_("请选择代表。")]})
    opinion = _save(
        Opinion(
            draft=draft,
            article=article,
            content=content,
            source=source,
            station=station,
            expert=expert,
            delegate=delegate,
            created_by=user,
        )
    )
    if delegate is not None:
        delegate_act(
            delegate_id=delegate.pk,
            kind="legislative_opinion",
            source=opinion,
            happened_at=opinion.created_at,
            withdrawn=False,
        )
    return opinion


@dataclass
class ForumOpinion:
    content: str
    article_id: int | None = None


@transaction.atomic
def forum_create(
    *,
    user,
    draft_id: int,
    station_id: int,
    held_on: dt.date,
    attendance: int,
    opinions: list[ForumOpinion],
    place: str = "",
    minutes: str = "",
) -> Forum:
    """A 座谈会 at a contact point with the opinions raised there, all at once."""
    station = _station(station_id)
    if station is None:
        raise ValidationFailed({"station": [_("请选择联系点。")]})
    require_station(user, station)
    draft = _open_draft(draft_id)
    if attendance is None or attendance < 1 or attendance > 100000:
        raise ValidationFailed({"attendance": [_("请填写参加人数。")]})
    if len(opinions) > MAX_FORUM_OPINIONS:
        message = _("一次最多录入%(n)d条意见。") % {"n": MAX_FORUM_OPINIONS}
        raise ValidationFailed({"opinions": [message]})
    cleaned = []
    for i, o in enumerate(opinions):
        try:
            cleaned.append((_article(draft, o.article_id), clean_content(o.content)))
        except ValidationFailed as exc:
            raise ValidationFailed({"opinions": [f"{i + 1}: {exc.message}"]}) from None
    forum = Forum.objects.create(
        draft=draft,
        station=station,
        held_on=held_on,
        attendance=attendance,
        place=(place or "").strip()[:200],
        minutes=minutes or "",
        created_by=user,
    )
    for article, content in cleaned:
        _save(
            Opinion(
                draft=draft,
                article=article,
                content=content,
                source=Opinion.Source.FORUM,
                station=station,
                forum=forum,
                created_by=user,
            )
        )
    return forum

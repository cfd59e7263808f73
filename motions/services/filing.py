"""Filing: drafts, submission (which creates the Suggestion of channel `formal`), co-signers, attachments."""

from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.acts import delegate_act
from liaison.errors import Conflict, InvalidTransition, NotFound, NotPermitted, ValidationFailed
from liaison.notifications.services import Recipient, notify
from liaison.uploads import check_image, check_pdf
from stations.models import Delegate
from suggestions.models import Suggestion
from suggestions.services.intake import suggestion_submit

from ..conf import conf
from ..models import Attachment, Cosigner, FormalSuggestion, Session


def _text(value, field: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed({field: [_("请填写%(label)s。") % {"label": label}]})
    if len(value) > max_length:
        raise ValidationFailed(
            {field: [_("%(label)s不能超过 %(n)s 个字。") % {"label": label, "n": max_length}]}
        )
    return value


def same_congress(a: Delegate, b: Delegate) -> bool:
    return a.area_id == b.area_id and a.level == b.level and a.term == b.term


def current_session(area_id: int, day=None) -> Session | None:
    day = day or timezone.localdate()
    return (
        Session.objects.filter(area_id=area_id, starts_on__lte=day, ends_on__gte=day)
        .order_by("-starts_on")
        .first()
    )


def _lock(motion_id: int) -> FormalSuggestion:
    m = FormalSuggestion.objects.select_for_update().select_related("lead").filter(pk=motion_id).first()
    if m is None:
        raise NotFound(_("代表建议不存在。"))
    return m


def _check_lead(m: FormalSuggestion, delegate: Delegate) -> None:
    if m.lead_id != delegate.pk:
        raise NotPermitted(_("只有领衔代表可以这样做。"))


def _cosigner_delegates(lead: Delegate, ids: Sequence[int]) -> list[Delegate]:
    ids = list(dict.fromkeys(int(i) for i in ids or ()))
    if len(ids) > conf.COSIGNERS_MAX:
        raise ValidationFailed({"cosigners": [_("附议代表最多 %(n)s 人。") % {"n": conf.COSIGNERS_MAX}]})
    found = {d.pk: d for d in Delegate.objects.filter(pk__in=ids)}
    out = []
    for pk in ids:
        d = found.get(pk)
        if d is None or not d.is_active or not same_congress(lead, d):
            raise ValidationFailed(
                {"cosigners": [_("附议代表须为同一人大的在任代表（%(id)s）。") % {"id": pk}]}
            )
        if d.pk == lead.pk:
            raise ValidationFailed({"cosigners": [_("领衔代表不能附议自己的建议。")]})
        out.append(d)
    return out


def _session(lead: Delegate, session: Session | None) -> Session | None:
    if session is None:
        return current_session(lead.area_id)
    if session.area_id != lead.area_id:
        raise ValidationFailed({"session": [_("该会议不是您所在人大的会议。")]})
    return session


def _invite(m: FormalSuggestion, delegates: list[Delegate]) -> None:
    existing = set(m.cosigners.values_list("delegate_id", flat=True))
    wanted = {d.pk for d in delegates}
    m.cosigners.filter(confirmed_at=None).exclude(delegate_id__in=wanted).delete()
    Cosigner.objects.bulk_create([Cosigner(motion=m, delegate=d) for d in delegates if d.pk not in existing])


@transaction.atomic
def motion_save(
    *,
    lead: Delegate,
    title: str,
    content: str,
    kind: str = FormalSuggestion.Kind.SUGGESTION,
    session: Session | None = None,
    cosigners: Sequence[int] = (),
    attachments: Sequence = (),
    submit: bool = True,
    motion_id: int | None = None,
    actor=None,
) -> FormalSuggestion:
    """Create (or, with motion_id, update a draft of) a formal suggestion; `submit` files it at once."""
    title = _text(title, "title", _("标题"), 100)
    content = _text(content, "content", _("内容"), 5000)
    if kind not in FormalSuggestion.Kind.values:
        raise ValidationFailed({"kind": [_("请选择建议或议案。")]})
    if not lead.is_active:
        raise NotPermitted(_("该代表已不在任。"))
    others = _cosigner_delegates(lead, cosigners)
    checked = check_attachments(attachments)
    if motion_id is None:
        m = FormalSuggestion(lead=lead, area_id=lead.area_id)
    else:
        m = _lock(motion_id)
        _check_lead(m, lead)
        if m.suggestion_id is not None:
            raise InvalidTransition(_("已提交的建议不能再修改。"))
        if m.attachments.count() + len(checked) > conf.ATTACHMENTS_MAX:
            raise ValidationFailed({"attachments": [_("附件最多 %(n)s 个。") % {"n": conf.ATTACHMENTS_MAX}]})
    m.title, m.content, m.kind, m.session = title, content, kind, session
    m.save()
    _invite(m, others)
    _store(m, checked)
    if submit:
        motion_submit(motion_id=m.pk, lead=lead, actor=actor)
        m.refresh_from_db()
    return m


@transaction.atomic
def motion_submit(*, motion_id: int, lead: Delegate, actor=None) -> FormalSuggestion:
    m = _lock(motion_id)
    _check_lead(m, lead)
    if m.suggestion_id is not None:
        return m
    m.session = _session(m.lead, m.session)
    s = suggestion_submit(
        title=m.title,
        content=m.content,
        channel=Suggestion.Channel.FORMAL,
        area=m.lead.area,
        raised_by_delegate=m.lead,
        actor=actor,
    )
    m.suggestion, m.submitted_at = s, s.created_at
    m.save(update_fields=["suggestion", "submitted_at", "session", "updated_at"])
    delegate_act(delegate_id=m.lead_id, kind="formal_suggestion_filed", source=m, happened_at=m.submitted_at)
    invited = list(m.cosigners.filter(confirmed_at=None).select_related("delegate__user"))
    users = [getattr(c.delegate, "user", None) for c in invited]
    notify(
        [Recipient(user=u) for u in users if u is not None],
        kind="motion_cosign_invite",
        key=f"motion-cosign:{m.pk}",
        subject=_("%(lead)s邀请您附议代表建议：%(title)s") % {"lead": m.lead.name, "title": m.title[:40]},
        link=reverse("motions:delegate-detail", args=[m.pk]),
    )
    return m


@transaction.atomic
def motion_cosign(*, motion_id: int, delegate: Delegate) -> Cosigner:
    """附议: an invited delegate of the same congress confirms, before the suggestion is registered."""
    m = _lock(motion_id)
    c = m.cosigners.filter(delegate=delegate).first()
    if c is None:
        if not same_congress(m.lead, delegate) or delegate.pk == m.lead_id:
            raise NotPermitted(_("只有同一人大受邀的代表可以附议。"))
        raise NotPermitted(_("您没有受邀附议这件建议。"))
    if c.confirmed_at is not None:
        return c
    if m.suggestion_id is None:
        raise InvalidTransition(_("建议尚未提交，暂不能附议。"))
    if m.suggestion.status != "submitted":
        raise InvalidTransition(_("建议已立案或转为参阅件，不能再附议。"))
    c.confirmed_at = timezone.now()
    c.save(update_fields=["confirmed_at"])
    delegate_act(
        delegate_id=delegate.pk, kind="formal_suggestion_cosigned", source=m, happened_at=c.confirmed_at
    )
    return c


def check_attachments(files: Sequence) -> list:
    files = [f for f in files or () if f]
    if len(files) > conf.ATTACHMENTS_MAX:
        raise ValidationFailed({"attachments": [_("附件最多 %(n)s 个。") % {"n": conf.ATTACHMENTS_MAX}]})
    out = []
    for f in files:
        f.seek(0)
        head = f.read(5)
        f.seek(0)
        try:
            if head == b"%PDF-":
                out.append(check_pdf(f, max_bytes=conf.ATTACHMENT_MAX_BYTES))
            else:
                out.append(check_image(f, max_bytes=conf.ATTACHMENT_MAX_BYTES))
        except ValidationFailed as exc:
            raise ValidationFailed({"attachments": [exc.text]}) from None
    return out


def _store(m: FormalSuggestion, checked: list) -> None:
    for c in checked:
        a = Attachment(motion=m, ext=c.ext, size=c.size)
        a.file.save(f"upload.{c.ext}", c.file, save=False)
        a.save()


@transaction.atomic
def motion_attach(*, motion_id: int, lead: Delegate, files: Sequence) -> list[Attachment]:
    checked = check_attachments(files)
    m = _lock(motion_id)
    _check_lead(m, lead)
    if m.suggestion_id is not None and m.suggestion.status != "submitted":
        raise InvalidTransition(_("建议已立案，不能再添加附件。"))
    if m.attachments.count() + len(checked) > conf.ATTACHMENTS_MAX:
        raise Conflict(_("附件最多 %(n)s 个。") % {"n": conf.ATTACHMENTS_MAX})
    _store(m, checked)
    return list(m.attachments.all())

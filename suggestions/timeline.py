"""Public texts of timeline events, rendered in the reader's language from an event's kind and public data.

Event data hold only what the public may read (unit names, dates, result classes, a rejection reason written
for the submitter); never a name or phone number.
"""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from liaison.satisfaction import Satisfaction

from .models import Reply, SuggestionEvent

K = SuggestionEvent.Kind


def _role(role: str) -> str:
    return _("主办") if role == "lead" else _("协办")


def public_text(event: SuggestionEvent) -> str:
    """The sentence the tracking page shows, or "" for internal events."""
    if not event.public:
        return ""
    d = event.data or {}
    kind = event.kind
    if kind == K.SUBMITTED:
        return _("已收到意见建议，等待受理")
    if kind == K.ACCEPTED:
        return _("已受理")
    if kind == K.REJECTED:
        return _("不予受理：%(reason)s") % {"reason": d.get("reason", "")}
    if kind == K.MERGED:
        return _("与意见建议 %(code)s 内容相同，合并办理，请查看该意见建议的办理进度") % {
            "code": d.get("into", "")
        }
    if kind == K.REFERRED:
        units = [_("%(unit)s（主办）") % {"unit": d.get("lead", "")}]
        units += [_("%(unit)s（协办）") % {"unit": u} for u in d.get("assisting", [])]
        return _("已转交%(units)s办理，答复期限 %(due)s") % {
            "units": pgettext("列表", "、").join(units),
            "due": d.get("due", ""),
        }
    if kind == K.REFERRAL_ACCEPTED:
        return _("%(unit)s已签收") % {"unit": d.get("unit", "")}
    if kind == K.REFERRAL_RETURNED:
        return _("%(unit)s认为不属于本单位职责，已退回，正在重新分办") % {"unit": d.get("unit", "")}
    if kind == K.REPLIED:
        result = Reply.Result(d["result"]).label if d.get("result") in Reply.Result.values else ""
        return _("%(unit)s（%(role)s）已答复：%(result)s") % {
            "unit": d.get("unit", ""),
            "role": _role(d.get("role", "lead")),
            "result": result,
        }
    if kind == K.RATING_REQUESTED:
        return _("已答复，请您在 %(due)s 前评价") % {"due": d.get("due", "")}
    if kind == K.RATED:
        label = Satisfaction(d["rating"]).label if d.get("rating") in Satisfaction.values else ""
        return _("评价：%(rating)s") % {"rating": label}
    if kind == K.REOPENED:
        return _("评价不满意，重新交办（第%(round)s轮）") % {"round": d.get("round", "")}
    if kind == K.SUPERVISED:
        return _("再次评价不满意，已转上级督办")
    if kind == K.CLOSED:
        if d.get("expired"):
            return _("评价期满未评价，自动办结")
        return _("已办结")
    if kind == K.EXTENSION_GRANTED:
        return _("%(unit)s申请延期，答复期限延至 %(due)s") % {
            "unit": d.get("unit", ""),
            "due": d.get("due", ""),
        }
    return ""


def public_events(events) -> list[dict]:
    """[{kind, at, text}] for the events the public may see, oldest first."""
    out = []
    for e in events:
        text = public_text(e)
        if text:
            out.append({"kind": e.kind, "at": e.at, "text": text})
    return out

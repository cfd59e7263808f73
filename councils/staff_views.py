"""Workspace pages of bodies and councils: staff list the bodies of their subtree, read a body's members (phones
masked) and meetings, and record a meeting; admins also create bodies, add members (a delegate, or a person with
an optional account whose first password is shown once) and record members leaving.

Membership writes go through bodies.services, meetings through councils.services; every POST redirects (303)."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bodies import services as body_services
from bodies.models import BodyMember, members_on
from bodies.selectors import staff_bodies
from liaison.errors import DomainError, NotFound, show_domain_error
from liaison.page_access import admin_required, staff_required
from liaison.pages import see_other
from liaison.privacy import mask_phone

from . import selectors, services
from .forms import BodyForm, LeaveForm, MeetingForm, MemberForm

# The session key of a new member account's first password, shown once on the body page and then dropped.
NEW_ACCOUNT_KEY = "councils_new_account"


@staff_required
def bodies(request):
    rows = list(staff_bodies(request.user)[:500])
    return render(request, "councils/staff_bodies.html", {"bodies": rows})


@admin_required
@require_http_methods(["GET", "POST"])
def body_new(request):
    form = BodyForm(request.POST or None, areas=selectors.areas_for_bodies(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            body = body_services.body_create(
                name=d["name"],
                kind=d["kind"],
                area=d["area"],
                term=d["term"],
                description=d["description"],
                actor=request.user,
            )
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("已建立%(name)s。") % {"name": body.name})
            return see_other(request, "councils:body", body.pk)
    status = 400 if form.errors else 200
    return render(request, "councils/body_new.html", {"form": form}, status=status)


def _member_form(request, body, data=None):
    picker = selectors.delegates_for_picker(body, request.GET.get("dq", ""))
    return MemberForm(data, delegates=picker, prefix="m")


def _body_page(request, body, *, member_form=None, status=200):
    is_admin = request.user.is_portal_admin
    groups = selectors.staff_member_groups(body)
    for _label, members in groups:
        for m in members:
            m.phone_masked = mask_phone(m.phone)
    meetings = list(selectors.meetings_of(body)[:50])
    ctx = {
        "body": body,
        "groups": groups,
        "member_total": sum(len(ms) for _label, ms in groups),
        "meetings": meetings,
        "is_admin": is_admin,
        "member_form": member_form or (_member_form(request, body) if is_admin else None),
        "leave_form": LeaveForm(prefix="l") if is_admin else None,
        "new_account": request.session.pop(NEW_ACCOUNT_KEY, None) if status == 200 else None,
        "may_meet": body.kind == body.Kind.STREET_COUNCIL,
    }
    return render(request, "councils/staff_body.html", ctx, status=status)


@staff_required
def body_detail(request, pk):
    return _body_page(request, body_services.body_for(request.user, pk))


@admin_required
@require_POST
def member_add(request, pk):
    body = body_services.body_for(request.user, pk)
    form = _member_form(request, body, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            member, password = body_services.member_add(
                body=body,
                delegate=d["delegate"],
                name=d["name"],
                sector=d["sector"],
                phone=d["phone"],
                joined_on=d["joined_on"],
                account=d["account"],
                actor=request.user,
            )
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            if password is not None:
                # Shown once: the body page pops it from the session (server side, never in a cookie).
                request.session[NEW_ACCOUNT_KEY] = {
                    "name": member.name,
                    "username": member.user.username,
                    "password": password,
                }
            messages.success(request, _("已添加成员%(name)s。") % {"name": member.name})
            return see_other(request, "councils:body", body.pk)
    return _body_page(request, body, member_form=form, status=400)


@admin_required
@require_POST
def member_leave(request, pk, member_pk):
    body = body_services.body_for(request.user, pk)
    if not BodyMember.objects.filter(body=body, pk=member_pk).exists():
        raise NotFound()
    form = LeaveForm(request.POST, prefix="l")
    if not form.is_valid():
        messages.error(request, _("退出日期格式不正确。"))
        return see_other(request, "councils:body", body.pk)
    try:
        member = body_services.member_leave(
            member_id=member_pk,
            left_on=form.cleaned_data["left_on"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except DomainError as exc:
        show_domain_error(request, exc)
    else:
        messages.success(request, _("已登记%(name)s退出。") % {"name": member.name})
    return see_other(request, "councils:body", body.pk)


def _day(raw) -> dt.date:
    try:
        return dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_new(request, pk):
    """Record a held meeting. The attendance boxes list the members on the meeting's day (`?held_on=` on GET,
    the posted date on POST)."""
    body = body_services.body_for(request.user, pk)
    source = request.POST if request.method == "POST" else request.GET
    day = _day(source.get("held_on"))
    members = list(members_on(body.pk, day).order_by("sector", "name", "id"))
    if request.method == "POST":
        form = MeetingForm(request.POST, members=members)
        if form.is_valid():
            d = form.cleaned_data
            try:
                meeting = services.meeting_record(
                    body=body,
                    held_on=d["held_on"],
                    title=d["title"],
                    place=d["place"],
                    agenda=d["agenda"],
                    attendance=[int(x) for x in d["attendance"]],
                    minutes=d["minutes"],
                    opinions=form.opinion_list(),
                    actor=request.user,
                )
            except DomainError as exc:
                show_domain_error(request, exc, form)
            else:
                n = meeting.opinions.count()
                messages.success(
                    request,
                    _("会议已登记，%(n)d 条意见已转为意见建议，可在意见建议工作台交办。") % {"n": n},
                )
                return see_other(request, "councils:body", body.pk)
    else:
        form = MeetingForm(initial={"held_on": day}, members=members)
    ctx = {"body": body, "form": form, "day": day}
    return render(request, "councils/meeting_new.html", ctx, status=400 if form.errors else 200)

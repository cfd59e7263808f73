"""The inbox page: the signed-in user's in-app notifications, marking them read, and the digest preference.

Every POST answers with a 303 to the inbox (post/redirect/get); htmx requests get HX-Redirect."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from liaison.errors import DomainError, show_domain_error
from liaison.pages import domain_error_page, see_other

from . import selectors, services

PAGE_SIZE = 20


class DigestForm(forms.Form):
    digest = forms.ChoiceField(label=gettext_lazy("邮件短信提醒"), widget=forms.RadioSelect)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from liaison.accounts.models import User

        self.fields["digest"].choices = User.Digest.choices


def _unread_param(request) -> bool | None:
    return True if request.GET.get("unread") in ("1", "true") else None


@login_required
@require_GET
def inbox(request):
    unread = _unread_param(request)
    qs = selectors.inbox_for(request.user, unread=unread)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {
        "page_obj": page,
        "unread_only": bool(unread),
        "query": "unread=1" if unread else "",
        "digest_form": DigestForm(initial={"digest": request.user.digest}, user=request.user)
        if request.user.may_choose_digest
        else None,
    }
    return render(request, "notifications/inbox.html", ctx)


@login_required
@require_POST
def inbox_read(request, pk: int):
    """Mark one notification read; with `open`, go on to the page it links to."""
    try:
        n = services.mark_one_read(user=request.user, notification_id=pk)
    except DomainError as exc:
        return domain_error_page(request, exc)
    if request.POST.get("open") and n.link and url_has_allowed_host_and_scheme(n.link, allowed_hosts=None):
        return see_other(request, n.link)
    return see_other(request, "inbox")


@login_required
@require_POST
def inbox_read_all(request):
    count = services.mark_read(user=request.user)
    if count:
        messages.success(request, _("已将 %(n)s 条消息标为已读。") % {"n": count})
    return see_other(request, "inbox")


@login_required
@require_POST
def inbox_preferences(request):
    form = DigestForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.digest_preference_set(user=request.user, digest=form.cleaned_data["digest"])
        except DomainError as exc:
            show_domain_error(request, exc)
            return see_other(request, "inbox")
        messages.success(request, _("提醒方式已保存。"))
    else:
        messages.error(request, _("请选择有效的提醒方式。"))
    return see_other(request, "inbox")

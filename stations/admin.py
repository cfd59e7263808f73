"""Back office for the station network, scoped by area (see liaison.admin_scope.AreaScopedAdmin).

Staff keep rosters, memberships, schedules, reception days and logs of their subtree and see its
appointments; areas and handling units are read-only for them; admins may change everything in their subtree.
Actions call services.
"""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from liaison.acts import delegate_act
from liaison.admin_scope import (
    CHOICE_FUNCTIONS,
    CHOICE_SCOPES,
    AreaScopedAdmin,
    ScopedInline,
    run_service_action,
)
from liaison.codes import save_with_new_code
from liaison.privacy import mask_phone

from . import services
from .models import (
    Appointment,
    Area,
    Delegate,
    HandlingUnit,
    ReceptionDay,
    ReceptionDuty,
    ReceptionLog,
    ReceptionLogItem,
    ReceptionSchedule,
    Station,
    StationMembership,
)

admin.site.site_header = _("人大代表联络站 · 后台")
admin.site.site_title = _("联络站后台")
admin.site.index_title = _("后台管理")


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[:i]) for i in range(1, len(parts))]


def delegate_choices(user):
    """Delegates a user may pick: those of the congresses in their subtree, plus those of the congresses
    above it (a city delegate is grouped into a township station, and the county staff keep that roster)."""
    qs = Delegate.objects.select_related("area")
    path = getattr(user, "area_path", None)
    if path is None or not getattr(user, "is_area_staff", False):
        return qs.none()
    if path == "":
        return qs
    return qs.filter(Q(area__path__startswith=path) | Q(area__path__in=_ancestor_paths(path)))


CHOICE_SCOPES.update(
    {
        "stations.area": "",
        "stations.station": "area",
        "stations.handlingunit": "area",
        "stations.receptionday": "station__area",
    }
)
CHOICE_FUNCTIONS["stations.delegate"] = delegate_choices


@admin.register(Area)
class AreaAdmin(AreaScopedAdmin):
    area_field = ""
    staff_may_edit = False
    list_display = ["name", "code", "tier", "parent"]
    list_filter = ["tier"]
    list_select_related = ["parent"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]

    def get_readonly_fields(self, request, obj=None):
        # The materialised path hangs on code and parent: moving an area would move its whole subtree.
        return ["code", "parent", "path"] if obj else ["path"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.path = Area.make_path(obj.code, obj.parent)
        super().save_model(request, obj, form, change)


@admin.register(HandlingUnit)
class HandlingUnitAdmin(AreaScopedAdmin):
    staff_may_edit = False
    list_display = ["name", "area", "contact_phone", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["area"]
    search_fields = ["name"]
    autocomplete_fields = ["area"]


class MembershipInline(ScopedInline, admin.TabularInline):
    model = StationMembership
    extra = 0
    autocomplete_fields = ["delegate"]
    fields = ["delegate", "role", "joined_on"]


class ScheduleInline(ScopedInline, admin.StackedInline):
    model = ReceptionSchedule
    extra = 0
    autocomplete_fields = ["duty_delegates"]
    fields = [
        ("frequency", "day_of_month", "weekday"),
        ("start_time", "end_time"),
        "duty_delegates",
        "is_active",
    ]


@admin.register(Station)
class StationAdmin(AreaScopedAdmin):
    list_display = ["name", "kind", "area", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["area"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["area"]
    inlines = [MembershipInline, ScheduleInline]
    actions = ["generate_reception_days"]

    def save_formset(self, request, form, formset, change):
        if formset.model is not ReceptionSchedule:
            return super().save_formset(request, form, formset, change)
        # Days of a schedule being deleted are withdrawn while they still point at it.
        gone = [f.instance.pk for f in formset.deleted_forms if f.instance.pk]
        if gone:
            services.reception_days_plan(schedule_ids=gone, withdraw_schedule_ids=gone)
        super().save_formset(request, form, formset, change)
        request._schedules_with_new_roster = [
            f.instance.pk
            for f in formset.forms
            if f.instance.pk and "duty_delegates" in f.changed_data and f not in formset.deleted_forms
        ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The days already generated follow the schedules and rosters just saved (and the station's status).
        services.reception_days_plan(
            station_ids=[form.instance.pk],
            roster_schedule_ids=getattr(request, "_schedules_with_new_roster", ()),
        )

    @admin.action(description=_("按接待日安排生成近期接待日"))
    def generate_reception_days(self, request, queryset):
        created = services.reception_days_generate(station_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request, ngettext("已生成%(n)d个接待日。", "已生成%(n)d个接待日。", created) % {"n": created}
        )


@admin.register(Delegate)
class DelegateAdmin(AreaScopedAdmin):
    list_display = ["name", "level", "term", "area", "code", "is_active"]
    list_filter = ["level", "is_active"]
    list_select_related = ["area"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["area"]
    readonly_fields = ["code"]
    contact_fields = ("mobile",)

    def get_queryset(self, request):
        # Picking a delegate for a roster also offers the delegates of the congresses above the user's area.
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            return delegate_choices(request.user)
        return super().get_queryset(request)

    def save_model(self, request, obj, form, change):
        if obj.code:
            super().save_model(request, obj, form, change)
            return

        def save(code: str) -> None:
            obj.code = code
            super(DelegateAdmin, self).save_model(request, obj, form, change)

        save_with_new_code(save, length=8)


@admin.register(StationMembership)
class StationMembershipAdmin(AreaScopedAdmin):
    area_field = "station__area"
    list_display = ["delegate", "station", "role", "joined_on"]
    list_filter = ["role"]
    list_select_related = ["delegate", "station"]
    search_fields = ["delegate__name", "station__name"]
    autocomplete_fields = ["station", "delegate"]


class DutyInline(ScopedInline, admin.TabularInline):
    model = ReceptionDuty
    extra = 0
    autocomplete_fields = ["delegate"]


@admin.register(ReceptionDay)
class ReceptionDayAdmin(AreaScopedAdmin):
    area_field = "station__area"
    list_display = ["date", "planned_date", "station", "start_time", "end_time", "cancelled"]
    list_filter = ["cancelled"]
    list_select_related = ["station"]
    search_fields = ["station__name"]
    date_hierarchy = "date"
    autocomplete_fields = ["station"]
    exclude = ["schedule"]
    inlines = [DutyInline]


class LogItemInline(ScopedInline, admin.TabularInline):
    model = ReceptionLogItem
    extra = 0
    # The constituent's phone is personal data: masked here; staff who handle the opinion see it in full on
    # the suggestion's page, where each view is logged.
    fields = ["position", "content", "constituent_name", "masked_phone"]
    readonly_fields = ["masked_phone"]

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj) -> str:
        return mask_phone(obj.constituent_phone) if obj and obj.pk else ""


@admin.register(ReceptionLog)
class ReceptionLogAdmin(AreaScopedAdmin):
    area_field = "station__area"
    list_display = ["held_on", "station", "delegate", "visitors", "created_at"]
    list_select_related = ["station", "delegate"]
    search_fields = ["station__name", "delegate__name", "summary"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["station", "delegate"]
    exclude = ["reception_day", "created_by"]
    inlines = [LogItemInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        delegate_act(delegate_id=form.instance.delegate_id, kind="reception_log", source=form.instance)

    def delete_model(self, request, obj):
        delegate_act(delegate_id=obj.delegate_id, kind="reception_log", source=obj, withdrawn=True)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for log in queryset:
            delegate_act(delegate_id=log.delegate_id, kind="reception_log", source=log, withdrawn=True)
        super().delete_queryset(request, queryset)


@admin.register(Appointment)
class AppointmentAdmin(AreaScopedAdmin):
    """Appointments are created by constituents and answered by delegates: staff follow them here."""

    area_field = "delegate__area"
    list_display = ["code", "delegate", "station", "status", "masked_phone", "preferred_date", "created_at"]
    list_filter = ["status"]
    list_select_related = ["delegate", "station"]
    search_fields = ["code", "delegate__name"]
    readonly_fields = [
        "code", "delegate", "station", "name", "phone", "subject", "preferred_date", "status",
        "scheduled_at", "place", "decline_reason", "created_at", "updated_at",
    ]  # fmt: skip
    actions = ["mark_held"]
    contact_fields = ("phone",)  # staff read the requester's number on the change page: each view is audited

    def get_queryset(self, request):
        # An appointment belongs to the delegate's area and to the station's (as in selectors.appointments_for).
        user, qs = request.user, super(AreaScopedAdmin, self).get_queryset(request)
        if user.is_superuser and user.area_path == "":
            return qs
        if not user.is_area_staff:
            return qs.none()
        return qs.filter(
            Q(delegate__area__path__startswith=user.area_path)
            | Q(station__area__path__startswith=user.area_path)
        )

    def in_scope(self, request, obj) -> bool:
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("手机号码"))
    def masked_phone(self, obj) -> str:
        return mask_phone(obj.phone)

    @admin.action(description=_("标记为已见面"))
    def mark_held(self, request, queryset):
        done = run_service_action(
            self,
            request,
            queryset,
            lambda appt: services.appointment_mark_held(appointment_id=appt.pk, actor=request.user),
        )
        if done:
            self.message_user(request, ngettext("已标记%(n)d条。", "已标记%(n)d条。", done) % {"n": done})

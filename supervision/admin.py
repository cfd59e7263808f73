"""Back office for supervision, scoped by area (liaison.admin_scope.AreaScopedAdmin). Actions and the
writes that carry a workflow (issuing an opinion, accepting a rectification, opening/closing a vote) call
services, and so does adding an activity, a question or an assessment (liaison.admin_scope.ServiceCreateMixin);
a status is never a form field: it changes through the actions only. Plain records (plans, windows, an
activity's details, records) are edited directly."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.admin_scope import (
    CHOICE_SCOPES,
    AreaScopedAdmin,
    ScopedInline,
    ServiceCreateMixin,
    run_service_action,
)
from liaison.uploads.fields import PhotoField

from .models import (
    Activity,
    ActivityRecord,
    Assessment,
    CollectionWindow,
    Opinion,
    Question,
    Rectification,
    RectificationEvent,
    SupervisionPlan,
    Topic,
)
from .services.activities import activity_create, activity_finish, activity_start
from .services.assessments import assessment_close, assessment_create, assessment_open
from .services.questions import opinion_issue, question_ask
from .services.rectifications import rectification_accept, rectification_schedule_follow_up
from .services.topics import topic_select

CHOICE_SCOPES.update(
    {
        "supervision.supervisionplan": "area",
        "supervision.topic": "area",
        "supervision.activity": "area",
        "supervision.rectification": "area",
    }
)


@admin.register(SupervisionPlan)
class SupervisionPlanAdmin(AreaScopedAdmin):
    list_display = ["__str__", "area", "year"]
    list_filter = ["year"]
    list_select_related = ["area"]
    autocomplete_fields = ["area"]


@admin.register(CollectionWindow)
class CollectionWindowAdmin(AreaScopedAdmin):
    staff_may_edit = False  # admins open collection windows
    list_display = ["__str__", "area", "year", "opens", "closes"]
    list_select_related = ["area"]
    autocomplete_fields = ["area"]
    exclude = ["created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Topic)
class TopicAdmin(AreaScopedAdmin):
    list_display = ["title", "area", "year", "status", "supports_count", "proposer_kind", "plan"]
    list_filter = ["status", "year", "proposer_kind"]
    list_select_related = ["area", "plan"]
    search_fields = ["title"]
    readonly_fields = ["supports_count", "status", "plan", "decided_at", "proposer_delegate", "created_by"]
    autocomplete_fields = ["area"]
    actions = ["select_this_year"]

    @admin.action(description=_("列入本年度监督计划"))
    def select_this_year(self, request, queryset):
        year = timezone.localdate().year
        run_service_action(
            self,
            request,
            queryset,
            lambda t: topic_select(topic_id=t.pk, year=year, actor=request.user),
            _("%(n)s 个议题已列入计划。"),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.proposer_kind = Topic.Proposer.STAFF
            obj.created_by = request.user
            obj.year = obj.year or timezone.localdate().year
        super().save_model(request, obj, form, change)


class RecordForm(forms.ModelForm):
    photo = PhotoField(label=_("照片"), required=False)  # the shared upload check (liaison.uploads)

    class Meta:
        model = ActivityRecord
        fields = ["text", "photo", "is_public"]


class RecordInline(ScopedInline, admin.TabularInline):
    model = ActivityRecord
    form = RecordForm
    extra = 0
    fields = ["text", "photo", "is_public"]


@admin.register(Activity)
class ActivityAdmin(ServiceCreateMixin, AreaScopedAdmin):
    list_display = ["title", "kind", "area", "status", "starts_at", "plan"]
    list_filter = ["kind", "status"]
    list_select_related = ["area", "plan"]
    search_fields = ["title"]
    autocomplete_fields = ["area", "delegates", "units"]
    raw_id_fields = ["topic", "follow_up_of"]
    exclude = ["created_by"]
    readonly_fields = ["status"]  # the start/finish actions
    inlines = [RecordInline]
    actions = ["start", "finish"]

    def create_through_service(self, request, obj, form):
        d = form.cleaned_data
        a = activity_create(
            kind=obj.kind,
            title=obj.title,
            area=obj.area,
            actor=request.user,
            plan=obj.plan,
            topic=obj.topic,
            description=obj.description,
            starts_at=obj.starts_at,
            ends_at=obj.ends_at,
            place=obj.place,
            delegates=d.get("delegates") or (),
            units=d.get("units") or (),
            committee_members=obj.committee_members,
            official_name=obj.official_name,
            official_title=obj.official_title,
        )
        if obj.follow_up_of_id:
            a.follow_up_of_id = obj.follow_up_of_id
            a.save(update_fields=["follow_up_of"])
        return a

    @admin.action(description=_("开始活动"))
    def start(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda a: activity_start(activity_id=a.pk, actor=request.user),
            _("%(n)s 个活动已开始。"),
        )

    @admin.action(description=_("完成活动"))
    def finish(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda a: activity_finish(activity_id=a.pk, actor=request.user),
            _("%(n)s 个活动已完成。"),
        )


@admin.register(Question)
class QuestionAdmin(ServiceCreateMixin, AreaScopedAdmin):
    """Asking goes through services.questions.question_ask (deadline, the unit's notice); the answer, its
    status and deadline are the unit's answer (question_answer), never form fields."""

    area_field = "activity__area"
    list_display = ["__str__", "activity", "unit", "status", "due", "answer_mode"]
    list_filter = ["status", "answer_mode"]
    list_select_related = ["activity", "unit"]
    raw_id_fields = ["activity", "parent", "asked_by"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["status", "due", "answer", "answer_mode", "answered_by_label", "answered_at"]

    def create_through_service(self, request, obj, form):
        return question_ask(
            activity_id=obj.activity_id,
            unit=obj.unit,
            text=obj.text,
            actor=request.user,
            asked_by=obj.asked_by,
            asked_by_label=obj.asked_by_label,
            parent_id=obj.parent_id,
        )


@admin.register(Opinion)
class OpinionAdmin(AreaScopedAdmin):
    """Issuing an opinion opens its rectification: new opinions go through
    services.questions.opinion_issue."""

    area_field = "activity__area"
    list_display = ["title", "activity", "unit", "issued_at"]
    list_select_related = ["activity", "unit"]
    raw_id_fields = ["activity"]
    autocomplete_fields = ["unit"]
    exclude = ["issued_by"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        issued = opinion_issue(
            activity_id=obj.activity_id,
            unit=obj.unit,
            title=obj.title,
            content=obj.content,
            actor=request.user,
        )
        obj.pk = issued.pk
        obj.issued_at = issued.issued_at


class EventInline(ScopedInline, admin.TabularInline):
    model = RectificationEvent
    extra = 0
    fields = ["at", "kind", "text", "actor"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Rectification)
class RectificationAdmin(AreaScopedAdmin):
    """Rectifications are opened by services (opinions, assessments, evaluations), not by hand."""

    list_display = ["title", "unit", "source", "status", "due", "area"]
    list_filter = ["status", "source"]
    list_select_related = ["unit", "area"]
    search_fields = ["title", "unit__name"]
    readonly_fields = [
        "unit",
        "area",
        "source",
        "title",
        "content",
        "due",
        "status",
        "report",
        "reported_at",
        "accepted_at",
        "return_reason",
        "opinion",
        "assessment",
        "follow_up_of",
        "created_by",
    ]
    inlines = [EventInline]
    actions = ["accept", "schedule_follow_up"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("验收通过"))
    def accept(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda r: rectification_accept(rectification_id=r.pk, actor=request.user),
            _("%(n)s 项整改已验收。"),
        )

    @admin.action(description=_("安排回头看"))
    def schedule_follow_up(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda r: rectification_schedule_follow_up(rectification_id=r.pk, actor=request.user),
            _("已为 %(n)s 项整改安排回头看。"),
        )


@admin.register(Assessment)
class AssessmentAdmin(ServiceCreateMixin, AreaScopedAdmin):
    """Made by services.assessments.assessment_create; status and counts change through the actions only."""

    list_display = ["title", "unit", "subject", "status", "rate", "outcome"]
    list_filter = ["status", "subject", "outcome"]
    list_select_related = ["unit", "area"]
    autocomplete_fields = ["area", "unit", "roll"]
    raw_id_fields = ["activity", "rectification"]
    readonly_fields = [
        "status",
        "satisfied_count",
        "basically_satisfied_count",
        "unsatisfied_count",
        "rate",
        "outcome",
        "opened_at",
        "closed_at",
        "created_by",
        "body",
        "members",
        "counting",
    ]
    actions = ["open_vote", "close_vote"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and obj.status != Assessment.Status.DRAFT:
            fields += ["roll", "unit", "subject", "unsatisfied_share", "rectification_months"]
        return fields

    def create_through_service(self, request, obj, form):
        a = assessment_create(
            title=obj.title,
            area=obj.area,
            unit=obj.unit,
            subject=obj.subject,
            roll=form.cleaned_data.get("roll") or (),
            actor=request.user,
            activity=obj.activity,
            rectification=obj.rectification,
            unsatisfied_share=obj.unsatisfied_share,
        )
        if "rectification_months" in form.changed_data:  # the service starts from the configured default
            a.rectification_months = obj.rectification_months
            a.save(update_fields=["rectification_months"])
        return a

    @admin.action(description=_("开始测评"))
    def open_vote(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda a: assessment_open(assessment_id=a.pk, actor=request.user),
            _("%(n)s 项测评已开始。"),
        )

    @admin.action(description=_("结束测评并计票"))
    def close_vote(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda a: assessment_close(assessment_id=a.pk, actor=request.user),
            _("%(n)s 项测评已结束。"),
        )

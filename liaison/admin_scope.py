"""The one area scope of the back office, used by every app's admin.

`AreaScopedAdmin` is the one mixin every back-office model uses: the changelist, the change/history/delete
views, the actions (which run on the changelist's queryset), the autocomplete (which reads the target model's
admin queryset) and the foreign-key choices are limited to the user's area subtree, and another area's object
is a 404 (never a redirect that says it exists). Permissions follow the portal roles, not Django's model
permissions: admins may do everything in their subtree; staff what `staff_may_edit`/`staff_may_view` allow.
History is for reading (liaison.admin_history), and a change page that shows a personal number in full writes
the audit record. The few admins outside the scope (superuser-only tables, the calendar) are listed in
tests/liaison/test_admin_scope.py, which fails for any other admin that does not use the mixin.
"""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from liaison.errors import DomainError
from liaison.privacy import contact_viewed

from .admin_history import ReadOnlyHistoryAdmin
from .scoping import path_contains, scope_to_area

# Foreign-key choices are limited to the subtree: "app_label.model" -> path to the model's Area ("" for Area).
# Each app adds its models from its admin module (e.g. CHOICE_SCOPES["suggestions.suggestion"] = "area"), and
# registers in CHOICE_FUNCTIONS a function `user -> queryset` for a model whose choices are not one subtree.
CHOICE_SCOPES: dict[str, str] = {}
CHOICE_FUNCTIONS: dict[str, Callable] = {}


def scoped_choices(model, user):
    """The choices of a foreign key to `model` for `user`, or None when the model is not area-scoped."""
    label = model._meta.label_lower
    if label in CHOICE_FUNCTIONS:
        return CHOICE_FUNCTIONS[label](user)
    if label in CHOICE_SCOPES:
        return scope_to_area(model._default_manager.all(), user, CHOICE_SCOPES[label])
    model_admin = admin.site._registry.get(model)
    if isinstance(model_admin, AreaScopedAdmin):  # any other back-office model: as its own admin scopes it
        return scope_to_area(model._default_manager.all(), user, model_admin.area_field)
    return None


def _scoped_formfield_kwargs(db_field, user, kwargs: dict) -> dict:
    choices = scoped_choices(db_field.related_model, user)
    if choices is not None:
        kwargs["queryset"] = choices
    if db_field.verbose_name == db_field.name.replace("_", " "):
        # A relation declared without a verbose name is labelled with its model's (Chinese) name.
        kwargs.setdefault("label", db_field.related_model._meta.verbose_name)
    return kwargs


def _portal_role(user) -> str | None:
    """'super', 'admin', 'staff' or None (no back-office access)."""
    if not (user.is_active and user.is_staff):
        return None
    if user.is_superuser:
        return "super"
    if not user.is_area_staff:
        return None
    return "admin" if user.is_portal_admin else "staff"


class ScopedPermissionsMixin:
    """Role-based permissions shared by model admins and inlines."""

    staff_may_view = True
    staff_may_edit = True
    admin_may_edit = True

    def _allowed(self, request, write: bool) -> bool:
        role = _portal_role(request.user)
        if role == "super":
            return True
        if role == "admin":
            return self.admin_may_edit or not write
        if role == "staff":
            return self.staff_may_edit if write else self.staff_may_view
        return False


class AreaScopedAdmin(ScopedPermissionsMixin, ReadOnlyHistoryAdmin):
    area_field = "area"  # path from the model to its Area; "" for Area itself

    # --- scoping
    def get_queryset(self, request):
        return scope_to_area(super().get_queryset(request), request.user, self.area_field)

    def area_path_of(self, obj) -> str | None:
        target = obj
        for part in [p for p in self.area_field.split("__") if p]:
            target = getattr(target, part, None)
            if target is None:
                return None
        return getattr(target, "path", None)

    def in_scope(self, request, obj) -> bool:
        if obj is None:
            return True
        base = getattr(request.user, "area_path", None)
        if request.user.is_superuser and base == "":
            return True
        return path_contains(base, self.area_path_of(obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = _scoped_formfield_kwargs(db_field, request.user, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs = _scoped_formfield_kwargs(db_field, request.user, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # --- another area's object is a 404, in every view that takes an id
    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(_("对象不存在，或不在您的管辖范围内。"))

    def _require_in_scope(self, request, object_id) -> None:
        try:
            exists = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            exists = False
        if not exists:
            raise Http404(_("对象不存在，或不在您的管辖范围内。"))

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    # --- personal numbers: a change page that shows one in full (or an inline's) writes the audit record
    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and _shows_contact(self, context, obj):
            contact_viewed(actor=request.user, obj=obj, where=request.path)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- permissions by role, and by area for one object
    def has_module_permission(self, request):
        return self._allowed(request, write=False)

    def has_view_permission(self, request, obj=None):
        return (self._allowed(request, write=False) or self._allowed(request, write=True)) and self.in_scope(
            request, obj
        )

    def has_add_permission(self, request):
        return self._allowed(request, write=True)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, write=True) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, write=True) and self.in_scope(request, obj)


def _shows_contact(model_admin, context, obj) -> bool:
    adminform = context.get("adminform")
    shown = set(flatten_fieldsets(adminform.fieldsets)) if adminform is not None else set()
    if any(getattr(obj, f, "") for f in model_admin.contact_fields if f in shown):
        return True
    for inline in context.get("inline_admin_formsets", []):
        fields = set(getattr(inline.opts, "contact_fields", ())) & set(flatten_fieldsets(inline.fieldsets))
        if fields and any(
            getattr(form.instance, f, "") for form in inline.formset.initial_forms for f in fields
        ):
            return True
    return False


class ScopedInline(ScopedPermissionsMixin):
    """Inlines follow the same roles; the parent admin has already checked the area."""

    contact_fields: tuple[str, ...] = ()  # personal numbers shown in full: the parent's page is audited

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, write=False) or self._allowed(request, write=True)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request, write=True)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, write=True)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, write=True)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = _scoped_formfield_kwargs(db_field, request.user, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs = _scoped_formfield_kwargs(db_field, request.user, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ServiceCreateMixin:
    """For an admin whose model is made by a service: the add form's object goes through
    `create_through_service(request, obj, form) -> created object` instead of `obj.save()`, so the admin cannot
    make an object that skips its service's checks, defaults and notifications. A domain error leaves nothing
    saved (the change form's transaction rolls back) and is shown on the add page. Put it before the admin base
    class; editing an existing object saves it as usual (keep its status read-only)."""

    def create_through_service(self, request, obj, form):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        created = self.create_through_service(request, obj, form)
        for field in obj._meta.concrete_fields:  # the admin logs and redirects to what the service made
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding, obj._state.db = False, created._state.db

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.text, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


# --- Users --------------------------------------------------------------------------------------------------
def run_service_action(modeladmin, request, queryset, fn, done_message=None) -> int:
    """Run a service on each selected object for an admin action.

    A domain error (e.g. the wrong state) is reported for that object and the others still go through; every
    transition stays in its own service transaction. Returns how many succeeded.
    """
    done = 0
    for obj in queryset:
        try:
            fn(obj)
            done += 1
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.text}", messages.ERROR)
    if done and done_message:
        modeladmin.message_user(request, done_message % {"n": done}, messages.SUCCESS)
    return done

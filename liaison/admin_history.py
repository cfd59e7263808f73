"""History in the back office is for reading.

django-simple-history's history form is also its revert form: it saves whatever is posted to it after checking
only that the user may *view* the object (SIMPLE_HISTORY_REVERT_DISABLED merely hides the button). The state
of nearly every model here belongs to services, so `ReadOnlyHistoryAdmin` answers anything but GET on the
history form with 405 and shows every field read-only.

The history form shows only what the history recorded: simple-history fills the fields it keeps out of the
history (passwords, personal numbers) from the current row, which is neither history nor something to show.
Personal numbers the history does record (`contact_fields`) are masked, in the form and in the list of changes.
"""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.forms import modelform_factory
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from liaison.privacy import mask_phone


def is_tracked(model) -> bool:
    return getattr(model._meta, "simple_history_manager_attribute", None) is not None


def recorded_fields(model) -> set[str]:
    """The model's fields that its history records."""
    history = getattr(model, model._meta.simple_history_manager_attribute).model
    return {f.name for f in history._meta.fields if not f.name.startswith("history_")}


class _MaskingContextHelper(HistoricalRecordContextHelper):
    def __init__(self, model, record, *, masked: tuple[str, ...]):
        super().__init__(model, record)
        self.masked = masked

    def prepare_delta_change_value(self, change, value):
        if change.field in self.masked:
            return mask_phone(value)
        return super().prepare_delta_change_value(change, value)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    # Personal numbers of the model: masked in its history, and an audit record whenever a page shows them.
    contact_fields: tuple[str, ...] = ()

    def revert_disabled(self, request, obj=None):
        return True

    def history_view(self, request, object_id, extra_context=None):
        if not is_tracked(self.model):
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)  # the admin's log
        return super().history_view(request, object_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return _MaskingContextHelper(self.model, historical_record, masked=self.contact_fields)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One recorded version, read-only. Written here rather than adapted from simple-history's view, whose
        form saves on POST and whose fields follow each admin's own editable/read-only choices."""
        if not is_tracked(self.model):
            raise Http404
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        request.current_app = self.admin_site.name
        opts = self.model._meta
        history = getattr(self.model, opts.simple_history_manager_attribute)
        record = get_object_or_404(
            history.model, **{opts.pk.attname: unquote(object_id), "history_id": version_id}
        )
        obj = record.instance  # a throwaway instance: masked below, never saved
        obj._state.adding = False
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        for name in self.contact_fields:
            setattr(obj, name, mask_phone(getattr(obj, name, "")))

        fieldsets = self._recorded_fieldsets(request, obj)
        form = modelform_factory(self.model, fields=[])(instance=obj)
        adminform = helpers.AdminForm(form, fieldsets, {}, flatten_fieldsets(fieldsets), model_admin=self)
        prefix = f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}"
        context = {
            **self.admin_site.each_context(request),
            "title": self.history_form_view_title(request, obj),  # "View …" (revert is disabled)
            "adminform": adminform,
            "object_id": object_id,
            "original": obj,
            "is_popup": False,
            "media": self.media + adminform.media,
            "errors": helpers.AdminErrorList(form, []),
            "app_label": opts.app_label,
            "original_opts": opts,
            "changelist_url": reverse(f"{prefix}_changelist"),
            "change_url": reverse(f"{prefix}_change", args=(obj.pk,)),
            "history_url": reverse(f"{prefix}_history", args=(obj.pk,)),
            "change_history": False,
            "revert_disabled": True,
            "add": False,
            "change": True,
            "has_add_permission": False,
            "has_view_permission": True,
            "has_change_permission": False,
            "has_delete_permission": False,
            "has_editable_inline_admin_formsets": False,
            "has_file_field": False,
            "has_absolute_url": False,
            "form_url": "",
            "opts": opts,
            "content_type_id": self.content_type_model_cls.objects.get_for_model(self.model).id,
            "save_as": False,
            "save_on_top": False,
            "root_path": getattr(self.admin_site, "root_path", None),
            **(extra_context or {}),
        }
        return self.render_history_view(request, self.object_history_form_template, context)

    def _recorded_fieldsets(self, request, obj) -> list:
        """The admin's fieldsets, keeping only the fields the history records."""
        recorded = recorded_fields(self.model)
        kept = []
        for name, options in self.get_fieldsets(request, obj):
            lines = options.get("fields", ())
            fields = [f for line in lines for f in (line if isinstance(line, list | tuple) else [line])]
            fields = [f for f in fields if isinstance(f, str) and f in recorded]
            if fields:
                kept.append((name, {**options, "fields": fields}))
        return kept

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "liaison.core"
    label = "core"
    verbose_name = _("工作日历")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from liaison import startup  # noqa: F401 - registers the deploy check
        from liaison.workdays import overrides_changed

        from .models import WorkdayOverride

        post_save.connect(overrides_changed, sender=WorkdayOverride, dispatch_uid="workdays-overrides-save")
        post_delete.connect(
            overrides_changed, sender=WorkdayOverride, dispatch_uid="workdays-overrides-delete"
        )
        name_schema_enums()


def name_schema_enums() -> None:
    """Give every model choice set a stable OpenAPI enum name ("SuggestionStatusEnum").

    Many models have a `status` or `kind` field; without names drf-spectacular falls back to hashed names like
    "Status78eEnum" that change whenever a choice is added, which breaks generated clients.
    """
    from django.apps import apps
    from django.conf import settings
    from django.db import models

    overrides = settings.SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})
    taken_choices: set = set()
    for model in apps.get_models():
        if model.__module__.startswith(("django.", "rest_framework", "axes")) or model.__name__.startswith(
            "Historical"
        ):
            continue
        for field in model._meta.get_fields():
            choices = getattr(field, "choices", None)
            if not choices or not isinstance(field, models.Field) or getattr(field, "related_model", None):
                continue
            key = tuple(value for value, _label in choices)
            name = f"{model.__name__}{field.name.title().replace('_', '')}Enum"
            if key in taken_choices or name in overrides:
                continue
            taken_choices.add(key)
            overrides[name] = list(choices)  # (value, label) pairs: drf-spectacular hashes both

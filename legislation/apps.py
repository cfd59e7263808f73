from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegislationConfig(AppConfig):
    name = "legislation"
    verbose_name = _("基层立法联系点")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "duties"
    verbose_name = _("代表履职")

    def on_delegate_act(self, **act) -> None:
        """liaison.acts.delegate_act: write the entry in the caller's transaction (with the act or not at all)."""
        from .ledger import act_record

        act_record(**act)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MotionsConfig(AppConfig):
    name = "motions"
    verbose_name = _("代表建议")

    def ready(self) -> None:
        # 先沟通后答复 holds on every path to a reply (suggestions' unit pages too): suggestions sits below
        # motions, so motions plugs its rule into the suggestions hook.
        from suggestions.hooks import register_reply_guard

        from .services.handling import contact_guard

        register_reply_guard(contact_guard)

    def workspace_links(self, user) -> list[tuple[str, str]]:
        from django.urls import reverse

        links: list[tuple[str, str]] = []
        if getattr(user, "is_area_staff", False) or getattr(user, "is_superuser", False):
            links += [
                (_("代表建议办理（立案、交办）"), reverse("motions:staff-list")),
                (_("代表建议统计"), reverse("motions:staff-stats")),
            ]
        if getattr(user, "is_unit_user", False):
            links.append((_("代表建议承办"), reverse("motions:unit-list")))
        if getattr(user, "is_delegate_user", False):
            links.append((_("我的代表建议（提出、附议、评价）"), reverse("motions:delegate-list")))
        return links

    def public_nav(self) -> list[tuple[str, str]]:
        return [(_("代表建议"), "motions:public")]

    def seed_demo(self, stdout) -> None:
        from .demo import seed

        made = seed()
        stdout.write(f"motions: {made} demo formal suggestions" if made else "motions: demo data present")

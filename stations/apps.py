from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("联络站网络")

    def ready(self) -> None:
        # Cache invalidation (a cross-cutting concern, not domain logic): any write to the station network
        # bumps the version in the keys of the cached public reads (see stations/cache.py). Bulk writes send
        # no signals; they bump explicitly (services.reception_days_generate, seed_demo).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import models
        from .cache import bump_network_version

        for model in [
            models.Area,
            models.Station,
            models.Delegate,
            models.StationMembership,
            models.ReceptionSchedule,
            models.ReceptionDay,
            models.ReceptionDuty,
            models.HandlingUnit,
        ]:
            uid = f"stations-network-version-{model.__name__}"
            post_save.connect(bump_network_version, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(bump_network_version, sender=model, dispatch_uid=f"{uid}-delete")
        m2m_changed.connect(
            bump_network_version,
            sender=models.ReceptionSchedule.duty_delegates.through,
            dispatch_uid="stations-network-version-schedule-duty",
        )

    def on_workdays_changed(self, dates) -> None:
        """A holiday override changed (liaison.workdays.calendar_changed): move the reception days still to come
        whose date the change can affect — those planned on or before a changed date and held on or after it."""
        import functools
        import operator

        from django.db.models import Q
        from django.utils import timezone

        from .models import ReceptionDay
        from .reception_days import reception_days_plan

        if not dates:
            return
        around = functools.reduce(operator.or_, (Q(planned_date__lte=d, date__gte=d) for d in dates))
        stations = set(
            ReceptionDay.objects.filter(around, date__gt=timezone.localdate()).values_list(
                "station_id", flat=True
            )
        )
        if stations:
            reception_days_plan(station_ids=stations)

    def portal_welcome(self) -> list[str]:
        """For `run_portal`'s last words before the server's log: the demo accounts, when the demo is loaded."""
        from django.conf import settings
        from django.contrib.auth.hashers import check_password

        from .management.commands.seed_demo import DEFAULT_PASSWORD, accounts_table, demo_accounts

        users = demo_accounts()
        if not users:
            return []
        guess = settings.DEMO_PASSWORD or DEFAULT_PASSWORD
        return accounts_table(users, guess if check_password(guess, users[0].password) else None)

    def workspace_links(self, user) -> list[tuple[str, str]]:
        """Links for the workspace hub (see stations.views.workspace_links)."""
        from django.urls import reverse

        links: list[tuple[str, str]] = []
        if getattr(user, "is_delegate_user", False):
            links += [
                (_("我的值班"), reverse("workspace-duty")),
                (_("登记接待"), reverse("workspace-reception-log")),
                (_("预约请求"), reverse("workspace-appointments")),
            ]
        if getattr(user, "is_area_staff", False):
            links += [
                (_("联络站与进站代表"), reverse("admin:stations_station_changelist")),
                (_("人大代表"), reverse("admin:stations_delegate_changelist")),
                (_("接待日"), reverse("admin:stations_receptionday_changelist")),
                (_("接待记录"), reverse("admin:stations_receptionlog_changelist")),
                (_("预约"), reverse("admin:stations_appointment_changelist")),
            ]
        if getattr(user, "is_portal_admin", False):
            links += [
                (_("承办单位"), reverse("admin:stations_handlingunit_changelist")),
                (_("用户与角色"), reverse("admin:accounts_user_changelist")),
                (_("工作日调整"), reverse("admin:core_workdayoverride_changelist")),
            ]
        return links

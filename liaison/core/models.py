from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class WorkdayOverride(models.Model):
    """A date whose working-day status differs from the package's data, or a year the package does not know.

    A deployment enters a new year's holidays (休) and adjusted workdays (班) here as soon as the State Council
    publishes them.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("是否工作日"), help_text=_("勾选表示当天上班（含调休上班），不勾选表示放假。")
    )
    note = models.CharField(_("说明"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")

    def __str__(self) -> str:
        kind = _("班") if self.is_workday else _("休")
        return f"{self.date} {kind} {self.note}"


class Heartbeat(models.Model):
    """When a long-running process last showed it is alive (the beat scheduler: liaison.beat), for /healthz.

    A database row, because in production beat runs as its own process, often on another machine than the web
    processes that answer /healthz.
    """

    name = models.CharField(max_length=50, primary_key=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.at.isoformat()}"

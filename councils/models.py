"""A street council's meetings (街道议政代表会): the agenda, who attended, the minutes, and the opinions raised,
each of which becomes a suggestion of the `council` channel and is referred like any other."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Meeting(models.Model):
    body = models.ForeignKey(
        "bodies.Body", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("机构")
    )
    held_on = models.DateField(_("会议日期"))
    title = models.CharField(_("会议名称"), max_length=200, blank=True)
    place = models.CharField(_("会议地点"), max_length=200, blank=True)
    agenda = models.TextField(_("会议议程"), max_length=4000)
    minutes = models.TextField(_("会议纪要"), max_length=20000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("议政会议")
        verbose_name_plural = _("议政会议")
        indexes = [models.Index(fields=["body", "-held_on"])]

    def __str__(self) -> str:
        return self.title or f"{self.body} {self.held_on}"

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class Attendance(models.Model):
    """Every member of the body on the day of the meeting, present or not."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        "bodies.BodyMember", on_delete=models.PROTECT, related_name="attendance", verbose_name=_("成员")
    )
    present = models.BooleanField(_("出席"), default=True)

    class Meta:
        ordering = ["meeting_id", "member_id"]
        verbose_name = _("出席情况")
        verbose_name_plural = _("出席情况")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_meeting")
        ]
        indexes = [models.Index(fields=["member"])]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.member_id}"


class MeetingOpinion(models.Model):
    """An opinion raised at a meeting, and the suggestion it became."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="opinions")
    member = models.ForeignKey(
        "bodies.BodyMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_opinions",
        verbose_name=_("提出人"),
    )
    content = models.TextField(_("意见内容"), max_length=5000)
    suggestion = models.OneToOneField(
        "suggestions.Suggestion",
        on_delete=models.PROTECT,
        related_name="council_opinion",
        verbose_name=_("意见建议"),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["meeting_id", "position", "id"]
        verbose_name = _("会议意见")
        verbose_name_plural = _("会议意见")
        indexes = [models.Index(fields=["member"])]

    def __str__(self) -> str:
        return self.content[:40]

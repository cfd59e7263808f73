from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("监督")

    def ready(self) -> None:
        # The tracking page of a suggestion lists the topics it fed; suggestions sits below supervision, so
        # supervision plugs its read into the suggestions hook rather than suggestions importing it.
        from suggestions.hooks import register_tracking_topics

        from .selectors import topics_for_suggestion

        register_tracking_topics(topics_for_suggestion)

    def workspace_links(self, user) -> list[tuple[str, str]]:
        """Links for the workspace hub (see stations.views.workspace_links)."""
        from django.urls import reverse

        links: list[tuple[str, str]] = []
        if getattr(user, "is_area_staff", False):
            links += [
                (_("监督工作台（议题、活动、逾期整改）"), reverse("supervision:staff-workspace")),
                (_("监督活动管理"), reverse("admin:supervision_activity_changelist")),
                (_("满意度测评"), reverse("admin:supervision_assessment_changelist")),
            ]
        if getattr(user, "is_portal_admin", False):
            links.append((_("监督议题征集"), reverse("admin:supervision_collectionwindow_changelist")))
        if getattr(user, "is_unit_user", False):
            links.append((_("监督事项（询问、审议意见、整改）"), reverse("supervision:unit-workspace")))
        if getattr(user, "is_delegate_user", False):
            from .models import Assessment

            open_ = Assessment.objects.filter(status=Assessment.Status.OPEN, roll=user.delegate_id).order_by(
                "id"
            )
            for a in open_[:5]:
                links.append(
                    (
                        _("参加测评：%(title)s") % {"title": a.title},
                        reverse("supervision:assessment-vote", args=[a.pk]),
                    )
                )
        if getattr(user, "is_body_member", False):
            # A council member who is not a delegate: the open assessments on whose member roll they are (the
            # project evaluations among them are linked by the voting app, to its own page).
            from .models import Assessment
            from .selectors import member_assessment_ids

            open_ = (
                Assessment.objects.filter(
                    status=Assessment.Status.OPEN, counting="online", pk__in=member_assessment_ids(user)
                )
                .exclude(subject=Assessment.Subject.PROJECT)
                .order_by("id")
            )
            for a in open_[:5]:
                links.append(
                    (
                        _("参加测评：%(title)s") % {"title": a.title},
                        reverse("supervision:assessment-vote", args=[a.pk]),
                    )
                )
        if getattr(user, "is_area_staff", False):
            links.append((_("满意度测评计票与结果"), reverse("supervision:staff-assessments")))
        links.append((_("人大监督（公开）"), reverse("supervision:index")))
        return links

    def seed_demo(self, stdout) -> None:
        from .demo import seed

        made = seed()
        stdout.write(f"supervision: {made} demo topics" if made else "supervision: demo data present")

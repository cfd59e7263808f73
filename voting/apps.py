from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("民生实事")

    def workspace_links(self, user) -> list[tuple[str, str]]:
        """Links for the workspace hub: what this user has to do in the livelihood-project cycle."""
        from django.urls import reverse

        from . import selectors

        links: list[tuple[str, str]] = []
        if getattr(user, "is_delegate_user", False) or getattr(user, "is_body_member", False):
            n = selectors.pending_ballots_for(user).count()
            links.append((_("待投票的表决（%(n)s）") % {"n": n}, reverse("voting:vote-home")))
        if getattr(user, "is_delegate_user", False):
            m = len(selectors.pending_evaluations_for(user.delegate_id))
            links.append((_("待测评（%(n)s）") % {"n": m}, reverse("voting:vote-home")))
        if getattr(user, "is_body_member", False):
            # A council member who is not a delegate: each project evaluation waiting for their vote.
            for ev in selectors.pending_member_evaluations(user)[:5]:
                links.append(
                    (
                        _("项目满意度测评：%(t)s") % {"t": ev.assessment.title},
                        reverse("voting:vote-evaluation", args=[ev.pk]),
                    )
                )
        if getattr(user, "is_area_staff", False):
            links.append((_("筛选项目建议"), reverse("voting:manage-proposals")))
            links.append((_("民生实事项目"), reverse("voting:manage-projects")))
        if getattr(user, "is_portal_admin", False) and getattr(user, "area_path", None) is not None:
            links.append((_("项目征集"), reverse("voting:manage-windows")))
            links.append((_("表决"), reverse("voting:manage-ballots")))
        if getattr(user, "is_unit_user", False):
            links.append((_("我单位的民生实事项目"), reverse("voting:manage-projects")))
        return links

    def seed_demo(self, stdout) -> None:
        from .demo import seed

        seed(stdout)

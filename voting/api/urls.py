from django.urls import path

from . import counts, evaluations, views

urlpatterns = [
    path("proposal-windows/", views.ProposalWindowListCreateView.as_view(), name="api-proposal-windows"),
    path("proposals/", views.ProposalListCreateView.as_view(), name="api-proposals"),
    path("proposals/code/<str:code>/", views.ProposalByCodeView.as_view(), name="api-proposal-by-code"),
    path("proposals/<int:pk>/", views.ProposalStaffDetailView.as_view(), name="api-proposal-detail"),
    path(
        "proposals/<int:pk>/shortlist/", views.ProposalShortlistView.as_view(), name="api-proposal-shortlist"
    ),
    path("proposals/<int:pk>/decline/", views.ProposalDeclineView.as_view(), name="api-proposal-decline"),
    path("proposals/<int:pk>/merge/", views.ProposalMergeView.as_view(), name="api-proposal-merge"),
    path("ballots/", views.BallotListCreateView.as_view(), name="api-ballots"),
    path("ballots/<int:pk>/", views.BallotDetailView.as_view(), name="api-ballot-detail"),
    path("ballots/<int:pk>/open/", views.BallotOpenView.as_view(), name="api-ballot-open"),
    path("ballots/<int:pk>/close/", views.BallotCloseView.as_view(), name="api-ballot-close"),
    path("ballots/<int:pk>/publish/", views.BallotPublishView.as_view(), name="api-ballot-publish"),
    path("ballots/<int:pk>/attendance/", views.BallotAttendanceView.as_view(), name="api-ballot-attendance"),
    path("ballots/<int:pk>/votes/", views.BallotVoteView.as_view(), name="api-ballot-votes"),
    path("ballots/<int:pk>/turnout/", views.BallotTurnoutView.as_view(), name="api-ballot-turnout"),
    path("ballots/<int:pk>/result/", views.BallotResultView.as_view(), name="api-ballot-result"),
    path("ballots/<int:pk>/paper-tally/", counts.BallotCountView.as_view(), name="api-ballot-count"),
    path(
        "ballots/<int:pk>/paper-tally/confirm/",
        counts.BallotCountConfirmView.as_view(),
        name="api-ballot-count-confirm",
    ),
    path("projects/", views.ProjectListCreateView.as_view(), name="api-projects"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="api-project-detail"),
    path("projects/<int:pk>/leads/", views.ProjectLeadsView.as_view(), name="api-project-leads"),
    path("projects/<int:pk>/milestones/", views.MilestoneCreateView.as_view(), name="api-project-milestones"),
    path("projects/<int:pk>/sites/", views.SiteCreateView.as_view(), name="api-project-sites"),
    path("projects/<int:pk>/progress/", views.ProgressReportView.as_view(), name="api-project-progress"),
    path("milestones/<int:pk>/done/", views.MilestoneDoneView.as_view(), name="api-milestone-done"),
    path("sites/<int:pk>/leads/", views.SiteLeadsView.as_view(), name="api-site-leads"),
    path("sites/<int:pk>/done/", views.SiteDoneView.as_view(), name="api-site-done"),
    path("evaluations/", evaluations.EvaluationListCreateView.as_view(), name="api-evaluations"),
    path("evaluations/<int:pk>/open/", evaluations.EvaluationOpenView.as_view(), name="api-evaluation-open"),
    path(
        "evaluations/<int:pk>/close/", evaluations.EvaluationCloseView.as_view(), name="api-evaluation-close"
    ),
    path(
        "evaluations/<int:pk>/votes/", evaluations.EvaluationVoteView.as_view(), name="api-evaluation-votes"
    ),
    path(
        "evaluations/<int:pk>/result/",
        evaluations.EvaluationResultView.as_view(),
        name="api-evaluation-result",
    ),
    path(
        "evaluations/<int:pk>/paper-tally/",
        evaluations.EvaluationTallyView.as_view(),
        name="api-evaluation-tally",
    ),
    path(
        "evaluations/<int:pk>/paper-tally/confirm/",
        evaluations.EvaluationTallyConfirmView.as_view(),
        name="api-evaluation-tally-confirm",
    ),
]

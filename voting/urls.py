from django.urls import path

from . import views, views_proposals

app_name = "voting"

urlpatterns = [
    # 群众提 (public)
    path("proposals/", views_proposals.proposal_list, name="proposal-list"),
    path("proposals/new/", views_proposals.proposal_new, name="proposal-new"),
    path("proposals/lookup/", views_proposals.proposal_lookup, name="proposal-lookup"),
    path("proposals/<str:code>/", views_proposals.proposal_status, name="proposal-status"),
    path("proposals/<str:code>/done/", views_proposals.proposal_done, name="proposal-done"),
    # 代表决 (public results, the delegate's ballot)
    path("ballots/", views.ballots_published, name="ballots-published"),
    path("ballots/<int:pk>/results/", views.ballot_results, name="ballot-results"),
    path("ballots/<int:pk>/tally-sheet/", views.ballot_tally_sheet, name="ballot-tally-sheet"),
    path("vote/", views.vote_home, name="vote-home"),
    path("vote/ballots/<int:pk>/", views.vote_ballot, name="vote-ballot"),
    path("vote/receipts/<str:code>/", views.vote_receipt, name="vote-receipt"),
    path("vote/evaluations/<int:pk>/", views.vote_evaluation, name="vote-evaluation"),
    # 政府办 (public 幸福账单)
    path("projects/", views.projects_bill, name="projects-bill"),
    path("projects/<int:pk>/", views.project_public, name="project-public"),
    # Workspace: staff, admins, units
    path("workspace/voting/proposals/", views.manage_proposals, name="manage-proposals"),
    path("workspace/voting/proposals/<int:pk>/", views.manage_proposal, name="manage-proposal"),
    path(
        "workspace/voting/proposals/<int:pk>/contact/",
        views.manage_proposal_contact,
        name="manage-proposal-contact",
    ),
    path(
        "workspace/voting/proposals/<int:pk>/<slug:action>/",
        views.manage_proposal_action,
        name="manage-proposal-action",
    ),
    path("workspace/voting/windows/", views.manage_windows, name="manage-windows"),
    path("workspace/voting/ballots/", views.manage_ballots, name="manage-ballots"),
    path("workspace/voting/ballots/new/", views.manage_ballot_new, name="manage-ballot-new"),
    path("workspace/voting/ballots/<int:pk>/", views.manage_ballot, name="manage-ballot"),
    path(
        "workspace/voting/ballots/<int:pk>/turnout/",
        views.manage_ballot_turnout,
        name="manage-ballot-turnout",
    ),
    path(
        "workspace/voting/ballots/<int:pk>/attendance/",
        views.manage_ballot_attendance,
        name="manage-ballot-attendance",
    ),
    path(
        "workspace/voting/ballots/<int:pk>/close/",
        views.manage_ballot_close,
        name="manage-ballot-close",
    ),
    path(
        "workspace/voting/ballots/<int:pk>/<slug:action>/",
        views.manage_ballot_action,
        name="manage-ballot-action",
    ),
    path("workspace/voting/projects/", views.manage_projects, name="manage-projects"),
    path("workspace/voting/projects/new/", views.manage_project_new, name="manage-project-new"),
    path("workspace/voting/projects/<int:pk>/", views.manage_project, name="manage-project"),
    path("workspace/voting/projects/<int:pk>/report/", views.project_report, name="project-report"),
    path(
        "workspace/voting/projects/<int:pk>/evaluate/",
        views.manage_evaluation_new,
        name="manage-evaluation-new",
    ),
    path(
        "workspace/voting/evaluations/<int:pk>/<slug:action>/",
        views.manage_evaluation_action,
        name="manage-evaluation-action",
    ),
    path(
        "workspace/voting/projects/<int:pk>/<slug:action>/",
        views.manage_project_action,
        name="manage-project-action",
    ),
]

from django.urls import path

from .views import ballots, counts, evaluations, projects, proposals

app_name = "voting"

urlpatterns = [
    # 群众提 (public)
    path("proposals/", proposals.proposal_list, name="proposal-list"),
    path("proposals/new/", proposals.proposal_new, name="proposal-new"),
    path("proposals/lookup/", proposals.proposal_lookup, name="proposal-lookup"),
    path("proposals/<str:code>/", proposals.proposal_status, name="proposal-status"),
    path("proposals/<str:code>/done/", proposals.proposal_done, name="proposal-done"),
    # 代表决 (public results, the delegate's ballot)
    path("ballots/", ballots.ballots_published, name="ballots-published"),
    path("ballots/<int:pk>/results/", ballots.ballot_results, name="ballot-results"),
    path("ballots/<int:pk>/tally-sheet/", ballots.ballot_tally_sheet, name="ballot-tally-sheet"),
    path("vote/", ballots.vote_home, name="vote-home"),
    path("vote/ballots/<int:pk>/", ballots.vote_ballot, name="vote-ballot"),
    path("vote/receipts/<str:code>/", ballots.vote_receipt, name="vote-receipt"),
    path("vote/evaluations/<int:pk>/", evaluations.vote_evaluation, name="vote-evaluation"),
    # 政府办 (public 幸福账单)
    path("projects/", projects.projects_bill, name="projects-bill"),
    path("projects/<int:pk>/", projects.project_public, name="project-public"),
    # Workspace: staff, admins, units
    path("workspace/voting/proposals/", proposals.manage_proposals, name="manage-proposals"),
    path("workspace/voting/proposals/<int:pk>/", proposals.manage_proposal, name="manage-proposal"),
    path(
        "workspace/voting/proposals/<int:pk>/contact/",
        proposals.manage_proposal_contact,
        name="manage-proposal-contact",
    ),
    path(
        "workspace/voting/proposals/<int:pk>/<slug:action>/",
        proposals.manage_proposal_action,
        name="manage-proposal-action",
    ),
    path("workspace/voting/windows/", proposals.manage_windows, name="manage-windows"),
    path("workspace/voting/ballots/", ballots.manage_ballots, name="manage-ballots"),
    path("workspace/voting/ballots/new/", ballots.manage_ballot_new, name="manage-ballot-new"),
    path("workspace/voting/ballots/<int:pk>/", ballots.manage_ballot, name="manage-ballot"),
    path(
        "workspace/voting/ballots/<int:pk>/turnout/",
        ballots.manage_ballot_turnout,
        name="manage-ballot-turnout",
    ),
    path(
        "workspace/voting/ballots/<int:pk>/attendance/",
        ballots.manage_ballot_attendance,
        name="manage-ballot-attendance",
    ),
    path("workspace/voting/ballots/<int:pk>/count/", counts.manage_ballot_count, name="manage-ballot-count"),
    path(
        "workspace/voting/ballots/<int:pk>/count/confirm/",
        counts.manage_ballot_count_confirm,
        name="manage-ballot-count-confirm",
    ),
    path(
        "workspace/voting/ballots/<int:pk>/close/",
        ballots.manage_ballot_close,
        name="manage-ballot-close",
    ),
    path(
        "workspace/voting/ballots/<int:pk>/<slug:action>/",
        ballots.manage_ballot_action,
        name="manage-ballot-action",
    ),
    path("workspace/voting/projects/", projects.manage_projects, name="manage-projects"),
    path("workspace/voting/projects/new/", projects.manage_project_new, name="manage-project-new"),
    path("workspace/voting/projects/<int:pk>/", projects.manage_project, name="manage-project"),
    path("workspace/voting/projects/<int:pk>/report/", projects.project_report, name="project-report"),
    path(
        "workspace/voting/projects/<int:pk>/evaluate/",
        evaluations.manage_evaluation_new,
        name="manage-evaluation-new",
    ),
    path(
        "workspace/voting/evaluations/<int:pk>/<slug:action>/",
        evaluations.manage_evaluation_action,
        name="manage-evaluation-action",
    ),
    path(
        "workspace/voting/projects/<int:pk>/<slug:action>/",
        projects.manage_project_action,
        name="manage-project-action",
    ),
]

from django.urls import path

from . import views, views_assessments

app_name = "supervision"

urlpatterns = [
    # public, phone-first
    path("supervision/", views.index, name="index"),
    path("supervision/topics/new/", views.topic_propose, name="topic-propose"),
    path("supervision/topics/<int:pk>/", views.topic_detail, name="topic"),
    path("supervision/topics/<int:pk>/support/", views.topic_support, name="topic-support"),
    path("supervision/plan/<int:year>/", views.plan_public, name="plan"),
    path("supervision/activities/<int:pk>/", views.activity_public, name="activity"),
    # delegates
    path("supervision/assessments/<int:pk>/vote/", views.assessment_vote, name="assessment-vote"),
    path("supervision/clues/<int:pk>/", views.clue_submit, name="clue-submit"),
    # workspaces
    path("workspace/supervision/", views.staff_workspace, name="staff-workspace"),
    path("workspace/supervision/unit/", views.unit_workspace, name="unit-workspace"),
    path(
        "workspace/supervision/unit/rectifications/<int:pk>/",
        views.unit_rectification,
        name="unit-rectification",
    ),
    path("workspace/supervision/unit/questions/<int:pk>/", views.unit_question, name="unit-question"),
    path("workspace/supervision/topics/<int:pk>/", views.staff_topic, name="staff-topic"),
    path("workspace/supervision/assessments/", views_assessments.staff_assessments, name="staff-assessments"),
    path(
        "workspace/supervision/assessments/<int:pk>/",
        views_assessments.staff_assessment,
        name="staff-assessment",
    ),
    path(
        "workspace/supervision/assessments/<int:pk>/tally/",
        views_assessments.staff_assessment_tally,
        name="staff-assessment-tally",
    ),
    path(
        "workspace/supervision/assessments/<int:pk>/tally/confirm/",
        views_assessments.staff_assessment_tally_confirm,
        name="staff-assessment-tally-confirm",
    ),
    path(
        "workspace/supervision/rectifications/<int:pk>/",
        views.staff_rectification,
        name="staff-rectification",
    ),
]

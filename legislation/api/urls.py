from django.urls import path

from . import views as v

urlpatterns = [
    path("drafts/", v.DraftListCreateView.as_view(), name="api-drafts"),
    path("drafts/<int:pk>/", v.DraftDetailView.as_view(), name="api-draft"),
    path("drafts/<int:pk>/open/", v.DraftOpenView.as_view(), name="api-draft-open"),
    path("drafts/<int:pk>/close/", v.DraftCloseView.as_view(), name="api-draft-close"),
    path("drafts/<int:pk>/report/", v.DraftReportView.as_view(), name="api-draft-report"),
    path("drafts/<int:pk>/publish-feedback/", v.DraftPublishFeedbackView.as_view(), name="api-draft-publish"),
    path("drafts/<int:pk>/resplit/", v.DraftResplitView.as_view(), name="api-draft-resplit"),
    path("drafts/<int:pk>/assign/", v.DraftAssignView.as_view(), name="api-draft-assign"),
    path("drafts/<int:pk>/opinions/", v.DraftOpinionCreateView.as_view(), name="api-draft-opinions"),
    path("drafts/<int:pk>/compilation/", v.DraftCompilationView.as_view(), name="api-draft-compilation"),
    path("drafts/<int:pk>/feedback/", v.DraftFeedbackView.as_view(), name="api-draft-feedback"),
    path("drafts/<int:pk>/diff/", v.DraftDiffView.as_view(), name="api-draft-diff"),
    path("forums/", v.ForumCreateView.as_view(), name="api-forums"),
    path("legislative-opinions/<int:pk>/forward/", v.OpinionForwardView.as_view(), name="api-lo-forward"),
    path(
        "legislative-opinions/<int:pk>/unforward/", v.OpinionUnforwardView.as_view(), name="api-lo-unforward"
    ),
    path("legislative-opinions/<int:pk>/merge/", v.OpinionMergeView.as_view(), name="api-lo-merge"),
    path("legislative-opinions/<int:pk>/outcome/", v.OpinionOutcomeView.as_view(), name="api-lo-outcome"),
    path("legislative-opinions/track/<str:code>/", v.OpinionTrackView.as_view(), name="api-lo-track"),
    path("legislation/stats/", v.StatsView.as_view(), name="api-legislation-stats"),
]

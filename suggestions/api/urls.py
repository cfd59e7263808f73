from django.urls import path

from . import views

urlpatterns = [
    path("suggestions/", views.SuggestionListCreateView.as_view(), name="api-suggestions"),
    path("suggestions/stats/", views.StatsView.as_view(), name="api-suggestion-stats"),
    path("suggestions/export/", views.ExportView.as_view(), name="api-suggestion-export"),
    path("suggestions/<int:pk>/", views.SuggestionDetailView.as_view(), name="api-suggestion"),
    path("suggestions/<int:pk>/accept/", views.SuggestionAcceptView.as_view(), name="api-suggestion-accept"),
    path("suggestions/<int:pk>/reject/", views.SuggestionRejectView.as_view(), name="api-suggestion-reject"),
    path("suggestions/<int:pk>/refer/", views.SuggestionReferView.as_view(), name="api-suggestion-refer"),
    path("suggestions/<int:pk>/key/", views.SuggestionKeyView.as_view(), name="api-suggestion-key"),
    path("suggestions/<int:pk>/merge/", views.SuggestionMergeView.as_view(), name="api-suggestion-merge"),
    path(
        "suggestions/<int:pk>/similar/", views.SuggestionSimilarView.as_view(), name="api-suggestion-similar"
    ),
    path("track/<str:code>/", views.TrackView.as_view(), name="api-track"),
    path("track/<str:code>/rating/", views.TrackRatingView.as_view(), name="api-track-rating"),
    path("referrals/", views.ReferralListView.as_view(), name="api-referrals"),
    path("referrals/<int:pk>/", views.ReferralDetailView.as_view(), name="api-referral"),
    path("referrals/<int:pk>/accept/", views.ReferralAcceptView.as_view(), name="api-referral-accept"),
    path("referrals/<int:pk>/reply/", views.ReferralReplyView.as_view(), name="api-referral-reply"),
    path("referrals/<int:pk>/return/", views.ReferralReturnView.as_view(), name="api-referral-return"),
    path(
        "referrals/<int:pk>/return/accept/",
        views.ReferralReturnAcceptView.as_view(),
        name="api-referral-return-accept",
    ),
    path(
        "referrals/<int:pk>/return/refuse/",
        views.ReferralReturnRefuseView.as_view(),
        name="api-referral-return-refuse",
    ),
    path(
        "referrals/<int:pk>/extension/", views.ReferralExtensionView.as_view(), name="api-referral-extension"
    ),
    path("referrals/<int:pk>/review/", views.ReferralReviewView.as_view(), name="api-referral-review"),
    path("extensions/", views.ExtensionListView.as_view(), name="api-extensions"),
    path("extensions/<int:pk>/grant/", views.ExtensionGrantView.as_view(), name="api-extension-grant"),
    path("extensions/<int:pk>/refuse/", views.ExtensionRefuseView.as_view(), name="api-extension-refuse"),
]

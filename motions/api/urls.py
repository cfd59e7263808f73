from django.urls import path

from . import views as v

urlpatterns = [
    path("motions/", v.MotionListCreateView.as_view(), name="api-motions"),
    path("motions/public/", v.PublicListView.as_view(), name="api-motions-public"),
    path("motions/stats/", v.StatsView.as_view(), name="api-motions-stats"),
    path("motions/<int:pk>/", v.MotionDetailView.as_view(), name="api-motion"),
    path("motions/<int:pk>/submit/", v.SubmitView.as_view(), name="api-motion-submit"),
    path("motions/<int:pk>/attachments/", v.AttachmentsView.as_view(), name="api-motion-attachments"),
    path("motions/<int:pk>/cosign/", v.CosignView.as_view(), name="api-motion-cosign"),
    path("motions/<int:pk>/register/", v.RegisterView.as_view(), name="api-motion-register"),
    path("motions/<int:pk>/reference/", v.ReferenceView.as_view(), name="api-motion-reference"),
    path("motions/<int:pk>/refer/", v.ReferView.as_view(), name="api-motion-refer"),
    path("motions/<int:pk>/contact/", v.ContactView.as_view(), name="api-motion-contact"),
    path("motions/<int:pk>/reply/", v.ReplyView.as_view(), name="api-motion-reply"),
    path("motions/<int:pk>/rating/", v.RatingView.as_view(), name="api-motion-rating"),
]

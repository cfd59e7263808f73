from django.urls import path

from . import views as v

urlpatterns = [
    path("bodies/", v.BodyListCreateView.as_view(), name="api-bodies"),
    path("bodies/<int:pk>/", v.BodyDetailView.as_view(), name="api-body"),
    path("bodies/<int:pk>/members/", v.MemberListCreateView.as_view(), name="api-body-members"),
    path(
        "bodies/<int:pk>/members/<int:member_pk>/leave/",
        v.MemberLeaveView.as_view(),
        name="api-body-member-leave",
    ),
]

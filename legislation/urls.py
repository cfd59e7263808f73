from django.urls import path

from . import staff_views, views

app_name = "legislation"

urlpatterns = [
    # public, phone-first
    path("legislation/", views.index, name="index"),
    path("legislation/drafts/<int:pk>/", views.draft_detail, name="draft"),
    path("legislation/drafts/<int:pk>/articles/<int:article_pk>/", views.article_comment, name="article"),
    path("legislation/drafts/<int:pk>/opinions/", views.opinion_create, name="opinion-create"),
    path("legislation/drafts/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("legislation/drafts/<int:pk>/diff/", views.diff, name="diff"),
    path("legislation/track/", views.track_lookup, name="track-lookup"),
    path("legislation/track/<str:code>/", views.track, name="track"),
    # staff and information officers
    path("workspace/legislation/", staff_views.workspace, name="workspace"),
    path("workspace/legislation/new/", staff_views.draft_new, name="draft-new"),
    path("workspace/legislation/drafts/<int:pk>/", staff_views.draft_manage, name="manage"),
    path("workspace/legislation/drafts/<int:pk>/resplit/", staff_views.draft_resplit, name="resplit"),
    path("workspace/legislation/drafts/<int:pk>/move/", staff_views.draft_move, name="move"),
    path("workspace/legislation/articles/<int:pk>/", staff_views.article_edit, name="article-edit"),
    path("workspace/legislation/drafts/<int:pk>/compile/", staff_views.compile_view, name="compile"),
    path("workspace/legislation/opinions/<int:pk>/act/", staff_views.opinion_act, name="opinion-act"),
    path("workspace/legislation/drafts/<int:pk>/report/", staff_views.report, name="report"),
    path("workspace/legislation/drafts/<int:pk>/forum/", staff_views.forum_new, name="forum-new"),
    path("workspace/legislation/drafts/<int:pk>/record/", staff_views.record_new, name="record-new"),
]

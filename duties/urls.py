from django.urls import path

from . import views, views_books, views_public, views_report_backs

app_name = "duties"

urlpatterns = [
    path("report-backs/<int:pk>/", views_public.report_back_detail, name="report-back"),
    path("report-backs/<int:pk>/rate/", views_public.report_back_rate_page, name="report-back-rate"),
    path("workspace/duties/", views.my_record, name="my-record"),
    path("workspace/duties/report/<int:year>/", views.my_annual_report, name="my-annual-report"),
    path("workspace/duties/self-report/", views.self_report_new, name="self-report-new"),
    path("workspace/duties/delegates/<int:pk>/", views.delegate_record, name="delegate-record"),
    path(
        "workspace/duties/delegates/<int:pk>/report/<int:year>/",
        views.delegate_annual_report,
        name="delegate-annual-report",
    ),
    path("workspace/duties/league/", views.league, name="league"),
    path("workspace/duties/coverage/", views.coverage, name="coverage"),
    path("workspace/duties/review/", views.review_queue, name="review"),
    path("workspace/duties/review/<int:pk>/<str:action>/", views.review_action, name="review-action"),
    path("workspace/duties/books/", views_books.books_index, name="books"),
    path("workspace/duties/books/<str:book>/", views_books.book_page, name="book"),
    path("workspace/duties/report-backs/", views_report_backs.report_back_list, name="report-backs"),
    path(
        "workspace/duties/delegates/<int:delegate_pk>/report-backs/new/",
        views_report_backs.report_back_new,
        name="report-back-new",
    ),
    path(
        "workspace/duties/report-backs/<int:pk>/",
        views_report_backs.report_back_manage,
        name="report-back-manage",
    ),
    path(
        "workspace/duties/report-backs/<int:pk>/<str:action>/",
        views_report_backs.report_back_action,
        name="report-back-action",
    ),
]

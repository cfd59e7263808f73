from django.urls import path

from . import views as v

urlpatterns = [
    path("delegates/<int:pk>/record/", v.PublicRecordView.as_view(), name="api-delegate-record"),
    path("duty-entries/", v.EntryListView.as_view(), name="api-duty-entries"),
    path("duty-scores/", v.ScoreListView.as_view(), name="api-duty-scores"),
    path("duty-scores/mine/", v.MyScoreView.as_view(), name="api-duty-score-mine"),
    path("duty-adjustments/", v.AdjustmentView.as_view(), name="api-duty-adjustments"),
    path("duty-self-reports/", v.SelfReportListCreateView.as_view(), name="api-duty-self-reports"),
    path(
        "duty-self-reports/<int:pk>/approve/",
        v.SelfReportApproveView.as_view(),
        name="api-self-report-approve",
    ),
    path(
        "duty-self-reports/<int:pk>/reject/", v.SelfReportRejectView.as_view(), name="api-self-report-reject"
    ),
    path("trainings/", v.TrainingCreateView.as_view(), name="api-trainings"),
    path("report-backs/", v.ReportBackCreateView.as_view(), name="api-report-backs"),
    path("report-backs/<int:pk>/held/", v.ReportBackHeldView.as_view(), name="api-report-back-held"),
    path("report-backs/<int:pk>/ratings/", v.ReportBackRatingView.as_view(), name="api-report-back-ratings"),
    path("report-backs/<int:pk>/paper-tally/", v.PaperTallyView.as_view(), name="api-report-back-paper"),
    path(
        "report-backs/<int:pk>/paper-tally/confirm/",
        v.PaperTallyConfirmView.as_view(),
        name="api-report-back-paper-confirm",
    ),
    path("report-backs/<int:pk>/result/", v.ReportBackResultView.as_view(), name="api-report-back-result"),
    path("books/<str:book>/", v.BookView.as_view(), name="api-books"),
]

from django.urls import path

from . import assessments as av
from . import views as v

urlpatterns = [
    path("topics/", v.TopicListCreateView.as_view(), name="api-topics"),
    path("topics/from-suggestions/", v.TopicFromSuggestionsView.as_view(), name="api-topic-from-suggestions"),
    path("topics/<int:pk>/", v.TopicDetailView.as_view(), name="api-topic"),
    path("topics/<int:pk>/support/", v.TopicSupportView.as_view(), name="api-topic-support"),
    path("topics/<int:pk>/select/", v.TopicSelectView.as_view(), name="api-topic-select"),
    path("topics/<int:pk>/decline/", v.TopicDeclineView.as_view(), name="api-topic-decline"),
    path("sms-codes/", v.SmsCodeView.as_view(), name="api-sms-codes"),
    path("topic-windows/", v.CollectionWindowListCreateView.as_view(), name="api-topic-windows"),
    path("rectifications/", v.RectificationListView.as_view(), name="api-rectifications"),
    path("rectifications/<int:pk>/", v.RectificationDetailView.as_view(), name="api-rectification"),
    path(
        "rectifications/<int:pk>/report/",
        v.RectificationReportView.as_view(),
        name="api-rectification-report",
    ),
    path(
        "rectifications/<int:pk>/accept/",
        v.RectificationAcceptView.as_view(),
        name="api-rectification-accept",
    ),
    path(
        "rectifications/<int:pk>/return/",
        v.RectificationReturnView.as_view(),
        name="api-rectification-return",
    ),
    path(
        "rectifications/<int:pk>/follow-up/",
        v.RectificationFollowUpView.as_view(),
        name="api-rectification-follow-up",
    ),
    path("activities/", v.ActivityListCreateView.as_view(), name="api-activities"),
    path("activities/<int:pk>/", v.ActivityDetailView.as_view(), name="api-activity"),
    path("activities/<int:pk>/start/", v.ActivityStartView.as_view(), name="api-activity-start"),
    path("activities/<int:pk>/finish/", v.ActivityFinishView.as_view(), name="api-activity-finish"),
    path("activities/<int:pk>/records/", v.ActivityRecordView.as_view(), name="api-activity-records"),
    path("activities/<int:pk>/clue-requests/", v.ClueRequestCreateView.as_view(), name="api-activity-clues"),
    path("activities/<int:pk>/questions/", v.QuestionCreateView.as_view(), name="api-activity-questions"),
    path("activities/<int:pk>/opinions/", v.OpinionCreateView.as_view(), name="api-activity-opinions"),
    path("clue-requests/<int:pk>/clues/", v.ClueSubmitView.as_view(), name="api-clues"),
    path("questions/", v.QuestionListView.as_view(), name="api-questions"),
    path("questions/<int:pk>/answer/", v.QuestionAnswerView.as_view(), name="api-question-answer"),
    path("assessments/", av.AssessmentListCreateView.as_view(), name="api-assessments"),
    path("assessments/<int:pk>/", av.AssessmentDetailView.as_view(), name="api-assessment"),
    path("assessments/<int:pk>/open/", av.AssessmentOpenView.as_view(), name="api-assessment-open"),
    path("assessments/<int:pk>/vote/", av.AssessmentVoteView.as_view(), name="api-assessment-vote"),
    path("assessments/<int:pk>/close/", av.AssessmentCloseView.as_view(), name="api-assessment-close"),
    path("assessments/<int:pk>/result/", av.AssessmentResultView.as_view(), name="api-assessment-result"),
    path("assessments/<int:pk>/paper-tally/", av.AssessmentTallyView.as_view(), name="api-assessment-tally"),
    path(
        "assessments/<int:pk>/paper-tally/confirm/",
        av.AssessmentTallyConfirmView.as_view(),
        name="api-assessment-tally-confirm",
    ),
]

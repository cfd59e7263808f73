"""Supervision (监督): topics the public helps choose, activities, questions, opinions, rectification and
the satisfaction vote (满意度测评) shared with the voting app's project evaluations.

No side effects here: every write goes through supervision.services. One module per sub-domain; every model
(and `validate_open_share`, which migrations name as `supervision.models.validate_open_share`) is re-exported
here, so `from supervision.models import …` and the migrations are unchanged.
"""

from .activities import Activity, ActivityRecord, Clue, ClueRequest, Opinion, Question
from .assessments import Assessment, AssessmentCount, AssessmentVote, validate_open_share
from .rectifications import Rectification, RectificationEvent
from .topics import CollectionWindow, SmsCode, SupervisionPlan, Topic, TopicSupport

__all__ = [
    "Activity",
    "ActivityRecord",
    "Assessment",
    "AssessmentCount",
    "AssessmentVote",
    "Clue",
    "ClueRequest",
    "CollectionWindow",
    "Opinion",
    "Question",
    "Rectification",
    "RectificationEvent",
    "SmsCode",
    "SupervisionPlan",
    "Topic",
    "TopicSupport",
    "validate_open_share",
]

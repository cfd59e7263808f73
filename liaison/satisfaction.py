"""The satisfaction scale shared by constituent ratings, project evaluations and supervision assessments."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


@dataclass(frozen=True)
class SatisfactionTally:
    satisfied: int = 0
    basically_satisfied: int = 0
    unsatisfied: int = 0

    @property
    def total(self) -> int:
        return self.satisfied + self.basically_satisfied + self.unsatisfied

    @property
    def rate(self) -> float | None:
        """(satisfied + basically satisfied) / votes cast; None when nobody voted."""
        return (self.satisfied + self.basically_satisfied) / self.total if self.total else None

    def is_unsatisfied(self, share: float = 0.5) -> bool:
        """The default outcome rule: unsatisfied votes exceed `share` of the votes cast."""
        return self.total > 0 and self.unsatisfied > share * self.total

    @classmethod
    def from_counts(cls, counts: dict[str, int]) -> "SatisfactionTally":
        return cls(**{c.value: int(counts.get(c.value, 0)) for c in Satisfaction})

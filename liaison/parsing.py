"""Shared parsing of what clients send as identifiers and dates: the API's serializer fields, the page forms'
fields and the ids pages read from POST data all check the same bounds, so a value the database cannot hold
(an id beyond its 64-bit keys, a date in the year 9999 that date arithmetic overflows) is a 400 with a clear
message before any query runs.
"""

import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .errors import ValidationFailed

# Primary keys are BigAutoField (settings.DEFAULT_AUTO_FIELD): signed 64-bit.
ID_MAX = 2**63 - 1
# Dates the portal works with: statistics periods, deadlines, plans. Outside this, a date is a mistake.
DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)

ID_INVALID = _("编号无效。")
DATE_INVALID = _("日期格式应为 YYYY-MM-DD。")
DATE_TOO_EARLY = _("日期不能早于 %(limit_value)s。")
DATE_TOO_LATE = _("日期不能晚于 %(limit_value)s。")


# --- ids -------------------------------------------------------------------------------------------------------
def to_id(value) -> int | None:
    """An id from text or a number: a whole number from 1 to ID_MAX, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        text = value.strip()
        if len(text) > len(str(ID_MAX)):  # also spares int() a string of thousands of digits
            return None
        number = int(text)
    else:
        return None
    return number if 1 <= number <= ID_MAX else None


def posted_id(data, name: str) -> int:
    """The id a page form posts under `name` (a hidden input, a select): ValidationFailed (a 400) if absent
    or not an id."""
    number = to_id(data.get(name))
    if number is None:
        raise ValidationFailed({name: [ID_INVALID]})
    return number


def posted_ids(data, name: str) -> list[int]:
    """The ids a page form posts under `name` (checkboxes): every one must be an id."""
    numbers = [to_id(v) for v in data.getlist(name)]
    if any(n is None for n in numbers):
        raise ValidationFailed({name: [ID_INVALID]})
    return numbers


class IdField(serializers.IntegerField):
    """An id in a request body: a whole number the database's keys can hold (1 … 2**63-1)."""

    default_error_messages = {
        "invalid": ID_INVALID,
        "min_value": ID_INVALID,
        "max_value": ID_INVALID,
        "max_string_length": ID_INVALID,
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


class IdListField(serializers.ListField):
    """A list of ids (`"roll": [1, 2, 3]`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", IdField())
        super().__init__(**kwargs)


# --- dates -----------------------------------------------------------------------------------------------------
def _bounds_validators():
    return [
        MinValueValidator(DATE_MIN, message=DATE_TOO_EARLY),
        MaxValueValidator(DATE_MAX, message=DATE_TOO_LATE),
    ]


class BoundedDateField(serializers.DateField):
    """A date in a request body, between DATE_MIN and DATE_MAX."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [*self.validators, *_bounds_validators()]


class BoundedFormDateField(forms.DateField):
    """A date in a page form, between DATE_MIN and DATE_MAX."""

    default_validators = [*forms.DateField.default_validators, *_bounds_validators()]


def parse_date(raw: str, *, field: str) -> dt.date:
    """A `YYYY-MM-DD` query value, between DATE_MIN and DATE_MAX, or ValidationFailed for `field`."""
    try:
        day = dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationFailed({field: [DATE_INVALID]}) from None
    if day < DATE_MIN:
        raise ValidationFailed({field: [str(DATE_TOO_EARLY) % {"limit_value": DATE_MIN}]})
    if day > DATE_MAX:
        raise ValidationFailed({field: [str(DATE_TOO_LATE) % {"limit_value": DATE_MAX}]})
    return day


def parse_date_range(
    raw_start: str | None,
    raw_end: str | None,
    *,
    default: tuple[dt.date, dt.date],
    fields: tuple[str, str] = ("from", "to"),
) -> tuple[dt.date, dt.date]:
    """`?from=&to=`: each bounded, the start not after the end; a missing one takes its default."""
    start = parse_date(raw_start, field=fields[0]) if raw_start else default[0]
    end = parse_date(raw_end, field=fields[1]) if raw_end else default[1]
    if end < start:
        raise ValidationFailed({fields[1]: [_("结束日期不能早于开始日期。")]})
    return start, end

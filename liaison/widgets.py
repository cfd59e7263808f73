"""Form widgets every app shares.

A browser's `<input type="date">` takes its value as `YYYY-MM-DD` only, whatever the page's language; Django's
DateInput writes the active locale's first input format (zh-hans: `2026/12/03`), which the browser drops, so
the field shows empty. These widgets write the ISO format the input types require.
"""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")

"""One-line text: titles and names, which end up in e-mail subjects, calendar
summaries and page titles, where a line break either breaks the header (Django
refuses to send it) or the layout.

Collapsed where the text comes in, in the forms (OneLineField) and the API
schemas (a validator calling one_line): a line break becomes a space, so
nothing that was typed is lost.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

# A run of line breaks (those str.splitlines knows: \n, \r, \v, \f, \x1c-\x1e, NEL,
# U+2028, U+2029) with the white space around it.
_BREAK = re.compile(r"\s*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]\s*")


def one_line(value: str) -> str:
    """Each run of line breaks, with the spaces around it, becomes one space."""
    if not _BREAK.search(value):
        return value
    return _BREAK.sub(" ", value).strip()


class OneLineField(forms.CharField):
    """A CharField whose line breaks are collapsed to spaces (one_line)."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return one_line(value) if isinstance(value, str) else value

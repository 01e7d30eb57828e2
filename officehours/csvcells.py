"""CSV cells that a spreadsheet shows as text and never runs as a formula.

Excel, LibreOffice and Google Sheets evaluate a cell whose first character is
`=`, `+`, `-`, `@`, a tab or a carriage return ("CSV injection", OWASP), so a
question topic or FAQ title such as `=HYPERLINK("http://…")` in an export would
run on the adviser's computer. Every CSV the site writes goes through `writer()`,
which puts an apostrophe before such a cell: spreadsheets take it as "this is
text". The set also holds NUL (OWASP ASVS 1.2.10) and the full-width forms of the
four signs, which some spreadsheets in East Asian locales read as the ASCII ones.

Only text is neutralised. A number the code writes (int, float, Decimal) reaches
the spreadsheet as a number, a negative one included: `-3` is a value there, not a
formula that can call anything. None stays an empty cell.

So that an import can give back exactly what was exported, a cell that already
starts with an apostrophe followed by one of these characters (or by another
apostrophe) gets one more; `unescape()` removes exactly one apostrophe in those
cases and in no other. A hand-written cell such as `'Tis` is left as it is both ways.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

QUOTE = "'"
FORMULA_STARTS = frozenset("=+-@\t\r\0\uff1d\uff0b\uff0d\uff20")
_ESCAPED_AFTER_QUOTE = FORMULA_STARTS | {QUOTE}


def _needs_quote(text: str) -> bool:
    first, second = text[:1], text[1:2]
    return first in FORMULA_STARTS or (first == QUOTE and second in _ESCAPED_AFTER_QUOTE)


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should get it: numbers and None as they are,
    anything else as text with an apostrophe in front if it would start a formula."""
    if value is None or isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return QUOTE + text if _needs_quote(text) else text


def unescape(text: str) -> str:
    """A cell as `safe_cell` wrote it, back to the text it was given."""
    if text[:1] == QUOTE and text[1:2] in _ESCAPED_AFTER_QUOTE:
        return text[1:]
    return text


class SafeWriter:
    """csv.writer's writerow/writerows, with every cell through `safe_cell`."""

    def __init__(self, stream, **options: Any):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream, **options: Any) -> SafeWriter:
    return SafeWriter(stream, **options)

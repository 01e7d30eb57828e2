"""The limits on every date and number people type in, in one place.

Each limit is one object that the forms and the API both use as it is: in a form
field's `validators` (it is a Django validator) and in a schema field's
`Annotated[...]` (it is pydantic metadata), so both refuse the same values with
the same message. What one side lets in, the other would have let in too, and
nothing either accepts can break a feed or an e-mail later.

Dates stay inside a window around today: not before MIN_YEAR and at most
YEARS_AHEAD years ahead. Far enough for any real schedule; near enough that a
calendar file never has to describe centuries of daylight-saving changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic_core import core_schema

MIN_YEAR = 2000
YEARS_AHEAD = 5
# The largest id the database can hold: anything bigger is refused, not looked up.
MAX_ID = 2**63 - 1
MAX_REMINDERS = 5


class OutOfRange(ValueError):
    """A value outside its limit. A ValueError, so pydantic answers it with a 422."""


class _Limit:
    """A check usable by both sides: a Django validator and pydantic metadata.

    Compared by identity (eq=False below): typing caches Annotated[int, X] by
    equality, and two limits with the same numbers must stay two limits.
    """

    def check(self, value: Any) -> Any:
        raise NotImplementedError

    def __call__(self, value: Any) -> None:
        # Django's side: a validator raises a ValidationError.
        if value is None:
            return
        try:
            self.check(value)
        except OutOfRange as exc:
            raise ValidationError(str(exc), code="out_of_range") from None

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        json_schema = handler(schema)
        json_schema.update(self.json_schema())
        return json_schema

    def json_schema(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True, eq=False)
class Bounds(_Limit):
    """The smallest and the largest whole number accepted for one kind of value."""

    low: int
    high: int

    def check(self, value: int) -> int:
        if not self.low <= value <= self.high:
            raise OutOfRange(
                _("Give a number from %(low)s to %(high)s.") % {"low": self.low, "high": self.high}
            )
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"minimum": self.low, "maximum": self.high}

    def widget_attrs(self) -> dict[str, int]:
        return {"min": self.low, "max": self.high}


@dataclass(frozen=True, eq=False)
class DateWindow(_Limit):
    """A date, or the day of a date and time, from MIN_YEAR to YEARS_AHEAD years ahead."""

    def first(self) -> date:
        return date(MIN_YEAR, 1, 1)

    def last(self, today: date | None = None) -> date:
        today = today or timezone.now().date()
        try:
            return today.replace(year=today.year + YEARS_AHEAD)
        except ValueError:  # 29 February
            return today.replace(year=today.year + YEARS_AHEAD, day=28)

    def check(self, value: date) -> date:
        day = value.date() if isinstance(value, datetime) else value
        first, last = self.first(), self.last()
        if not first <= day <= last:
            raise OutOfRange(
                _("Choose a date from %(first)s to %(last)s.")
                % {"first": first.isoformat(), "last": last.isoformat()}
            )
        return value


@dataclass(frozen=True, eq=False)
class Reminders(_Limit):
    """Minutes before each slot: each in REMINDER_MINUTES, at most MAX_REMINDERS."""

    def check(self, value: list[int]) -> list[int]:
        for minutes in value:
            REMINDER_MINUTES.check(minutes)
        if len(value) > MAX_REMINDERS:
            raise OutOfRange(_("At most five reminders."))
        return value


DAY = DateWindow()
# A series and its weeks.
WEEKDAY = Bounds(0, 6)
DURATION_MINUTES = Bounds(5, 24 * 60)
SLOT_MINUTES = Bounds(5, 24 * 60)
SEATS_PER_SLOT = Bounds(1, 500)
WEEKS_AHEAD = Bounds(1, 52)
NOTICE_MINUTES = Bounds(0, 30 * 24 * 60)  # the minimum notice and the cancellation cut-off
MAX_ACTIVE_BOOKINGS = Bounds(1, 50)
REMINDER_MINUTES = Bounds(1, 14 * 24 * 60)  # a minute to two weeks before
REMINDERS = Reminders()
# A row's number: from 1 to the largest the database holds.
ID = Bounds(1, MAX_ID)
# A page of the FAQ's search results.
SEARCH_PAGE = Bounds(1, 1000)


def id_from(text: object) -> int | None:
    """A row's id as it comes in a query string or a form field, or None when it cannot
    be one. isdecimal, not isdigit: "²" is a digit that int() refuses; and the length
    first, as int() refuses a string of more than 4,300 digits."""
    if not isinstance(text, str) or len(text) > len(str(MAX_ID)) or not text.isdecimal():
        return None
    value = int(text)
    return value if ID.low <= value <= ID.high else None


def in_calendar_window(value: date) -> bool:
    """Whether a stored time is one the forms and the API could have let in.

    A row past that (written around them) is left out of calendar files and of
    the lists in e-mails, rather than stretch every feed over the centuries up to
    it or fail at a time no clock can show. The year of leeway is
    for what follows a day at the window's end: its slots' ends, the next week.
    """
    day = value.date() if isinstance(value, datetime) else value
    return DAY.first() <= day <= DAY.last() + timedelta(days=366)

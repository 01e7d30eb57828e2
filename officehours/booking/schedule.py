"""Wall-clock arithmetic for weekly sessions.

A series says "Thursdays at 10:00 in Europe/Stockholm". Each week's start is
computed from that local date and time and only then converted to UTC, so the
hour stays at 10:00 local on both sides of a daylight-saving change (adding
7 × 24 hours to a UTC instant would drift by an hour twice a year).
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_to_utc(day: date, at, tz_name: str) -> datetime:
    """The UTC instant of a local wall-clock time.

    A time that does not exist (inside the spring-forward gap, 02:30 on the
    March change night) comes out pushed forward by the gap (03:30); an
    ambiguous one (the October repeat) as its first occurrence. Both are
    zoneinfo's fold=0 rules.
    """
    return datetime.combine(day, at, tzinfo=ZoneInfo(tz_name)).astimezone(UTC)


def session_day(week: date, weekday: int) -> date:
    return week + timedelta(days=weekday)


def slot_bounds(
    starts_at: datetime, duration_minutes: int, slot_minutes: int
) -> list[tuple[datetime, datetime]]:
    """(start, end) of each slot, in UTC. Slots are consecutive and equally long."""
    count = duration_minutes // slot_minutes
    return [
        (
            starts_at + timedelta(minutes=i * slot_minutes),
            starts_at + timedelta(minutes=(i + 1) * slot_minutes),
        )
        for i in range(count)
    ]


def horizon_weeks(today: date, starts_on: date, weeks_ahead: int) -> list[date]:
    """Mondays of the weeks that must have a session: this week and `weeks_ahead` more."""
    first = monday_of(max(today, starts_on))
    return [first + timedelta(weeks=i) for i in range(weeks_ahead + 1)]


@functools.lru_cache(maxsize=64)
def _calendar(country: str, year: int, language: str | None) -> holidays.HolidayBase:
    supported = holidays.country_holidays(country).supported_categories
    categories = tuple(c for c in ("public", "de_facto") if c in supported)
    kwargs: dict[str, Any] = {"years": year, "categories": categories, "language": language}
    try:
        return holidays.country_holidays(country, include_sundays=False, **kwargs)
    except (TypeError, ValueError):  # countries without the Sunday option
        return holidays.country_holidays(country, **kwargs)


def holiday_name(country: str, day: date, language: str | None = None) -> str | None:
    """The public holiday (or kept-free eve, like Swedish Midsummer Eve) on `day`, if any."""
    if not country:
        return None
    lang = {"en": "en_US", "sv": "sv"}.get(language or "", language)
    try:
        calendar = _calendar(country, day.year, lang)
    except NotImplementedError:
        calendar = _calendar(country, day.year, None)
    return calendar.get(day)

"""Request and response shapes of the booking API, with their input checks."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from datetime import datetime, time
from typing import Annotated, Self

from ninja import Field, Schema
from pydantic import field_validator, model_validator

from officehours import limits
from officehours.apiinput import check_text, check_url
from officehours.text import one_line


class SlotOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int
    available: int


class SessionOut(Schema):
    id: int
    series_id: int
    series_title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    location: str
    meeting_url: str
    holiday_name: str
    cancel_reason: str
    slots: list[SlotOut]


class BookingOut(Schema):
    id: int
    slot_id: int
    session_id: int
    series_id: int
    series_title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    note: str
    location: str
    meeting_url: str
    created_at: datetime
    cancelled_at: datetime | None
    cancel_reason: str


class BookingIn(Schema):
    slot_id: Annotated[int, limits.ID] = Field(strict=True)
    note: str = Field("", max_length=4000)

    @field_validator("note")
    @classmethod
    def _text(cls, value: str) -> str:
        return check_text(value)


class RescheduleIn(Schema):
    slot_id: Annotated[int, limits.ID] = Field(strict=True)


class WaitlistIn(Schema):
    note: str = Field("", max_length=4000)

    @field_validator("note")
    @classmethod
    def _text(cls, value: str) -> str:
        return check_text(value)


class WaitlistOut(Schema):
    id: int
    session_id: int
    status: str
    note: str
    offered_slot_id: int | None
    offer_expires_at: datetime | None
    created_at: datetime


class SeriesIn(Schema):
    title: str = Field(min_length=1, max_length=200, pattern=r"\S")
    # The limits are the advisers' series form's (officehours/limits.py).
    weekday: Annotated[int, limits.WEEKDAY] = Field(description="0 = Monday … 6 = Sunday")
    start_time: str = Field(description="Local start time, HH:MM")
    duration_minutes: Annotated[int, limits.DURATION_MINUTES] = 60
    slot_minutes: Annotated[int, limits.SLOT_MINUTES] = 15
    seats_per_slot: Annotated[int, limits.SEATS_PER_SLOT] = 1
    timezone: str = "Europe/Stockholm"
    location: str = Field("", max_length=200)
    meeting_url: str = Field("", max_length=200)
    weeks_ahead: Annotated[int, limits.WEEKS_AHEAD] = 4
    min_notice_minutes: Annotated[int, limits.NOTICE_MINUTES] = 60
    cancel_cutoff_minutes: Annotated[int, limits.NOTICE_MINUTES] = 0
    max_active_bookings: Annotated[int, limits.MAX_ACTIVE_BOOKINGS] = 1
    language: str = Field("sv", pattern="^(sv|en)$")
    live_approval: bool = Field(
        True,
        strict=True,
        description="Questions asked during the live hour wait for an adviser's approval",
    )
    reminder_offsets: Annotated[list[int], limits.REMINDERS] = Field(
        default_factory=lambda: [24 * 60, 60],
        description="Minutes before each slot when reminders go out; [] for none",
    )

    @field_validator("reminder_offsets")
    @classmethod
    def _offsets(cls, value: list[int]) -> list[int]:
        return sorted(set(value), reverse=True)

    @field_validator("start_time")
    @classmethod
    def _hh_mm(cls, value: str) -> str:
        parse_hh_mm(value)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        zone(value)
        return value

    @field_validator("meeting_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return check_url(value)

    @field_validator("title", "location")
    @classmethod
    def _text(cls, value: str) -> str:
        value = check_text(value).strip()
        return value

    @field_validator("title")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return one_line(value)  # it is the subject of the e-mails about it

    @model_validator(mode="after")
    def _slots_fit(self) -> Self:
        if self.duration_minutes % self.slot_minutes:
            raise ValueError("duration_minutes must be a whole multiple of slot_minutes")
        return self


class SeriesOut(Schema):
    id: int
    title: str
    weekday: int
    start_time: str
    duration_minutes: int
    slot_minutes: int
    seats_per_slot: int
    timezone: str
    location: str
    meeting_url: str
    weeks_ahead: int
    min_notice_minutes: int
    cancel_cutoff_minutes: int
    max_active_bookings: int
    language: str
    reminder_offsets: list[int]
    live_approval: bool
    sessions: list[SessionOut]


class SessionPatch(Schema):
    status: str | None = Field(None, pattern="^(scheduled|cancelled)$")
    reason: str = Field("", max_length=2000)
    starts_at: Annotated[datetime, limits.DAY] | None = Field(
        None, description="New start; without an offset it is local to the series' time zone"
    )
    date: Annotated[dt.date, limits.DAY] | None = Field(
        None, description="New day (YYYY-MM-DD), with start_time or alone"
    )
    start_time: str | None = Field(None, description="New local start time, HH:MM")
    location: str | None = Field(None, max_length=200)
    meeting_url: str | None = Field(None, max_length=200)

    @field_validator("start_time")
    @classmethod
    def _hh_mm(cls, value: str | None) -> str | None:
        if value is not None:
            parse_hh_mm(value)
        return value

    @field_validator("meeting_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        return check_url(value)

    @field_validator("reason", "location")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return check_text(value)

    @field_validator("starts_at", mode="before")
    @classmethod
    def _with_time(cls, value: object) -> object:
        # "2026-02-12" alone would mean midnight: ask for the time explicitly.
        if isinstance(value, str) and len(value.strip()) <= 10:
            raise ValueError("must be a date and time, e.g. 2026-02-12T10:00:00+01:00")
        return value


def parse_hh_mm(value: str) -> time:
    try:
        parsed = datetime.strptime(value, "%H:%M")  # noqa: DTZ007 -- a wall-clock time, no date
    except ValueError:
        raise ValueError("must be a time as HH:MM, e.g. 10:00") from None
    return parsed.time()


def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    # OSError: a folder of the zone database ("Europe") or a name too long for a file.
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError("must be an IANA time zone such as Europe/Stockholm") from None

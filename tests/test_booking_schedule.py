"""Sessions of a weekly series: the horizon, daylight saving, holidays, series edits."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from officehours.booking.models import Booking, BookingEvent, Session
from officehours.booking.schedule import holiday_name, local_to_utc
from officehours.booking.services.bookings import booking_create
from officehours.booking.services.sessions import (
    series_update,
    session_cancel,
    session_move,
    session_reinstate,
    sessions_sync,
)
from tests.booking_factories import make_series

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local(session):
    return session.starts_at.astimezone(STOCKHOLM)


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 3, 16, 8, 0, tzinfo=UTC), tick=False)
def test_the_hour_stays_at_ten_local_across_the_march_change():
    series = make_series()
    sessions = list(series.sessions.order_by("starts_at"))
    assert [s.starts_at.date() for s in sessions] == [
        date(2026, 3, 19),
        date(2026, 3, 26),
        date(2026, 4, 2),
        date(2026, 4, 9),
        date(2026, 4, 16),
    ]
    assert {(local(s).hour, local(s).minute) for s in sessions} == {(10, 0)}
    # 09:00 UTC in winter time, 08:00 UTC in summer time (clocks changed 29 March).
    assert sessions[1].starts_at == datetime(2026, 3, 26, 9, 0, tzinfo=UTC)
    assert sessions[2].starts_at == datetime(2026, 4, 2, 8, 0, tzinfo=UTC)
    slots = list(sessions[2].slots.order_by("position"))
    assert [s.starts_at.astimezone(STOCKHOLM).strftime("%H:%M") for s in slots] == [
        "10:00",
        "10:15",
        "10:30",
        "10:45",
    ]


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 10, 19, 8, 0, tzinfo=UTC), tick=False)
def test_the_hour_stays_at_ten_local_across_the_october_change():
    series = make_series()
    before, after = list(series.sessions.order_by("starts_at"))[:2]
    assert before.starts_at == datetime(2026, 10, 22, 8, 0, tzinfo=UTC)
    assert after.starts_at == datetime(2026, 10, 29, 9, 0, tzinfo=UTC)
    assert local(before).hour == local(after).hour == 10


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 3, 23, 8, 0, tzinfo=UTC), tick=False)
def test_an_afternoon_hour_on_the_change_day_itself():
    """A Sunday series at 14:00 on 29 March: the day the clocks change."""
    series = make_series(weekday=6, start_time=time(14, 0))
    change_day = series.sessions.get(starts_at__date=date(2026, 3, 29))
    assert local(change_day).strftime("%H:%M") == "14:00"
    assert change_day.starts_at == datetime(2026, 3, 29, 12, 0, tzinfo=UTC)


def test_a_time_inside_the_spring_gap_moves_forward():
    assert local_to_utc(date(2026, 3, 29), time(2, 30), "Europe/Stockholm") == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "day,name",
    [
        (date(2026, 12, 24), "Christmas Eve"),
        (date(2026, 12, 31), "New Year's Eve"),
        (date(2026, 6, 19), "Midsummer Eve"),
        (date(2026, 5, 14), "Ascension Day"),
        (date(2026, 12, 25), "Christmas Day"),
    ],
)
def test_swedish_holidays_and_kept_free_eves(day, name):
    assert holiday_name("SE", day, "en") == name


def test_ordinary_days_and_sundays_are_not_holidays():
    assert holiday_name("SE", date(2026, 12, 17), "en") is None
    assert holiday_name("SE", date(2026, 12, 13), "en") is None  # a Sunday
    assert holiday_name("SE", date(2026, 12, 24), "sv") == "Julafton"


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 12, 1, 8, 0, tzinfo=UTC), tick=False)
def test_holiday_weeks_are_skipped_and_can_be_reinstated(adviser):
    series = make_series()  # Thursdays: 24 Dec and 31 Dec are Christmas and New Year's Eve
    christmas = series.sessions.get(starts_at__date=date(2026, 12, 24))
    assert christmas.status == Session.CANCELLED
    assert christmas.holiday_name == "Christmas Eve"
    assert series.sessions.get(starts_at__date=date(2026, 12, 31)).status == Session.CANCELLED
    assert series.sessions.get(starts_at__date=date(2026, 12, 17)).status == Session.SCHEDULED

    session_reinstate(session=christmas, actor=adviser)
    sessions_sync()
    christmas.refresh_from_db()
    assert christmas.status == Session.SCHEDULED


@pytest.mark.django_db
def test_sync_is_idempotent_and_follows_the_horizon():
    with time_machine.travel(datetime(2026, 2, 2, 8, 0, tzinfo=UTC), tick=False):
        series = make_series(weeks_ahead=2)
        assert series.sessions.count() == 3
        assert sessions_sync().created == 0
    with time_machine.travel(datetime(2026, 2, 9, 8, 0, tzinfo=UTC), tick=False):
        assert sessions_sync().created == 1
        assert series.sessions.count() == 4


@pytest.mark.django_db
def test_editing_the_series_changes_future_sessions_and_never_the_past(employee):
    with time_machine.travel(datetime(2026, 2, 2, 8, 0, tzinfo=UTC), tick=False):
        series = make_series(weeks_ahead=2)
        first = series.sessions.order_by("starts_at").first()
        slot = first.slots.get(position=1)
        booking = booking_create(user=employee, slot_id=slot.pk)
    with time_machine.travel(datetime(2026, 2, 5, 12, 0, tzinfo=UTC), tick=False):
        # The first Thursday (5 Feb, 10:00) is over; move the series to 13:00 with 20-minute slots.
        series_update(series=series, start_time=time(13, 0), slot_minutes=20, location="Rum 202")
    first.refresh_from_db()
    assert local(first).strftime("%H:%M") == "10:00"
    assert first.location == "Rum 101"
    later = list(series.sessions.order_by("starts_at"))[1:]
    assert {local(s).strftime("%H:%M") for s in later} == {"13:00"}
    assert {s.location for s in later} == {"Rum 202"}
    assert [s.slots.filter(removed=False).count() for s in later] == [3] * len(later)
    booking.refresh_from_db()
    assert booking.status == Booking.ACTIVE  # the past booking is untouched


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 2, 2, 8, 0, tzinfo=UTC), tick=False)
def test_bookings_move_along_with_a_series_edit_and_are_cancelled_when_their_slot_goes(
    employee, other_employee
):
    series = make_series(weeks_ahead=2)
    session = series.sessions.order_by("starts_at")[1]
    early = booking_create(user=employee, slot_id=session.slots.get(position=0).pk)
    late = booking_create(user=other_employee, slot_id=session.slots.get(position=3).pk)
    series_update(series=series, start_time=time(11, 0), duration_minutes=45)
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.status == Booking.ACTIVE
    assert early.slot.starts_at.astimezone(STOCKHOLM).strftime("%H:%M") == "11:00"
    assert early.sequence == 1
    assert late.status == Booking.CANCELLED
    assert "kortats" in late.cancel_reason  # in the series' language
    assert BookingEvent.objects.filter(booking=late, kind=BookingEvent.CANCELLED).exists()
    assert BookingEvent.objects.filter(booking=early, kind=BookingEvent.MOVED).exists()


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 2, 2, 8, 0, tzinfo=UTC), tick=False)
def test_an_adviser_moves_one_week_and_its_bookings_follow(adviser, employee):
    series = make_series(weeks_ahead=2)
    session = series.sessions.order_by("starts_at").first()
    booking = booking_create(user=employee, slot_id=session.slots.get(position=2).pk)
    new_start = datetime(2026, 2, 6, 13, 0, tzinfo=STOCKHOLM)
    session_move(session=session, actor=adviser, starts_at=new_start, location="Aulan")
    booking.refresh_from_db()
    assert booking.slot.starts_at == datetime(2026, 2, 6, 13, 30, tzinfo=STOCKHOLM)
    # A later series edit leaves the moved week alone.
    series_update(series=series, location="Rum 303")
    session.refresh_from_db()
    assert (session.location, session.starts_at) == ("Aulan", new_start)
    assert set(series.sessions.exclude(pk=session.pk).values_list("location", flat=True)) == {
        "Rum 303"
    }


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 2, 2, 8, 0, tzinfo=UTC), tick=False)
def test_cancelling_a_week_cancels_its_bookings_with_the_reason(adviser, employee):
    series = make_series(weeks_ahead=1)
    session = series.sessions.order_by("starts_at").first()
    booking = booking_create(user=employee, slot_id=session.slots.first().pk)
    session_cancel(session=session, reason="Personaldag", actor=adviser)
    booking.refresh_from_db()
    assert booking.status == Booking.CANCELLED
    assert booking.cancel_reason == "Personaldag"
    assert booking.cancelled_by == adviser
    assert session.slots.get(pk=booking.slot_id).booked == 0


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 2, 2, 8, 0, tzinfo=UTC), tick=False)
def test_sync_sessions_command(capsys):
    make_series(weeks_ahead=1)
    call_command("sync_sessions")
    assert "0 session(s) created" in capsys.readouterr().out

"""Calendar feeds: the public series feed, and the secret personal ones.

The series feed's recurrence is checked with an independent expander
(recurring-ical-events) against the sessions in the database: across both
daylight-saving changes, holidays, a cancelled week and a moved one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
import time_machine
from django.urls import reverse
from icalendar import Calendar

from officehours.accounts.services import calendar_token_regenerate
from officehours.booking import schedule
from officehours.booking.models import Booking, Session
from officehours.booking.services.bookings import booking_cancel, booking_create
from officehours.booking.services.sessions import series_update, session_cancel, session_move
from officehours.calendars.ics import booking_invitation
from officehours.questions.services import question_create
from tests.booking_factories import make_series
from tests.people import make_user

pytestmark = pytest.mark.usefixtures("frozen_now")

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SITE = "https://fragestund.example.se"


@pytest.fixture(autouse=True)
def calendar_settings(settings):
    settings.SITE_URL = SITE
    settings.CALENDAR_ORGANIZER_EMAIL = "fragestund@example.se"


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def get_feed(client, url, status=200) -> Calendar | None:
    response = client.get(url)
    assert response.status_code == status, url
    if status != 200:
        return None
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("inline; filename=")
    return parse(response.content)


def assert_is_a_feed(cal: Calendar, zone: str) -> None:
    """Published, not an iTIP message: no METHOD (or PUBLISH), named, refresh hints, zones."""
    assert str(cal.get("METHOD", "PUBLISH")) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == str(cal["NAME"])
    assert str(cal["X-WR-TIMEZONE"]) == zone
    assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert cal.decoded("REFRESH-INTERVAL") == timedelta(hours=1)
    assert str(cal["X-PUBLISHED-TTL"]) == "PT1H"
    assert cal.get_missing_tzids() == set()
    for event in cal.walk("VEVENT"):
        assert event["DTSTART"].params["TZID"] in {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
        assert event.decoded("DTSTAMP").tzinfo is not None
        assert event.decoded("DTSTAMP").utcoffset() == timedelta(0)


def expand(cal: Calendar, first: date, last: date):
    return sorted(
        recurring_ical_events.of(cal).between(first, last), key=lambda e: e.decoded("DTSTART")
    )


def local_start(event) -> datetime:
    return event.decoded("DTSTART").astimezone(STOCKHOLM)


# The public series feed


@pytest.fixture
def year_series(db, frozen_now):
    """Thursdays 10:00 Stockholm, scheduled a year ahead: both DST changes, several holidays."""
    return make_series(title="Kommunikation", weeks_ahead=52)


def week_of(series, day: date) -> Session:
    return series.sessions.get(week=schedule.monday_of(day))


@pytest.mark.django_db
def test_the_series_feed_expands_to_exactly_the_sessions_held(client, year_series, adviser):
    cancelled = week_of(year_series, date(2026, 3, 19))
    session_cancel(session=cancelled, reason="Personaldag", actor=adviser)
    moved = week_of(year_series, date(2026, 4, 16))
    session_move(
        session=moved, actor=adviser, starts_at=datetime(2026, 4, 16, 13, 0, tzinfo=STOCKHOLM)
    )
    elsewhere = week_of(year_series, date(2026, 9, 10))
    session_move(session=elsewhere, actor=adviser, location="Aulan")

    cal = get_feed(client, reverse("calendars:series", args=[year_series.pk]))
    assert_is_a_feed(cal, "Europe/Stockholm")
    master = next(e for e in cal.walk("VEVENT") if "RRULE" in e)
    assert master["RRULE"]["FREQ"] == ["WEEKLY"]
    assert master["RRULE"]["BYDAY"] == ["TH"]
    assert "UNTIL" not in master["RRULE"]
    assert master["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert local_start(master) == datetime(2026, 2, 5, 10, 0, tzinfo=STOCKHOLM)

    scheduled = list(year_series.sessions.filter(status=Session.SCHEDULED).order_by("starts_at"))
    last_day = scheduled[-1].starts_at.date() + timedelta(days=1)
    occurrences = expand(cal, date(2026, 1, 1), last_day)
    assert [e.decoded("DTSTART").astimezone(UTC) for e in occurrences] == [
        s.starts_at for s in scheduled
    ]

    days = [local_start(e).date() for e in occurrences]
    assert len(days) == len(set(days))
    for holiday in (date(2026, 5, 14), date(2026, 12, 24), date(2026, 12, 31)):
        assert schedule.holiday_name("SE", holiday)  # Ascension Day, Christmas and New Year's Eve
        assert holiday not in days
    assert date(2026, 3, 19) not in days

    [at_one] = [e for e in occurrences if local_start(e).date() == date(2026, 4, 16)]
    assert local_start(at_one).time() == time(13, 0)
    [in_the_hall] = [e for e in occurrences if local_start(e).date() == date(2026, 9, 10)]
    assert str(in_the_hall["LOCATION"]) == "Aulan"

    regular = [e for e in occurrences if local_start(e).date() != date(2026, 4, 16)]
    assert {local_start(e).time() for e in regular} == {time(10, 0)}
    # The same wall-clock time means a different UTC hour on each side of both changes.
    utc_hours = {
        (local_start(e).date(), e.decoded("DTSTART").astimezone(UTC).hour) for e in regular
    }
    assert (date(2026, 3, 26), 9) in utc_hours  # last Thursday before the March change
    assert (date(2026, 4, 2), 8) in utc_hours  # first after it
    assert (date(2026, 10, 22), 8) in utc_hours  # last before the October change
    assert (date(2026, 10, 29), 9) in utc_hours  # first after it


@pytest.mark.django_db
def test_coming_holidays_past_the_scheduled_weeks_are_left_out(client):
    series = make_series(weeks_ahead=4)
    cal = get_feed(client, reverse("calendars:series", args=[series.pk]))
    days = [local_start(e).date() for e in expand(cal, date(2026, 5, 1), date(2027, 1, 15))]
    assert date(2026, 5, 7) in days
    assert date(2026, 5, 14) not in days  # Ascension Day, months past the scheduled weeks
    assert date(2026, 12, 24) not in days
    assert date(2026, 12, 17) in days
    assert len(days) == len(set(days))


@pytest.mark.django_db
def test_the_series_feed_names_nobody(client, year_series, adviser, employee):
    year_series.advisers.add(adviser)
    session = year_series.sessions.order_by("starts_at").first()
    booking_create(user=employee, slot_id=session.slots.first().pk, note="Min hemliga fråga")
    response = client.get(reverse("calendars:series", args=[year_series.pk]))
    cal = parse(response.content)
    assert not any("ORGANIZER" in e or "ATTENDEE" in e for e in cal.walk("VEVENT"))
    body = response.content.decode()
    for secret in ("Anna", "anna@", "Rut", "rut@", "hemliga", "ORGANIZER", "ATTENDEE"):
        assert secret not in body
    assert response["Cache-Control"].startswith("public")


@pytest.mark.django_db
def test_an_ended_series_stops_at_its_last_held_week(client):
    series = make_series(weeks_ahead=4)
    with time_machine.travel(datetime(2026, 2, 20, 8, 0, tzinfo=UTC), tick=False):
        series_update(series=series, is_active=False)
        cal = get_feed(client, reverse("calendars:series", args=[series.pk]))
    [master] = [e for e in cal.walk("VEVENT") if "RRULE" in e]
    [until] = master["RRULE"]["UNTIL"]
    assert until == datetime(2026, 2, 19, 9, 0, tzinfo=UTC)
    days = [local_start(e).date() for e in expand(cal, date(2026, 1, 1), date(2028, 1, 1))]
    assert days == [date(2026, 2, 5), date(2026, 2, 12), date(2026, 2, 19)]


@pytest.mark.django_db
def test_an_unknown_series_is_404(client):
    assert client.get("/calendar/series/999999.ics").status_code == 404


@pytest.mark.django_db
def test_the_book_page_links_the_series_feed(employee_client, year_series):
    body = employee_client.get(reverse("booking:book")).content.decode()
    path = reverse("calendars:series", args=[year_series.pk])
    assert f"{SITE}{path}" in body
    assert f"webcal://fragestund.example.se{path}" in body


# The employee's feed


@pytest.fixture
def series(db, frozen_now):
    return make_series(weeks_ahead=12)


def slot_on(series, day: date, position=0):
    return week_of(series, day).slots.get(position=position)


@pytest.mark.django_db
def test_the_employee_feed_has_their_bookings_with_the_invitation_uids(
    client, series, employee, other_employee
):
    kept = booking_create(user=employee, slot_id=slot_on(series, date(2026, 2, 5)).pk)
    dropped = booking_create(user=employee, slot_id=slot_on(series, date(2026, 2, 12)).pk)
    booking_cancel(booking=dropped, actor=employee)
    booking_create(user=other_employee, slot_id=slot_on(series, date(2026, 2, 19)).pk)
    question_create(author=employee, title="Hur når jag presstjänsten?", booking=kept)

    response = client.get(reverse("calendars:bookings", args=[employee.calendar_token]))
    assert response["Cache-Control"] == "private, max-age=300"
    cal = parse(response.content)
    assert_is_a_feed(cal, "Europe/Stockholm")
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    invitation_uid = str(parse(booking_invitation(kept)).walk("VEVENT")[0]["UID"])
    assert set(events) == {invitation_uid, f"{dropped.uid}@fragestund.example.se"}
    assert str(events[invitation_uid]["STATUS"]) == "CONFIRMED"
    assert "Hur når jag presstjänsten?" in str(events[invitation_uid]["DESCRIPTION"])
    cancelled = events[f"{dropped.uid}@fragestund.example.se"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == 1
    assert "Bo Berg" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "now,days",
    [
        # Over the March change (29 March 2026) ...
        (datetime(2026, 3, 9, 8, 0, tzinfo=UTC), [date(2026, 3, 26), date(2026, 4, 2)]),
        # ... and the October one (25 October 2026).
        (datetime(2026, 10, 5, 8, 0, tzinfo=UTC), [date(2026, 10, 22), date(2026, 10, 29)]),
    ],
)
def test_the_employee_feed_keeps_the_wall_clock_time_over_dst(client, employee, now, days):
    with time_machine.travel(now, tick=False):
        series = make_series(weeks_ahead=6)
        for day in days:
            booking_create(user=employee, slot_id=slot_on(series, day).pk)
        cal = get_feed(client, reverse("calendars:bookings", args=[employee.calendar_token]))
    occurrences = expand(cal, days[0] - timedelta(days=1), days[-1] + timedelta(days=1))
    assert [local_start(e) for e in occurrences] == [
        datetime.combine(day, time(10, 0), tzinfo=STOCKHOLM) for day in days
    ]
    assert len({e.decoded("DTSTART").astimezone(UTC).hour for e in occurrences}) == 2


# The adviser's feed


@pytest.mark.django_db
def test_the_adviser_feed_has_the_sessions_with_bookings_and_questions(
    client, series, adviser, employee
):
    series.advisers.add(adviser)
    booking = booking_create(user=employee, slot_id=slot_on(series, date(2026, 2, 5), 1).pk)
    question_create(author=employee, title="Hur hanterar vi en kris?", booking=booking)
    skipped = week_of(series, date(2026, 2, 12))
    session_cancel(session=skipped, reason="Personaldag", actor=adviser)
    make_series(title="Någon annans", weekday=1)  # a series Rut does not hold

    response = client.get(reverse("calendars:sessions", args=[adviser.calendar_token]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=300"
    cal = parse(response.content)
    assert_is_a_feed(cal, "Europe/Stockholm")
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"session-{s.pk}@fragestund.example.se" for s in series.sessions.all()}
    first = events[f"session-{booking.session_id}@fragestund.example.se"]
    text = str(first["DESCRIPTION"])
    assert "10:15–10:30 Anna Andersson" in text
    assert "Hur hanterar vi en kris?" in text
    cancelled = events[f"session-{skipped.pk}@fragestund.example.se"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert "Personaldag" in str(cancelled["DESCRIPTION"])


@pytest.mark.django_db
def test_the_sessions_feed_is_404_for_someone_who_is_not_an_adviser(client, employee):
    get_feed(client, reverse("calendars:sessions", args=[employee.calendar_token]), status=404)
    get_feed(client, reverse("calendars:bookings", args=[employee.calendar_token]))


# Tokens


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["calendars:bookings", "calendars:sessions"])
def test_a_wrong_token_is_404(client, adviser, name):
    for token in ("x" * 43, adviser.calendar_token[:-1], "y" * 200):
        assert client.get(reverse(name, args=[token])).status_code == 404
    assert client.get(reverse(name, args=[adviser.calendar_token])).status_code == 200


@pytest.mark.django_db
def test_a_regenerated_token_retires_the_old_addresses(client, adviser):
    old = adviser.calendar_token
    new = calendar_token_regenerate(user=adviser)
    assert new != old
    for name in ("calendars:bookings", "calendars:sessions"):
        assert client.get(reverse(name, args=[old])).status_code == 404
        assert client.get(reverse(name, args=[new])).status_code == 200


@pytest.mark.django_db
def test_new_addresses_from_the_profile_page(employee_client, employee):
    old = employee.calendar_token
    page = employee_client.get(reverse("accounts:profile")).content.decode()
    old_path = reverse("calendars:bookings", args=[old])
    assert f"{SITE}{old_path}" in page
    assert f"webcal://fragestund.example.se{old_path}" in page
    assert "sessions.ics" not in page  # not an adviser

    response = employee_client.post(reverse("accounts:calendar_regenerate"))
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.calendar_token != old
    assert employee_client.get(old_path).status_code == 404
    new_path = reverse("calendars:bookings", args=[employee.calendar_token])
    assert employee_client.get(new_path).status_code == 200
    page = employee_client.get(reverse("accounts:profile")).content.decode()
    assert new_path in page
    assert old_path not in page


@pytest.mark.django_db
def test_the_profile_shows_advisers_their_sessions_feed(adviser_client, adviser):
    page = adviser_client.get(reverse("accounts:profile")).content.decode()
    assert reverse("calendars:sessions", args=[adviser.calendar_token]) in page


@pytest.mark.django_db
def test_new_addresses_need_a_post_and_a_signed_in_employee(client, employee_client):
    assert employee_client.get(reverse("accounts:calendar_regenerate")).status_code == 405
    client.logout()
    response = client.post(reverse("accounts:calendar_regenerate"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_an_inactive_or_unverified_account_has_no_feed(client):
    gone = make_user("gone@example.se", is_active=False)
    unverified = make_user("new@example.se", verified=False)
    for person in (gone, unverified):
        url = reverse("calendars:bookings", args=[person.calendar_token])
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_feed_is_in_the_owners_language(client, series, employee):
    booking_create(user=employee, slot_id=slot_on(series, date(2026, 2, 5)).pk)
    url = reverse("calendars:bookings", args=[employee.calendar_token])
    swedish = parse(client.get(url).content)
    assert str(swedish["X-WR-CALNAME"]) == "Frågestund · Dina bokningar"
    employee.language = "en"
    employee.save()
    english = parse(client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content)
    assert str(english["X-WR-CALNAME"]) == "Frågestund · Your bookings"
    assert "Thursday 5 February" in str(english.walk("VEVENT")[0]["DESCRIPTION"])


@pytest.mark.django_db
def test_feed_queries_do_not_grow_with_bookings(client, series, django_assert_max_num_queries):
    people = [make_user(f"p{i}@example.se") for i in range(4)]
    adviser = make_user("a@example.se", adviser=True)
    series.advisers.add(adviser)
    for i, person in enumerate(people):
        booked = booking_create(user=person, slot_id=slot_on(series, date(2026, 2, 5), i).pk)
        question_create(author=person, title=f"Fråga {i}", booking=booked)
    assert Booking.objects.count() == 4
    with django_assert_max_num_queries(10):
        client.get(reverse("calendars:sessions", args=[adviser.calendar_token]))
    with django_assert_max_num_queries(8):
        client.get(reverse("calendars:bookings", args=[people[0].calendar_token]))

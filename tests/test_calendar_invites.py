"""A booking's calendar invitation: one UID for life, a rising SEQUENCE, REQUEST then CANCEL.

Everything is parsed back with icalendar rather than compared as text.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from officehours.booking.models import Booking
from officehours.booking.services.bookings import (
    booking_cancel,
    booking_create,
    booking_reschedule,
)
from officehours.booking.services.sessions import series_update, session_cancel, session_move
from officehours.calendars.ics import booking_invitation, calendar_links
from officehours.questions.services import question_create, question_from_note, question_withdraw
from tests.booking_factories import make_series
from tests.clock import NOW
from tests.people import make_user

pytestmark = pytest.mark.usefixtures("frozen_now")

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ORGANIZER = "fragestund@example.se"
SITE = "https://fragestund.example.se"


@pytest.fixture(autouse=True)
def calendar_settings(settings):
    settings.CALENDAR_ORGANIZER_EMAIL = ORGANIZER
    settings.CALENDAR_ORGANIZER_NAME = "Frågestund"
    settings.SITE_URL = SITE


@pytest.fixture
def series(db, frozen_now):
    return make_series(
        title="Kommunikation", weeks_ahead=3, meeting_url="https://meet.example.se/hour"
    )


def sessions_of(series):
    return list(series.sessions.order_by("starts_at"))


@pytest.fixture
def booking(series, employee):
    return booking_create(user=employee, slot_id=sessions_of(series)[0].slots.get(position=0).pk)


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def the_event(cal: Calendar):
    [event] = cal.walk("VEVENT")
    return event


def attendees(event) -> list:
    value = event.get("ATTENDEE", [])
    return value if isinstance(value, list) else [value]


def invitation(booking) -> tuple[Calendar, object]:
    fresh = Booking.objects.get(pk=booking.pk)
    cal = parse(booking_invitation(fresh))
    return cal, the_event(cal)


# The invitation itself


@pytest.mark.django_db
def test_an_active_booking_is_a_request_from_the_comms_mailbox(booking, employee):
    data = booking_invitation(booking)
    cal = parse(data)
    event = the_event(cal)

    assert str(cal["METHOD"]) == "REQUEST"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert "PRODID" in cal
    assert str(event["UID"]) == f"{booking.uid}@fragestund.example.se"
    assert int(event["SEQUENCE"]) == 0
    assert str(event["STATUS"]) == "CONFIRMED"

    organizer = event["ORGANIZER"]
    assert str(organizer) == f"mailto:{ORGANIZER}"
    assert organizer.params["CN"] == "Frågestund"
    [attendee] = attendees(event)
    assert str(attendee) == "mailto:anna@example.se"
    assert attendee.params["CN"] == "Anna Andersson"
    assert attendee.params["RSVP"] == "TRUE"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"

    # DTSTAMP in UTC, written with the Z.
    assert re.search(rb"^DTSTAMP:\d{8}T\d{6}Z\r?$", data, re.MULTILINE)
    assert event.decoded("DTSTAMP") == NOW


@pytest.mark.django_db
def test_times_carry_the_series_zone_and_its_vtimezone(booking):
    cal, event = invitation(booking)
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event["DTEND"].params["TZID"] == "Europe/Stockholm"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start.date().isoformat(), start.time(), end.time()) == (
        "2026-02-05",
        time(10, 0),
        time(10, 15),
    )
    assert start.astimezone(UTC) == datetime(2026, 2, 5, 9, 0, tzinfo=UTC)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert cal.get_missing_tzids() == set()


@pytest.mark.django_db
def test_place_link_and_summary(booking):
    _cal, event = invitation(booking)
    assert str(event["LOCATION"]) == "Rum 101"
    assert str(event["URL"]) == "https://meet.example.se/hour"
    assert str(event["SUMMARY"]) == "Frågestund: Kommunikation"


@pytest.mark.django_db
def test_the_organiser_is_never_an_attendee(booking, settings):
    settings.CALENDAR_ORGANIZER_EMAIL = "ANNA@example.se"
    _cal, event = invitation(booking)
    assert str(event["ORGANIZER"]) == "mailto:ANNA@example.se"
    assert attendees(event) == []


@pytest.mark.django_db
def test_the_description_holds_the_slot_the_questions_and_the_links(booking, employee):
    Booking.objects.filter(pk=booking.pk).update(note="Hur skriver jag ett pressmeddelande?")
    booking.refresh_from_db()
    question_from_note(author=employee, note=booking.note, booking=booking)
    question_create(author=employee, title="Vem svarar journalister?", booking=booking)
    withdrawn = question_create(author=employee, title="Glöm den här", booking=booking)
    question_withdraw(question=withdrawn, actor=employee)

    _cal, event = invitation(booking)
    text = str(event["DESCRIPTION"])
    assert "torsdag 5 februari 2026, 10:00–10:15" in text
    assert "Rum 101" in text
    assert "https://meet.example.se/hour" in text
    assert "- Hur skriver jag ett pressmeddelande?" in text
    assert "- Vem svarar journalister?" in text
    assert text.count("pressmeddelande") == 1  # the note and the question it became: once
    assert "Glöm den här" not in text
    assert f"{SITE}/bookings/" in text
    assert f"{SITE}/bookings/{booking.pk}/reschedule/" in text
    assert f"{SITE}/bookings/{booking.pk}/cancel/" in text


@pytest.mark.django_db
def test_a_note_that_became_no_question_is_still_there(booking):
    Booking.objects.filter(pk=booking.pk).update(note="Första raden\nandra raden")
    _cal, event = invitation(booking)
    assert "- Första raden\n  andra raden" in str(event["DESCRIPTION"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language,summary,words",
    [
        ("sv", "Frågestund: Kommunikation", ["När:", "torsdag 5 februari", "Hantera din bokning"]),
        ("en", "Question hour: Kommunikation", ["When:", "Thursday 5 February", "Manage your"]),
    ],
)
def test_the_text_is_in_the_employees_language(booking, employee, language, summary, words):
    employee.language = language
    employee.save()
    _cal, event = invitation(booking)
    assert str(event["SUMMARY"]) == summary
    for word in words:
        assert word in str(event["DESCRIPTION"])


@pytest.mark.django_db
def test_the_description_uses_the_employees_time_zone(booking, employee):
    employee.time_zone = "Europe/London"
    employee.save()
    _cal, event = invitation(booking)
    assert "09:00–09:15 (Europe/London)" in str(event["DESCRIPTION"])
    # The event itself stays in the series' zone: the client converts.
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"


# One UID for life, a SEQUENCE that rises


@pytest.mark.django_db
def test_uid_stays_and_sequence_rises_through_book_reschedule_move_cancel(
    series, booking, employee, adviser
):
    first, second = sessions_of(series)[:2]
    seen = []

    def snapshot():
        cal, event = invitation(booking)
        seen.append(
            (
                str(cal["METHOD"]),
                str(event["UID"]),
                int(event["SEQUENCE"]),
                str(event["STATUS"]),
                event.decoded("DTSTART"),
            )
        )

    snapshot()
    booking_reschedule(booking=booking, slot_id=second.slots.get(position=2).pk, actor=employee)
    snapshot()
    moved_to = datetime(2026, 2, 12, 13, 0, tzinfo=STOCKHOLM)
    session_move(session=second, actor=adviser, starts_at=moved_to)
    snapshot()
    session_move(session=second, actor=adviser, location="Aulan")
    snapshot()
    booking_cancel(booking=Booking.objects.get(pk=booking.pk), actor=employee)
    snapshot()

    methods, uids, sequences, statuses, starts = zip(*seen, strict=True)
    assert methods == ("REQUEST", "REQUEST", "REQUEST", "REQUEST", "CANCEL")
    assert len(set(uids)) == 1
    assert list(sequences) == sorted(set(sequences))  # strictly rising
    assert statuses[-1] == "CANCELLED"
    assert statuses[:-1] == ("CONFIRMED",) * 4
    assert starts[0] == datetime(2026, 2, 5, 10, 0, tzinfo=STOCKHOLM)
    assert starts[1] == datetime(2026, 2, 12, 10, 30, tzinfo=STOCKHOLM)
    assert starts[2] == datetime(2026, 2, 12, 13, 30, tzinfo=STOCKHOLM)
    assert first.pk != second.pk


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["employee", "adviser", "whole session"])
def test_every_cancellation_is_a_cancel_with_a_higher_sequence(booking, employee, adviser, who):
    before = the_event(parse(booking_invitation(booking)))
    if who == "employee":
        booking_cancel(booking=booking, actor=employee)
    elif who == "adviser":
        booking_cancel(booking=booking, actor=adviser, reason="Sjuk", by_adviser=True)
    else:
        session_cancel(session=booking.session, reason="Personalmöte", actor=adviser)
    cal, after = invitation(booking)
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(after["STATUS"]) == "CANCELLED"
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert str(after["ORGANIZER"]) == f"mailto:{ORGANIZER}"
    [attendee] = attendees(after)
    assert str(attendee) == "mailto:anna@example.se"
    if who != "employee":
        assert ("Sjuk" if who == "adviser" else "Personalmöte") in str(after["DESCRIPTION"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change,start",
    [
        ({"location": "Rum 202"}, time(10, 0)),
        ({"start_time": time(11, 0)}, time(11, 0)),
    ],
)
def test_editing_the_series_raises_the_sequence(series, booking, change, start):
    series_update(series=series, **change)
    _cal, event = invitation(booking)
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").time() == start
    assert str(event["LOCATION"]) == change.get("location", "Rum 101")


@pytest.mark.django_db
def test_a_new_slot_length_raises_the_sequence_of_the_bookings_it_moves(series, employee):
    session = sessions_of(series)[0]
    booked = booking_create(user=employee, slot_id=session.slots.get(position=1).pk)
    series_update(series=series, slot_minutes=20)
    _cal, event = invitation(booked)
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").time() == time(10, 20)


@pytest.mark.django_db
def test_method_can_be_chosen(booking):
    cal = parse(booking_invitation(booking, method="cancel"))
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(the_event(cal)["STATUS"]) == "CANCELLED"
    with pytest.raises(ValueError):
        booking_invitation(booking, method="REFRESH")


# Add-to-calendar links


@pytest.mark.django_db
def test_calendar_links_are_url_encoded(booking):
    links = calendar_links(booking)
    google = urlsplit(links["google"])
    assert (google.scheme, google.netloc, google.path) == (
        "https",
        "calendar.google.com",
        "/calendar/render",
    )
    query = {k: v[0] for k, v in parse_qs(google.query).items()}
    assert query["action"] == "TEMPLATE"
    assert query["text"] == "Frågestund: Kommunikation"
    assert query["dates"] == "20260205T090000Z/20260205T091500Z"
    assert query["location"] == "Rum 101"
    assert f"{SITE}/bookings/" in query["details"]
    assert "+" not in google.query  # spaces are %20

    outlook = urlsplit(links["outlook"])
    assert outlook.netloc == "outlook.live.com"
    assert outlook.path == "/calendar/0/deeplink/compose"
    query = {k: v[0] for k, v in parse_qs(outlook.query).items()}
    assert query["path"] == "/calendar/action/compose"
    assert query["rru"] == "addevent"
    assert query["subject"] == "Frågestund: Kommunikation"
    assert query["startdt"] == "2026-02-05T09:00:00Z"
    assert query["enddt"] == "2026-02-05T09:15:00Z"
    assert "Rum 101" in query["body"]


# The page and the API


@pytest.mark.django_db
def test_my_bookings_offers_the_calendar_links(employee_client, booking):
    body = employee_client.get(reverse("booking:mine")).content.decode()
    assert reverse("booking:invite", args=[booking.pk]) in body
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in body
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in body


@pytest.mark.django_db
def test_the_invite_downloads_from_the_page(employee_client, booking):
    response = employee_client.get(reverse("booking:invite", args=[booking.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert str(the_event(parse(response.content))["UID"]).startswith(str(booking.uid))


@pytest.mark.django_db
def test_an_outsider_gets_404_for_someone_elses_invite(other_client, booking):
    assert other_client.get(reverse("booking:invite", args=[booking.pk])).status_code == 404
    response = other_client.get(f"/api/v1/bookings/{booking.pk}/invite.ics")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


@pytest.mark.django_db
def test_visitors_are_sent_to_sign_in_for_the_invite(client, booking):
    response = client.get(reverse("booking:invite", args=[booking.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert client.get(f"/api/v1/bookings/{booking.pk}/invite.ics").status_code == 401


@pytest.mark.django_db
def test_the_api_returns_the_current_invitation(employee_client, booking, employee):
    url = f"/api/v1/bookings/{booking.pk}/invite.ics"
    response = employee_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert str(parse(response.content)["METHOD"]) == "REQUEST"

    booking_cancel(booking=booking, actor=employee)
    cal = parse(employee_client.get(url).content)
    assert str(cal["METHOD"]) == "CANCEL"
    assert int(the_event(cal)["SEQUENCE"]) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "booking_id,status",
    [("999999", 404), ("9223372036854775808", 404), ("0", 404), ("-1", 404), ("abc", 422)],
)
def test_unknown_and_huge_ids_in_the_api(employee_client, booking_id, status):
    """A booking that cannot exist is not there, as for GET /bookings/{id}."""
    for path in (f"/api/v1/bookings/{booking_id}/invite.ics", f"/api/v1/bookings/{booking_id}"):
        response = employee_client.get(path)
        assert response.status_code == status, path
        assert response.json()["code"] == ("not_found" if status == 404 else "invalid")


@pytest.mark.django_db
def test_the_schema_describes_the_invite_as_a_calendar(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"][
        "/api/v1/bookings/{booking_id}/invite.ics"
    ]["get"]
    assert "text/calendar" in operation["responses"]["200"]["content"]


@pytest.mark.django_db
def test_a_deleted_account_leaves_an_invitation_without_attendee(booking):
    Booking.objects.filter(pk=booking.pk).update(user=None)
    _cal, event = invitation(booking)
    assert attendees(event) == []
    assert event.decoded("DTSTART") - event.decoded("DTEND") == timedelta(minutes=-15)


@pytest.mark.django_db
def test_an_unverified_account_gets_no_invite(client, booking):
    client.force_login(make_user("new@example.se", verified=False))
    response = client.get(f"/api/v1/bookings/{booking.pk}/invite.ics")
    assert (response.status_code, response.json()["code"]) == (403, "email_unverified")
    assert client.get(reverse("booking:invite", args=[booking.pk])).status_code == 403

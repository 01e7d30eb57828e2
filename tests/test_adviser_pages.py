"""The advisers' pages: session list, agenda and its actions, the weekly schedule."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from officehours.booking.models import Booking, BookingEvent, Series, Session, WaitlistEntry
from officehours.booking.services.bookings import (
    booking_cancel,
    booking_create,
    booking_set_adviser_note,
    booking_set_attendance,
)
from officehours.booking.services.sessions import session_cancel
from officehours.booking.services.waitlist import waitlist_join
from officehours.questions.services import question_create
from tests.booking_factories import make_series, series_form_data
from tests.clock import NOW
from tests.people import make_user

pytestmark = pytest.mark.usefixtures("frozen_now", "english_adviser")

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def series(db, frozen_now):
    return make_series(weeks_ahead=2, meeting_url="https://meet.example.se/fragestund")


@pytest.fixture
def booking(session, employee):
    return book(employee, session, note="Hur skriver jag ett pressmeddelande?")


def book(user, session, position=0, note=""):
    slot = session.slots.get(position=position)
    return booking_create(user=user, slot_id=slot.pk, note=note, now=NOW)


def people(count, prefix="person"):
    return [
        make_user(f"{prefix}{n}@example.se", name=f"{prefix.title()} {n}") for n in range(count)
    ]


def body(response) -> str:
    return response.content.decode()


# Who may see and do what ------------------------------------------------------------


def _pages(session, booking, series):
    return [
        reverse("advisers:sessions"),
        reverse("advisers:sessions") + "?past=1",
        reverse("advisers:agenda", args=[session.pk]),
        reverse("advisers:booking_edit", args=[booking.pk]),
        reverse("advisers:booking_cancel", args=[booking.pk]),
        reverse("advisers:session_move", args=[session.pk]),
        reverse("advisers:series_list"),
        reverse("advisers:series_create"),
        reverse("advisers:series_edit", args=[series.pk]),
    ]


def _actions(session, booking, series):
    return [
        (
            reverse("advisers:booking_edit", args=[booking.pk]),
            {"attendance": "no_show", "adviser_note": "x"},
        ),
        (reverse("advisers:booking_cancel", args=[booking.pk]), {"reason": "x"}),
        (reverse("advisers:session_cancel", args=[session.pk]), {"reason": "x"}),
        (reverse("advisers:session_reinstate", args=[session.pk]), {}),
        (
            reverse("advisers:session_move", args=[session.pk]),
            {"date": "2026-02-06", "start_time": "13:00", "location": "x", "meeting_url": ""},
        ),
        (reverse("advisers:series_create"), {"title": "x"}),
        (reverse("advisers:series_edit", args=[series.pk]), {"title": "x"}),
    ]


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, series, session, booking):
    login = reverse("account_login")
    for url in _pages(session, booking, series):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(login), url
    for url, data in _actions(session, booking, series):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response.url.startswith(login), url
    _assert_nothing_changed(series, session, booking)


@pytest.mark.django_db
def test_employees_who_are_not_advisers_get_403_everywhere(
    employee_client, series, session, booking
):
    for url in _pages(session, booking, series):
        assert employee_client.get(url).status_code == 403, url
    for url, data in _actions(session, booking, series):
        assert employee_client.post(url, data).status_code == 403, url
    _assert_nothing_changed(series, session, booking)


def _assert_nothing_changed(series, session, booking):
    booking.refresh_from_db()
    session.refresh_from_db()
    series.refresh_from_db()
    assert (booking.status, booking.attendance, booking.adviser_note) == ("active", "unknown", "")
    assert (session.status, session.location, session.moved) == ("scheduled", "Rum 101", False)
    assert series.title == "Frågestund"
    assert Series.objects.count() == 1


@pytest.mark.django_db
def test_advisers_see_every_page(adviser_client, series, session, booking):
    for url in _pages(session, booking, series):
        response = adviser_client.get(url)
        assert response.status_code == 200, url
        assert "<h1>" in body(response), url


@pytest.mark.django_db
def test_unknown_objects_are_404(adviser_client):
    for url in (
        reverse("advisers:agenda", args=[999]),
        reverse("advisers:booking_edit", args=[999]),
        reverse("advisers:booking_cancel", args=[999]),
        reverse("advisers:session_move", args=[999]),
        reverse("advisers:series_edit", args=[999]),
    ):
        assert adviser_client.get(url).status_code == 404, url
    for url in (
        reverse("advisers:booking_edit", args=[999]),
        reverse("advisers:booking_cancel", args=[999]),
        reverse("advisers:session_cancel", args=[999]),
        reverse("advisers:session_reinstate", args=[999]),
    ):
        assert adviser_client.post(url, {"reason": "x", "attendance": "attended"}).status_code == (
            404
        ), url


@pytest.mark.django_db
def test_actions_are_post_only(adviser_client, session, booking):
    for url in (
        reverse("advisers:session_cancel", args=[session.pk]),
        reverse("advisers:session_reinstate", args=[session.pk]),
    ):
        assert adviser_client.get(url).status_code == 405, url
    # A booking's form and its cancel page: GET shows the form, POST saves.
    for url in (
        reverse("advisers:booking_edit", args=[booking.pk]),
        reverse("advisers:booking_cancel", args=[booking.pk]),
    ):
        assert adviser_client.put(url).status_code == 405, url
        assert adviser_client.delete(url).status_code == 405, url
    booking.refresh_from_db()
    assert booking.status == Booking.ACTIVE


@pytest.mark.django_db
def test_adviser_home_links_to_the_sessions_and_the_schedule(adviser_client):
    page = body(adviser_client.get(reverse("adviser_home")))
    assert reverse("advisers:sessions") in page
    assert reverse("advisers:series_list") in page


# The session list -------------------------------------------------------------------


def _row(page: str, session: Session) -> str:
    start = page.index(f'id="session-{session.pk}"')
    return page[start : page.index("</tr>", start)]


def _cells(row: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


@pytest.mark.django_db
def test_session_list_counts_booked_free_waiting_and_no_shows(adviser_client, series, adviser):
    first, second, third = series.sessions.order_by("starts_at")
    a, b, c, d, e, f = people(6)
    # First week: all four seats booked, one no-show, then one cancelled by the adviser;
    # two people wait, and the freed seat is held as an offer for the first of them.
    bookings = [book(person, first, position) for position, person in enumerate((a, b, c, d))]
    booking_set_attendance(booking=bookings[1], attendance=Booking.NO_SHOW)
    waitlist_join(user=e, session_id=first.pk, now=NOW)
    waitlist_join(user=f, session_id=first.pk, now=NOW)
    booking_cancel(booking=bookings[0], actor=adviser, reason="Krock", by_adviser=True, now=NOW)
    assert WaitlistEntry.objects.get(user=e).status == WaitlistEntry.OFFERED
    # Second week: one booking.
    book(a, second, 2)
    # Third week: cancelled.
    session_cancel(session=third, reason="Personaldag", actor=adviser)

    page = body(adviser_client.get(reverse("advisers:sessions")))

    # booked, free seats, waiting, no-shows
    assert _cells(_row(page, first))[2:] == ["3", "0", "2", "1"]
    assert _cells(_row(page, second))[2:] == ["1", "3", "0", "0"]
    third_cells = _cells(_row(page, third))
    assert third_cells[0] == "Frågestund"
    assert "Personaldag" in third_cells[1]
    assert third_cells[2] == "0"
    assert reverse("advisers:agenda", args=[first.pk]) in _row(page, first)
    assert page.index(f'id="session-{first.pk}"') < page.index(f'id="session-{second.pk}"')


@pytest.mark.django_db
def test_session_list_shows_holiday_skips(client, adviser):
    # Ascension Day, Thursday 14 May 2026, is a Swedish public holiday.
    with time_machine.travel(datetime(2026, 5, 11, 8, 0, tzinfo=UTC), tick=False):
        client.force_login(adviser)
        series = make_series(weeks_ahead=1, starts_on=datetime(2026, 5, 11, tzinfo=UTC).date())
        skipped = series.sessions.get(status=Session.CANCELLED)
        assert skipped.holiday_name
        page = body(client.get(reverse("advisers:sessions")))
    assert skipped.holiday_name in _row(page, skipped)


@pytest.mark.django_db
def test_session_list_separates_past_and_upcoming(adviser_client, series, session):
    later = series.sessions.order_by("starts_at")[1]
    with time_machine.travel(datetime(2026, 2, 6, 8, 0, tzinfo=UTC), tick=False):
        upcoming = body(adviser_client.get(reverse("advisers:sessions")))
        past = body(adviser_client.get(reverse("advisers:sessions"), {"past": "1"}))
    assert f'id="session-{session.pk}"' not in upcoming
    assert f'id="session-{later.pk}"' in upcoming
    assert f'id="session-{session.pk}"' in past
    assert f'id="session-{later.pk}"' not in past


@pytest.mark.django_db
def test_times_are_shown_in_the_viewers_time_zone(client, series, session):
    viewer = make_user("nils@example.se", adviser=True, time_zone="America/New_York")
    client.force_login(viewer)
    page = body(client.get(reverse("advisers:sessions")))
    assert "04:00" in _row(page, session)  # 10:00 in Stockholm
    agenda = body(client.get(reverse("advisers:agenda", args=[session.pk])))
    assert "04:00" in agenda
    assert "America/New_York" in agenda


# The agenda -------------------------------------------------------------------------


@pytest.mark.django_db
def test_agenda_shows_who_comes_when_with_their_questions_and_the_waitlist(
    adviser_client, session, adviser
):
    early, late, waiting, gone = people(4)
    book(early, session, 0, note="Hur skriver jag ett pressmeddelande?")
    book(late, session, 3, note="Intranätets nya mallar")
    cancelled = book(gone, session, 1, note="Inställt ärende")
    booking_cancel(booking=cancelled, actor=adviser, reason="Sjuk", by_adviser=True, now=NOW)
    book(make_user("x1@example.se"), session, 1)
    book(make_user("x2@example.se"), session, 2)
    waitlist_join(user=waiting, session_id=session.pk, note="Kan jag få en tid?", now=NOW)

    page = body(adviser_client.get(reverse("advisers:agenda", args=[session.pk])))

    assert "Person 0" in page and "person0@example.se" in page
    assert "Hur skriver jag ett pressmeddelande?" in page
    assert "Intranätets nya mallar" in page
    assert page.index("Hur skriver jag") < page.index("Intranätets nya mallar")  # time order
    assert "Kan jag få en tid?" in page and "person2@example.se" in page
    assert "Waitlist" in page
    # The cancelled booking is listed apart, with its reason.
    cancelled_part = page[page.index('id="cancelled-heading"') :]
    assert "Inställt ärende" in cancelled_part and "Sjuk" in cancelled_part
    assert "Rum 101" in page
    assert 'href="https://meet.example.se/fragestund"' in page
    assert 'class="no-print' in page and 'agenda-print.css" media="print">' in page


@pytest.mark.django_db
def test_user_text_is_escaped_on_the_agenda(adviser_client, session, employee, adviser):
    booking = book(employee, session, note="<script>alert('note')</script>")
    booking_set_adviser_note(booking=booking, note="<b>intern</b>")
    for n, person in enumerate(people(3)):
        book(person, session, n + 1)
    waitlist_join(
        user=make_user("w@example.se"), session_id=session.pk, note="<img src=x>", now=NOW
    )

    page = body(adviser_client.get(reverse("advisers:agenda", args=[session.pk])))

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt;" in page
    assert "<b>intern</b>" not in page and "&lt;b&gt;intern&lt;/b&gt;" in page
    assert "<img src=x>" not in page and "&lt;img src=x&gt;" in page
    edit = reverse("advisers:booking_edit", args=[booking.pk])
    for url in (edit, reverse("advisers:booking_cancel", args=[booking.pk])):
        form = body(adviser_client.get(url))
        assert "<script>alert" not in form and "&lt;script&gt;alert" in form, url
    assert "&lt;b&gt;intern&lt;/b&gt;</textarea>" in body(adviser_client.get(edit))


def _bookings_table(page: str) -> str:
    start = page.index('id="bookings-heading"')
    return page[start : page.index("</table>", start)]


@pytest.mark.django_db
def test_agenda_rows_show_attendance_and_note_and_link_to_the_booking(
    adviser_client, session, booking
):
    booking_set_attendance(booking=booking, attendance=Booking.NO_SHOW)
    booking_set_adviser_note(booking=booking, note="Ring tillbaka")
    other = book(make_user("bo@example.se", name="Bo Berg"), session, 1)

    table = _bookings_table(body(adviser_client.get(reverse("advisers:agenda", args=[session.pk]))))

    row = table[table.index(f'id="booking-{booking.pk}"') : table.index(f'id="booking-{other.pk}"')]
    assert "10:00–10:15" in row and "10:15–10:30" in table
    assert "Anna Andersson" in row and "no-show" in row and "Ring tillbaka" in row
    # Read-only rows: no form to render 200 times over. The name links to the booking's
    # form, which htmx loads into the row.
    assert "<form" not in table and "<textarea" not in table and "<select" not in table
    edit = reverse("advisers:booking_edit", args=[booking.pk])
    assert f'<a href="{edit}" hx-get="{edit}">Anna Andersson</a>' in row
    assert 'hx-target="closest tr" hx-swap="outerHTML"' in table
    other_edit = reverse("advisers:booking_edit", args=[other.pk])
    assert f'<a href="{other_edit}" hx-get="{other_edit}">Bo Berg</a>' in table


@pytest.mark.django_db
def test_htmx_loads_the_bookings_form_into_its_row(adviser_client, booking):
    booking_set_adviser_note(booking=booking, note="Ring tillbaka")
    url = reverse("advisers:booking_edit", args=[booking.pk])

    response = adviser_client.get(url, headers={"HX-Request": "true"})

    assert response.status_code == 200
    row = body(response)
    assert row.lstrip().startswith(f'<tr id="booking-{booking.pk}" class="editing">')
    assert "<html" not in row and "Anna Andersson" in row and "10:00–10:15" in row
    assert f'action="{url}"' in row and 'name="csrfmiddlewaretoken"' in row
    assert 'name="attendance"' in row and "autofocus" in row
    assert '<option value="unknown" selected>' in row
    assert "Ring tillbaka</textarea>" in row
    assert reverse("advisers:booking_cancel", args=[booking.pk]) in row


@pytest.mark.django_db
def test_without_javascript_the_bookings_form_is_a_page(adviser_client, booking):
    page = body(adviser_client.get(reverse("advisers:booking_edit", args=[booking.pk])))

    assert "<h1>Attendance and note: Anna Andersson</h1>" in page
    assert "Hur skriver jag ett pressmeddelande?" in page  # what she wants to ask
    assert "10:00" in page and "anna@example.se" in page
    assert 'name="attendance"' in page and 'name="adviser_note"' in page
    agenda = reverse("advisers:agenda", args=[booking.session_id])
    assert f'href="{agenda}#booking-{booking.pk}"' in page
    assert reverse("advisers:booking_cancel", args=[booking.pk]) in page


def _edit(client, booking, **data):
    """POSTs the booking's form as the browser would: with the values it was shown."""
    shown = client.get(reverse("advisers:booking_edit", args=[booking.pk])).context["form"]
    posted = {name: shown[name].value() for name in ("attendance", "adviser_note")}
    posted |= {f"initial-{name}": value for name, value in posted.items()}
    return client.post(reverse("advisers:booking_edit", args=[booking.pk]), posted | data)


@pytest.mark.django_db
def test_marking_attendance(adviser_client, booking):
    response = _edit(adviser_client, booking, attendance="no_show")
    assert response.status_code == 302
    assert response.url == reverse("advisers:agenda", args=[booking.session_id]) + (
        f"#booking-{booking.pk}"
    )
    booking.refresh_from_db()
    assert (booking.attendance, booking.adviser_note) == (Booking.NO_SHOW, "")
    page = body(adviser_client.get(response.url))
    assert "Attendance saved for Anna Andersson." in page
    assert "Internal note saved" not in page

    _edit(adviser_client, booking, attendance="attended")
    booking.refresh_from_db()
    assert booking.attendance == Booking.ATTENDED
    _edit(adviser_client, booking, attendance="unknown")
    booking.refresh_from_db()
    assert booking.attendance == Booking.UNKNOWN


@pytest.mark.django_db
@pytest.mark.parametrize("attendance", ["maybe", "", None])
def test_a_bad_attendance_value_is_a_400_that_keeps_the_input(adviser_client, booking, attendance):
    data = {"adviser_note": "Skrivet men inte sparat"}
    if attendance is not None:
        data["attendance"] = attendance
    response = adviser_client.post(reverse("advisers:booking_edit", args=[booking.pk]), data)
    assert response.status_code == 400
    page = body(response)
    assert "Please correct the errors below." in page
    assert f'id="booking-{booking.pk}-attendance_error"' in page
    assert "Skrivet men inte sparat</textarea>" in page
    booking.refresh_from_db()
    assert (booking.attendance, booking.adviser_note) == (Booking.UNKNOWN, "")


@pytest.mark.django_db
def test_the_internal_note(adviser_client, booking):
    response = _edit(adviser_client, booking, adviser_note="  Ring tillbaka på fredag  ")
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.adviser_note, booking.attendance) == ("Ring tillbaka på fredag", "unknown")
    page = body(adviser_client.get(response.url))
    assert "Internal note saved for Anna Andersson." in page
    assert "Ring tillbaka på fredag" in page

    too_long = "Lång anteckning " + "x" * 4000
    response = _edit(adviser_client, booking, adviser_note=too_long)
    assert response.status_code == 400
    assert too_long in body(response)  # what was typed is kept
    booking.refresh_from_db()
    assert booking.adviser_note == "Ring tillbaka på fredag"


@pytest.mark.django_db
def test_attendance_and_note_are_saved_together(adviser_client, booking):
    response = _edit(adviser_client, booking, attendance="attended", adviser_note="Kom i tid")
    booking.refresh_from_db()
    assert (booking.attendance, booking.adviser_note) == (Booking.ATTENDED, "Kom i tid")
    page = body(adviser_client.get(response.url))
    assert "Attendance saved for Anna Andersson." in page
    assert "Internal note saved for Anna Andersson." in page

    response = _edit(adviser_client, booking)
    assert response.status_code == 302
    assert "Nothing was changed." in body(adviser_client.get(response.url))


@pytest.mark.django_db
def test_two_advisers_at_once_each_keep_what_they_changed(client, adviser, booking):
    # Rut opens the form; a colleague writes a note meanwhile; Rut marks attendance only.
    client.force_login(adviser)
    shown = client.get(reverse("advisers:booking_edit", args=[booking.pk])).context["form"]
    booking_set_adviser_note(booking=booking, note="Sams anteckning")
    response = client.post(
        reverse("advisers:booking_edit", args=[booking.pk]),
        {
            "attendance": "attended",
            "initial-attendance": shown["attendance"].value(),
            "adviser_note": shown["adviser_note"].value(),
            "initial-adviser_note": shown["adviser_note"].value(),
        },
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.attendance, booking.adviser_note) == (Booking.ATTENDED, "Sams anteckning")


@pytest.mark.django_db
def test_cancelling_a_booking_frees_its_seat(adviser_client, booking, adviser):
    url = reverse("advisers:booking_cancel", args=[booking.pk])
    page = body(adviser_client.get(url))
    assert "<h1>Cancel the booking of Anna Andersson</h1>" in page
    assert "Reason, shown to Anna Andersson" in page
    assert f'action="{url}"' in page and 'name="reason"' in page
    agenda = reverse("advisers:agenda", args=[booking.session_id])
    assert f'href="{agenda}#booking-{booking.pk}"' in page  # keep it: back to the agenda

    response = adviser_client.post(url, {"reason": "Rådgivaren är sjuk"})
    assert response.status_code == 302
    assert response.url == f"{agenda}#booking-{booking.pk}"
    booking.refresh_from_db()
    assert booking.status == Booking.CANCELLED
    assert booking.cancel_reason == "Rådgivaren är sjuk"
    assert booking.cancelled_by == adviser
    assert booking.slot.booked == 0
    assert booking.slot.available == 1
    assert BookingEvent.objects.filter(booking=booking, kind=BookingEvent.CANCELLED).exists()
    after = body(adviser_client.get(response.url))
    assert "The booking of Anna Andersson is cancelled." in after
    assert "Rådgivaren är sjuk" in after[after.index('id="cancelled-heading"') :]

    again = adviser_client.post(url, {"reason": "Igen"})
    assert again.status_code == 409
    assert "already cancelled" in body(again)
    shown = adviser_client.get(url)
    assert shown.status_code == 409
    assert "already cancelled" in body(shown) and 'name="reason"' not in body(shown)
    booking.refresh_from_db()
    assert booking.cancel_reason == "Rådgivaren är sjuk"


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{"reason": "   "}, {}, {"reason": "x" * 2001}])
def test_cancelling_a_booking_needs_a_reason(adviser_client, booking, data):
    response = adviser_client.post(reverse("advisers:booking_cancel", args=[booking.pk]), data)
    assert response.status_code == 400
    page = body(response)
    assert 'id="cancel-reason_error"' in page and 'aria-invalid="true"' in page
    if not data.get("reason", "").strip():
        assert "Give a reason" in page
    booking.refresh_from_db()
    assert booking.status == Booking.ACTIVE


@pytest.mark.django_db
def test_a_cancelled_booking_cannot_be_marked(adviser_client, booking, adviser):
    booking_cancel(booking=booking, actor=adviser, reason="x", by_adviser=True, now=NOW)
    url = reverse("advisers:booking_edit", args=[booking.pk])
    response = adviser_client.post(url, {"attendance": "no_show", "initial-attendance": "unknown"})
    assert response.status_code == 409
    assert "This booking is already cancelled." in body(response)
    assert adviser_client.get(url).status_code == 409
    # From a row the agenda showed before: htmx swaps no 409, so the browser goes there.
    from_row = adviser_client.get(url, headers={"HX-Request": "true"})
    assert (from_row.status_code, from_row["HX-Redirect"]) == (200, url)
    booking.refresh_from_db()
    assert booking.attendance == Booking.UNKNOWN


# Changing the session ---------------------------------------------------------------


@pytest.mark.django_db
def test_cancelling_and_reinstating_a_session(adviser_client, session, booking):
    response = adviser_client.post(
        reverse("advisers:session_cancel", args=[session.pk]), {"reason": "Personaldag"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    booking.refresh_from_db()
    assert (session.status, session.cancel_reason) == (Session.CANCELLED, "Personaldag")
    assert (booking.status, booking.cancel_reason) == (Booking.CANCELLED, "Personaldag")
    page = body(adviser_client.get(response.url))
    assert "Personaldag" in page
    assert reverse("advisers:session_reinstate", args=[session.pk]) in page

    twice = adviser_client.post(
        reverse("advisers:session_cancel", args=[session.pk]), {"reason": "Igen"}
    )
    assert twice.status_code == 409
    session.refresh_from_db()
    assert session.cancel_reason == "Personaldag"

    response = adviser_client.post(reverse("advisers:session_reinstate", args=[session.pk]))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.cancel_reason, session.reinstated) == (
        Session.SCHEDULED,
        "",
        True,
    )
    again = adviser_client.post(reverse("advisers:session_reinstate", args=[session.pk]))
    assert again.status_code == 409


@pytest.mark.django_db
def test_cancelling_a_session_needs_a_reason(adviser_client, session, booking):
    response = adviser_client.post(reverse("advisers:session_cancel", args=[session.pk]), {})
    assert response.status_code == 400
    assert "Give a reason" in body(response)
    session.refresh_from_db()
    assert session.status == Session.SCHEDULED


@pytest.mark.django_db
def test_moving_a_session_moves_its_bookings(adviser_client, session, booking):
    url = reverse("advisers:session_move", args=[session.pk])
    form = body(adviser_client.get(url))
    assert 'value="2026-02-05"' in form and 'value="10:00"' in form
    assert 'value="Rum 101"' in form

    response = adviser_client.post(
        url,
        {
            "date": "2026-02-06",
            "start_time": "13:30",
            "location": "Aulan",
            "meeting_url": "https://meet.example.se/fragestund",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    booking.refresh_from_db()
    assert session.starts_at == datetime(2026, 2, 6, 13, 30, tzinfo=STOCKHOLM)
    assert session.location == "Aulan"
    assert session.moved
    assert booking.status == Booking.ACTIVE
    assert booking.slot.starts_at == datetime(2026, 2, 6, 13, 30, tzinfo=STOCKHOLM)
    assert BookingEvent.objects.filter(booking=booking, kind=BookingEvent.MOVED).exists()
    assert "is moved" in body(adviser_client.get(response.url))


@pytest.mark.django_db
def test_moving_only_the_place_keeps_the_time(adviser_client, session, booking):
    before = session.starts_at
    response = adviser_client.post(
        reverse("advisers:session_move", args=[session.pk]),
        {
            "date": "2026-02-05",
            "start_time": "10:00",
            "location": "Aulan",
            "meeting_url": "https://meet.example.se/fragestund",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    booking.refresh_from_db()
    assert (session.starts_at, session.location) == (before, "Aulan")
    assert session.meeting_url == "https://meet.example.se/fragestund"
    assert booking.slot.starts_at == before


@pytest.mark.django_db
def test_moving_nothing_changes_nothing(adviser_client, session):
    response = adviser_client.post(
        reverse("advisers:session_move", args=[session.pk]),
        {
            "date": "2026-02-05",
            "start_time": "10:00",
            "location": "Rum 101",
            "meeting_url": "https://meet.example.se/fragestund",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert not session.moved
    assert "Nothing was changed." in body(adviser_client.get(response.url))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "date,start_time",
    [("2026-02-31", "10:00"), ("not a date", "10:00"), ("2026-02-06", "25:99"), ("", "")],
)
def test_a_bad_move_is_a_400_that_keeps_the_input(adviser_client, session, date, start_time):
    response = adviser_client.post(
        reverse("advisers:session_move", args=[session.pk]),
        {"date": date, "start_time": start_time, "location": "Aulan typed", "meeting_url": ""},
    )
    assert response.status_code == 400
    page = body(response)
    assert 'class="errors"' in page
    assert f'value="{date}"' in page or not date
    assert 'value="Aulan typed"' in page
    session.refresh_from_db()
    assert (session.location, session.moved) == ("Rum 101", False)


@pytest.mark.django_db
def test_a_session_cannot_be_moved_into_the_past(adviser_client, session):
    response = adviser_client.post(
        reverse("advisers:session_move", args=[session.pk]),
        {"date": "2026-02-01", "start_time": "10:00", "location": "Rum 101", "meeting_url": ""},
    )
    assert response.status_code == 400
    assert "must be in the future" in body(response)


# The weekly schedule ----------------------------------------------------------------


@pytest.mark.django_db
def test_creating_a_series_schedules_its_sessions(adviser_client, adviser, employee):
    response = adviser_client.post(
        reverse("advisers:series_create"),
        series_form_data(advisers=[adviser.pk], reminder_offsets="1, 24, 0.5"),
    )
    assert response.status_code == 302
    assert response.url == reverse("advisers:series_list")
    series = Series.objects.get(title="Tisdagsfrågor")
    assert series.holiday_country == "SE"
    assert series.reminder_offsets == [1440, 60, 30]
    assert list(series.advisers.all()) == [adviser]
    assert series.sessions.count() == 4  # this week and three ahead
    first = series.sessions.order_by("starts_at").first()
    assert first.starts_at == datetime(2026, 2, 3, 14, 0, tzinfo=STOCKHOLM)
    assert first.slots.count() == 3
    listing = body(adviser_client.get(response.url))
    assert "Tisdagsfrågor" in listing and "Rut Rådgivare" in listing


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"duration_minutes": "50", "slot_minutes": "15"}, "duration_minutes"),
        ({"slot_minutes": "4", "duration_minutes": "60"}, "slot_minutes"),
        ({"duration_minutes": "0"}, "duration_minutes"),
        ({"seats_per_slot": "0"}, "seats_per_slot"),
        ({"holiday_country": "XX"}, "holiday_country"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"weekday": "9"}, "weekday"),
        ({"start_time": "kl tio"}, "start_time"),
        ({"title": ""}, "title"),
        ({"reminder_offsets": "en dag"}, "reminder_offsets"),
        ({"reminder_offsets": "0"}, "reminder_offsets"),
        ({"reminder_offsets": "1, 2, 3, 4, 5, 6"}, "reminder_offsets"),
    ],
)
def test_an_invalid_series_is_a_400(adviser_client, overrides, field):
    data = series_form_data(**overrides)
    response = adviser_client.post(reverse("advisers:series_create"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Series.objects.count() == 0
    assert 'value="Rum 5"' in body(response)  # what was typed is kept


@pytest.mark.django_db
def test_a_new_series_offers_reminders_a_day_and_an_hour_before(adviser_client):
    form = adviser_client.get(reverse("advisers:series_create")).context["form"]
    assert form["reminder_offsets"].value() == "24, 1"


@pytest.mark.django_db
def test_only_advisers_can_host_a_series(adviser_client, employee):
    response = adviser_client.post(
        reverse("advisers:series_create"), series_form_data(advisers=[employee.pk])
    )
    assert response.status_code == 400
    assert "advisers" in response.context["form"].errors
    page = body(adviser_client.get(reverse("advisers:series_create")))
    assert "rut@example.se" in page or "Rut Rådgivare" in page
    assert "anna@example.se" not in page and "Anna Andersson" not in page


@pytest.mark.django_db
def test_editing_a_series_changes_its_future_sessions(adviser_client, series, session, booking):
    url = reverse("advisers:series_edit", args=[series.pk])
    form = body(adviser_client.get(url))
    assert 'value="Frågestund"' in form and 'value="10:00"' in form
    data = series_form_data(
        title="Frågestund (ny)",
        weekday="3",
        start_time="11:00",
        slot_minutes="15",
        seats_per_slot="1",
        location="Rum 202",
        starts_on="2026-01-01",
        weeks_ahead="2",
    )
    response = adviser_client.post(url, data)
    assert response.status_code == 302
    series.refresh_from_db()
    session.refresh_from_db()
    booking.refresh_from_db()
    assert (series.title, series.location) == ("Frågestund (ny)", "Rum 202")
    assert session.location == "Rum 202"
    assert session.starts_at == datetime(2026, 2, 5, 11, 0, tzinfo=STOCKHOLM)
    assert booking.status == Booking.ACTIVE
    assert booking.slot.starts_at == session.starts_at

    bad = adviser_client.post(url, {**data, "duration_minutes": "50"})
    assert bad.status_code == 400
    series.refresh_from_db()
    assert series.duration_minutes == 60
    assert "Frågestund (ny)" in body(bad)


# Query counts -----------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)  # warm up: session, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


# The agenda's queries whatever its size: the five of every adviser page (session, user,
# verified address, the two permission queries), the session, its slots, their bookings
# with who booked, those people's questions, the cancelled bookings and the waitlist.
AGENDA_QUERIES = 11


@pytest.mark.django_db
def test_agenda_query_count_does_not_grow_with_bookings(
    adviser_client, adviser, django_assert_max_num_queries
):
    series = make_series(weeks_ahead=2, seats_per_slot=10)
    small, large = series.sessions.order_by("starts_at")[:2]
    crowd = people(41)
    for session in (small, large):  # one cancelled booking each
        gone = book(crowd[0], session, 0, note="Inställt")
        booking_cancel(booking=gone, actor=adviser, reason="x", by_adviser=True, now=NOW)
    for n, person in enumerate(crowd[:2]):
        book(person, small, n, note=f"Fråga {n}")
    # Every kind of row: questions, attendance marked, internal notes, a deleted user.
    for n, person in enumerate(crowd[:40]):
        booking = book(person, large, n % 4, note=f"Fråga {n}")
        if n % 3 == 0:
            question_create(author=person, title=f"Rubrik {n}", booking=booking)
        if n % 4 == 0:
            booking_set_attendance(booking=booking, attendance=Booking.ATTENDED)
        if n % 5 == 0:
            booking_set_adviser_note(booking=booking, note=f"Anteckning {n}")
    Booking.objects.filter(pk=booking.pk).update(user=None)
    waitlist_join(user=crowd[40], session_id=large.pk, note="Väntar", now=NOW)
    assert small.bookings.filter(status=Booking.ACTIVE).count() == 2
    assert large.bookings.filter(status=Booking.ACTIVE).count() == 40

    few = _queries(adviser_client, reverse("advisers:agenda", args=[small.pk]))
    url = reverse("advisers:agenda", args=[large.pk])
    adviser_client.get(url)  # warm up: session, caches
    with django_assert_max_num_queries(AGENDA_QUERIES):
        response = adviser_client.get(url)
    assert few == AGENDA_QUERIES
    table = _bookings_table(body(response))
    assert table.count('<tr id="booking-') == 40
    assert "Rubrik 0" in table and "Rubrik 39" in table  # the questions, not the notes
    assert "Fråga 1" in table and "Anteckning 35" in table and "attended" in table
    assert "a deleted user" in table


@pytest.mark.django_db
def test_session_list_query_count_does_not_grow_with_bookings(adviser_client, adviser):
    url = reverse("advisers:sessions")
    series = make_series(weeks_ahead=2, seats_per_slot=10)
    first = series.sessions.order_by("starts_at").first()
    crowd = people(42)
    for n, person in enumerate(crowd[:2]):
        book(person, first, n)
    few = _queries(adviser_client, url)

    for n, person in enumerate(crowd[2:40], start=2):
        book(person, first, n % 4)
    other = make_series(title="Andra serien", weeks_ahead=4, seats_per_slot=10)
    later = other.sessions.order_by("starts_at")[2]
    for person in crowd[:5]:
        book(person, later, 1)
    assert Booking.objects.filter(status=Booking.ACTIVE).count() == 45
    many = _queries(adviser_client, url)
    assert few == many
    assert many <= 10


@pytest.mark.django_db
def test_a_session_that_has_started_is_not_changed(client, adviser, session, booking):
    with time_machine.travel(datetime(2026, 2, 5, 9, 30, tzinfo=UTC), tick=False):
        client.force_login(adviser)
        agenda = body(client.get(reverse("advisers:agenda", args=[session.pk])))
        assert reverse("advisers:session_move", args=[session.pk]) not in agenda
        assert client.get(reverse("advisers:session_move", args=[session.pk])).status_code == 409
        cancel = client.post(
            reverse("advisers:session_cancel", args=[session.pk]), {"reason": "Sent"}
        )
        assert cancel.status_code == 409
        assert "already started" in body(cancel)
        # Attendance is what advisers mark once it has started.
        marked = _edit(client, booking, attendance="attended")
        assert marked.status_code == 302
    session.refresh_from_db()
    booking.refresh_from_db()
    assert (session.status, booking.status, booking.attendance) == (
        Session.SCHEDULED,
        Booking.ACTIVE,
        Booking.ATTENDED,
    )

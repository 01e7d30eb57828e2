"""The same limits in the forms as in the API; feeds and invitations that survive a bad row.

An adviser once moved a week to year 9999 through the move form, which took any
date, while the API refused it; after that the public series feed, invitations
and e-mails failed for everyone. Every date and number a form or the API takes
now passes one check (officehours/limits.py), and a row written around them
(here straight through the ORM) is left out of a feed, not fatal to it.
"""

from __future__ import annotations

import inspect
import logging
from datetime import UTC, date, datetime, timedelta

import pytest
from django import forms
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar
from ninja import Schema

import faq.forms
import officehours.accounts.forms
import officehours.booking.adviser_forms
import officehours.booking.api_schemas
import officehours.booking.forms
import officehours.insights.period
import officehours.privacy.views
import officehours.questions.adviser_forms
import officehours.questions.api
import officehours.questions.forms
from officehours import limits
from officehours.booking.adviser_forms import SeriesForm, SessionMoveForm
from officehours.booking.api_schemas import SeriesIn, SessionPatch
from officehours.booking.models import Booking, Session, Slot
from officehours.booking.services.bookings import booking_create
from officehours.notifications.digests import queue_due_digests
from officehours.notifications.tasks import send_due_notifications
from officehours.questions.adviser_forms import MergeForm
from officehours.questions.api import MergeIn
from tests.booking_factories import series_form_data, slot_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

FAR = datetime(9999, 12, 31, 21, 0, tzinfo=UTC)


def refusal(limit, value, language="sv") -> str:
    with translation.override(language), pytest.raises(limits.OutOfRange) as refused:
        limit.check(value)
    return str(refused.value)


def today() -> date:
    return timezone.now().date()


def move_form_data(session, day: str) -> dict[str, str]:
    return {
        "date": day,
        "start_time": "10:00",
        "location": session.location,
        "meeting_url": session.meeting_url,
    }


# The form and the API refuse the same values, with the same words


@pytest.mark.parametrize("day", ["9999-12-31", "far", "1999-12-31"])
def test_a_move_outside_the_window_is_refused_by_the_form_and_nothing_changes(
    adviser_client, session, day
):
    if day == "far":  # a day after the last one allowed: a limit from today, not a year
        day = (limits.DAY.last() + timedelta(days=1)).isoformat()
    before = Session.objects.filter(pk=session.pk).values().get()
    url = reverse("advisers:session_move", args=[session.pk])
    response = adviser_client.post(url, move_form_data(session, day))
    assert response.status_code == 400
    refused = refusal(limits.DAY, date.fromisoformat(day))
    assert response.context["form"].errors["date"] == [refused]
    assert refused in response.content.decode()
    assert Session.objects.filter(pk=session.pk).values().get() == before


@pytest.mark.parametrize("day", ["9999-12-31", "far"])
def test_the_api_refuses_the_same_move_with_the_same_words(adviser_client, session, day):
    if day == "far":
        day = (limits.DAY.last() + timedelta(days=1)).isoformat()
    before = Session.objects.filter(pk=session.pk).values().get()
    for body in ({"date": day}, {"starts_at": f"{day}T10:00:00+01:00"}):
        response = adviser_client.patch(
            f"/api/v1/sessions/{session.pk}", body, content_type="application/json"
        )
        assert response.status_code == 422, body
        [error] = response.json()["errors"]
        language = response.get("Content-Language", "sv")
        assert refusal(limits.DAY, date.fromisoformat(day), language) in error["message"]
    assert Session.objects.filter(pk=session.pk).values().get() == before


def test_the_last_day_allowed_is_allowed_by_both(adviser_client, session):
    last = limits.DAY.last().isoformat()
    form = SessionMoveForm(move_form_data(session, last), session=session)
    assert form.is_valid(), form.errors
    assert SessionPatch(date=limits.DAY.last()).date == limits.DAY.last()


def test_the_sessions_query_has_the_same_window(employee_client, series):
    response = employee_client.get("/api/v1/sessions", {"from": "9999-12-01"})
    assert response.status_code == 422
    language = response.get("Content-Language", "sv")
    assert response.json()["message"] == refusal(limits.DAY, date(9999, 12, 1), language)


def test_a_series_through_the_form_and_the_api_refuses_the_same_numbers(adviser_client):
    # 600 seats: the form once took up to 1000, the API up to 500.
    seats = refusal(limits.SEATS_PER_SLOT, 600)
    response = adviser_client.post(
        reverse("advisers:series_create"), series_form_data(seats_per_slot="600")
    )
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["seats_per_slot"] == [seats]
    body = {"title": "T", "weekday": 1, "start_time": "14:00", "seats_per_slot": 600}
    response = adviser_client.post("/api/v1/series", body, content_type="application/json")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["loc"][-1] == "seats_per_slot"
    language = response.get("Content-Language", "sv")
    assert refusal(limits.SEATS_PER_SLOT, 600, language) in error["message"]


# Every date and number field of the forms and the API input goes through a limit


FORM_MODULES = [
    officehours.insights.period,
    officehours.booking.forms,
    officehours.accounts.forms,
    officehours.privacy.views,
    officehours.booking.adviser_forms,
    officehours.questions.adviser_forms,
    officehours.questions.forms,
    faq.forms,
]
SCHEMA_MODULES = [officehours.booking.api_schemas, officehours.questions.api]
NUMBER_OR_DATE = (forms.IntegerField, forms.DateField, forms.DateTimeField)


def _form_fields(form_class, session) -> dict[str, forms.Field]:
    if form_class is SessionMoveForm:
        return SessionMoveForm(session=session).fields
    if form_class is SeriesForm:
        return SeriesForm().fields  # its limits are added per instance
    return form_class.base_fields


def _limit_of_form_field(field: forms.Field):
    found = [v for v in field.validators if isinstance(v, limits.Bounds | limits.DateWindow)]
    return found[0] if found else None


def _limit_of_schema_field(schema, name):
    found = [m for m in schema.model_fields[name].metadata if isinstance(m, limits._Limit)]
    if found:
        return found[0]
    # An optional field: the limit sits on the type inside `X | None`.
    for arg in getattr(schema.model_fields[name].annotation, "__args__", ()):
        for meta in getattr(arg, "__metadata__", ()):
            if isinstance(meta, limits._Limit):
                return meta
    return None


def test_every_date_and_number_a_form_takes_has_its_limit(session):
    missing = []
    for module in FORM_MODULES:
        for _name, form_class in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form_class, forms.BaseForm) or form_class.__module__ != (
                module.__name__
            ):
                continue
            for name, field in _form_fields(form_class, session).items():
                if isinstance(field, NUMBER_OR_DATE) and _limit_of_form_field(field) is None:
                    missing.append(f"{form_class.__name__}.{name}")
    assert missing == []


def test_every_date_and_number_the_api_takes_has_its_limit():
    missing = []
    for module in SCHEMA_MODULES:
        for _name, schema in inspect.getmembers(module, inspect.isclass):
            if not issubclass(schema, Schema) or not schema.__name__.endswith(("In", "Patch")):
                continue
            for name, info in schema.model_fields.items():
                text = str(info.annotation)
                if ("int" in text or "date" in text) and not _limit_of_schema_field(schema, name):
                    missing.append(f"{schema.__name__}.{name}")
    assert missing == []


@pytest.mark.parametrize(
    ("form_class", "form_field", "schema", "schema_field"),
    [
        (SessionMoveForm, "date", SessionPatch, "date"),
        (SessionMoveForm, "date", SessionPatch, "starts_at"),
        (SeriesForm, "starts_on", SessionPatch, "date"),
        (SeriesForm, "duration_minutes", SeriesIn, "duration_minutes"),
        (SeriesForm, "slot_minutes", SeriesIn, "slot_minutes"),
        (SeriesForm, "seats_per_slot", SeriesIn, "seats_per_slot"),
        (SeriesForm, "weeks_ahead", SeriesIn, "weeks_ahead"),
        (SeriesForm, "min_notice_minutes", SeriesIn, "min_notice_minutes"),
        (SeriesForm, "cancel_cutoff_minutes", SeriesIn, "cancel_cutoff_minutes"),
        (SeriesForm, "max_active_bookings", SeriesIn, "max_active_bookings"),
        (MergeForm, "into", MergeIn, "into_id"),
    ],
)
def test_the_form_and_the_api_use_the_same_limit(
    session, form_class, form_field, schema, schema_field
):
    form_limit = _limit_of_form_field(_form_fields(form_class, session)[form_field])
    assert form_limit is not None
    assert form_limit is _limit_of_schema_field(schema, schema_field)


@pytest.mark.parametrize(("hours", "minutes"), [("337", 337 * 60), ("1, 2, 3, 4, 5, 6", None)])
def test_reminders_have_the_same_limit_in_the_form_and_the_api(adviser_client, hours, minutes):
    form = SeriesForm(series_form_data(reminder_offsets=hours))
    assert not form.is_valid() and "reminder_offsets" in form.errors
    offsets = [minutes] if minutes else [60 * n for n in range(1, 7)]
    with pytest.raises(limits.OutOfRange):
        limits.REMINDERS.check(offsets)
    assert limits.REMINDERS in SeriesIn.model_fields["reminder_offsets"].metadata
    body = {"title": "T", "weekday": 1, "start_time": "14:00", "reminder_offsets": offsets}
    response = adviser_client.post("/api/v1/series", body, content_type="application/json")
    assert response.status_code == 422


# A row written around the limits is left out of a feed, not fatal to it


@pytest.fixture
def planted(series, employee, adviser):
    """Two bookings; the second week then moved to year 9999 straight in the database."""
    series.advisers.add(adviser)
    first, second = series.sessions.order_by("starts_at")[:2]
    good = booking_create(user=employee, slot_id=slot_at(first, 0).pk)
    bad = booking_create(user=employee, slot_id=slot_at(second, 0).pk)
    Session.objects.filter(pk=second.pk).update(
        starts_at=FAR, ends_at=FAR + timedelta(hours=1), moved=True
    )
    Slot.objects.filter(session=second).update(starts_at=FAR, ends_at=FAR + timedelta(minutes=15))
    return good, bad


def parsed(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    assert cal.get_missing_tzids() == set()
    return cal


def starts(cal: Calendar) -> list[datetime]:
    return [event.decoded("DTSTART") for event in cal.walk("VEVENT")]


def test_the_series_feed_leaves_out_the_bad_week(client, series, planted, caplog):
    with caplog.at_level(logging.ERROR, logger="officehours.calendars.ics"):
        cal = parsed(client.get(reverse("calendars:series", args=[series.pk])))
    assert all(start.year < 9999 for start in starts(cal))
    [master] = [e for e in cal.walk("VEVENT") if "RRULE" in e]
    good, _bad = planted
    regular = good.session.starts_at + timedelta(weeks=1)
    # Not shown at the regular time it no longer has.
    found = master.get("EXDATE", [])
    exdates = [d.dt for x in (found if isinstance(found, list) else [found]) for d in x.dts]
    assert regular in exdates
    assert "left out" in caplog.text


def test_the_personal_feeds_leave_out_the_bad_row(client, employee, adviser, planted):
    good, _bad = planted
    cal = parsed(client.get(reverse("calendars:bookings", args=[employee.calendar_token])))
    assert starts(cal) == [good.slot.starts_at]
    cal = parsed(client.get(reverse("calendars:sessions", args=[adviser.calendar_token])))
    assert good.session.starts_at in starts(cal)
    assert all(start.year < 9999 for start in starts(cal))


def test_the_other_invitations_still_work_and_the_bad_one_is_no_500(
    employee_client, planted, caplog
):
    good, bad = planted
    cal = parsed(employee_client.get(reverse("booking:invite", args=[good.pk])))
    assert starts(cal) == [good.slot.starts_at]
    response = employee_client.get(f"/api/v1/bookings/{good.pk}/invite.ics")
    assert starts(parsed(response)) == [good.slot.starts_at]
    with caplog.at_level(logging.ERROR):
        assert employee_client.get(reverse("booking:invite", args=[bad.pk])).status_code == 404
        assert employee_client.get(f"/api/v1/bookings/{bad.pk}/invite.ics").status_code == 404
    assert Booking.objects.filter(pk=bad.pk, status=Booking.ACTIVE).exists()


def test_an_outsider_still_gets_404_for_the_invitations(other_client, planted):
    good, bad = planted
    for booking in (good, bad):
        assert other_client.get(reverse("booking:invite", args=[booking.pk])).status_code == 404
        assert other_client.get(f"/api/v1/bookings/{booking.pk}/invite.ics").status_code == 404


def test_the_digest_leaves_out_the_bad_row(employee, other_employee, adviser, series, frozen_now):
    """The advisers' digest lists a session's bookings: one planted at the very end of
    year 9999 (no local time can show it) is left out, and the digest still goes."""
    series.advisers.add(adviser)
    session = series.sessions.order_by("starts_at").first()
    booking_create(user=employee, slot_id=slot_at(session, 0).pk)
    bad = booking_create(user=other_employee, slot_id=slot_at(session, 1).pk)
    end = datetime(9999, 12, 31, 23, 30, tzinfo=UTC)
    Slot.objects.filter(pk=bad.slot_id).update(starts_at=end, ends_at=end)
    frozen_now.move_to(session.starts_at - timedelta(hours=20))
    mail.outbox.clear()
    queue_due_digests()
    send_due_notifications()
    [digest] = [message for message in mail.outbox if adviser.email in message.to]
    assert "Anna Andersson" in digest.body and "Bo Berg" not in digest.body


@pytest.mark.parametrize("day", ["9999-12-27", "0001-01-01"])
def test_the_insights_period_has_the_same_window(adviser_client, day):
    """Its dates used to pass unchecked: year 9999 (or 1) overflowed, a 400 at best."""
    query = {"period": "custom", "start": day, "end": day}
    page = adviser_client.get(reverse("insights:page"), query)
    csv = adviser_client.get(reverse("insights:csv", args=["bookings"]), query)

    assert (page.status_code, csv.status_code) == (200, 200)  # the last 4 weeks instead
    assert refusal(limits.DAY, date.fromisoformat(day)) in page.content.decode()

"""The booking API: sessions, bookings, reschedule, waitlist and the advisers' schedule."""

import pytest

from officehours.booking.models import Booking, Series, Session, WaitlistEntry
from officehours.booking.services.bookings import booking_cancel, booking_create
from tests.booking_factories import slot_at
from tests.people import make_user

pytestmark = pytest.mark.usefixtures("frozen_now")


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.mark.django_db
def test_sessions_in_a_range(employee_client, series, session):
    response = employee_client.get("/api/v1/sessions", {"from": "2026-02-02", "to": "2026-02-08"})
    assert response.status_code == 200
    [one] = response.json()
    assert one["id"] == session.pk
    assert one["series_id"] == series.pk
    assert one["starts_at"] == "2026-02-05T10:00:00+01:00"
    assert one["ends_at"] == "2026-02-05T11:00:00+01:00"
    assert (one["status"], one["location"]) == ("scheduled", "Rum 101")
    assert [s["starts_at"][11:16] for s in one["slots"]] == ["10:00", "10:15", "10:30", "10:45"]
    assert one["slots"][0] == {
        "id": slot_at(session).pk,
        "starts_at": "2026-02-05T10:00:00+01:00",
        "ends_at": "2026-02-05T10:15:00+01:00",
        "capacity": 1,
        "available": 1,
    }


@pytest.mark.django_db
def test_sessions_show_availability_and_cancelled_holiday_weeks(employee_client, employee, session):
    booking_create(user=employee, slot_id=slot_at(session).pk)
    one = employee_client.get("/api/v1/sessions", {"from": "2026-02-05", "to": "2026-02-05"}).json()
    assert one[0]["slots"][0]["available"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"from": "yesterday"},
        {"from": "2026-02-31"},
        {"from": "2026-02-10", "to": "2026-02-01"},
        {"from": "2026-01-01", "to": "2028-01-01"},
    ],
)
def test_bad_ranges_are_422(employee_client, series, params):
    response = employee_client.get("/api/v1/sessions", params)
    assert response.status_code == 422
    assert response.json()["code"] in {"invalid", "invalid_range"}


@pytest.mark.django_db
def test_anonymous_callers_get_401(client, session):
    assert client.get("/api/v1/sessions").status_code == 401
    assert post(client, "/api/v1/bookings", {"slot_id": slot_at(session).pk}).status_code == 401


@pytest.mark.django_db
def test_book_list_get_cancel(employee_client, employee, session):
    slot = slot_at(session)
    response = post(
        employee_client, "/api/v1/bookings", {"slot_id": slot.pk, "note": "Får jag blogga?"}
    )
    assert response.status_code == 201
    booking = response.json()
    assert booking["slot_id"] == slot.pk
    assert (booking["status"], booking["note"]) == ("active", "Får jag blogga?")
    assert booking["starts_at"] == "2026-02-05T10:00:00+01:00"

    listed = employee_client.get("/api/v1/bookings").json()
    assert [b["id"] for b in listed] == [booking["id"]]
    one = employee_client.get(f"/api/v1/bookings/{booking['id']}")
    assert one.json()["id"] == booking["id"]

    cancelled = employee_client.delete(f"/api/v1/bookings/{booking['id']}")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert employee_client.get("/api/v1/bookings", {"status": "active"}).json() == []


@pytest.mark.django_db
def test_a_full_slot_is_409_slot_full(employee_client, other_employee, session):
    slot = slot_at(session)
    booking_create(user=other_employee, slot_id=slot.pk)
    response = post(employee_client, "/api/v1/bookings", {"slot_id": slot.pk})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "slot_full"
    assert body["message"]


@pytest.mark.django_db
def test_the_other_refusals_have_their_codes(employee_client, employee, adviser, series, session):
    booking_create(user=employee, slot_id=slot_at(session).pk)
    second = session.slots.get(position=1)
    assert (
        post(employee_client, "/api/v1/bookings", {"slot_id": second.pk}).json()["code"]
        == "limit_reached"
    )
    later = series.sessions.order_by("starts_at").last()
    response = post(employee_client, "/api/v1/bookings", {"slot_id": slot_at(later).pk})
    assert (response.status_code, response.json()["code"]) == (409, "not_open_yet")


@pytest.mark.django_db
def test_unknown_slot_and_bad_bodies(employee_client, session):
    assert post(employee_client, "/api/v1/bookings", {"slot_id": 999999}).status_code == 404
    assert post(employee_client, "/api/v1/bookings", {"slot_id": "x"}).status_code == 422
    assert post(employee_client, "/api/v1/bookings", {}).status_code == 422
    long_note = {"slot_id": slot_at(session).pk, "note": "x" * 4001}
    assert post(employee_client, "/api/v1/bookings", long_note).status_code == 422


@pytest.mark.django_db
def test_someone_elses_booking_is_404(employee_client, other_employee, session):
    theirs = booking_create(user=other_employee, slot_id=slot_at(session).pk)
    assert employee_client.get(f"/api/v1/bookings/{theirs.pk}").status_code == 404
    assert employee_client.delete(f"/api/v1/bookings/{theirs.pk}").status_code == 404
    response = post(employee_client, f"/api/v1/bookings/{theirs.pk}/reschedule", {"slot_id": 1})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Booking.ACTIVE


@pytest.mark.django_db
def test_reschedule(employee_client, employee, other_employee, session):
    mine = booking_create(user=employee, slot_id=slot_at(session).pk)
    taken = session.slots.get(position=1)
    booking_create(user=other_employee, slot_id=taken.pk)
    full = post(employee_client, f"/api/v1/bookings/{mine.pk}/reschedule", {"slot_id": taken.pk})
    assert (full.status_code, full.json()["code"]) == (409, "slot_full")
    free = session.slots.get(position=3)
    moved = post(employee_client, f"/api/v1/bookings/{mine.pk}/reschedule", {"slot_id": free.pk})
    assert moved.status_code == 200
    assert moved.json()["slot_id"] == free.pk
    assert moved.json()["id"] == mine.pk


@pytest.mark.django_db
def test_waitlist_join_and_leave(employee_client, employee, other_employee, session):
    for position, person in enumerate(
        [
            other_employee,
            make_user("c@example.se"),
            make_user("d@example.se"),
            make_user("e@example.se"),
        ]
    ):
        booking_create(user=person, slot_id=session.slots.get(position=position).pk)
    joined = post(employee_client, f"/api/v1/sessions/{session.pk}/waitlist", {"note": "TikTok?"})
    assert joined.status_code == 201
    assert joined.json()["status"] == "waiting"
    again = post(employee_client, f"/api/v1/sessions/{session.pk}/waitlist", {})
    assert (again.status_code, again.json()["code"]) == (409, "already_waiting")
    left = employee_client.delete(f"/api/v1/sessions/{session.pk}/waitlist")
    assert (left.status_code, left.json()["status"]) == (200, "left")
    gone = employee_client.delete(f"/api/v1/sessions/{session.pk}/waitlist")
    assert (gone.status_code, gone.json()["code"]) == (404, "not_waiting")
    assert employee_client.post("/api/v1/sessions/999999/waitlist").status_code == 404


@pytest.mark.django_db
def test_joining_a_session_with_free_seats_is_refused(employee_client, session):
    response = post(employee_client, f"/api/v1/sessions/{session.pk}/waitlist", {})
    assert (response.status_code, response.json()["code"]) == (409, "seats_available")


SERIES = {
    "title": "English question hour",
    "weekday": 1,
    "start_time": "14:00",
    "duration_minutes": 60,
    "slot_minutes": 10,
    "seats_per_slot": 2,
    "timezone": "Europe/Stockholm",
    "location": "Teams",
    "weeks_ahead": 3,
    "min_notice_minutes": 120,
    "max_active_bookings": 1,
}


@pytest.mark.django_db
def test_advisers_create_a_series_and_its_sessions(adviser_client, adviser):
    response = post(adviser_client, "/api/v1/series", SERIES)
    assert response.status_code == 201
    body = response.json()
    assert body["start_time"] == "14:00"
    assert len(body["sessions"]) == 4
    assert {s["starts_at"][11:16] for s in body["sessions"]} == {"14:00"}
    assert all(len(s["slots"]) == 6 for s in body["sessions"])
    assert all(slot["capacity"] == 2 for s in body["sessions"] for slot in s["slots"])
    assert list(Series.objects.get(pk=body["id"]).advisers.all()) == [adviser]
    assert body["reminder_offsets"] == [1440, 60]  # a day and an hour before, by default
    custom = post(
        adviser_client, "/api/v1/series", {**SERIES, "title": "B", "reminder_offsets": [30, 120]}
    )
    assert custom.json()["reminder_offsets"] == [120, 30]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"weekday": 7},
        {"start_time": "25:00"},
        {"start_time": "ten"},
        {"slot_minutes": 7},
        {"timezone": "Mars/Base"},
        {"seats_per_slot": 0},
        {"title": ""},
        {"reminder_offsets": [0]},
        {"reminder_offsets": [60] * 6},
        {"reminder_offsets": "24h"},
    ],
)
def test_bad_series_are_422(adviser_client, change):
    response = post(adviser_client, "/api/v1/series", {**SERIES, **change})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


@pytest.mark.django_db
def test_employees_cannot_manage_the_schedule(employee_client, session):
    assert post(employee_client, "/api/v1/series", SERIES).status_code == 403
    response = employee_client.patch(
        f"/api/v1/sessions/{session.pk}",
        {"status": "cancelled", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.status == Session.SCHEDULED


@pytest.mark.django_db
def test_advisers_cancel_reinstate_and_move_a_session(adviser_client, employee, session):
    booking = booking_create(user=employee, slot_id=slot_at(session).pk)
    url = f"/api/v1/sessions/{session.pk}"
    no_reason = adviser_client.patch(url, {"status": "cancelled"}, content_type="application/json")
    assert (no_reason.status_code, no_reason.json()["code"]) == (422, "reason_required")

    cancelled = adviser_client.patch(
        url, {"status": "cancelled", "reason": "Sjukdom"}, content_type="application/json"
    )
    assert cancelled.json()["status"] == "cancelled"
    booking.refresh_from_db()
    assert (booking.status, booking.cancel_reason) == ("cancelled", "Sjukdom")

    back = adviser_client.patch(url, {"status": "scheduled"}, content_type="application/json")
    assert back.json()["status"] == "scheduled"
    moved = adviser_client.patch(
        url, {"start_time": "13:30", "location": "Aulan"}, content_type="application/json"
    )
    assert moved.status_code == 200
    assert moved.json()["starts_at"] == "2026-02-05T13:30:00+01:00"
    assert moved.json()["location"] == "Aulan"
    past = adviser_client.patch(url, {"date": "2026-01-01"}, content_type="application/json")
    assert past.status_code == 422


@pytest.mark.django_db
def test_the_waitlist_offer_is_visible_in_the_api(
    employee_client, employee, other_employee, session
):
    session.slots.exclude(position=0).update(capacity=0, removed=True)
    theirs = booking_create(user=other_employee, slot_id=slot_at(session).pk)
    post(employee_client, f"/api/v1/sessions/{session.pk}/waitlist", {})
    booking_cancel(booking=theirs, actor=other_employee)
    entry = WaitlistEntry.objects.get(user=employee)
    assert entry.status == "offered"
    taken = post(employee_client, "/api/v1/bookings", {"slot_id": slot_at(session).pk})
    assert taken.status_code == 201


@pytest.mark.django_db
def test_session_list_query_count_does_not_grow(
    employee_client, series, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert len(employee_client.get("/api/v1/sessions").json()) == 3


@pytest.mark.django_db
def test_the_schema_lists_the_booking_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/sessions",
        "/api/v1/bookings",
        "/api/v1/bookings/{booking_id}",
        "/api/v1/bookings/{booking_id}/reschedule",
        "/api/v1/sessions/{session_id}/waitlist",
        "/api/v1/series",
        "/api/v1/sessions/{session_id}",
    ]:
        assert path in paths


ENDPOINTS = [
    ("get", "/api/v1/sessions"),
    ("get", "/api/v1/sessions/1"),
    ("patch", "/api/v1/sessions/1"),
    ("get", "/api/v1/bookings"),
    ("post", "/api/v1/bookings"),
    ("get", "/api/v1/bookings/1"),
    ("delete", "/api/v1/bookings/1"),
    ("post", "/api/v1/bookings/1/reschedule"),
    ("post", "/api/v1/sessions/1/waitlist"),
    ("delete", "/api/v1/sessions/1/waitlist"),
    ("post", "/api/v1/series"),
    ("get", "/api/v1/series/1"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("method,path", ENDPOINTS)
def test_every_booking_endpoint_refuses_visitors_and_unverified_users(client, method, path):
    response = getattr(client, method)(path, {}, content_type="application/json")
    assert response.status_code == 401
    client.force_login(make_user("new@example.se", verified=False))
    response = getattr(client, method)(path, {}, content_type="application/json")
    # Refused before the (empty, invalid) body is even looked at.
    assert response.status_code == 403
    assert response.json()["code"] == "email_unverified"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method,path", [("post", "/api/v1/series"), ("patch", "/api/v1/sessions/1")]
)
def test_adviser_endpoints_refuse_employees_before_reading_the_body(employee_client, method, path):
    response = getattr(employee_client, method)(path, {"junk": 1}, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")

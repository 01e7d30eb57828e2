"""The insights page: each figure against a hand-built data set with known answers."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from faq.models import Entry, SearchLog
from faq.services import deflection_record, entry_viewed, feedback_set
from officehours.booking.models import Booking
from officehours.booking.services.bookings import (
    booking_cancel,
    booking_create,
    booking_set_attendance,
)
from officehours.booking.services.waitlist import waitlist_join
from officehours.insights import figures
from officehours.insights.period import PeriodForm
from officehours.questions import services as questions
from officehours.questions.models import Topic
from officehours.questions.topics import topics_seed
from tests.booking_factories import make_series
from tests.faq_factories import make_entry
from tests.people import make_user

pytestmark = pytest.mark.django_db

# Monday 16 March 2026; summer time starts Sunday 29 March.
NOW = datetime(2026, 3, 16, 8, 0, tzinfo=UTC)
DST_PERIOD = {"period": "custom", "start": "2026-03-16", "end": "2026-04-05"}


def figure(page, key):
    return next(f for f, _svg in page.context["figures"] if f.key == key)


@pytest.fixture
def data(adviser, employee, other_employee):
    """Three Thursday hours (19 March, 26 March, 2 April: either side of the DST change),
    four 15-minute slots of one seat each."""
    topics_seed()
    people = [make_user(f"p{n}@example.se") for n in range(6)]
    with time_machine.travel(NOW, tick=False):
        series = make_series(weeks_ahead=3, starts_on=date(2026, 3, 1))
        sessions = list(series.sessions.order_by("starts_at"))
        assert [s.starts_at.date() for s in sessions][:3] == [
            date(2026, 3, 19),
            date(2026, 3, 26),
            date(2026, 4, 2),
        ]

        def slot(session, position):
            return session.slots.get(position=position).pk

        # Week of 16 March: 3 kept bookings (one no-show), 1 cancelled.
        kept = [booking_create(user=people[n], slot_id=slot(sessions[0], n)) for n in range(3)]
        gone = booking_create(user=people[3], slot_id=slot(sessions[0], 3))
        booking_cancel(booking=gone, actor=people[3])
        # Week of 30 March (after the change): full, and two people wait.
        for n in range(4):
            booking_create(user=people[n], slot_id=slot(sessions[2], n))
        waitlist_join(user=employee, session_id=sessions[2].pk)
        waitlist_join(user=other_employee, session_id=sessions[2].pk)

        topic = Topic.objects.get(slug="guidelines")
        crisis = Topic.objects.get(slug="crisis")
        asked = [
            questions.question_create(author=employee, title=f"Fråga {n}", body="", topic=topic)
            for n in range(3)
        ]
        questions.question_create(author=other_employee, title="Kris?", body="", topic=crisis)
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        questions.question_answer(question=asked[0], adviser=adviser, body="Svar")
    with time_machine.travel(NOW + timedelta(hours=6), tick=False):
        questions.question_answer(question=asked[1], adviser=adviser, body="Svar")
        questions.question_decline(question=asked[2], adviser=adviser, reason="Nej")
    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        booking_set_attendance(booking=kept[0], attendance=Booking.NO_SHOW)
        for query, results, opened in [
            ("policy", 3, True),
            ("policy", 3, False),
            ("tiktok", 0, False),
            ("linkedin", 1, True),
        ]:
            SearchLog.objects.create(
                query=query, language="sv", result_count=results, opened=opened
            )
        liked = make_entry("Om LinkedIn")
        disliked = make_entry("Om TikTok")
        for reader in range(3):
            entry_viewed(entry=liked, visitor=f"reader {reader}")
        entry_viewed(entry=disliked, visitor="reader 0")
        feedback_set(entry=liked, user=employee, helpful=True)
        feedback_set(entry=liked, user=other_employee, helpful=True)
        feedback_set(entry=disliked, user=employee, helpful=False)
        deflection_record(entry=liked, source="ask", visitor="reader 0")
        deflection_record(entry=liked, source="ask", visitor="reader 1")
        deflection_record(entry=disliked, source="booking", visitor="reader 0")
    return series


def test_bookings_against_capacity_per_local_week_across_daylight_saving(adviser_client, data):
    page = adviser_client.get(reverse("insights:page"), DST_PERIOD)
    assert page.status_code == 200
    assert figure(page, "bookings").rows == [
        (date(2026, 3, 16), 3, 4, 75),
        (date(2026, 3, 23), 0, 4, 0),
        (date(2026, 3, 30), 4, 4, 100),
    ]
    assert figure(page, "cancellations").rows == [
        (date(2026, 3, 16), 1, 1, 0),
        (date(2026, 3, 23), 0, 0, 0),
        (date(2026, 3, 30), 0, 0, 2),
    ]


def test_questions_by_topic_state_and_the_median_wait(adviser_client, data):
    page = adviser_client.get(reverse("insights:page"), DST_PERIOD)
    assert figure(page, "topics").rows == [("Riktlinjer och policy", 3), ("Kris", 1)]
    states = dict(figure(page, "states").rows)
    assert (states["Besvarad"], states["Avböjd"], states["Inskickad"]) == (2, 1, 1)
    assert page.context["median_hours"] == 4.0  # 2 h and 6 h
    assert "4,0 tim" in page.content.decode()


def test_faq_figures(adviser_client, data):
    page = adviser_client.get(reverse("insights:page"), DST_PERIOD)
    assert figure(page, "searches").rows[0] == (date(2026, 3, 16), 4, 25, 50)
    assert figure(page, "views").rows == [("Om LinkedIn", 3), ("Om TikTok", 1)]
    assert figure(page, "helpful").rows == [("Om LinkedIn", 2)]
    assert figure(page, "unhelpful").rows == [("Om TikTok", 1)]
    assert figure(page, "deflections").rows[0] == (date(2026, 3, 16), 2, 1)


def test_most_read_counts_the_reads_of_the_period_only(adviser_client, data):
    liked = Entry.objects.get(title="Om LinkedIn")
    # Read again after the period, and on the last evening in it (local time).
    with time_machine.travel(datetime(2026, 4, 6, 0, 30, tzinfo=UTC), tick=False):
        for reader in range(5):
            entry_viewed(entry=liked, visitor=f"reader {reader}")
    with time_machine.travel(datetime(2026, 4, 5, 21, 30, tzinfo=UTC), tick=False):
        entry_viewed(entry=liked, visitor="reader 3")  # 23:30 in Stockholm, 5 April: inside
    page = adviser_client.get(reverse("insights:page"), DST_PERIOD)
    assert figure(page, "views").rows == [("Om LinkedIn", 4), ("Om TikTok", 1)]
    later = adviser_client.get(
        reverse("insights:page"), {"period": "custom", "start": "2026-04-06", "end": "2026-04-12"}
    )
    assert figure(later, "views").rows == [("Om LinkedIn", 5)]


def test_the_series_filter(adviser_client, data):
    other = make_series(title="Engelska timmen", weekday=1)
    page = adviser_client.get(reverse("insights:page"), {**DST_PERIOD, "series": other.pk})
    assert all(row[1] == 0 for row in figure(page, "bookings").rows)


def test_an_empty_period_shows_nothing_but_fails_nowhere(adviser_client, data):
    page = adviser_client.get(
        reverse("insights:page"), {"period": "custom", "start": "2025-01-06", "end": "2025-01-19"}
    )
    assert page.status_code == 200
    assert all(f.empty for f, _svg in page.context["figures"])
    assert page.context["median_hours"] is None
    assert "Inget under den här perioden." in page.content.decode()


def test_every_csv_matches_the_page(adviser_client, data):
    page = adviser_client.get(reverse("insights:page"), DST_PERIOD)
    for shown, _svg in page.context["figures"]:
        response = adviser_client.get(reverse("insights:csv", args=[shown.key]), DST_PERIOD)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == shown.columns
        expected = [
            [value.isoformat() if hasattr(value, "isoformat") else str(value) for value in row]
            for row in shown.rows
        ]
        assert rows[1:] == expected, shown.key
    assert adviser_client.get(reverse("insights:csv", args=["nothing"])).status_code == 404


def test_charts_are_accessible_svg_with_the_numbers_beside(adviser_client, data):
    html = adviser_client.get(reverse("insights:page"), DST_PERIOD).content.decode()
    assert html.count('<svg class="chart"') >= 5
    assert 'role="img"' in html and 'aria-labelledby="bookings-title bookings-desc"' in html
    assert "<table>" in html and "<script" not in html.split("<main", 1)[1]


def test_no_personal_data_on_the_page(adviser_client, data, employee):
    html = adviser_client.get(reverse("insights:page"), DST_PERIOD).content.decode()
    for secret in (employee.email, employee.name, "p0@example.se", "Fråga 0"):
        assert secret not in html


def test_only_advisers(client, employee, data):
    urls = [reverse("insights:page"), reverse("insights:csv", args=["bookings"])]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(employee)
    for url in urls:
        assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {"period": "custom"},
        {"period": "custom", "start": "2026-04-05", "end": "2026-03-01"},
        {"period": "custom", "start": "2020-01-01", "end": "2026-01-01"},
        {"period": "nonsense", "series": "-4"},
        {"series": "99999999999999999999"},
    ],
)
def test_odd_periods_fall_back_with_a_message(adviser_client, params):
    assert adviser_client.get(reverse("insights:page"), params).status_code == 200


def test_the_default_period_is_the_last_four_whole_weeks():
    chosen = PeriodForm().chosen(today=date(2026, 3, 18))
    assert (chosen.first_day, chosen.last_day) == (date(2026, 2, 23), date(2026, 3, 22))
    assert len(chosen.weeks()) == 4


def test_the_query_count_does_not_grow_with_the_data(
    adviser_client, data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        year = adviser_client.get(reverse("insights:page"), {"period": "year"})
    with django_assert_max_num_queries(20):
        weeks = adviser_client.get(reverse("insights:page"), DST_PERIOD)
    assert year.status_code == weeks.status_code == 200
    assert not figure(weeks, "bookings").empty


def test_every_figure_is_one_or_two_aggregate_queries(data, django_assert_max_num_queries):
    period = PeriodForm(DST_PERIOD).chosen()
    with django_assert_max_num_queries(14):
        shown = figures.all_figures(period)
    with django_assert_max_num_queries(2):
        median = figures.median_hours_to_answer(period, None)
    assert shown and not all(f.empty for f in shown)
    assert median is not None

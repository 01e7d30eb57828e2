"""Titles and names are one line where they come in, in the forms and the API alike.

They end up in e-mail subjects and calendar invitations, where a line break
cannot go: it is collapsed to a space (officehours/text.py), so nothing typed is
lost. Bodies and descriptions keep theirs.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from officehours.accounts.models import User
from officehours.booking.models import Series
from officehours.questions import services as questions
from officehours.questions.models import Question
from officehours.text import one_line
from tests.booking_factories import series_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.mark.parametrize(
    "typed,kept",
    [
        ("Får jag?\nOch du?", "Får jag? Och du?"),
        ("Får jag? \r\n\r\n  Och du?", "Får jag? Och du?"),
        ("1\r2\x0b3\x0c4\x1c5\x1d6\x1e7\x858\u20289\u202910", "1 2 3 4 5 6 7 8 9 10"),
        ("Sista radbrytningen\n", "Sista radbrytningen"),
        ("Orörd,  två mellanslag\toch tabb", "Orörd,  två mellanslag\toch tabb"),
    ],
)
def test_every_kind_of_line_break_becomes_one_space(typed, kept):
    assert one_line(typed) == kept
    assert "\n" not in one_line(typed) and "\r" not in one_line(typed)


# Questions


def test_a_question_asked_on_the_page_has_a_one_line_title(employee_client):
    response = employee_client.post(
        reverse("questions:ask"),
        {"title": "Policyn för TikTok?\r\nOch för Instagram?", "body": "Rad ett\r\nRad två"},
    )
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.title == "Policyn för TikTok? Och för Instagram?"
    assert question.body == "Rad ett\r\nRad två"  # the details keep their lines


def test_an_edited_question_has_a_one_line_title(employee_client, employee):
    question = questions.question_create(author=employee, title="Första", body="")
    employee_client.post(
        reverse("questions:edit", args=[question.pk]), {"title": "Bättre\ntitel", "body": ""}
    )
    question.refresh_from_db()
    assert question.title == "Bättre titel"


def test_a_question_asked_through_the_api_has_a_one_line_title(employee_client):
    response = post_json(
        employee_client, "/api/v1/questions", {"title": "Journalist ringde\nvad säger jag?"}
    )
    assert response.status_code == 201
    assert response.json()["title"] == "Journalist ringde vad säger jag?"
    assert Question.objects.get().title == "Journalist ringde vad säger jag?"


def test_a_title_of_line_breaks_alone_is_refused(employee_client):
    response = post_json(employee_client, "/api/v1/questions", {"title": "\n\r\n"})
    assert response.status_code == 422
    page = employee_client.post(reverse("questions:ask"), {"title": "\r\n\r\n", "body": ""})
    assert page.status_code == 400
    assert not Question.objects.exists()


# Series


def test_a_series_made_on_the_advisers_page_has_a_one_line_title(adviser_client, adviser):
    response = adviser_client.post(
        reverse("advisers:series_create"),
        series_form_data(
            advisers=[adviser.pk],
            reminder_offsets="24, 1",
            title="Tisdagsfrågor\r\nmed Rut",
            description="Ett\r\nTvå",
        ),
    )
    assert response.status_code == 302
    series = Series.objects.get()
    assert (series.title, series.description) == ("Tisdagsfrågor med Rut", "Ett\r\nTvå")


def test_a_series_made_through_the_api_has_a_one_line_title(adviser_client):
    response = post_json(
        adviser_client,
        "/api/v1/series",
        {"title": "English\nquestion hour", "weekday": 1, "start_time": "14:00"},
    )
    assert response.status_code == 201
    assert response.json()["title"] == "English question hour"
    assert Series.objects.get().title == "English question hour"


# Names


def test_a_name_on_the_profile_is_one_line(employee_client, employee):
    employee_client.post(
        "/profile/",
        {"name": "Anna\r\nAndersson", "language": "sv", "time_zone": "Europe/Stockholm"},
    )
    employee.refresh_from_db()
    assert employee.name == "Anna Andersson"


def test_a_name_given_at_sign_up_is_one_line(client):
    response = client.post(
        reverse("account_signup"),
        {
            "name": "Cecilia\nCarlsson",
            "email": "cecilia@example.se",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="cecilia@example.se").name == "Cecilia Carlsson"

"""The live hour (issue 20): asking, voting and answering during the session itself.

The standard session (tests/conftest.py) is Thursday 5 February 2026, 10:00-11:00 in
Stockholm (09:00-10:00 UTC): its live hour opens at 09:45 local time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client

from faq.models import Entry
from officehours.accounts.tokens import api_token_create
from officehours.booking.models import Series, Session
from officehours.booking.services.bookings import booking_cancel, booking_create
from officehours.booking.services.sessions import session_cancel
from officehours.insights import figures
from officehours.insights.period import Period
from officehours.live import hour
from officehours.live.summaries import live_summaries_queue_due
from officehours.notifications import sending
from officehours.notifications.models import Notification
from officehours.questions.models import Question
from officehours.questions.services import question_answer, question_create, question_update
from tests.booking_factories import series_form_data
from tests.people import make_user

OPENS = datetime(2026, 2, 5, 8, 45, tzinfo=UTC)
DURING = datetime(2026, 2, 5, 9, 10, tzinfo=UTC)
ENDS = datetime(2026, 2, 5, 10, 0, tzinfo=UTC)


def live_url(session):
    return f"/api/v1/sessions/{session.pk}/live"


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def ask(client, session, auth, **payload):
    return client.post(
        f"{live_url(session)}/questions",
        {"title": "Får jag gilla kundens inlägg?", **payload},
        content_type="application/json",
        **auth,
    )


@pytest.fixture
def during(frozen_now):
    frozen_now.move_to(DURING)
    return frozen_now


@pytest.fixture
def people(db, employee, other_employee, adviser):
    return {
        "anna": bearer(employee),
        "bo": bearer(other_employee),
        "rut": bearer(adviser),
    }


def ids(response):
    return [q["id"] for q in response.json()["questions"]]


# --- the hour's window ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        (OPENS - timedelta(seconds=1), "upcoming"),
        (OPENS, "live"),
        (ENDS - timedelta(seconds=1), "live"),
        (ENDS, "ended"),
    ],
)
def test_the_hour_opens_fifteen_minutes_before_the_start_and_closes_at_the_end(
    frozen_now, session, people, client, moment, state
):
    frozen_now.move_to(moment)
    response = client.get(live_url(session), **people["anna"])
    assert response.status_code == 200
    assert response.json() == {
        "session_id": session.pk,
        "state": state,
        "now_answering": None,
        "questions": [],
    }


def test_asking_is_refused_before_the_hour_opens(frozen_now, session, people, client):
    frozen_now.move_to(OPENS - timedelta(minutes=1))
    response = ask(client, session, people["anna"])
    assert response.status_code == 409
    assert response.json()["code"] == "not_live"
    assert not Question.objects.exists()


def test_asking_is_refused_after_the_hour(frozen_now, session, people, client):
    frozen_now.move_to(ENDS)
    assert ask(client, session, people["anna"]).json()["code"] == "not_live"


def test_a_cancelled_session_has_no_live_hour(frozen_now, session, adviser, people, client):
    frozen_now.move_to(OPENS + timedelta(minutes=5))  # open, and not yet started
    session_cancel(session=session, actor=adviser, reason="Sjuk")
    response = ask(client, session, people["anna"])
    assert response.status_code == 409
    assert response.json()["code"] == "session_cancelled"


def test_an_unknown_session_is_404(during, people, client):
    assert client.get("/api/v1/sessions/999999/live", **people["anna"]).status_code == 404


# --- asking, approval, privacy --------------------------------------------------------


def test_a_live_question_waits_for_approval_and_only_its_author_sees_it(
    during, session, people, client
):
    response = ask(client, session, people["anna"], body="Från mitt privata konto.")
    assert response.status_code == 201
    question = response.json()
    assert question["state"] == "pending"
    assert question["mine"] is True
    assert question["votes"] == 0
    assert question["voted"] is False

    assert ids(client.get(live_url(session), **people["anna"])) == [question["id"]]
    assert ids(client.get(live_url(session), **people["bo"])) == []
    seen_by_adviser = client.get(live_url(session), **people["rut"]).json()["questions"]
    assert [(q["id"], q["state"], q["mine"]) for q in seen_by_adviser] == [
        (question["id"], "pending", False)
    ]

    approve = client.post(f"/api/v1/questions/{question['id']}/approve", **people["rut"])
    assert approve.status_code == 200
    seen_by_bo = client.get(live_url(session), **people["bo"]).json()["questions"]
    assert [(q["id"], q["state"], q["mine"]) for q in seen_by_bo] == [
        (question["id"], "open", False)
    ]


def test_without_approval_in_the_series_colleagues_see_it_at_once(during, session, people, client):
    session.series.live_approval = False
    session.series.save()
    question = ask(client, session, people["anna"]).json()
    assert question["state"] == "open"
    assert ids(client.get(live_url(session), **people["bo"])) == [question["id"]]


def test_a_private_live_question_never_shows_in_a_colleagues_list(during, session, people, client):
    question = ask(client, session, people["anna"], shared=False).json()
    client.post(f"/api/v1/questions/{question['id']}/approve", **people["rut"])
    client.post(f"/api/v1/questions/{question['id']}/now-answering", **people["rut"])

    seen_by_bo = client.get(live_url(session), **people["bo"]).json()
    assert seen_by_bo["questions"] == []
    assert seen_by_bo["now_answering"] is None
    assert client.get(f"/api/v1/questions/{question['id']}", **people["bo"]).status_code == 404
    assert ids(client.get(live_url(session), **people["anna"])) == [question["id"]]


def test_the_live_answer_never_names_who_asked(during, session, people, client, employee):
    question = ask(client, session, people["anna"]).json()
    client.post(f"/api/v1/questions/{question['id']}/approve", **people["rut"])
    body = client.get(live_url(session), **people["bo"]).content.decode()
    assert "Anna" not in body
    assert "anna@example.se" not in body


def test_a_question_asked_ahead_for_a_booking_is_one_of_the_hours(
    frozen_now, session, employee, other_employee, people, client
):
    slot = session.slots.order_by("position").first()
    booking = booking_create(user=employee, slot_id=slot.pk, note="")
    ahead = question_create(
        author=employee, title="Sparas kommentarer?", booking=booking, shared=True
    )
    frozen_now.move_to(DURING)
    seen = client.get(live_url(session), **people["bo"]).json()["questions"]
    assert [(q["id"], q["state"]) for q in seen] == [(ahead.pk, "open")]


@pytest.mark.parametrize(
    "payload",
    [
        {"title": ""},
        {"title": "   "},
        {"title": "x" * 201},
        {"shared": "yes"},
        {"body": "x" * 20001},
    ],
)
def test_bad_input_is_a_clear_4xx(during, session, people, client, payload):
    response = ask(client, session, people["anna"], **payload)
    assert response.status_code == 422
    assert response.json()["code"]
    assert not Question.objects.exists()


# --- votes and order ------------------------------------------------------------------


def test_questions_come_by_votes_then_by_age_and_each_person_votes_once(
    during, session, people, client, db
):
    session.series.live_approval = False
    session.series.save()
    first = ask(client, session, people["anna"], title="Först").json()["id"]
    during.shift(timedelta(seconds=5))
    second = ask(client, session, people["anna"], title="Sedan").json()["id"]
    during.shift(timedelta(seconds=5))
    third = ask(client, session, people["rut"], title="Sist").json()["id"]
    assert ids(client.get(live_url(session), **people["bo"])) == [first, second, third]

    for _ in range(3):  # once, however often
        vote = client.post(f"/api/v1/questions/{third}/me-too", **people["bo"])
        assert vote.status_code == 200
    client.post(f"/api/v1/questions/{second}/me-too", **people["rut"])
    client.post(f"/api/v1/questions/{third}/me-too", **people["anna"])

    seen = client.get(live_url(session), **people["bo"]).json()["questions"]
    assert [(q["id"], q["votes"], q["voted"]) for q in seen] == [
        (third, 2, True),
        (second, 1, False),
        (first, 0, False),
    ]


def test_nobody_votes_for_a_question_waiting_for_approval(during, session, people, client):
    question = ask(client, session, people["anna"]).json()["id"]
    response = client.post(f"/api/v1/questions/{question}/me-too", **people["bo"])
    assert response.status_code == 404
    assert Question.objects.get(pk=question).me_too_count == 0


# --- the advisers run the hour --------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("post", "now-answering", None),
        ("delete", "now-answering", None),
        ("post", "approve", None),
        ("post", "hide", {"reason": "Personuppgifter"}),
        ("post", "answer", {"body": "Ja."}),
    ],
)
def test_an_employee_calling_an_adviser_endpoint_gets_403(
    during, session, people, client, method, path, payload
):
    question = ask(client, session, people["anna"]).json()["id"]
    call = getattr(client, method)
    kwargs = {"content_type": "application/json"} if payload else {}
    response = call(f"/api/v1/questions/{question}/{path}", payload or {}, **kwargs, **people["bo"])
    assert response.status_code == 403
    assert Question.objects.get(pk=question).live_status == Question.LIVE_PENDING
    assert Session.objects.get(pk=session.pk).now_answering is None


def test_signed_out_callers_get_401(during, session, client):
    assert client.get(live_url(session)).status_code == 401
    assert (
        client.post(
            f"{live_url(session)}/questions", {}, content_type="application/json"
        ).status_code
        == 401
    )


def test_now_answering_is_shown_and_the_answer_ends_it(during, session, people, client):
    question = ask(client, session, people["anna"]).json()["id"]
    response = client.post(f"/api/v1/questions/{question}/now-answering", **people["rut"])
    assert response.status_code == 200
    assert response.json()["now_answering"] == question  # approved on the way

    seen = client.get(live_url(session), **people["bo"]).json()
    assert seen["now_answering"] == question
    assert [q["state"] for q in seen["questions"]] == ["answering"]

    answered = client.post(
        f"/api/v1/questions/{question}/answer",
        {"body": "Ja, men tänk på vem du representerar."},
        content_type="application/json",
        **people["rut"],
    )
    assert answered.status_code == 200
    seen = client.get(live_url(session), **people["bo"]).json()
    assert seen["now_answering"] is None
    assert [q["state"] for q in seen["questions"]] == ["answered"]


def test_now_answering_outside_the_hour_is_refused(frozen_now, session, people, client, employee):
    frozen_now.move_to(DURING)
    question = ask(client, session, people["anna"]).json()["id"]
    frozen_now.move_to(ENDS + timedelta(minutes=1))
    response = client.post(f"/api/v1/questions/{question}/now-answering", **people["rut"])
    assert response.status_code == 409
    assert response.json()["code"] == "not_live"


def test_a_question_of_no_hour_cannot_be_answered_now(during, employee, people, client):
    loose = question_create(author=employee, title="Utan timme", shared=True)
    response = client.post(f"/api/v1/questions/{loose.pk}/now-answering", **people["rut"])
    assert response.status_code == 409
    assert response.json()["code"] == "not_in_an_hour"


def test_a_hidden_question_leaves_colleagues_and_only_its_author_reads_why(
    during, session, people, client
):
    session.series.live_approval = False
    session.series.save()
    question = ask(client, session, people["anna"]).json()["id"]
    client.post(f"/api/v1/questions/{question}/now-answering", **people["rut"])
    response = client.post(
        f"/api/v1/questions/{question}/hide",
        {"reason": "Den handlar om en namngiven kollega."},
        content_type="application/json",
        **people["rut"],
    )
    assert response.status_code == 200
    assert response.json()["now_answering"] is None

    assert ids(client.get(live_url(session), **people["bo"])) == []
    assert client.post(f"/api/v1/questions/{question}/me-too", **people["bo"]).status_code == 404
    [mine] = client.get(live_url(session), **people["anna"]).json()["questions"]
    assert (mine["state"], mine["hidden_reason"]) == (
        "hidden",
        "Den handlar om en namngiven kollega.",
    )


def test_hiding_needs_a_reason(during, session, people, client):
    question = ask(client, session, people["anna"]).json()["id"]
    response = client.post(
        f"/api/v1/questions/{question}/hide",
        {"reason": " "},
        content_type="application/json",
        **people["rut"],
    )
    assert response.status_code == 422
    assert Question.objects.get(pk=question).live_status == Question.LIVE_PENDING


# --- polling --------------------------------------------------------------------------


def test_a_poll_is_204_until_something_changes(during, session, employee, people, client):
    client.force_login(employee)
    page = client.get(f"/live/{session.pk}/")
    assert page.status_code == 200
    token = f"{Session.objects.get(pk=session.pk).live_version}.live"
    assert f"?v={token}" in page.content.decode()

    assert client.get(f"/live/{session.pk}/poll/", {"v": token}).status_code == 204
    ask(Client(), session, people["bo"], shared=True)
    changed = client.get(f"/live/{session.pk}/poll/", {"v": token})
    assert changed.status_code == 200
    assert 'id="live-questions"' in changed.content.decode()


def test_a_poll_notices_the_hour_opening(frozen_now, session, employee, client):
    frozen_now.move_to(OPENS - timedelta(minutes=1))
    client.force_login(employee)
    token = f"{Session.objects.get(pk=session.pk).live_version}.upcoming"
    assert client.get(f"/live/{session.pk}/poll/", {"v": token}).status_code == 204
    frozen_now.move_to(OPENS)
    opened = client.get(f"/live/{session.pk}/poll/", {"v": token})
    assert opened.status_code == 200
    assert 'id="live-ask"' in opened.content.decode()  # the form arrives with the opening


def test_an_unchanged_poll_costs_a_fixed_few_queries(
    during, session, employee, client, django_assert_max_num_queries
):
    client.force_login(employee)
    token = f"{Session.objects.get(pk=session.pk).live_version}.live"
    with django_assert_max_num_queries(4):
        assert client.get(f"/live/{session.pk}/poll/", {"v": token}).status_code == 204


def test_the_page_costs_the_same_queries_with_many_questions(
    during, session, people, client, employee, django_assert_max_num_queries
):
    session.series.live_approval = False
    session.series.save()
    for number in range(15):
        ask(client, session, people["bo"], title=f"Fråga {number}")
    client.force_login(employee)
    with django_assert_max_num_queries(12):
        assert client.get(f"/live/{session.pk}/").status_code == 200


# --- pages without JavaScript, and who may use them -------------------------------------


def test_without_javascript_voting_posts_and_comes_back(
    during, session, people, client, other_employee
):
    session.series.live_approval = False
    session.series.save()
    question = ask(client, session, people["anna"]).json()["id"]
    client.force_login(other_employee)
    response = client.post(f"/live/{session.pk}/q/{question}/me-too/")
    assert response.status_code == 302
    assert response["Location"] == f"/live/{session.pk}/"
    assert Question.objects.get(pk=question).me_too_count == 1


def test_asking_on_the_page_keeps_what_was_typed_when_refused(
    frozen_now, session, employee, client
):
    frozen_now.move_to(OPENS - timedelta(minutes=1))
    client.force_login(employee)
    response = client.post(
        f"/live/{session.pk}/ask/", {"title": "Min fråga om Tiktok", "shared": "on"}
    )
    assert response.status_code == 409
    assert "Min fråga om Tiktok" in response.content.decode()


def test_the_page_and_its_parts_need_a_signed_in_employee(during, session, client):
    for path in ("", "poll/", "present/"):
        response = client.get(f"/live/{session.pk}/{path}")
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_an_employee_gets_403_from_the_advisers_buttons(
    during, session, people, client, other_employee
):
    question = ask(client, session, people["anna"]).json()["id"]
    client.force_login(other_employee)
    for path in ("approve/", "answering/", "answer/", "hide/"):
        assert (
            client.post(
                f"/live/{session.pk}/q/{question}/{path}", {"reason": "x", "body": "x"}
            ).status_code
            == 403
        )
    assert client.post(f"/live/{session.pk}/drafts/").status_code == 403
    assert client.post(f"/live/{session.pk}/summary/").status_code == 403
    assert Question.objects.get(pk=question).live_status == Question.LIVE_PENDING


def test_a_question_of_another_hour_is_404_on_this_ones_buttons(
    during, session, series, people, client, adviser
):
    question = ask(client, session, people["anna"]).json()["id"]
    other = series.sessions.exclude(pk=session.pk).first()
    client.force_login(adviser)
    assert client.post(f"/live/{other.pk}/q/{question}/approve/").status_code == 404


def test_the_presenter_view_shows_no_names_and_no_private_question(
    during, session, people, client, employee
):
    session.series.live_approval = False
    session.series.save()
    shared = ask(client, session, people["anna"], title="Delad fråga om Linkedin").json()["id"]
    ask(client, session, people["anna"], title="Privat fråga om lönen", shared=False)
    client.post(f"/api/v1/questions/{shared}/me-too", **people["bo"])
    client.force_login(employee)
    page = client.get(f"/live/{session.pk}/present/").content.decode()
    assert "Delad fråga om Linkedin" in page
    assert "Privat fråga om lönen" not in page
    assert "Anna" not in page.split('id="live-present"')[1]


# --- after the hour ----------------------------------------------------------------------


@pytest.fixture
def answered_hour(frozen_now, session, employee, other_employee, adviser, client):
    """Anna booked and asked two questions live (one shared, one private), Bo said
    "me too" to the shared one, and the adviser answered both during the hour."""
    slot = session.slots.order_by("position").first()
    booking_create(user=employee, slot_id=slot.pk, note="")
    frozen_now.move_to(DURING)
    session.series.live_approval = False
    session.series.save()
    auth = bearer(employee)
    shared = ask(client, session, auth, title="Får jag dela jobbinlägg privat?").json()["id"]
    private = ask(client, session, auth, title="Min chef skriver elakt", shared=False).json()["id"]
    client.post(f"/api/v1/questions/{shared}/me-too", **bearer(other_employee))
    for pk in (shared, private):
        question_answer(question=Question.objects.get(pk=pk), adviser=adviser, body=f"Svar {pk}.")
    mail.outbox.clear()
    return {"shared": shared, "private": private}


def _send_all():
    sending.send_due()


def test_answers_in_the_room_send_no_e_mail_each(answered_hour):
    assert not Notification.objects.filter(kind=Notification.QUESTION_ANSWERED).exists()


def test_after_the_hour_each_attendee_and_follower_gets_one_summary(
    answered_hour, frozen_now, session, employee, other_employee, settings
):
    frozen_now.move_to(ENDS + timedelta(minutes=settings.LIVE_SUMMARY_DELAY_MINUTES - 1))
    assert live_summaries_queue_due() == 0
    frozen_now.move_to(ENDS + timedelta(minutes=settings.LIVE_SUMMARY_DELAY_MINUTES))
    assert live_summaries_queue_due() == 2
    assert live_summaries_queue_due() == 0  # once per session
    _send_all()

    by_person = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_person) == ["anna@example.se", "bo@example.se"]
    anna, bo = by_person["anna@example.se"].body, by_person["bo@example.se"].body
    assert "Får jag dela jobbinlägg privat?" in anna and "Min chef skriver elakt" in anna
    assert "Får jag dela jobbinlägg privat?" in bo
    assert "Min chef skriver elakt" not in bo  # someone else's private question
    assert "Anna" not in bo


def test_the_summary_links_the_faq_entries_made_from_the_hour(
    answered_hour, frozen_now, session, adviser, client
):
    client.force_login(adviser)
    frozen_now.move_to(ENDS + timedelta(minutes=5))
    response = client.post(f"/live/{session.pk}/drafts/")
    assert response.status_code == 200
    entries = Entry.objects.order_by("pk")
    # The private question is left for the adviser to judge on its own page.
    assert [e.title for e in entries] == ["Får jag dela jobbinlägg privat?"]
    assert "Min chef skriver elakt" in response.content.decode()
    assert all(e.state == Entry.DRAFT for e in entries)
    client.post(f"/live/{session.pk}/drafts/")  # again: the same drafts
    assert Entry.objects.count() == 1

    entry = entries[0]
    entry.state = Entry.PUBLISHED
    entry.save()
    assert client.post(f"/live/{session.pk}/summary/").status_code == 302
    _send_all()
    bo = next(m for m in mail.outbox if m.to == ["bo@example.se"])
    assert f"/faq/{entry.slug}/" in bo.body


def test_a_summary_cannot_go_before_the_end_nor_twice(
    answered_hour, frozen_now, session, adviser, client
):
    client.force_login(adviser)
    client.post(f"/live/{session.pk}/summary/")
    assert not Notification.objects.filter(kind=Notification.LIVE_SUMMARY).exists()
    frozen_now.move_to(ENDS)
    client.post(f"/live/{session.pk}/summary/")
    client.post(f"/live/{session.pk}/summary/")
    assert Notification.objects.filter(kind=Notification.LIVE_SUMMARY).count() == 2


def test_an_hour_with_nothing_answered_sends_no_summary(frozen_now, session, employee, settings):
    slot = session.slots.order_by("position").first()
    booking_create(user=employee, slot_id=slot.pk, note="")
    frozen_now.move_to(ENDS + timedelta(minutes=settings.LIVE_SUMMARY_DELAY_MINUTES))
    assert live_summaries_queue_due() == 0


def test_the_hour_state_helpers_agree_with_the_api(session):
    assert hour.hour_state(session, OPENS - timedelta(seconds=1)) == hour.UPCOMING
    assert hour.hour_state(session, OPENS) == hour.LIVE
    assert hour.hour_state(session, ENDS) == hour.ENDED


# --- where the live page is reached from ---------------------------------------------------


def test_the_start_page_shows_the_hour_while_it_is_live(frozen_now, session, employee, client):
    client.force_login(employee)
    frozen_now.move_to(OPENS - timedelta(minutes=1))
    assert f"/live/{session.pk}/" not in client.get("/").content.decode()
    frozen_now.move_to(OPENS)
    assert f'href="/live/{session.pk}/"' in client.get("/").content.decode()


def test_the_booking_leads_to_its_live_hour(frozen_now, session, employee, client):
    slot = session.slots.order_by("position").first()
    booking = booking_create(user=employee, slot_id=slot.pk, note="")
    client.force_login(employee)
    assert (
        f'href="/live/{session.pk}/"'
        in client.get(f"/bookings/{booking.pk}/booked/").content.decode()
    )
    assert f'href="/live/{session.pk}/"' in client.get("/bookings/").content.decode()


def test_the_agenda_shows_the_short_link_and_its_qr_code(
    frozen_now, session, adviser, client, settings
):
    client.force_login(adviser)
    page = client.get(f"/advisers/sessions/{session.pk}/").content.decode()
    assert f"{settings.SITE_URL}/l/{session.pk}" in page
    assert 'src="data:image/svg+xml;base64,' in page
    assert client.get(f"/l/{session.pk}").headers["Location"] == f"/live/{session.pk}/"


def test_insights_count_live_questions_and_votes_per_session(answered_hour, adviser, client):
    period = Period(
        first_day=date(2026, 2, 2),
        last_day=date(2026, 2, 8),
        zone=ZoneInfo("Europe/Stockholm"),
    )
    [live] = [f for f in figures.all_figures(period) if f.key == "live"]
    assert live.rows == [(date(2026, 2, 5), 2, 1, 2)]
    client.force_login(adviser)
    assert client.get("/advisers/insights/").status_code == 200


def test_a_merged_duplicate_leaves_the_list_and_its_votes_move_to_the_kept_one(
    during, session, people, client, employee, other_employee, adviser
):
    session.series.live_approval = False
    session.series.save()
    kept = ask(client, session, people["anna"], title="Får jag gilla kundens inlägg?").json()["id"]
    duplicate = ask(client, session, people["rut"], title="Gilla kunders inlägg?").json()["id"]
    client.post(f"/api/v1/questions/{duplicate}/me-too", **people["bo"])
    merged = client.post(
        f"/api/v1/questions/{duplicate}/merge",
        {"into_id": kept},
        content_type="application/json",
        **people["rut"],
    )
    assert merged.status_code == 200
    seen = client.get(live_url(session), **people["bo"]).json()["questions"]
    assert [(q["id"], q["votes"], q["voted"]) for q in seen] == [(kept, 2, True)]


def test_an_unverified_account_gets_403_from_the_page_and_the_api(during, session, client):
    unverified = make_user("ny@example.se", verified=False)
    client.force_login(unverified)
    assert client.get(f"/live/{session.pk}/").status_code == 403
    assert client.get(live_url(session), **bearer(unverified)).status_code == 403
    response = ask(client, session, bearer(unverified))
    assert response.status_code == 403
    assert not Question.objects.exists()


def test_advisers_choose_whether_live_questions_wait_for_approval(frozen_now, adviser, client):
    auth = bearer(adviser)
    created = client.post(
        "/api/v1/series",
        {"title": "Utan godkännande", "weekday": 3, "start_time": "10:00", "live_approval": False},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201
    assert created.json()["live_approval"] is False
    assert Series.objects.get(pk=created.json()["id"]).live_approval is False

    client.force_login(adviser)
    client.post("/advisers/series/new/", series_form_data(title="Med godkännande"))
    assert Series.objects.get(title="Med godkännande").live_approval is True
    client.post("/advisers/series/new/", {**series_form_data(title="Utan"), "live_approval": ""})
    assert Series.objects.get(title="Utan").live_approval is False


def test_a_question_the_faq_already_has_is_left_out_of_the_drafts_not_a_500(
    answered_hour, frozen_now, session, adviser, client
):
    Entry.objects.create(
        title="Får jag dela jobbinlägg privat?", slug="finns", answer="Redan.", language="sv"
    )
    client.force_login(adviser)
    response = client.post(f"/live/{session.pk}/drafts/")
    assert response.status_code == 200
    assert (
        "finns redan" in response.content.decode() or "already exists" in response.content.decode()
    )
    assert Entry.objects.count() == 1


def test_a_hidden_question_tells_its_followers_nothing(
    during, session, people, client, adviser, settings
):
    session.series.live_approval = False
    session.series.save()
    question = ask(client, session, people["anna"]).json()["id"]
    client.post(f"/api/v1/questions/{question}/me-too", **people["bo"])
    client.post(
        f"/api/v1/questions/{question}/hide",
        {"reason": "Namnger en kollega."},
        content_type="application/json",
        **people["rut"],
    )
    question_answer(question=Question.objects.get(pk=question), adviser=adviser, body="Svar.")
    during.move_to(ENDS + timedelta(minutes=settings.LIVE_SUMMARY_DELAY_MINUTES))
    live_summaries_queue_due()
    _send_all()
    assert [m.to for m in mail.outbox] == [["anna@example.se"]]


def test_changed_words_are_approved_afresh(during, session, people, client, employee):
    question_id = ask(client, session, people["anna"]).json()["id"]
    client.post(f"/api/v1/questions/{question_id}/approve", **people["rut"])
    question_update(
        question=Question.objects.get(pk=question_id),
        title="Något helt annat",
        body="",
        topic=None,
        shared=True,
    )
    assert ids(client.get(live_url(session), **people["bo"])) == []
    assert Question.objects.get(pk=question_id).live_status == Question.LIVE_PENDING


def test_a_question_brought_to_a_booking_during_the_hour_waits_for_approval(
    frozen_now, session, employee, people, client
):
    slot = session.slots.order_by("position").first()
    booking = booking_create(user=employee, slot_id=slot.pk, note="")
    frozen_now.move_to(OPENS + timedelta(minutes=1))  # before the start: still askable
    late = question_create(author=employee, title="Sent inkommen", booking=booking, shared=True)
    assert late.live_status == Question.LIVE_PENDING
    assert ids(client.get(live_url(session), **people["bo"])) == []


def test_the_summary_tells_only_what_was_answered_during_the_hour(
    answered_hour, frozen_now, session, employee, adviser, settings
):
    frozen_now.move_to(ENDS + timedelta(minutes=1))
    later = question_create(author=employee, title="Efteråt", shared=True)
    Question.objects.filter(pk=later.pk).update(live_session=session, live_status="approved")
    question_answer(question=Question.objects.get(pk=later.pk), adviser=adviser, body="Sent svar.")
    _send_all()
    assert [m.subject for m in mail.outbox if "Efteråt" in m.subject]  # its own e-mail
    mail.outbox.clear()
    frozen_now.move_to(ENDS + timedelta(minutes=settings.LIVE_SUMMARY_DELAY_MINUTES))
    live_summaries_queue_due()
    _send_all()
    anna = next(m for m in mail.outbox if m.to == ["anna@example.se"])
    assert "Efteråt" not in anna.body


def test_publishing_before_the_summary_sends_no_second_e_mail(
    answered_hour, frozen_now, session, adviser, settings
):
    from faq.services import entry_from_question, entry_set_state

    frozen_now.move_to(ENDS + timedelta(minutes=5))
    entry = entry_from_question(
        question=Question.objects.get(pk=answered_hour["shared"]), adviser=adviser
    )
    entry_set_state(entry=entry, state=Entry.PUBLISHED, author=adviser)
    assert not Notification.objects.filter(kind=Notification.QUESTION_PUBLISHED).exists()
    frozen_now.move_to(ENDS + timedelta(minutes=settings.LIVE_SUMMARY_DELAY_MINUTES))
    live_summaries_queue_due()
    _send_all()
    bo = next(m for m in mail.outbox if m.to == ["bo@example.se"])
    assert f"/faq/{Entry.objects.get().slug}/" in bo.body


def test_now_answering_in_a_cancelled_session_is_refused(
    frozen_now, session, adviser, people, client
):
    frozen_now.move_to(OPENS + timedelta(minutes=1))
    question = ask(client, session, people["anna"]).json()["id"]
    version = Session.objects.get(pk=session.pk).live_version
    session_cancel(session=session, actor=adviser, reason="Sjuk")
    assert Session.objects.get(pk=session.pk).live_version > version  # open pages notice
    response = client.post(f"/api/v1/questions/{question}/now-answering", **people["rut"])
    assert response.status_code == 409
    assert response.json()["code"] == "session_cancelled"


def test_a_cancelled_booking_takes_its_questions_off_the_open_pages(
    frozen_now, session, employee, people, client
):
    slot = session.slots.order_by("position").first()
    booking = booking_create(user=employee, slot_id=slot.pk, note="")
    question_create(author=employee, title="Med bokningen", booking=booking, shared=True)
    version = Session.objects.get(pk=session.pk).live_version
    booking_cancel(booking=booking, actor=employee)
    assert Session.objects.get(pk=session.pk).live_version > version


def test_a_button_for_a_question_gone_meanwhile_says_so_in_place(
    during, session, people, client, other_employee
):
    session.series.live_approval = False
    session.series.save()
    question = ask(client, session, people["anna"]).json()["id"]
    client.post(
        f"/api/v1/questions/{question}/hide",
        {"reason": "x"},
        content_type="application/json",
        **people["rut"],
    )
    client.force_login(other_employee)
    htmx = client.post(f"/live/{session.pk}/q/{question}/me-too/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200  # htmx swaps only a 2xx: the message shows in the list
    assert "no longer in this hour" in htmx.content.decode()
    plain = client.post(f"/live/{session.pk}/q/{question}/me-too/")
    assert plain.status_code == 404
    assert "no longer in this hour" in plain.content.decode()


def test_merging_into_a_question_waiting_for_approval_is_refused(during, session, people, client):
    waiting = ask(client, session, people["anna"], title="Väntar").json()["id"]
    duplicate = ask(client, session, people["bo"], title="Dubblett").json()["id"]
    response = client.post(
        f"/api/v1/questions/{duplicate}/merge",
        {"into_id": waiting, "share_kept": True},
        content_type="application/json",
        **people["rut"],
    )
    assert response.status_code == 422
    assert response.json()["code"] == "merge_target_waiting"


def test_deleting_the_account_clears_the_reason_it_was_hidden(
    during, session, people, client, employee
):
    from officehours.privacy.services import user_delete

    session.series.live_approval = False
    session.series.save()
    question = ask(client, session, people["anna"]).json()["id"]
    client.post(f"/api/v1/questions/{question}/me-too", **people["bo"])
    client.post(
        f"/api/v1/questions/{question}/hide",
        {"reason": "Anna nämner sin chef"},
        content_type="application/json",
        **people["rut"],
    )
    user_delete(user=employee)
    assert Question.objects.get(pk=question).hidden_reason == ""

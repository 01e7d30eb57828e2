"""Answers before asking: suggestions while typing, the preview step, deflections."""

from __future__ import annotations

import pytest
from django.urls import reverse

from faq.models import Deflection
from faq.suggestions import suggestions_for
from officehours.booking.models import Booking
from officehours.questions.models import Question
from tests.faq_factories import make_entry

# Sessions and logins at one fixed moment.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

ASK = reverse("questions:ask")


@pytest.fixture
def entry(db):
    make_entry("Hur fungerar krisplanen?", "Ring kommunikationschefen först.")
    return make_entry(
        "Får jag dela chefens LinkedIn-inlägg från mitt privata konto?",
        "Ja, gärna. Tänk på att du syns som medarbetare.",
        tags=["linkedin"],
    )


def test_a_matching_question_gets_the_entry_and_an_unrelated_one_nothing(entry):
    found = suggestions_for("Kan jag dela inlägg om jobbet på LinkedIn från privata kontot?")
    assert found and found[0] == entry
    assert suggestions_for("Var ligger matsalen och när öppnar den?") == []
    assert suggestions_for("") == []
    assert suggestions_for("och att det som för") == []


@pytest.mark.parametrize("text", ['"', "-", "or or", "a" * 5000, "\x00", "(*:&|!)", "💥"])
def test_odd_text_never_fails(entry, text):
    assert suggestions_for(text) == []  # nothing in it asks about the entries


def test_suggestions_appear_while_typing(employee_client, entry):
    response = employee_client.get(
        reverse("faq:suggest"),
        {"title": "Dela LinkedIn-inlägg privat?", "body": "", "form": "ask-form"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and entry.title in html
    assert 'name="suggestions_seen"' in html and 'form="ask-form"' in html
    nothing = employee_client.get(reverse("faq:suggest"), {"title": "Matsalens öppettider"})
    assert nothing.content.decode().strip() == ""


def test_the_ask_page_asks_for_suggestions_as_you_type(employee_client):
    html = employee_client.get(ASK).content.decode()
    assert "/faq/suggest/" in html and "delay:500ms" in html


def test_without_javascript_a_preview_step_comes_before_sending(employee_client, entry):
    data = {"title": "Får jag dela LinkedIn-inlägg från privata kontot?", "body": "Chefens."}
    preview = employee_client.post(ASK, data)
    assert preview.status_code == 200 and not Question.objects.exists()
    html = preview.content.decode()
    assert entry.title in html and data["title"] in html  # what was typed is kept
    sent = employee_client.post(ASK, {**data, "suggestions_seen": "1"})
    assert sent.status_code == 302 and Question.objects.count() == 1


def test_no_preview_when_nothing_matches(employee_client, entry):
    response = employee_client.post(ASK, {"title": "Var ligger matsalen?", "body": ""})
    assert response.status_code == 302 and Question.objects.count() == 1


def test_this_answered_my_question_records_a_deflection_and_sends_nothing(
    employee_client, employee, entry
):
    response = employee_client.post(reverse("faq:deflect"), {"entry": entry.pk, "source": "ask"})
    assert response.status_code == 302
    assert response["Location"] == reverse("faq:detail", args=[entry.slug])
    deflection = Deflection.objects.get()
    assert (deflection.entry, deflection.source) == (entry, "ask")
    assert not Question.objects.exists()
    field_names = {field.name for field in Deflection._meta.get_fields()}
    assert "user" not in field_names


@pytest.mark.parametrize("entry_id", ["", "abc", "0", "99999999", "9" * 40])
def test_deflecting_an_unknown_entry_is_404(employee_client, entry, entry_id):
    response = employee_client.post(reverse("faq:deflect"), {"entry": entry_id})
    assert response.status_code == 404 and not Deflection.objects.exists()


def test_only_employees_suggest_and_deflect(client, entry):
    assert client.get(reverse("faq:suggest"), {"title": "linkedin"}).status_code == 302
    assert client.post(reverse("faq:deflect"), {"entry": entry.pk}).status_code == 302
    assert not Deflection.objects.exists()


def test_the_booking_step_offers_the_faq_first(employee_client, employee, entry, session):
    slot = session.slots.get(position=0)
    url = reverse("booking:book_slot", args=[slot.pk])
    note = "Får jag dela chefens LinkedIn-inlägg privat?"
    assert "/faq/suggest/" in employee_client.get(url).content.decode()
    preview = employee_client.post(url, {"note": note})
    assert preview.status_code == 200 and entry.title in preview.content.decode()
    assert note in preview.content.decode() and not Booking.objects.exists()
    booked = employee_client.post(url, {"note": note, "suggestions_seen": "1"})
    assert booked.status_code == 302 and Booking.objects.count() == 1
    employee_client.post(reverse("faq:deflect"), {"entry": entry.pk, "source": "booking"})
    assert Deflection.objects.get().source == "booking"


def test_suggestions_keep_their_query_count(employee_client, entry, django_assert_max_num_queries):
    for number in range(20):
        make_entry(f"Mer om LinkedIn {number}", "Dela inlägg klokt.", tags=["linkedin"])
    with django_assert_max_num_queries(10):
        response = employee_client.get(
            reverse("faq:suggest"), {"title": "Dela LinkedIn-inlägg privat?"}
        )
    assert response.status_code == 200 and entry.title in response.content.decode()

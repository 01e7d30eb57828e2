"""Deleting an account takes away the person, never what others asked or follow; and a
merge never lets anyone read a private question its author did not share (issue 18)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from officehours.booking.models import WaitlistEntry
from officehours.booking.services.bookings import booking_create
from officehours.booking.services.waitlist import waitlist_join, waitlist_leave
from officehours.insights import figures
from officehours.insights.period import PeriodForm
from officehours.privacy.services import retention_apply, user_delete
from officehours.questions import services
from officehours.questions.models import MeToo, Question, QuestionEvent
from tests.people import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def ask(user, title, **kwargs):
    return services.question_create(author=user, title=title, **kwargs)


@pytest.fixture
def dave(db):
    return make_user("dave@example.se", name="Dave Dahl")


@pytest.fixture
def fia(db):
    return make_user("fia@example.se", name="Fia Fors")


@pytest.fixture
def fia_client(client, fia):
    client.force_login(fia)
    return client


def legacy_merge(question, into):
    """A merge as it was made before the rule: into a private question, followers moved."""
    people = {*question.me_toos.values_list("user_id", flat=True), question.author_id}
    for pk in people - {into.author_id}:
        MeToo.objects.create(question=into, user_id=pk)
    question.me_toos.all().delete()
    Question.objects.filter(pk=question.pk).update(state=Question.MERGED, merged_into=into)
    Question.objects.filter(pk=into.pk).update(me_too_count=into.me_toos.count())


# Deleting an account ------------------------------------------------------------------


def test_a_question_others_were_merged_into_stays_readable_without_its_author(
    dave, fia, fia_client, other_employee, adviser
):
    daves = ask(dave, "Får jag filma på kontoret?", body="Jag, Dave på plan 3, undrar", shared=True)
    fias = ask(fia, "Filma på jobbet?", shared=True)
    services.me_too_add(question=fias, user=other_employee)
    services.question_merge(question=fias, into=daves, adviser=adviser)
    user_delete(user=dave)
    daves.refresh_from_db()
    assert daves.author_id is None
    assert (daves.state, daves.title) == (Question.SUBMITTED, "Får jag filma på kontoret?")
    page = fia_client.get(reverse("questions:detail", args=[daves.pk]))
    assert page.status_code == 200
    assert "Får jag filma på kontoret?" in page.content.decode()
    # Still open: the comms team can answer it, and those who follow it hear.
    services.question_answer(question=daves, adviser=adviser, body="Ja, med samtycke.")
    told = set(QuestionEvent.objects.filter(question=daves).values_list("user_id", flat=True))
    assert told == {fia.pk, other_employee.pk}


def test_a_private_question_merged_into_before_the_rule_keeps_its_title_not_its_body(
    dave, fia, fia_client, adviser
):
    daves = ask(dave, "Får jag filma på kontoret?", body="Jag, Dave på plan 3, undrar")
    fias = ask(fia, "Filma på jobbet?", shared=True)
    legacy_merge(fias, daves)
    services.question_answer(question=daves, adviser=adviser, body="Ja, med samtycke.")
    user_delete(user=dave)
    daves.refresh_from_db()
    assert (daves.author_id, daves.title, daves.body) == (None, "Får jag filma på kontoret?", "")
    assert daves.answer == "Ja, med samtycke."
    page = fia_client.get(reverse("questions:detail", args=[daves.pk]))
    assert page.status_code == 200
    assert "Ja, med samtycke." in page.content.decode()


def test_an_open_shared_question_someone_follows_stays_open_for_them(dave, fia, fia_client):
    daves = ask(dave, "Får jag filma på kontoret?", body="Detaljer", shared=True)
    services.me_too_add(question=daves, user=fia)
    user_delete(user=dave)
    daves.refresh_from_db()
    assert (daves.author_id, daves.state, daves.title, daves.body) == (
        None,
        Question.SUBMITTED,
        "Får jag filma på kontoret?",
        "Detaljer",
    )
    assert daves.me_too_count == 1
    assert fia_client.get(reverse("questions:detail", args=[daves.pk])).status_code == 200


def test_an_answered_shared_question_keeps_its_content_on_the_shared_list(
    dave, fia_client, adviser
):
    daves = ask(dave, "Får jag filma på kontoret?", body="Detaljer", shared=True)
    services.question_answer(question=daves, adviser=adviser, body="Ja, med samtycke.")
    user_delete(user=dave)
    daves.refresh_from_db()
    assert (daves.author_id, daves.title, daves.body, daves.answer) == (
        None,
        "Får jag filma på kontoret?",
        "Detaljer",
        "Ja, med samtycke.",
    )
    listed = fia_client.get(reverse("questions:shared")).content.decode()
    link = reverse("questions:detail", args=[daves.pk])
    assert f'<a href="{link}">Får jag filma på kontoret?</a>' in listed
    assert f'<a href="{link}"></a>' not in listed


def test_what_nobody_else_reads_is_still_forgotten(dave, fia, adviser):
    private = ask(dave, "Min privata", body="Om min chef")
    answered = ask(dave, "Besvarad privat", body="Om min chef")
    services.question_answer(question=answered, adviser=adviser, body="Svar")
    lonely = ask(dave, "Delad men ensam", body="Text", shared=True)
    user_delete(user=dave)
    for question in (private, answered, lonely):
        question.refresh_from_db()
        assert (question.author_id, question.title, question.body) == (None, "", "")
    assert (private.state, lonely.state, lonely.shared) == ("withdrawn", "withdrawn", False)


def _waiting(period):
    rows = figures.bookings_per_week(period, None)[1].rows
    return sum(row[3] for row in rows)


def test_the_waitlist_figure_adds_up_after_a_deletion_and_after_retention(
    dave, fia, series, session, employee, other_employee
):
    for n, person in enumerate([employee, other_employee, make_user("c@example.se")]):
        booking_create(user=person, slot_id=session.slots.get(position=n).pk)
    booking_create(user=make_user("d@example.se"), slot_id=session.slots.get(position=3).pk)
    waitlist_join(user=dave, session_id=session.pk, note="Jag heter Dave")
    waitlist_join(user=fia, session_id=session.pk)
    waitlist_leave(user=fia, session_id=session.pk)
    day = timezone.localdate(session.starts_at).isoformat()
    period = PeriodForm({"period": "custom", "start": day, "end": day})
    assert period.is_valid(), period.errors
    chosen = period.chosen()
    assert _waiting(chosen) == 2
    user_delete(user=dave)
    assert _waiting(chosen) == 2
    entry = WaitlistEntry.objects.get(session=session, user=None)
    assert (entry.note, entry.status) == ("", WaitlistEntry.LEFT)
    # A year on, the retention sweep forgets Fia too, and the figure still holds.
    later = timezone.now() + timedelta(days=400)
    with time_machine.travel(later, tick=False):
        counts = retention_apply(days=365)
    assert counts["waitlist"] == 1
    assert not WaitlistEntry.objects.filter(user__isnull=False).exists()
    assert _waiting(chosen) == 2


# A merge never publishes a private question ---------------------------------------------


def test_merging_into_a_private_question_is_refused_without_the_advisers_choice(
    dave, fia, fia_client, other_employee, adviser
):
    daves = ask(dave, "Får jag filma på kontoret?", body="Dave på plan 3")
    fias = ask(fia, "Filma på jobbet?", shared=True)
    services.me_too_add(question=fias, user=other_employee)
    with pytest.raises(services.QuestionRefused) as info:
        services.question_merge(question=fias, into=daves, adviser=adviser)
    assert (info.value.code, info.value.status) == ("merge_target_private", 422)
    fias.refresh_from_db()
    daves.refresh_from_db()
    assert (fias.state, daves.shared, daves.me_too_count) == (Question.SUBMITTED, False, 0)
    assert fia_client.get(reverse("questions:detail", args=[daves.pk])).status_code == 404
    assert fia_client.get(f"/api/v1/questions/{daves.pk}").status_code == 404


def test_the_adviser_may_choose_to_share_the_kept_question(dave, fia, fia_client, adviser):
    daves = ask(dave, "Får jag filma på kontoret?", body="Dave på plan 3")
    fias = ask(fia, "Filma på jobbet?", shared=True)
    services.question_merge(question=fias, into=daves, adviser=adviser, share_kept=True)
    daves.refresh_from_db()
    assert (daves.shared, daves.shared_by) == (True, adviser)
    body = fia_client.get(f"/api/v1/questions/{daves.pk}").json()
    assert (body["title"], body["author_email"]) == ("Får jag filma på kontoret?", None)


def test_an_authors_own_duplicates_merge_privately(dave, adviser):
    kept = ask(dave, "Får jag filma?")
    again = ask(dave, "Får jag filma på kontoret?")
    services.question_merge(question=again, into=kept, adviser=adviser)
    kept.refresh_from_db()
    assert (kept.shared, kept.shared_by, kept.me_too_count) == (False, None, 0)


def test_the_api_merge_takes_the_choice(dave, fia, adviser_client):
    daves = ask(dave, "Får jag filma på kontoret?")
    fias = ask(fia, "Filma på jobbet?")
    url = f"/api/v1/questions/{fias.pk}/merge"
    refused = adviser_client.post(url, {"into_id": daves.pk}, content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (422, "merge_target_private")
    merged = adviser_client.post(
        url, {"into_id": daves.pk, "share_kept": True}, content_type="application/json"
    )
    assert merged.status_code == 200 and merged.json()["state"] == "merged"
    assert Question.objects.get(pk=daves.pk).shared


def test_employees_cannot_share_by_merging(dave, fia, fia_client):
    daves = ask(dave, "Får jag filma på kontoret?")
    fias = ask(fia, "Filma på jobbet?")
    response = fia_client.post(
        f"/api/v1/questions/{fias.pk}/merge",
        {"into_id": daves.pk, "share_kept": True},
        content_type="application/json",
    )
    assert response.status_code == 403
    page = fia_client.post(
        reverse("advisers_questions:merge", args=[fias.pk]),
        {"into": daves.pk, "share_kept": "on"},
    )
    assert page.status_code == 403
    assert not Question.objects.get(pk=daves.pk).shared


def test_the_advisers_merge_form_asks_before_sharing(dave, fia, adviser, adviser_client):
    daves = ask(dave, "Får jag filma på kontoret?")
    fias = ask(fia, "Får jag filma på kontoret")
    url = reverse("advisers_questions:merge", args=[fias.pk])
    page = adviser_client.get(reverse("advisers_questions:detail", args=[fias.pk]))
    assert 'name="share_kept"' in page.content.decode()
    refused = adviser_client.post(url, {"into": daves.pk})
    assert refused.status_code == 422
    assert Question.objects.get(pk=fias.pk).state == Question.SUBMITTED
    assert adviser_client.post(url, {"into": daves.pk, "share_kept": "on"}).status_code == 302
    daves.refresh_from_db()
    assert (daves.shared, daves.shared_by) == (True, adviser)
    shown = adviser_client.get(reverse("advisers_questions:detail", args=[daves.pk]))
    assert adviser.name in shown.content.decode().split("Delad med kollegor", 1)[1][:300]

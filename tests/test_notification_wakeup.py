"""The outbox wakes the sender once for a rush of e-mails, and loses none.

wakeup.send_soon queues wakeup.send_due_now after a commit that wrote e-mails due
now, unless a wake-up is already queued and not started; the task clears that
flag before it reads what is due, so rows committed meanwhile are its to send.
A wake-up that never comes only delays the mail until the minute sweep.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from officehours.notifications import outbox, tasks, wakeup
from officehours.notifications.models import Notification
from officehours.questions import services as questions
from tests.people import make_user


@pytest.fixture(autouse=True)
def shared_cache(settings):
    """As with Redis: the flag lives where web and worker both see it (here, one process)."""
    settings.NOTIFICATION_WAKE_COALESCE = True


@pytest.fixture
def queued(monkeypatch):
    """Records wake-ups instead of queueing them."""
    calls = []
    monkeypatch.setattr(wakeup.send_due_now, "apply_async", lambda *a, **k: calls.append(k))
    return calls


def write_due_mail(person, django_capture_on_commit_callbacks, n):
    """One e-mail due now ("your question was answered"), committed."""
    question = questions.question_create(author=person, title=f"Fråga {n}?", body="")
    with django_capture_on_commit_callbacks(execute=True):
        outbox.question_events_recorded("answered", question.pk, [person.pk])


@pytest.mark.django_db
def test_a_rush_of_commits_queues_one_wake_up(queued, django_capture_on_commit_callbacks):
    person = make_user("anna@example.se")
    for n in range(1, 6):
        write_due_mail(person, django_capture_on_commit_callbacks, n)
    assert len(queued) == 1
    assert Notification.objects.filter(status=Notification.PENDING).count() == 5


@pytest.mark.django_db
def test_the_woken_task_sends_what_was_committed_while_it_waited(
    queued, django_capture_on_commit_callbacks
):
    person = make_user("anna@example.se")
    write_due_mail(person, django_capture_on_commit_callbacks, 1)
    write_due_mail(person, django_capture_on_commit_callbacks, 2)  # no second wake-up
    assert len(queued) == 1
    wakeup.send_due_now.run()  # the queued wake-up runs
    assert Notification.objects.filter(status=Notification.SENT).count() == 2
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_once_the_task_has_started_the_next_commit_wakes_it_again(
    queued, django_capture_on_commit_callbacks
):
    person = make_user("anna@example.se")
    write_due_mail(person, django_capture_on_commit_callbacks, 1)
    wakeup.send_due_now.run()
    write_due_mail(person, django_capture_on_commit_callbacks, 2)
    assert len(queued) == 2


@pytest.mark.django_db
def test_a_wake_up_that_could_not_be_queued_does_not_hold_the_flag(
    monkeypatch, django_capture_on_commit_callbacks
):
    def broker_away(*args, **kwargs):
        raise ConnectionError("broker away")

    monkeypatch.setattr(wakeup.send_due_now, "apply_async", broker_away)
    person = make_user("anna@example.se")
    write_due_mail(person, django_capture_on_commit_callbacks, 1)  # does not raise
    assert cache.get(wakeup.WAKE_FLAG) is None
    assert tasks.send_due_notifications() == 1  # the minute sweep sends it


@pytest.mark.django_db
def test_reminders_not_yet_due_wake_nothing(queued, django_capture_on_commit_callbacks):
    person = make_user("anna@example.se")
    later = Notification(
        key="later",
        kind=Notification.REMINDER,
        recipient=person,
        due_at=timezone.now() + timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        outbox._queue([later])
    assert queued == []


@pytest.mark.django_db
def test_without_a_shared_cache_every_commit_wakes_the_sender(
    settings, queued, django_capture_on_commit_callbacks
):
    """Without Redis the web and worker processes share no memory: no flag to trust."""
    settings.NOTIFICATION_WAKE_COALESCE = False
    person = make_user("anna@example.se")
    for n in range(1, 4):
        write_due_mail(person, django_capture_on_commit_callbacks, n)
    assert len(queued) == 3


@pytest.mark.django_db
def test_a_wake_up_sends_everything_due_in_batches(
    monkeypatch, queued, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(wakeup, "WAKE_BATCH", 2)
    person = make_user("anna@example.se")
    for n in range(1, 6):
        write_due_mail(person, django_capture_on_commit_callbacks, n)
    assert wakeup.send_due_now.run() == 5
    assert len(mail.outbox) == 5


@pytest.mark.django_db
def test_more_than_a_wake_up_sends_hands_over_to_another(
    monkeypatch, queued, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(wakeup, "WAKE_BATCH", 1)
    monkeypatch.setattr(wakeup, "WAKE_MAX_BATCHES", 2)
    person = make_user("anna@example.se")
    for n in range(1, 4):
        write_due_mail(person, django_capture_on_commit_callbacks, n)
    queued.clear()
    assert wakeup.send_due_now.run() == 2
    assert len(queued) == 1  # the third is another wake-up's


@pytest.mark.django_db
def test_a_lost_wake_up_only_delays_the_mail_until_the_sweep(
    queued, django_capture_on_commit_callbacks
):
    """Queued, then lost (a worker that died): the flag holds off more wake-ups until it
    expires, and the sweep sends every row meanwhile."""
    person = make_user("anna@example.se")
    write_due_mail(person, django_capture_on_commit_callbacks, 1)
    write_due_mail(person, django_capture_on_commit_callbacks, 2)
    assert len(queued) == 1 and not mail.outbox  # the one wake-up never runs
    assert tasks.send_due_notifications() == 2
    assert len(mail.outbox) == 2


def test_the_wake_up_is_the_task_the_worker_loads():
    """The worker imports each app's tasks module: the wake-up must be known there,
    under the name send_soon queues."""
    assert tasks.send_due_now is wakeup.send_due_now
    assert wakeup.send_due_now.name in tasks.send_due_now.app.tasks

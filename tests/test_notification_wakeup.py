"""The outbox wakes the sender once for a rush of e-mails, and loses none.

outbox.send_soon queues tasks.send_due_now after a commit that wrote e-mails due
now, unless a wake-up is already queued and not started; the task clears that
flag before it reads what is due, so rows committed meanwhile are its to send.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from officehours.notifications import outbox, tasks
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
    monkeypatch.setattr(tasks.send_due_now, "apply_async", lambda *a, **k: calls.append(k))
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
    tasks.send_due_now.run()  # the queued wake-up runs
    assert Notification.objects.filter(status=Notification.SENT).count() == 2
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_once_the_task_has_started_the_next_commit_wakes_it_again(
    queued, django_capture_on_commit_callbacks
):
    person = make_user("anna@example.se")
    write_due_mail(person, django_capture_on_commit_callbacks, 1)
    tasks.send_due_now.run()
    write_due_mail(person, django_capture_on_commit_callbacks, 2)
    assert len(queued) == 2


@pytest.mark.django_db
def test_a_wake_up_that_could_not_be_queued_does_not_hold_the_flag(
    monkeypatch, django_capture_on_commit_callbacks
):
    def broker_away(*args, **kwargs):
        raise ConnectionError("broker away")

    monkeypatch.setattr(tasks.send_due_now, "apply_async", broker_away)
    person = make_user("anna@example.se")
    write_due_mail(person, django_capture_on_commit_callbacks, 1)  # does not raise
    assert cache.get(outbox.WAKE_FLAG) is None


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
    monkeypatch.setattr(tasks, "WAKE_BATCH", 2)
    person = make_user("anna@example.se")
    for n in range(1, 6):
        write_due_mail(person, django_capture_on_commit_callbacks, n)
    assert tasks.send_due_now.run() == 5
    assert len(mail.outbox) == 5


@pytest.mark.django_db
def test_more_than_a_wake_up_sends_hands_over_to_another(
    monkeypatch, queued, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(tasks, "WAKE_BATCH", 1)
    monkeypatch.setattr(tasks, "WAKE_MAX_BATCHES", 2)
    person = make_user("anna@example.se")
    for n in range(1, 4):
        write_due_mail(person, django_capture_on_commit_callbacks, n)
    queued.clear()
    assert tasks.send_due_now.run() == 2
    assert len(queued) == 1  # the third is another wake-up's


@pytest.fixture
def lingering(settings, monkeypatch):
    """A sender that lingers 10 s once nothing is due; this process's clock, by hand."""
    settings.NOTIFICATION_WAKE_LINGER_SECONDS = 10
    clock = {"now": 1000.0}
    monkeypatch.setattr(outbox, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(outbox, "_wake_covered_until", 0.0)
    return clock


@pytest.fixture
def flag_checks(monkeypatch):
    """Counts the round trips to the cache for the wake-up flag."""
    checks = []
    real_add = cache.add

    def add(*args, **kwargs):
        if args[0] == outbox.WAKE_FLAG:
            checks.append(args[0])
        return real_add(*args, **kwargs)

    monkeypatch.setattr(outbox.cache, "add", add)
    return checks


@pytest.mark.django_db
def test_after_seeing_a_wake_up_queued_a_process_does_not_ask_again_for_half_the_linger(
    lingering, flag_checks, queued, django_capture_on_commit_callbacks
):
    person = make_user("anna@example.se")
    write_due_mail(person, django_capture_on_commit_callbacks, 1)
    lingering["now"] += 4.9
    write_due_mail(person, django_capture_on_commit_callbacks, 2)
    assert (len(flag_checks), len(queued)) == (1, 1)
    lingering["now"] += 0.2  # past half of the 10 s: ask again (the flag is still up)
    write_due_mail(person, django_capture_on_commit_callbacks, 3)
    assert (len(flag_checks), len(queued)) == (2, 1)


@pytest.mark.django_db
def test_a_commit_the_process_did_not_announce_is_sent_by_the_lingering_wake_up(
    lingering, flag_checks, queued, monkeypatch, django_capture_on_commit_callbacks
):
    """The case the linger is for: the sender has read the outbox (nothing more due),
    and then a web process that saw its wake-up queued commits another e-mail without
    asking for a wake-up. The sender looks once more after lingering and sends it."""
    person = make_user("anna@example.se")
    write_due_mail(person, django_capture_on_commit_callbacks, 1)
    waits = []
    sender_clock = {"now": 0.0}

    def sleep(seconds):
        waits.append(seconds)
        sender_clock["now"] += seconds
        if len(waits) == 1:  # meanwhile, the web process commits again, within its cover
            lingering["now"] += 1
            write_due_mail(person, django_capture_on_commit_callbacks, 2)

    monkeypatch.setattr(tasks, "sleep", sleep)
    monkeypatch.setattr(tasks, "monotonic", lambda: sender_clock["now"])
    assert tasks.send_due_now.run() == 2
    assert len(queued) == 1  # the second e-mail asked for no wake-up of its own
    assert len(flag_checks) == 1
    assert len(mail.outbox) == 2
    assert waits == [pytest.approx(10)]  # then it had lingered long enough


@pytest.mark.django_db
def test_a_sender_that_has_lingered_long_enough_stops(settings, monkeypatch, queued):
    settings.NOTIFICATION_WAKE_LINGER_SECONDS = 10
    clock = iter([0.0, 4.0, 10.5])  # started, after the first look, after the second
    monkeypatch.setattr(tasks, "monotonic", lambda: next(clock))
    waits = []
    monkeypatch.setattr(tasks, "sleep", waits.append)
    assert tasks.send_due_now.run() == 0
    assert waits == [pytest.approx(6)]

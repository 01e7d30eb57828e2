"""Races on PostgreSQL with real threads and connections, waiting on what can be seen.

Nothing here sleeps for a guessed time: a test holds a booking inside its locks with
an event, and learns that another request queues behind it from the server itself
(`pg_stat_activity` shows a backend waiting for a lock).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.db import connection, connections

from officehours.booking.services import rules
from officehours.booking.services.errors import BookingRefused

WAIT = 10.0  # seconds before a state that should come is declared missing


def outcome_of(call: Callable) -> object:
    """What the call returned, a refusal's code, or the repr of a crash (an outcome the
    test reports rather than an error in a thread nobody watches)."""
    try:
        return call()
    except BookingRefused as exc:
        return exc.code
    except Exception as exc:
        return repr(exc)


def race(calls: list[Callable]) -> list:
    """Starts every call at the same moment, each on its own database connection, and
    returns their outcomes (outcome_of)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = outcome_of(call)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def in_thread(call: Callable) -> tuple[threading.Thread, list]:
    """Runs call on its own connection; the list gets its outcome (outcome_of)."""
    outcome: list = []

    def run():
        try:
            outcome.append(outcome_of(call))
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


class LockWatch:
    """A connection of its own that asks the server who waits for a lock."""

    def __init__(self):
        self._connection = connections.create_connection("default")

    def waiting(self) -> int:
        """How many connections to the test database wait for a lock (row or advisory)."""
        with self._connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0]

    def close(self) -> None:
        self._connection.close()


def wait_until(predicate: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not predicate():
        assert time.monotonic() < deadline, f"still waiting, after {WAIT:.0f} s, for {what}"
        time.sleep(0.005)


def wait_for_lock_waits(count: int) -> None:
    watch = LockWatch()
    try:
        wait_until(lambda: watch.waiting() >= count, f"{count} connection(s) to wait for a lock")
    finally:
        watch.close()


class Hold:
    """Bookings by chosen people stop inside their locks, after the rules said yes,
    until released: what another request does meanwhile is what the locks allow."""

    def __init__(self, monkeypatch):
        self.people: set[int] = set()
        self.inside = threading.Event()
        self._release = threading.Event()
        original = rules.check_can_book

        def check(**kwargs):
            original(**kwargs)
            if kwargs["user"].pk in self.people:
                self.inside.set()
                assert self._release.wait(WAIT), "a held booking was never released"

        monkeypatch.setattr("officehours.booking.services.bookings.check_can_book", check)

    def add(self, user) -> None:
        self.people.add(user.pk)

    def wait_inside(self) -> None:
        assert self.inside.wait(WAIT), "the held booking never got inside its locks"

    def release(self) -> None:
        self._release.set()


class Crowd:
    """Makes racers overlap as much as the locks let them, without sleeping.

    A racer whose check passed waits, before writing, until every other racer has
    finished, waits for a lock, or has passed its check too. With locking, the others
    queue behind the lock holder; without it (the negative control), every racer
    checks before any writes: the oversell the locks are there to prevent (`passed`
    counts the racers the rules said yes to)."""

    def __init__(self, monkeypatch, racers: int):
        self.racers = racers
        self._lock = threading.Lock()
        self._checked: set[int] = set()  # threads past their check, not yet finished
        self._finished = 0
        self.passed = 0  # racers the rules said yes to
        original = rules.check_can_book

        def check(**kwargs):
            original(**kwargs)
            with self._lock:
                self._checked.add(threading.get_ident())
                self.passed += 1
            watch = LockWatch()
            try:
                wait_until(
                    lambda: self._accounted_for(watch) >= self.racers,
                    "the other racers to queue, check or finish",
                )
            finally:
                watch.close()

        monkeypatch.setattr("officehours.booking.services.bookings.check_can_book", check)

    def _accounted_for(self, watch: LockWatch) -> int:
        with self._lock:
            seen = len(self._checked) + self._finished
        return seen if seen >= self.racers else seen + watch.waiting()

    def race(self, calls: list[Callable]) -> list:
        def counted(call):
            def run():
                try:
                    return call()
                finally:
                    with self._lock:
                        self._checked.discard(threading.get_ident())
                        self._finished += 1

            return run

        return race([counted(call) for call in calls])

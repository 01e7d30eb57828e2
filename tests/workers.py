"""Real Celery workers in tests: a broker to talk to, a worker in a thread, waiting for results."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from celery.contrib.testing.worker import TestWorkController, start_worker
from django.db import connection

from officehours.celery import app


@contextmanager
def broker_at(url: str, transport_options: dict[str, Any]) -> Iterator[None]:
    """Tasks are queued on this broker (not run eagerly) until the block ends."""
    saved = {
        "broker_url": app.conf.broker_url,
        "broker_transport_options": app.conf.broker_transport_options,
    }
    app.conf.update(broker_url=url, broker_transport_options=transport_options)
    app.conf.task_always_eager = False
    _drop_broker_connections()
    try:
        yield
    finally:
        app.conf.update(**saved)
        _drop_broker_connections()
        connection.close()


def solo_worker() -> AbstractContextManager[TestWorkController]:
    """A worker in a thread of this process, consuming from the current broker."""
    return start_worker(
        app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
    )


def _drop_broker_connections() -> None:
    """Pooled connections would go on using the broker_url they were made with."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


def wait_for(predicate: Callable[[], object], timeout: float = 15.0) -> bool:
    """Polls until predicate() is true (an observable state, not a guessed delay)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False

"""Real Celery workers in tests: pointing the app at a broker, and waiting for results."""

from __future__ import annotations

import time
from collections.abc import Callable

from celery import Celery


def reset_broker_connections(app: Celery) -> None:
    """Drops pooled broker connections so the next send uses the current broker_url."""
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

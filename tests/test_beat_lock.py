"""Two beat processes, one scheduler: redbeat's lock in Redis lets one send at a time,
and the other takes over when the active one dies (its lock lapses)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis
from celery import Celery
from redbeat.schedulers import (
    RedBeatScheduler,
    RedBeatSchedulerEntry,
    acquire_distributed_beat_lock,
)
from redis.exceptions import LockNotOwnedError

from tests.services import redis_test_url

# The calendar date changes nothing here: `make test-dates` leaves it out.
pytestmark = pytest.mark.dateless

ROOT = Path(__file__).resolve().parent.parent

# Short in the test so it runs in seconds; production's values are checked below.
LOCK_TIMEOUT = 2
LOOP_INTERVAL = 0.2


class RecordingScheduler(RedBeatScheduler):
    """redbeat's scheduler, noting what it would send instead of publishing it."""

    def __init__(self, *args, **kwargs):
        self.sent: list[str] = []
        super().__init__(*args, **kwargs)

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        # As celery's own: the entry's last run is written to Redis (reserve), and then
        # the message would be published.
        if advance:
            self.reserve(entry)
        self.sent.append(entry.name)


def _app() -> Celery:
    """A Celery app of its own: redbeat keeps its connection and config on the app."""
    app = Celery("beat-lock-test", set_as_current=False)
    app.conf.update(
        broker_url="memory://",
        timezone="UTC",
        redbeat_redis_url=redis_test_url(),
        redbeat_redis_options={},
        redbeat_key_prefix="redbeat-test",
        redbeat_lock_timeout=LOCK_TIMEOUT,
        result_expires=None,  # no result backend: no cleanup entry beside the heartbeat
        beat_max_loop_interval=LOOP_INTERVAL,
        beat_schedule={
            "worker-heartbeat": {"task": "officehours.tasks.record_heartbeat", "schedule": 60.0}
        },
    )
    return app


class Beat(threading.Thread):
    """One `celery beat` process: a scheduler on its own app and connection, which takes
    the lock at start-up (beat_init, waiting until it can) and then ticks. redis-py keeps
    a lock's token per thread, so everything a beat does happens in its thread."""

    def __init__(self):
        super().__init__(daemon=True)
        self.scheduler = RecordingScheduler(app=_app())
        self.has_lock = threading.Event()
        self.running = threading.Event()  # cleared: frozen, as a hung or killed process
        self.running.set()
        self.stopping = threading.Event()
        self.error: Exception | None = None

    def run(self):
        acquire_distributed_beat_lock(sender=SimpleNamespace(scheduler=self.scheduler))
        self.has_lock.set()
        try:
            while not self.stopping.is_set():
                if self.running.wait(LOOP_INTERVAL):
                    self.scheduler.tick()
                    time.sleep(LOOP_INTERVAL)
        except Exception as error:  # beat exits on it
            self.error = error
            return
        self.scheduler.close()  # what beat does on SIGTERM: the lock is released

    def heartbeat_due(self) -> None:
        """An interval job runs one interval after it is first scheduled: make it due."""
        app = self.scheduler.app
        key = RedBeatSchedulerEntry.generate_key(app, "worker-heartbeat")
        RedBeatSchedulerEntry.from_key(key, app=app).reschedule(
            last_run_at=app.now() - timedelta(seconds=61)
        )

    def stop(self) -> None:
        self.stopping.set()
        self.running.set()


@pytest.fixture
def beats():
    redis.Redis.from_url(redis_test_url()).flushdb()
    made: list[Beat] = []

    def start(*, heartbeat_due: bool = False) -> Beat:
        made.append(Beat())
        if heartbeat_due:
            made[-1].heartbeat_due()
        made[-1].start()
        return made[-1]

    yield start
    for beat in made:
        beat.stop()
    redis.Redis.from_url(redis_test_url()).flushdb()  # frees any beat still waiting
    for beat in made:
        beat.join(timeout=5)


@pytest.mark.redis
def test_one_beat_holds_the_lock_and_the_other_takes_over_when_it_dies(beats):
    first = beats(heartbeat_due=True)
    assert first.has_lock.wait(5)
    second = beats()

    # Alive, the first extends its lock at every tick: the second waits, past the timeout.
    time.sleep(LOCK_TIMEOUT * 2)
    assert not second.has_lock.is_set()
    assert first.scheduler.sent == ["worker-heartbeat"]

    # The first dies (no close, no release): its lock lapses and the second takes over.
    first.running.clear()
    died = time.monotonic()
    assert second.has_lock.wait(LOCK_TIMEOUT + 5)
    assert time.monotonic() - died <= LOCK_TIMEOUT + LOOP_INTERVAL + 1
    time.sleep(LOOP_INTERVAL * 3)
    assert second.error is None
    # The schedule lives in Redis: the heartbeat sent a moment ago is not sent again.
    assert second.scheduler.sent == []

    # Had the first only hung, it could not carry on beside the second: it exits.
    first.running.set()
    first.join(timeout=5)
    assert isinstance(first.error, LockNotOwnedError)
    assert first.scheduler.sent == ["worker-heartbeat"]


@pytest.mark.redis
def test_a_beat_that_stops_cleanly_hands_over_at_once(beats):
    first = beats()
    assert first.has_lock.wait(5)
    second = beats()
    time.sleep(LOOP_INTERVAL * 2)
    assert not second.has_lock.is_set()
    stopped = time.monotonic()
    first.stop()
    assert second.has_lock.wait(LOCK_TIMEOUT + 5)
    assert time.monotonic() - stopped < LOCK_TIMEOUT  # released, not lapsed


def _beat_settings(env_overrides: dict) -> list[str]:
    """The scheduler `celery -A officehours beat` would use, read in a fresh process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "officehours.settings", **env_overrides})
    code = "\n".join(
        [
            "from celery.utils.imports import symbol_by_name",
            "from redbeat.schedulers import ensure_conf, get_redis",
            "from officehours.celery import app",
            "name = symbol_by_name(app.conf.beat_scheduler).__name__",
            "print(name)",
            "if name == 'RedBeatScheduler':",
            "    c = ensure_conf(app)",
            "    own = all(c.is_key_in_conf(k) for k in ('redbeat_redis_url',",
            "                                            'redbeat_redis_options'))",
            "    pool = get_redis(app).connection_pool",
            "    print(c.lock_key, c.lock_timeout, app.conf.beat_max_loop_interval, c.redis_url,",
            "          own, pool.connection_kwargs.get('socket_timeout'))",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_with_redis_beat_uses_redbeat_and_takes_over_within_a_minute():
    name, lock_key, lock_timeout, loop, url, own, timeout = _beat_settings(
        {"REDIS_URL": "redis://127.0.0.1:6379/3"}
    )
    assert name == "RedBeatScheduler" and lock_key == "redbeat::lock"
    # Its own settings, not a fallback on the broker's (deprecated, and without timeouts).
    assert (url, own, timeout) == ("redis://127.0.0.1:6379/3", "True", "5")
    # The waiting beat tries again every loop interval once the lock has lapsed.
    assert float(loop) <= 10 and int(lock_timeout) + float(loop) < 60


def test_without_redis_beat_keeps_its_schedule_file():
    # `make run` (bin/serve-dev): one worker with beat inside it, nothing to share.
    name, *_ = _beat_settings({"REDIS_URL": ""})
    assert name == "PersistentScheduler"

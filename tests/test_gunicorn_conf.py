"""The web process's gunicorn settings: one worker per core unless WEB_CONCURRENCY says."""

import importlib
import os

import pytest

from officehours import gunicorn_conf

# The calendar date changes nothing here: `make test-dates` leaves it out.
pytestmark = pytest.mark.dateless


def _loaded(monkeypatch, **environ):
    for name in ("WEB_CONCURRENCY", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return importlib.reload(gunicorn_conf)


def test_one_worker_per_core_by_default(monkeypatch):
    conf = _loaded(monkeypatch)
    assert conf.workers == len(os.sched_getaffinity(0))
    assert conf.bind == "0.0.0.0:8000"


def test_the_environment_sets_workers_and_port(monkeypatch):
    conf = _loaded(monkeypatch, WEB_CONCURRENCY="5", PORT="8123")
    assert (conf.workers, conf.bind) == (5, "0.0.0.0:8123")
    monkeypatch.undo()
    importlib.reload(gunicorn_conf)

"""Background jobs are really delivered: on Redis, and on the embedded filesystem broker."""

import pytest

from officehours.models import WorkerHeartbeat
from officehours.tasks import record_heartbeat
from tests.workers import broker_at, solo_worker, wait_for

# The calendar date changes nothing here: `make test-dates` leaves it out.
pytestmark = pytest.mark.dateless


@pytest.mark.celery_worker
def test_a_real_worker_on_redis_runs_the_task(celery_worker):
    record_heartbeat.delay("redis-test")
    assert wait_for(lambda: WorkerHeartbeat.objects.filter(name="redis-test").exists())


@pytest.mark.django_db(transaction=True)
def test_the_embedded_filesystem_broker_delivers_without_any_service(tmp_path):
    """What `make run` uses when REDIS_URL is unset."""
    queue = tmp_path / "queue"
    queue.mkdir()
    options = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "control_folder": str(tmp_path / "control"),
        "polling_interval": 0.1,
    }
    with broker_at("filesystem://localhost//", options), solo_worker():
        record_heartbeat.delay("filesystem-test")
        assert wait_for(lambda: WorkerHeartbeat.objects.filter(name="filesystem-test").exists())


def test_without_redis_the_settings_use_the_filesystem_broker(settings):
    if settings.REDIS_URL:
        pytest.skip("REDIS_URL is set for this run")
    assert settings.CELERY_BROKER_URL == "filesystem://localhost//"
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_beat_schedules_the_heartbeat(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]
    assert schedule["task"] == record_heartbeat.name

"""What operators see: /metrics (behind a token), JSON logs, Sentry, and /health/
telling liveness from readiness."""

import json
import logging
import os
import subprocess
import sys
from datetime import timedelta

import pytest
import redis
import sentry_sdk
from celery.signals import worker_ready
from django.db import DatabaseError, connection
from prometheus_client.parser import text_string_to_metric_families

from officehours import celery_app
from officehours.booking.services.bookings import booking_create
from officehours.booking.services.errors import BookingRefused
from officehours.logs import JsonFormatter
from officehours.models import WorkerHeartbeat
from officehours.notifications.models import Notification
from officehours.sentry import sentry_init
from officehours.tasks import record_heartbeat
from tests.services import redis_test_url

# The calendar date changes nothing here: `make test-dates` leaves it out.
pytestmark = pytest.mark.dateless

TOKEN = "s3cret-scrape-token"
CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


def scrape(client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN


# --- /metrics: who may read it ------------------------------------------------------


@pytest.mark.django_db
def test_metrics_are_not_served_unless_a_token_is_configured(client, settings):
    settings.METRICS_TOKEN = None
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.django_db
def test_outsider_without_the_token_is_refused(metrics_token, client, employee, adviser):
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 403
    # A signed-in person, even an adviser, is no scraper.
    client.force_login(adviser)
    assert client.get("/metrics").status_code == 403


@pytest.mark.django_db
def test_request_latency_is_a_histogram_by_view(metrics_token, client):
    client.get("/health/live/")
    samples = scrape(client)
    count = value(
        samples,
        "django_http_requests_latency_seconds_by_view_method_count",
        view="health_live",
        method="GET",
    )
    assert count >= 1
    assert any(
        name == "django_http_requests_latency_seconds_by_view_method_bucket"
        for name, _labels in samples
    )


# --- what is counted ----------------------------------------------------------------


def test_bookings_are_counted_by_outcome(frozen_now, metrics_token, client, session, employee):
    slot = session.slots.order_by("position").first()
    before = scrape(client)
    booking_create(user=employee, slot_id=slot.pk)
    with pytest.raises(BookingRefused):
        booking_create(user=employee, slot_id=slot.pk)
    after = scrape(client)

    def delta(**labels):
        return value(after, "fragestund_bookings_total", **labels) - value(
            before, "fragestund_bookings_total", **labels
        )

    assert delta(outcome="created", code="") == 1
    assert delta(outcome="refused", code="already_booked") == 1


def test_outbox_depth_and_failures_are_read_at_scrape_time(
    frozen_now, metrics_token, client, employee
):
    for index, status in enumerate(["pending", "pending", "sending", "failed", "sent"]):
        Notification.objects.create(
            key=f"test-{index}", kind=Notification.DIGEST, recipient=employee, status=status
        )
    samples = scrape(client)
    assert value(samples, "fragestund_outbox_notifications", status="pending") == 2
    assert value(samples, "fragestund_outbox_notifications", status="sending") == 1
    assert value(samples, "fragestund_outbox_notifications", status="failed") == 1
    # Sent rows pile up for ever: not a queue, not counted.
    assert value(samples, "fragestund_outbox_notifications", status="sent") == 0


@pytest.mark.redis
@pytest.mark.django_db
def test_celery_task_outcomes_are_counted_in_redis_for_every_worker(
    metrics_token, client, settings, monkeypatch
):
    settings.REDIS_URL = redis_test_url()
    redis.Redis.from_url(redis_test_url()).flushdb()
    record_heartbeat.delay()
    record_heartbeat.delay()

    def refuse(**kwargs):
        raise DatabaseError("database went away")

    monkeypatch.setattr(WorkerHeartbeat.objects, "update_or_create", refuse)
    # As in a worker: the failure is recorded, not raised into the caller.
    celery_app.conf.task_eager_propagates = False
    try:
        assert record_heartbeat.delay().failed()
    finally:
        celery_app.conf.task_eager_propagates = True
    samples = scrape(client)
    task = "officehours.tasks.record_heartbeat"
    assert value(samples, "fragestund_celery_tasks_total", task=task, outcome="succeeded") == 2
    assert value(samples, "fragestund_celery_tasks_total", task=task, outcome="failed") == 1


@pytest.mark.django_db
def test_task_outcomes_without_redis_leave_the_scrape_working(metrics_token, client, settings):
    settings.REDIS_URL = CLOSED_PORT_REDIS
    record_heartbeat.delay()  # the count is lost, the task is not
    samples = scrape(client)
    assert not any(name.startswith("fragestund_celery_tasks") for name, _ in samples)


# --- JSON logs ----------------------------------------------------------------------


def test_json_formatter_writes_one_object_per_line_with_the_exception():
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        record = logging.getLogger("officehours.test").makeRecord(
            "officehours.test",
            logging.ERROR,
            __file__,
            1,
            "Sending %s failed",
            ("mail",),
            sys.exc_info(),
            extra={"request_id": "abc-123"},
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "officehours.test"
    assert entry["message"] == "Sending mail failed"
    assert entry["request_id"] == "abc-123"
    assert entry["time"].endswith("+00:00")
    assert "ValueError: boom" in entry["exception"]


def test_json_formatter_takes_the_request_id_from_the_request_header(rf):
    request = rf.get("/", HTTP_X_REQUEST_ID="from-the-balancer")
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found", (), None
    )
    record.request = request
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request_id"] == "from-the-balancer"
    assert "exception" not in entry


def _run_with_settings(code: str, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {key: val for key, val in os.environ.items() if not key.startswith(("SENTRY", "LOG_"))}
    env.update(environ, DJANGO_SETTINGS_MODULE="officehours.settings")
    setup = "import django; django.setup(); "
    return subprocess.run(
        [sys.executable, "-c", setup + code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def test_log_format_json_makes_every_line_json():
    code = "import logging; logging.getLogger('officehours.x').warning('hello %s', 'there')"
    lines = _run_with_settings(code, LOG_FORMAT="json").stderr.strip().splitlines()
    entry = json.loads(lines[-1])
    assert entry["message"] == "hello there"
    assert entry["level"] == "WARNING"
    plain = _run_with_settings(code).stderr.strip().splitlines()
    assert plain[-1] == "hello there"


# --- Sentry -------------------------------------------------------------------------


def test_sentry_is_off_without_a_dsn():
    # The suite runs without SENTRY_DSN: settings started nothing, nothing can be sent.
    assert not sentry_sdk.get_client().is_active()
    check = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    assert _run_with_settings(check).stdout.strip() == "False"


def test_sentry_dsn_starts_the_sdk_in_settings():
    check = (
        "import sentry_sdk; c = sentry_sdk.get_client();"
        " print(c.is_active(), c.options['data_collection']['user_info'], c.options['environment'])"
    )
    out = _run_with_settings(
        check, SENTRY_DSN="https://public@127.0.0.1:9/1", SENTRY_ENVIRONMENT="staging"
    )
    assert out.stdout.split() == ["True", "False", "staging"]


def test_sentry_sends_through_the_transport_without_personal_data():
    sent = []

    class RecordingTransport(sentry_sdk.transport.Transport):
        def capture_envelope(self, envelope):
            sent.append(envelope)

    sentry_init(
        dsn="https://public@127.0.0.1:9/1", environment="test", transport=RecordingTransport
    )
    try:
        options = sentry_sdk.get_client().options
        assert not options["send_default_pii"]
        assert options["data_collection"]["user_info"] is False
        assert options["data_collection"]["http_bodies"] == []
        assert options["data_collection"]["stack_frame_variables"] is False
        sentry_sdk.capture_message("hello operators")
        sentry_sdk.flush()
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)
    assert not sentry_sdk.get_client().is_active()
    events = [item.payload.json for envelope in sent for item in envelope.items]
    assert any(event.get("message") == "hello operators" for event in events if event)


# --- health: liveness and readiness --------------------------------------------------


@pytest.mark.django_db
def test_liveness_does_no_io(client, django_assert_num_queries, settings):
    settings.REDIS_URL = CLOSED_PORT_REDIS
    with django_assert_num_queries(0):
        response = client.get("/health/live/")
    assert response.status_code == 200
    assert response.json() == {"live": True}


@pytest.fixture
def ready_setup(frozen_now, settings):
    settings.REDIS_URL = None
    record_heartbeat.delay()
    return frozen_now


@pytest.mark.django_db
def test_ready_when_database_and_worker_answer(ready_setup, client):
    response = client.get("/health/ready/")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["redis"] == {"ok": True, "configured": False}
    assert body["checks"]["worker"]["ok"] is True
    assert body["checks"]["worker"]["age_seconds"] == 0


@pytest.mark.redis
@pytest.mark.django_db
def test_ready_checks_redis_when_configured(ready_setup, client, settings):
    settings.REDIS_URL = redis_test_url()
    response = client.get("/health/ready/")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == {"ok": True, "configured": True}


@pytest.mark.django_db
def test_not_ready_when_redis_does_not_answer(ready_setup, client, settings):
    settings.REDIS_URL = CLOSED_PORT_REDIS
    response = client.get("/health/ready/")
    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    # /health/ answers 200 all the same: the process is alive, it says it is not ready.
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["live"] is True
    assert response.json()["ready"] is False


@pytest.mark.django_db
def test_not_ready_when_the_worker_heartbeat_is_old(ready_setup, client, settings):
    ready_setup.shift(timedelta(seconds=settings.HEALTH_WORKER_MAX_AGE + 1))
    response = client.get("/health/ready/")
    assert response.status_code == 503
    worker = response.json()["checks"]["worker"]
    assert worker["ok"] is False
    assert worker["age_seconds"] == settings.HEALTH_WORKER_MAX_AGE + 1


@pytest.mark.django_db
def test_not_ready_when_no_worker_ever_ran(frozen_now, client, settings):
    settings.REDIS_URL = None
    response = client.get("/health/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {"ok": False, "last_seen": None}


@pytest.mark.django_db
def test_a_worker_that_starts_is_ready_without_waiting_for_the_minute_job(
    frozen_now, client, settings
):
    """Celery's worker_ready (sent by a `celery worker` once it consumes) runs the
    heartbeat job once: a fresh deployment is ready before beat's first minute."""
    settings.REDIS_URL = None
    assert client.get("/health/ready/").status_code == 503
    worker_ready.send(sender=object())
    response = client.get("/health/ready/")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"]["age_seconds"] == 0


@pytest.mark.django_db
def test_not_ready_and_not_healthy_when_the_database_does_not_answer(
    ready_setup, client, monkeypatch
):
    def refuse(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/health/ready/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == {"ok": False}
    assert checks["worker"]["ok"] is False
    # /health/ keeps its old rule: 503 when the database is down.
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_a_gunicorn_worker_that_exits_leaves_the_live_gauges(tmp_path):
    """gunicorn_conf.child_exit marks the worker dead for prometheus_client's multiprocess
    mode: its live gauge file goes; without the hook it would stay in every scrape."""
    script = """
import os, types
from pathlib import Path
from prometheus_client import Gauge
Gauge("fragestund_test_live", "a live gauge", multiprocess_mode="livesum").set(1)
folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
before = sorted(p.name for p in folder.iterdir())
from officehours import gunicorn_conf
gunicorn_conf.child_exit(None, types.SimpleNamespace(pid=os.getpid()))
print(before, sorted(p.name for p in folder.iterdir()))
"""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    before, after = done.stdout.strip().split("] [")
    assert "gauge_livesum_" in before
    assert "gauge_livesum_" not in after

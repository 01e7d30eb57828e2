"""Delivery with the real parts: a real Celery worker, a real Redis that goes away.

A private redis-server on a free port plays the broker, so stopping it does not
disturb the Redis other tests use.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
from django.core import mail
from django.db import connection

from officehours.notifications.models import Notification
from officehours.notifications.tasks import send_due_notifications, send_notification
from tests.booking_factories import make_series
from tests.conftest import _reset_connections, _service_unavailable
from tests.test_background_jobs import wait_for


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    def __init__(self, directory):
        self.port = _free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        assert wait_for(lambda: _pings(client), timeout=10), "redis-server did not start"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def _pings(client) -> bool:
    import redis

    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


@pytest.fixture
def broker(transactional_db, tmp_path):
    """Celery publishing to a private Redis (started), restored afterwards."""
    from officehours.celery import app

    if shutil.which("redis-server") is None:
        _service_unavailable("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    saved = {
        "broker_url": app.conf.broker_url,
        "broker_transport_options": app.conf.broker_transport_options,
    }
    app.conf.update(
        broker_url=server.url,
        broker_transport_options={"socket_connect_timeout": 1, "socket_timeout": 2},
        task_always_eager=False,
    )
    _reset_connections(app)
    try:
        yield server
    finally:
        if server.process and server.process.poll() is None:
            server.stop()
        app.conf.update(**saved)
        _reset_connections(app)
        connection.close()


def worker():
    from celery.contrib.testing.worker import start_worker

    from officehours.celery import app

    return start_worker(
        app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
    )


def employee_and_slot():
    from tests.conftest import make_user

    employee = make_user("anna@example.se", name="Anna Andersson")
    series = make_series(weeks_ahead=3, min_notice_minutes=0)
    slot = series.sessions.order_by("starts_at").last().slots.order_by("position").first()
    return employee, slot


@pytest.mark.redis
def test_booking_works_while_redis_is_down_and_the_mail_goes_out_once_it_is_back(broker, client):
    employee, slot = employee_and_slot()
    client.force_login(employee)
    broker.stop()
    started = time.monotonic()
    response = client.post(
        "/api/v1/bookings",
        {"slot_id": slot.pk, "note": "Om TikTok"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert time.monotonic() - started < 10  # failing to queue the e-mail does not hang
    row = Notification.objects.get(kind=Notification.BOOKING_CONFIRMED)
    assert row.status == Notification.PENDING and not mail.outbox

    broker.start()
    with worker():
        send_due_notifications.delay()
        assert wait_for(lambda: len(mail.outbox) >= 1, timeout=20)
        send_due_notifications.delay()
        time.sleep(1)
    assert [m.to for m in mail.outbox] == [[employee.email]]
    row.refresh_from_db()
    assert row.status == Notification.SENT


@pytest.mark.redis
def test_a_duplicated_task_delivery_sends_once(broker):
    from officehours.booking.services.bookings import booking_create

    employee, slot = employee_and_slot()
    with worker():
        booking_create(user=employee, slot_id=slot.pk)  # autocommit: queued at once
        row = Notification.objects.get(kind=Notification.BOOKING_CONFIRMED)
        send_notification.delay(row.pk)
        send_notification.delay(row.pk)
        assert wait_for(lambda: Notification.objects.get(pk=row.pk).status == Notification.SENT)
        time.sleep(1)
    assert len(mail.outbox) == 1

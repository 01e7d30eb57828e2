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
import redis
from celery.signals import task_postrun
from django.core import mail

from officehours.booking.services.bookings import booking_create
from officehours.notifications.models import Notification
from officehours.notifications.tasks import send_due_notifications, send_notification
from tests.booking_factories import make_series
from tests.people import make_user
from tests.services import service_unavailable
from tests.workers import broker_at, solo_worker, wait_for

# The worker's thread shares the clock: NOW, with time passing.
pytestmark = pytest.mark.usefixtures("ticking_now")


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
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        assert wait_for(lambda: _pings(client), timeout=10), "redis-server did not start"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


@pytest.fixture
def broker(transactional_db, tmp_path):
    """Celery publishing to a private Redis (started), restored afterwards."""
    if shutil.which("redis-server") is None:
        service_unavailable("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        with broker_at(server.url, {"socket_connect_timeout": 1, "socket_timeout": 2}):
            yield server
    finally:
        if server.process and server.process.poll() is None:
            server.stop()


@pytest.fixture
def tasks_run():
    """The names of the tasks the worker has finished, in order."""
    finished = []

    def record(sender=None, **_kwargs):
        finished.append(sender.name)

    task_postrun.connect(record, weak=False)
    yield finished
    task_postrun.disconnect(record)


def employee_and_slot():
    employee = make_user("anna@example.se", name="Anna Andersson")
    series = make_series(weeks_ahead=2)
    slot = series.sessions.order_by("starts_at").first().slots.order_by("position").first()
    return employee, slot


@pytest.mark.redis
def test_booking_works_while_redis_is_down_and_the_mail_goes_out_once_it_is_back(
    broker, client, tasks_run
):
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
    with solo_worker():
        send_due_notifications.delay()
        assert wait_for(lambda: len(mail.outbox) >= 1, timeout=20)
        send_due_notifications.delay()
        assert wait_for(lambda: tasks_run.count(send_due_notifications.name) == 2, timeout=20)
    assert [m.to for m in mail.outbox] == [[employee.email]]
    row.refresh_from_db()
    assert row.status == Notification.SENT


@pytest.mark.redis
def test_a_duplicated_task_delivery_sends_once(broker, tasks_run):
    employee, slot = employee_and_slot()
    with solo_worker():
        booking_create(user=employee, slot_id=slot.pk)  # autocommit: queued at once
        row = Notification.objects.get(kind=Notification.BOOKING_CONFIRMED)
        send_notification.delay(row.pk)
        send_notification.delay(row.pk)
        assert wait_for(lambda: tasks_run.count(send_notification.name) >= 2, timeout=20)
    assert Notification.objects.get(pk=row.pk).status == Notification.SENT
    assert len(mail.outbox) == 1

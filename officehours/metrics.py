"""Prometheus metrics, served at /metrics to a scraper holding METRICS_TOKEN.

- Requests (count, latency histogram by view): django-prometheus's middleware.
- Bookings by outcome: created, or refused with its code (booking_create).
- The outbox: notifications waiting, being sent, and failed, counted by one
  aggregate query at scrape time (the notification_due index leads with status).
- Celery task outcomes by task name: each worker process adds to a hash in Redis
  as the task ends, and whichever web process is scraped reads it. So the counts
  cover every worker on every host and survive a worker's restart, with nothing
  for the workers to serve. Without Redis (development) they are not counted.

Request and booking counters live in each process. Under gunicorn with several
workers, set PROMETHEUS_MULTIPROC_DIR to an empty folder (per host, emptied before
start) and each scrape adds up every worker's (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import redis
from celery import signals
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from officehours.health import redis_client

logger = logging.getLogger(__name__)

BOOKINGS = Counter(
    "fragestund_bookings",
    "Booking attempts by outcome (created or refused) and refusal code.",
    ["outcome", "code"],
)

OUTBOX_STATUSES = ("pending", "sending", "failed")
TASKS_KEY = "fragestund:metrics:celery_tasks"


def booking_created() -> None:
    BOOKINGS.labels(outcome="created", code="").inc()


def booking_refused(code: str) -> None:
    BOOKINGS.labels(outcome="refused", code=code).inc()


def _outbox_family() -> GaugeMetricFamily:
    return GaugeMetricFamily(
        "fragestund_outbox_notifications",
        "E-mail notifications waiting, being sent, and failed for good.",
        labels=["status"],
    )


def _tasks_family() -> CounterMetricFamily:
    return CounterMetricFamily(
        "fragestund_celery_tasks",
        "Celery tasks ended, by task name and outcome (succeeded, failed, retried).",
        labels=["task", "outcome"],
    )


# Each collector describes itself without reading: registering one would otherwise
# collect once, at start-up, before the database may be queried.
class OutboxCollector(Collector):
    def describe(self) -> list[GaugeMetricFamily]:
        return [_outbox_family()]

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from officehours.notifications.models import Notification

        try:
            rows = (
                Notification.objects.filter(status__in=OUTBOX_STATUSES)
                .order_by()
                .values_list("status")
                .annotate(count=Count("id"))
            )
            counts = dict(rows)
        except DatabaseError:
            logger.warning("Metrics: the outbox could not be counted", exc_info=True)
            return
        family = _outbox_family()
        for status in OUTBOX_STATUSES:
            family.add_metric([status], counts.get(status, 0))
        yield family


class CeleryTaskCollector(Collector):
    def describe(self) -> list[CounterMetricFamily]:
        return [_tasks_family()]

    def collect(self) -> Iterator[CounterMetricFamily]:
        if not settings.REDIS_URL:
            return
        try:
            counts = redis_client(settings.REDIS_URL).hgetall(TASKS_KEY)
        except redis.RedisError:
            logger.warning("Metrics: Celery task counts unreadable", exc_info=True)
            return
        family = _tasks_family()
        for field, count in sorted(counts.items()):
            name = field.decode() if isinstance(field, bytes) else field
            task, _, outcome = name.rpartition("|")
            family.add_metric([task, outcome], int(count))
        yield family


_OWN_COLLECTORS = (OutboxCollector(), CeleryTaskCollector())
for _collector in _OWN_COLLECTORS:
    REGISTRY.register(_collector)


def exposition() -> tuple[bytes, str]:
    """The text a scraper reads, and its content type."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        for collector in _OWN_COLLECTORS:
            registry.register(collector)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def _count_task(task_name: str | None, outcome: str) -> None:
    if not settings.REDIS_URL or not task_name:
        return
    try:
        redis_client(settings.REDIS_URL).hincrby(TASKS_KEY, f"{task_name}|{outcome}", 1)
    except redis.RedisError:
        # A metric is not worth failing (or slowing) a task for.
        logger.debug("Metrics: task outcome not counted", exc_info=True)


@signals.task_success.connect
def _task_succeeded(sender=None, **kwargs) -> None:
    _count_task(getattr(sender, "name", None), "succeeded")


@signals.task_failure.connect
def _task_failed(sender=None, **kwargs) -> None:
    _count_task(getattr(sender, "name", None), "failed")


@signals.task_retry.connect
def _task_retried(sender=None, **kwargs) -> None:
    _count_task(getattr(sender, "name", None), "retried")

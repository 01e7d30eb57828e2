"""Liveness and readiness checks for /health/, /health/live/ and /health/ready/.

Alive: the process answers (no I/O). Ready: the database and Redis (when configured)
answer, and a worker ran the heartbeat job (beat, every minute) recently enough.
"""

from __future__ import annotations

import functools
from typing import Any

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from officehours.models import WorkerHeartbeat


def check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return {"ok": False}
    return {"ok": True}


@functools.cache
def redis_client(url: str) -> redis.Redis:
    """One client (and pool) per URL, failing within a second when Redis is away: for
    the checks here and the metrics, which must never hold up a page or a task."""
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def check_redis() -> dict[str, Any]:
    if not settings.REDIS_URL:
        return {"ok": True, "configured": False}
    try:
        redis_client(settings.REDIS_URL).ping()
    except redis.RedisError:
        return {"ok": False, "configured": True}
    return {"ok": True, "configured": True}


def check_worker(*, database_ok: bool = True) -> dict[str, Any]:
    beat = WorkerHeartbeat.objects.filter(name="default").first() if database_ok else None
    if beat is None:
        return {"ok": False, "last_seen": None}
    age = int((timezone.now() - beat.last_seen).total_seconds())
    return {
        "ok": age <= settings.HEALTH_WORKER_MAX_AGE,
        "last_seen": beat.last_seen.isoformat(),
        "age_seconds": age,
    }


def readiness() -> dict[str, Any]:
    database = check_database()
    checks = {
        "database": database,
        "redis": check_redis(),
        "worker": check_worker(database_ok=database["ok"]),
    }
    return {"ready": all(check["ok"] for check in checks.values()), "checks": checks}

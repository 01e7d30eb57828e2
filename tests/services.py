"""Is PostgreSQL / Redis reachable? Used by conftest.py and by `make test`.

`python -m tests.services postgres URL` exits 0 when PostgreSQL answers.
"""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit

import psycopg
import pytest
import redis

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def require_services() -> bool:
    return os.environ.get("REQUIRE_SERVICES", "") == "1"


def service_unavailable(reason: str) -> None:
    """Skips the test, or fails it when REQUIRE_SERVICES=1 (CI)."""
    if require_services():
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


def redis_test_url() -> str:
    return os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)


def postgres_answers(url: str = DEFAULT_POSTGRES_URL) -> bool:
    parts = urlsplit(url)
    try:
        # The maintenance database: the test database need not exist yet.
        with psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname="postgres",
            connect_timeout=3,
        ):
            return True
    except psycopg.Error:
        return False


def redis_answers(url: str | None = None) -> bool:
    try:
        client = redis.Redis.from_url(url or redis_test_url(), socket_connect_timeout=2)
        return bool(client.ping())
    except redis.RedisError:
        return False


if __name__ == "__main__":
    kind, url = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
    check = {"postgres": postgres_answers, "redis": redis_answers}[kind]
    sys.exit(0 if (check(url) if url else check()) else 1)

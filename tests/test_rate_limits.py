"""allauth's rate limits, backed by Redis when REDIS_URL is set."""

import pytest
import redis
from django.urls import reverse

from tests.services import redis_test_url


def _fail_logins(client, email, times):
    """Whether each attempt was refused for too many failures."""
    limited = []
    for _ in range(times):
        response = client.post(
            reverse("account_login"),
            {"login": email, "password": "wrong"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        limited.append("Too many failed login attempts" in response.content.decode())
    return limited


@pytest.mark.django_db
def test_failed_logins_are_rate_limited_in_memory(client, employee):
    assert _fail_logins(client, employee.email, 7) == [False] * 5 + [True] * 2


@pytest.mark.redis
@pytest.mark.django_db
def test_failed_logins_are_rate_limited_in_redis(client, employee, redis_cache):
    assert _fail_logins(client, employee.email, 7) == [False] * 5 + [True] * 2
    keys = redis.Redis.from_url(redis_test_url()).keys("fragestund-test*")
    assert keys, "the rate-limit counters live in Redis"

"""The Redis cache (officehours/redis_cache.py) works as Django's does.

What keeping one client saves is measured by bench/redis_cache.py."""

import pytest

# The calendar date changes nothing here: `make test-dates` leaves it out.
pytestmark = pytest.mark.dateless


@pytest.mark.redis
def test_add_get_delete(redis_cache):
    assert redis_cache.add("wake", True, timeout=30)
    assert not redis_cache.add("wake", True, timeout=30)
    assert redis_cache.get("wake") is True
    redis_cache.delete("wake")
    assert redis_cache.add("wake", True, timeout=30)

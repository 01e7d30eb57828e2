"""The Redis cache (officehours/redis_cache.py) keeps its client and still works."""

import pytest


@pytest.mark.redis
def test_one_client_serves_every_call(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client() is client  # one server: reads use the same pool


@pytest.mark.redis
def test_add_get_delete_through_the_kept_client(redis_cache):
    assert redis_cache.add("wake", True, timeout=30)
    assert not redis_cache.add("wake", True, timeout=30)
    assert redis_cache.get("wake") is True
    redis_cache.delete("wake")
    assert redis_cache.add("wake", True, timeout=30)

"""Django's Redis cache, keeping one client object per connection pool.

Django builds a new ``redis.Redis`` for every cache call, and building one
copies its table of response callbacks: on a short request (a booking, where
the only cache call is the outbox's wake-up flag) that costs more than the
call to Redis itself. Clients share their pool and are safe across threads.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class _ReusingClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]  # private, not in the stubs
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient

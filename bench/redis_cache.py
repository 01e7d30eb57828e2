"""Time per cache call: Django's Redis cache against ours, which keeps its client.

    REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/redis_cache.py [--calls 20000]

Django builds a new redis.Redis for every cache call (officehours/redis_cache.py says
why that matters on a short request). Prints microseconds per add/get/delete round of
each, and their ratio. Uses (and empties) the given Redis database.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "officehours.settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=20_000)
    args = parser.parse_args()
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14"

    import django

    django.setup()
    from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

    from officehours.redis_cache import RedisCache

    results = {}
    for label, backend in (("django", DjangoRedisCache), ("ours", RedisCache)):
        cache = backend(url, {"KEY_PREFIX": "bench"})
        cache.clear()
        for _ in range(200):  # warm up: connections in the pool
            cache.add("wake", True, timeout=30)
            cache.delete("wake")
        started = time.perf_counter()
        for _ in range(args.calls):
            cache.add("wake", True, timeout=30)
            cache.get("wake")
            cache.delete("wake")
        per_round = (time.perf_counter() - started) / args.calls * 1e6
        results[label] = per_round
        print(f"{label:>6} cache: {per_round:7.1f} µs per add+get+delete ({args.calls} rounds)")
        cache.clear()
    print(f"ratio ours/django: {results['ours'] / results['django']:.2f}")


if __name__ == "__main__":
    main()

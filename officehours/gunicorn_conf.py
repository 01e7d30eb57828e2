"""gunicorn's settings for the web process (the Procfile's, and bench/booking_rush.py's):

    gunicorn officehours.wsgi -c python:officehours.gunicorn_conf

Environment: PORT (8000), WEB_CONCURRENCY (the number of worker processes).
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"

# Sync workers, one per core unless WEB_CONCURRENCY says otherwise. A request here is
# short and busy (a booking is ~3 ms of Python and ~1 ms of PostgreSQL, which waits on
# the disk only for the commit), so more processes than cores only take turns on them
# and evict each other's caches: on two cores a rush of 50 bookings measured p95
# 115–125 ms with two workers, 140–145 ms with three or five (bench/README.md). Raise
# it where requests wait on something slow (exports, a remote database), and keep a
# buffering proxy in front (a sync worker holds a connection until the client has
# read the answer).
cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
workers = int(os.environ.get("WEB_CONCURRENCY") or 0) or cores or 1

accesslog = "-"


def child_exit(server, worker):
    """prometheus_client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR, officehours/metrics.py):
    a worker that exits takes its live gauges out of the sum; its counters stay counted."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

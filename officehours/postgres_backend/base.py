"""Django's PostgreSQL backend with a health check that costs no round trip.

Persistent connections are checked before each request reuses them
(CONN_HEALTH_CHECKS). Django's check sends ``SELECT 1``: one more round trip
on every request, which under load costs as much as a real query. An idle
connection receives nothing unless the server ends it (a restart, a killed
backend: PostgreSQL sends an error and closes, or the socket closes), so a
socket with nothing to read is taken as healthy, and only one with something
waiting is asked with ``SELECT 1``.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed or self.connection.broken:
            return False
        try:
            poller = select.poll()  # select() refuses descriptors past 1023
            poller.register(self.connection.fileno(), select.POLLIN)
            events = poller.poll(0)
        except (OSError, ValueError):
            return False
        if events:
            return super().is_usable()
        return True

"""One JSON object per log line (LOG_FORMAT=json), for log collectors."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    """time, level, logger, message; request_id when known; the exception's traceback.

    The request id comes from a record's `request_id` (logger.info(..., extra=...)) or
    from the X-Request-ID header of the request Django attaches to its own records
    (a load balancer can set one, e.g. HAProxy's unique-id-header)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        request_id = getattr(record, "request_id", None) or (
            getattr(request, "META", {}).get("HTTP_X_REQUEST_ID")
        )
        if request_id:
            entry["request_id"] = str(request_id)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)

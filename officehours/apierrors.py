"""Refusals the API returns as {"code": ..., "message": ...}."""

from __future__ import annotations


class ApiError(Exception):
    """A refusal with a stable machine-readable code and a translated message."""

    def __init__(self, code: str, message: str, status: int = 400, **extra: object) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.extra = extra

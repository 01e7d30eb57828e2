"""A rule said no: the base of every domain refusal.

Each domain lists its codes and translated messages; the API turns any refusal
into {"code": ..., "message": ...} with its HTTP status, and pages show the message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Refused(Exception):
    messages: Mapping[str, StrOrPromise] = {}

    def __init__(self, code: str, status: int = 409) -> None:
        if code not in self.messages:
            raise KeyError(f"{type(self).__name__} has no message for {code!r}")
        self.code = code
        self.status = status
        super().__init__(code)

    @property
    def message(self) -> str:
        return str(self.messages[self.code])

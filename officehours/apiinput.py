"""Checks on API input shared by every router (pydantic validators call these)."""

from __future__ import annotations

from typing import overload

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

_url_validator = URLValidator(schemes=["http", "https"])


@overload
def check_text(value: str) -> str: ...
@overload
def check_text(value: str | None) -> str | None: ...
def check_text(value: str | None) -> str | None:
    """Free text: PostgreSQL cannot store NUL characters."""
    if value and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


@overload
def check_url(value: str) -> str: ...
@overload
def check_url(value: str | None) -> str | None: ...
def check_url(value: str | None) -> str | None:
    if value:
        try:
            _url_validator(value)
        except ValidationError:
            raise ValueError(
                "must be an http(s) address, e.g. https://teams.example.se/…"
            ) from None
    return value

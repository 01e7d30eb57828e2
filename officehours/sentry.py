"""Error reports to Sentry, only when SENTRY_DSN is set (settings.py calls this)."""

from __future__ import annotations

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration


def sentry_init(*, dsn: str, environment: str, transport: Any = None) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # Names, e-mail addresses, questions and IP addresses stay here: no user, no
        # request bodies, no local variables. (data_collection supersedes
        # send_default_pii, left unset, which sends no personal data either.)
        data_collection={"user_info": False, "http_bodies": [], "stack_frame_variables": False},
        # Errors only: no performance tracing unless someone decides to pay for it.
        traces_sample_rate=0,
        transport=transport,
    )

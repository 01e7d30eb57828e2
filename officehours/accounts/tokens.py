"""Personal API tokens: create, revoke, authenticate.

Tokens carry 256 random bits, so a single SHA-256 is enough to store them
(no slow hash needed: guessing is hopeless, and lookups must be fast).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from officehours.accounts.models import ApiToken, User

TOKEN_PREFIX = "fst_"  # noqa: S105 -- a marker, not a secret
_TOKEN_RE = re.compile(r"^fst_[A-Za-z0-9_-]{43}$")


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


def is_well_formed(raw: str) -> bool:
    return bool(_TOKEN_RE.match(raw))


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the stored token and the secret, which is never shown again."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=raw[: len(TOKEN_PREFIX) + 4],
        token_hash=_hash(raw),
    )
    return token, raw


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revokes one of the user's own tokens; someone else's is DoesNotExist."""
    token = ApiToken.objects.get(pk=token_id, user=user)
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now())
        token.refresh_from_db()
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user a token belongs to, or None for anything else.

    Every API call starts here: one query for the token, its user and whether the
    address is verified, and the last-used time written at most once a minute
    per token (API_TOKEN_LAST_USED_RESOLUTION)."""
    if not is_well_formed(raw):
        return None
    verified = EmailAddress.objects.filter(user_id=OuterRef("user_id"), verified=True)
    token = (
        ApiToken.objects.select_related("user")
        .annotate(user_verified=Exists(verified))
        .filter(token_hash=_hash(raw), revoked_at=None, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    stale = now - timedelta(seconds=settings.API_TOKEN_LAST_USED_RESOLUTION)
    if token.last_used_at is None or token.last_used_at < stale:
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at=None) | Q(last_used_at__lt=stale)
        ).update(last_used_at=now)
    user = token.user
    # Saves permissions.has_verified_email a query on every API call.
    user._fragestund_verified = token.user_verified
    return user

"""Personal API tokens: create, revoke, authenticate.

Tokens carry 256 random bits, so a single SHA-256 is enough to store them
(no slow hash needed: guessing is hopeless, and lookups must be fast).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from functools import cache

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q
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


@cache  # the same for every call: the default database's own table names
def _token_user_statement() -> str:
    def table(model: type[models.Model]) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    return (
        "SELECT u.*, t.id AS token_id,"  # noqa: S608 -- the models' own table names
        " (t.last_used_at IS NULL OR t.last_used_at < %s) AS token_mark_used,"
        f" EXISTS(SELECT 1 FROM {table(EmailAddress)} a WHERE a.user_id = u.id AND a.verified)"
        " AS token_user_verified"
        f" FROM {table(ApiToken)} t JOIN {table(User)} u ON u.id = t.user_id"
        " WHERE t.token_hash = %s AND t.revoked_at IS NULL AND u.is_active"
    )


def api_token_authenticate(raw: str) -> User | None:
    """The active user a token belongs to, or None for anything else.

    Every API call starts here: one query for the token, its user and whether the
    address is verified, and the last-used time written at most once a minute
    per token (API_TOKEN_LAST_USED_RESOLUTION). A plain statement: building the
    equivalent ORM query (a join, an EXISTS) cost a millisecond of CPU per call,
    several times what running it costs."""
    if not is_well_formed(raw):
        return None
    now = timezone.now()
    stale = now - timedelta(seconds=settings.API_TOKEN_LAST_USED_RESOLUTION)
    # The same representation the ORM would compare with (text on SQLite).
    stale_db = ApiToken._meta.get_field("last_used_at").get_db_prep_value(stale, connection)
    found = list(User.objects.raw(_token_user_statement(), [stale_db, _hash(raw)]))
    if not found:
        return None
    user = found[0]
    # The statement's own columns, beside the user's fields.
    token_id, mark_used, verified = (
        getattr(user, column) for column in ("token_id", "token_mark_used", "token_user_verified")
    )
    if mark_used:
        ApiToken.objects.filter(pk=token_id).filter(
            Q(last_used_at=None) | Q(last_used_at__lt=stale)
        ).update(last_used_at=now)
    # Saves permissions.has_verified_email a query on every API call.
    user._fragestund_verified = bool(verified)
    return user

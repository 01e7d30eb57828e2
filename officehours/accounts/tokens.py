"""Personal API tokens: create, revoke, authenticate.

Tokens carry 256 random bits, so a single SHA-256 is enough to store them
(no slow hash needed: guessing is hopeless, and lookups must be fast).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, timedelta
from functools import cache

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from officehours import rawrows
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

    Every API call starts here, so it is one statement on PostgreSQL (two on
    SQLite): the token, its user and whether the address is verified, and the
    last-used time written at most once a minute per token."""
    if not is_well_formed(raw):
        return None
    now = timezone.now()
    stale = now - timedelta(seconds=settings.API_TOKEN_LAST_USED_RESOLUTION)
    with rawrows.server_bound_cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_authenticate_sql(touch=True), [_hash(raw), now, stale])
            row = cursor.fetchone()
        else:
            cursor.execute(_authenticate_sql(touch=False), [_hash(raw)])
            row = cursor.fetchone()
            if row is not None and (row[1] is None or _aware(row[1]) < stale):
                ApiToken.objects.filter(pk=row[0]).filter(
                    Q(last_used_at=None) | Q(last_used_at__lt=stale)
                ).update(last_used_at=now)
    if row is None:
        return None
    user = rawrows.read(User, row, 3)
    # Saves permissions.has_verified_email a query on every API call.
    user._fragestund_verified = bool(row[2])
    return user


@cache
def _authenticate_sql(*, touch: bool) -> str:
    quote = connection.ops.quote_name
    tokens = quote(ApiToken._meta.db_table)
    users = quote(User._meta.db_table)
    addresses = quote(EmailAddress._meta.db_table)
    found = f"""
        SELECT t.id AS token_id, t.last_used_at AS token_last_used_at,
               EXISTS (SELECT 1 FROM {addresses} e WHERE e.user_id = u.id AND e.verified)
                   AS user_verified,
               {rawrows.select_list(User, "u")}
        FROM {tokens} t JOIN {users} u ON u.id = t.user_id
        WHERE t.token_hash = %s AND t.revoked_at IS NULL AND u.is_active
    """  # noqa: S608 (table and column names from the models; values are parameters)
    if not touch:
        return found
    return f"""
        WITH found AS ({found}),
        touched AS (
            UPDATE {tokens} SET last_used_at = %s
            WHERE id = (SELECT token_id FROM found)
              AND (last_used_at IS NULL OR last_used_at < %s)
        )
        SELECT * FROM found
    """  # noqa: S608 (table and column names from the models; values are parameters)


def _aware(value):
    # SQLite hands back text or a naive UTC datetime from a raw cursor.
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)

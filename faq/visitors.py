"""Who is reading, for counting each person or anonymous visitor once per entry and day
(faq.services.entry_visitor_counted). What this returns is hashed before it is stored.

- Signed in (page or API, session or token): the account.
- Anonymous: the address. Not a session (a search starts a new one for any client
  without cookies) nor the browser's name (a client sends any it likes): either would
  make each reload a new visitor. Colleagues behind one address count once together.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def visitor_of(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"client:{_client_ip(request)}"


def _client_ip(request: HttpRequest) -> str:
    # allauth's reading of the address, as its sign-in rate limits use it: behind a
    # proxy, ALLAUTH_TRUSTED_PROXY_COUNT makes both see the client rather than the proxy.
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # no address at all
        return ""

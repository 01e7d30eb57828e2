"""Who is reading, for counting each person or anonymous visitor once per entry and day
(faq.services.entry_visitor_counted). What this returns is hashed before it is stored.

- Signed in (page or API, session or token): the account.
- Anonymous with a session the site knows: that session.
- Anonymous without one (a client that drops cookies, or never had any): the address
  and browser, so reloading without cookies is not a new visitor each time.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

_USER_AGENT_MAX = 300


def visitor_of(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    session = getattr(request, "session", None)
    if session is not None:
        # Loading the session (the sign-in check has mostly done so already) drops a key
        # the store does not know: invented session cookies count as no session at all.
        session.keys()
        if session.session_key:
            return f"session:{session.session_key}"
    user_agent = request.headers.get("User-Agent", "")[:_USER_AGENT_MAX]
    return f"client:{_client_ip(request)} {user_agent}"


def _client_ip(request: HttpRequest) -> str:
    # allauth's reading of the address, as its sign-in rate limits use it: behind a
    # proxy, ALLAUTH_TRUSTED_PROXY_COUNT makes both see the client rather than the proxy.
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # no address at all
        return ""

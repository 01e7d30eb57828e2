"""allauth's rate limits, backed by Redis when REDIS_URL is set."""

import re
from urllib.parse import urlsplit

import pytest
import redis
from django.core import mail
from django.urls import reverse

from tests.services import redis_test_url

# Two clients (documentation addresses, RFC 5737): Dave's own and a colleague's.
CLIENT_A = "192.0.2.10"
CLIENT_B = "198.51.100.20"


def _sign_in(client, email, password, **client_headers):
    """The answer to one sign-in: "limited", "signed in" or "refused"."""
    response = client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        HTTP_ACCEPT_LANGUAGE="en",
        **client_headers,
    )
    if "Too many failed login attempts" in response.content.decode():
        return "limited"
    signed_in = "_auth_user_id" in client.session
    client.logout()
    return "signed in" if signed_in else "refused"


def _fail_logins(client, email, times, **client_headers):
    """Whether each attempt was refused for too many failures."""
    return [_sign_in(client, email, "wrong", **client_headers) == "limited" for _ in range(times)]


@pytest.mark.django_db
def test_failed_logins_are_rate_limited_in_memory(client, employee):
    assert _fail_logins(client, employee.email, 7) == [False] * 5 + [True] * 2


@pytest.mark.redis
@pytest.mark.django_db
def test_failed_logins_are_rate_limited_in_redis(client, employee, redis_cache):
    assert _fail_logins(client, employee.email, 7) == [False] * 5 + [True] * 2
    keys = redis.Redis.from_url(redis_test_url()).keys("fragestund-test*")
    assert keys, "the rate-limit counters live in Redis"


@pytest.mark.django_db
def test_failed_logins_lock_the_address_only_from_that_client(client, employee):
    """Five wrong passwords from one client must not lock the owner out everywhere."""
    at_a = {"REMOTE_ADDR": CLIENT_A}
    assert _fail_logins(client, employee.email, 6, **at_a) == [False] * 5 + [True]
    # The address is locked from client A, even with the right password (else the lock
    # would tell a guesser when it guessed right) ...
    assert _sign_in(client, employee.email, "correct horse battery", **at_a) == "limited"
    # ... and the same address in other capitals is the same lock.
    assert _sign_in(client, employee.email.upper(), "wrong", **at_a) == "limited"
    # Its owner, from client B, signs in as ever.
    at_b = {"REMOTE_ADDR": CLIENT_B}
    assert _sign_in(client, employee.email, "correct horse battery", **at_b) == "signed in"
    assert _fail_logins(client, employee.email, 5, **at_b) == [False] * 5


@pytest.mark.django_db
def test_one_client_trying_many_addresses_is_limited(client, employee):
    """Spraying a password over many addresses from one client still meets a limit."""
    at_a = {"REMOTE_ADDR": CLIENT_A}
    limited = [
        _sign_in(client, f"person{i}@example.se", "Sommar2026", **at_a) == "limited"
        for i in range(11)
    ]
    assert limited == [False] * 10 + [True]
    assert _sign_in(client, employee.email, "correct horse battery", **at_a) == "limited"
    at_b = {"REMOTE_ADDR": CLIENT_B}
    assert _sign_in(client, employee.email, "correct horse battery", **at_b) == "signed in"


@pytest.mark.django_db
def test_behind_the_proxy_the_client_is_the_forwarded_address(client, employee, settings):
    """With TRUST_PROXY_HEADERS every request comes from the proxy: the client is the
    address the proxy adds to X-Forwarded-For (the last one), not one the client sent."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    at_a = {**proxy, "HTTP_X_FORWARDED_FOR": CLIENT_A}
    assert _fail_logins(client, employee.email, 6, **at_a) == [False] * 5 + [True]
    # A forged first entry does not make client A someone else.
    forged = {**proxy, "HTTP_X_FORWARDED_FOR": f"{CLIENT_B}, {CLIENT_A}"}
    assert _sign_in(client, employee.email, "correct horse battery", **forged) == "limited"
    at_b = {**proxy, "HTTP_X_FORWARDED_FOR": CLIENT_B}
    assert _sign_in(client, employee.email, "correct horse battery", **at_b) == "signed in"


@pytest.mark.django_db
def test_a_password_reset_lifts_the_lock_for_the_client_that_reset_it(client, employee):
    at_a = {"REMOTE_ADDR": CLIENT_A}
    _fail_logins(client, employee.email, 5, **at_a)
    assert _sign_in(client, employee.email, "correct horse battery", **at_a) == "limited"
    reset = client.post(reverse("account_reset_password"), {"email": employee.email}, **at_a)
    assert reset.status_code == 302
    link = re.search(r"https?://\S+/password/reset/key/\S+", mail.outbox[-1].body).group(0)
    path = urlsplit(link).path
    form = client.get(path, **at_a)
    new = {"password1": "a new long passphrase", "password2": "a new long passphrase"}
    assert client.post(form.url, new, **at_a).status_code == 302
    client.logout()
    assert _sign_in(client, employee.email, "a new long passphrase", **at_a) == "signed in"

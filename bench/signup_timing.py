"""Sign-up time for a new address against addresses that already have an account.

    .venv/bin/python bench/signup_timing.py [--attempts 50] [--allauth-form]

In-process, through Django's test client, on a fresh test database, with the
production password hasher (Django's PBKDF2) and Django's in-memory mail backend (an
SMTP server would add the same wait to every kind: each sends one e-mail). The kinds
take turns, each attempt with an address of its own and a fresh browser, and the
cache (rate limits) is emptied before each, outside the measured time.
--allauth-form measures allauth's own sign-up form, as before issue 18; --no-hash
swaps in a hasher that costs nothing, to show what differs besides the hash.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "officehours.settings")

PASSWORD = "a long passphrase 42"  # noqa: S105 -- the bench's throwaway accounts
KINDS = ("new", "taken", "taken, other case", "taken, SSO only", "taken, unverified")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=50, help="per kind")
    parser.add_argument("--allauth-form", action="store_true")
    parser.add_argument("--no-hash", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.runner import DiscoverRunner
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_EMAIL_DOMAINS = ["example.se"]
    if args.allauth_form:
        settings.ACCOUNT_FORMS = {}
    if args.no_hash:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    runner = DiscoverRunner(verbosity=0)
    old_config = runner.setup_databases()
    try:
        from officehours.accounts.models import User

        def existing(email, *, verified=True, usable=True):
            user = User.objects.create_user(email=email, password=PASSWORD)
            if not usable:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)

        def address(kind, i):
            if kind == "new":
                return f"new{i}@example.se"
            if kind == "taken":
                existing(f"taken{i}@example.se")
                return f"taken{i}@example.se"
            if kind == "taken, other case":
                existing(f"Case{i}@Example.se")
                return f"CASE{i}@example.SE"
            if kind == "taken, SSO only":
                existing(f"sso{i}@example.se", usable=False)
                return f"sso{i}@example.se"
            existing(f"unverified{i}@example.se", verified=False)
            return f"unverified{i}@example.se"

        def attempt(email):
            cache.clear()
            browser = Client()
            data = {"name": "Bench", "email": email, "password1": PASSWORD, "password2": PASSWORD}
            start = time.perf_counter()
            response = browser.post("/accounts/signup/", data)
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 302, response.status_code
            return elapsed

        attempt(address("new", -1))  # warm up
        times = {kind: [] for kind in KINDS}
        for i in range(args.attempts):
            for kind in KINDS:
                times[kind].append(attempt(address(kind, i)))

        form = "allauth's own form" if args.allauth_form else "the project's form"
        hasher = "MD5 (no cost)" if args.no_hash else "PBKDF2"
        print(f"sign-up, {form}, {hasher}, {connection.vendor}, {args.attempts} attempts per kind")
        new_median = statistics.median(times["new"])
        for kind in KINDS:
            ordered = sorted(times[kind])
            median = statistics.median(ordered)
            p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
            print(
                f"  {kind:18} median {median:7.1f} ms  p95 {p95:7.1f} ms"
                f"  median / new {median / new_median:.2f}"
            )
    finally:
        runner.teardown_databases(old_config)


if __name__ == "__main__":
    main()

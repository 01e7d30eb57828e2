"""Server time and query count of the API frame and the signed-in pages.

    .venv/bin/python bench/api_me.py [--requests 500]

Runs in-process through Django's test client against a fresh test database,
so the figures are server time only (no network, no browser).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "officehours.settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()

    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.runner import DiscoverRunner
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    runner = DiscoverRunner(verbosity=0)
    old_config = runner.setup_databases()
    try:
        from officehours.accounts.models import User
        from officehours.accounts.tokens import api_token_create

        user = User.objects.create_user(email="bench@example.se", password="x", name="Bench")
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        _token, raw = api_token_create(user=user, name="bench")
        api_client = Client()
        browser = Client()
        browser.force_login(user)

        def measure(label, do_request):
            do_request()  # warm up
            queries = []
            with connection.execute_wrapper(
                lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)
            ):
                do_request()
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                response = do_request()
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.status_code
            times.sort()
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            print(
                f"{label}: median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, "
                f"{len(queries)} queries ({connection.vendor}, {args.requests} requests)"
            )

        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        measure("GET /api/v1/me (bearer token)", lambda: api_client.get("/api/v1/me", **auth))
        measure("GET / (signed in)", lambda: browser.get("/"))
        measure("GET /profile/ (signed in)", lambda: browser.get("/profile/"))
    finally:
        runner.teardown_databases(old_config)


if __name__ == "__main__":
    main()

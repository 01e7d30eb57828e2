"""Statements a booking request sends to the database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fragestund_bench \\
        .venv/bin/python bench/booking_round_trips.py [--refusals 20]

Prints, for one booking through `POST /api/v1/bookings` and for refusals of a full
slot, how many statements each sent and which (Django's own log of them).
Figures, not pass or fail: tests/test_booking_*.py test what the booking path
does; this shows what it costs in round trips.

Runs in-process through Django's test client against a fresh test database.
"""

import argparse
import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "officehours.settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--refusals", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from datetime import time

    from allauth.account.models import EmailAddress
    from django.db import connection
    from django.test import Client
    from django.test.runner import DiscoverRunner
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    setup_test_environment()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # each refusal's 409
    runner = DiscoverRunner(verbosity=0)
    old_config = runner.setup_databases()
    try:
        from officehours.accounts.models import User
        from officehours.accounts.tokens import api_token_create
        from officehours.booking.services.sessions import series_create
        from officehours.notifications import wakeup

        wakeup.send_soon = lambda: None  # the worker's part is not measured here
        series = series_create(
            title="Bench",
            weekday=3,
            start_time=time(10, 0),
            duration_minutes=60,
            slot_minutes=15,
            seats_per_slot=1,
            timezone="Europe/Stockholm",
            weeks_ahead=2,
            min_notice_minutes=0,
            max_active_bookings=1,
            starts_on=timezone.localdate(),
        )
        slot = series.sessions.order_by("starts_at").first().slots.order_by("position").first()
        tokens = []
        for n in range(args.refusals + 1):
            user = User.objects.create_user(email=f"b{n}@example.se", password="x")
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            tokens.append(api_token_create(user=user, name="bench")[1])
        client = Client()

        def book(raw):
            with CaptureQueriesContext(connection) as seen:
                response = client.post(
                    "/api/v1/bookings",
                    {"slot_id": slot.pk},
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {raw}",
                )
            return response.status_code, [q["sql"] or "" for q in seen.captured_queries]

        status, booked = book(tokens[0])
        refusals = [book(raw) for raw in tokens[1:]]
        print(f"database: {connection.vendor}")
        print(f"booking (HTTP {status}): {len(booked)} statements")
        statuses = sorted({s for s, _ in refusals})
        counts = sorted({len(statements) for _, statements in refusals})
        print(f"refusals (HTTP {statuses}): {counts} statements each, {len(refusals)} refusals")
        for label, statements in (("booking", booked), ("refusal", refusals[-1][1])):
            print(f"{label}:")
            for sql in statements:
                print("   ", " ".join(sql.split())[:110])
    finally:
        runner.teardown_databases(old_config)


if __name__ == "__main__":
    main()

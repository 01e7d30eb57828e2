"""The fault drill's Django side (deploy/drill.py runs it with the cluster's settings):

    python -m deploy.drill_data prepare RUN CLIENTS SEATS   # prints the drill's data as JSON
    python -m deploy.drill_data count RUN                   # prints what the database holds

Everything a run makes is marked with its RUN id (in e-mail addresses and series titles),
so runs on the same cluster database never count each other's rows.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The rush's session reminds this long before it starts. The reminders fall due in the
# drill's first two minutes, so the sweep that makes and sends them (every minute) runs
# across the faults.
REMINDER_MINUTES = 30
# ...but not before the rush is over (about 10 s, web1's kill included): a booking made
# after its reminder's moment gets none (officehours/notifications/reminders.py). A drill
# prepared late in a minute once had every booking land after it, and no reminders.
RUSH_SECONDS = 45
PROBES = 3


def address(run: str, kind: str, number: int) -> str:
    return f"drill-{run}-{kind}-{number:04d}@example.test"


def reminders_due_at(now: dt.datetime) -> dt.datetime:
    """The first whole minute at least RUSH_SECONDS from now."""
    return (now + dt.timedelta(seconds=RUSH_SECONDS)).replace(
        second=0, microsecond=0
    ) + dt.timedelta(minutes=1)


def prepare(run: str, clients: int, seats: int) -> dict[str, Any]:
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from officehours.accounts.models import User
    from officehours.accounts.tokens import api_token_create

    starts_at = reminders_due_at(timezone.now()) + dt.timedelta(minutes=REMINDER_MINUTES)
    rush = _session(run, "rush", starts_at, seats, reminders=[REMINDER_MINUTES])
    # The probes book after the faults, in a session of their own that always has room.
    probe = _session(run, "probe", starts_at, PROBES, reminders=[])

    def token(kind: str, number: int) -> str:
        user = User.objects.create_user(email=address(run, kind, number), name=f"Drill {number}")
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return api_token_create(user=user, name="fault drill")[1]

    return {
        "clients": [token("client", n) for n in range(clients)],
        "probes": [token("probe", n) for n in range(PROBES)],
        "slots": rush["slots"],
        "probe_slot": probe["slots"][0]["id"],
        "reminders_due": (starts_at - dt.timedelta(minutes=REMINDER_MINUTES)).isoformat(),
    }


def _session(
    run: str, kind: str, starts_at: dt.datetime, seats: int, reminders: list[int]
) -> dict[str, Any]:
    """A weekly series whose session today starts at `starts_at`: one slot of `seats` seats,
    so that every booking's reminder falls due at the same moment."""
    from django.conf import settings

    from officehours.booking.models import Session
    from officehours.booking.services.sessions import series_create

    local = starts_at.astimezone(_zone(settings.TIME_ZONE))
    series = series_create(
        title=f"Fault drill {run} ({kind})",
        weekday=local.weekday(),
        start_time=local.time(),
        duration_minutes=60,
        slot_minutes=60,
        seats_per_slot=seats,
        timezone=settings.TIME_ZONE,
        weeks_ahead=1,
        min_notice_minutes=5,
        max_active_bookings=1,
        reminder_offsets=reminders,
        starts_on=local.date(),
    )
    session = Session.objects.get(series=series, starts_at=starts_at)
    return {
        "session": session.pk,
        "slots": [
            {"id": slot.pk, "capacity": slot.capacity}
            for slot in session.slots.filter(removed=False).order_by("position")
        ],
    }


def _zone(name: str) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def count(run: str) -> dict[str, Any]:
    """What the database holds of this run: seats, bookings and e-mails by kind and status."""
    from django.db.models import Count, Q

    from officehours.booking.models import Booking, Slot
    from officehours.notifications.models import Notification

    mine = f"drill-{run}-"
    slots = Slot.objects.filter(session__series__title__startswith=f"Fault drill {run} ")
    slot_rows = slots.annotate(
        active=Count("bookings", filter=Q(bookings__status=Booking.ACTIVE))
    ).values("id", "capacity", "booked", "active")
    bookings = Booking.objects.filter(user__email__startswith=mine, status=Booking.ACTIVE)
    notifications = (
        Notification.objects.filter(recipient__email__startswith=mine)
        .values("kind", "status")
        .annotate(n=Count("id"))
    )
    return {
        "slots": list(slot_rows),
        "bookings": {b.user.email: b.pk for b in bookings.select_related("user")},
        "notifications": [
            {"kind": n["kind"], "status": n["status"], "count": n["n"]} for n in notifications
        ],
    }


def main(argv: list[str]) -> int:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "officehours.settings")
    django.setup()
    if argv[1:2] == ["prepare"]:
        result = prepare(argv[2], int(argv[3]), int(argv[4]))
    elif argv[1:2] == ["count"]:
        result = count(argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

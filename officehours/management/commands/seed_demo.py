"""Demo data for `make run`: safe to run again and again (it never duplicates)."""

from datetime import time
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from faq.seed import faq_seed
from officehours.accounts.models import User
from officehours.accounts.roles import adviser_grant
from officehours.booking.models import Booking, Series, Session
from officehours.booking.services.bookings import booking_create
from officehours.booking.services.errors import BookingRefused
from officehours.booking.services.rules import booking_window
from officehours.booking.services.sessions import series_create, sessions_sync
from officehours.questions.services import question_from_note
from officehours.questions.topics import topics_seed

DEMO_USERS = [
    # local part, name, language, role, password
    ("radgivare", "Rut Rådgivare", "sv", "adviser", "demo-adviser-2026"),
    ("anna", "Anna Andersson", "sv", "employee", "demo-employee-2026"),
    ("erik", "Erik Eriksson", "en", "employee", "demo-employee-2026"),
    ("admin", "Ada Admin", "sv", "administrator", "demo-admin-2026"),
]


class Command(BaseCommand):
    help = "Creates demo users (an adviser, two employees, an administrator) and prints sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="run even with DEBUG off (never in production)"
        )

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates users with known passwords; DEBUG is off.")
        domain = (
            settings.ALLOWED_EMAIL_DOMAINS[0] if settings.ALLOWED_EMAIL_DOMAINS else "example.se"
        )
        lines = []
        with transaction.atomic():
            for local, name, language, role, password in DEMO_USERS:
                email = f"{local}@{domain}"
                user = seed_user(email=email, name=name, language=language, password=password)
                if role == "adviser":
                    adviser_grant(user=user)
                if role == "administrator" and not (user.is_staff and user.is_superuser):
                    user.is_staff = user.is_superuser = True
                    user.save(update_fields=["is_staff", "is_superuser"])
                lines.append(f"  {role:<14} {email:<28} {password}")
            seed_question_hour(domain)
            topics_seed()
            faq_seed(author=User.objects.filter(email=f"radgivare@{domain}").first())
        self.stdout.write("Demo sign-ins (role, e-mail, password):")
        self.stdout.write("\n".join(lines))


def seed_user(*, email: str, name: str, language: str, password: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=password, name=name, language=language
        )
    elif not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


DEMO_NOTES = [
    ("anna", "Får jag dela min chefs LinkedIn-inlägg om vår nya tjänst från mitt privata konto?"),
    ("erik", "A journalist called me about our project. What should I say, and to whom?"),
]


def seed_question_hour(domain: str) -> Series:
    """A weekly Thursday 10:00-11:00 hour with 15-minute slots, and a few bookings."""
    series = Series.objects.filter(title="Frågestund om sociala medier").first()
    if series is None:
        series = series_create(
            title="Frågestund om sociala medier",
            description="Kommunikationsavdelningens frågestund om sociala medier i jobbet.",
            weekday=3,
            start_time=time(10, 0),
            duration_minutes=60,
            slot_minutes=15,
            seats_per_slot=1,
            location="Rum 2.14 och Teams",
            weeks_ahead=4,
            min_notice_minutes=60,
            max_active_bookings=1,
            advisers=User.objects.filter(email=f"radgivare@{domain}"),
        )
    else:
        sessions_sync(series=series)
    now = timezone.now()
    open_slots = [
        slot
        for session in series.sessions.filter(status=Session.SCHEDULED, starts_at__gt=now)
        for slot in session.slots.filter(removed=False).order_by("position")
        if booking_window(slot, session)[0] <= now < booking_window(slot, session)[1]
    ]
    for (local, note), slot in zip(DEMO_NOTES, open_slots[1::2], strict=False):
        user = User.objects.get(email=f"{local}@{domain}")
        existing = Booking.objects.filter(user=user, status=Booking.ACTIVE).first()
        if existing is not None:
            if existing.note and not existing.questions.exists():
                question_from_note(author=user, note=existing.note, booking=existing)
            continue
        try:
            booking = booking_create(user=user, slot_id=slot.pk, note=note)
        except BookingRefused:
            continue  # someone took it in the demo already; demo data stays best effort
        question_from_note(author=user, note=note, booking=booking)
    return series

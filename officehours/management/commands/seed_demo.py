"""Demo data for `make run`: safe to run again and again (it never duplicates)."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from officehours.accounts.models import User
from officehours.accounts.roles import adviser_grant

DEMO_USERS = [
    # local part, name, language, role, password
    ("radgivare", "Rut Rådgivare", "sv", "adviser", "demo-adviser-2026"),
    ("anna", "Anna Andersson", "sv", "employee", "demo-employee-2026"),
    ("erik", "Erik Eriksson", "en", "employee", "demo-employee-2026"),
    ("admin", "Ada Admin", "sv", "administrator", "demo-admin-2026"),
]


class Command(BaseCommand):
    help = "Creates demo users (an adviser, two employees, an administrator) and prints sign-ins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="run even with DEBUG off (never in production)"
        )

    def handle(self, *args, force, **options):
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

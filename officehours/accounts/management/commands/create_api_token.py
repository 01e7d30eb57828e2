from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from officehours.accounts.models import User
from officehours.accounts.tokens import api_token_create
from officehours.permissions import is_employee


class Command(BaseCommand):
    help = "Creates a personal API token for a user and prints it (shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="command line", help="what the token is for")

    def handle(self, *args: Any, email: str, name: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user has the e-mail address {email!r}.")
        if not is_employee(user):
            raise CommandError(f"{user.email} has not verified their e-mail address yet.")
        if not name.strip():
            raise CommandError("--name must not be empty.")
        _token, raw = api_token_create(user=user, name=name)
        # Only the token on stdout, so scripts can capture it with $(…).
        self.stdout.write(raw)

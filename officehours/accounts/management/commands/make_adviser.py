from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from officehours.accounts.models import User
from officehours.accounts.roles import adviser_grant, adviser_revoke


class Command(BaseCommand):
    help = "Makes a user a comms adviser, or with --remove takes the role away."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--remove", action="store_true", help="remove the adviser role")

    def handle(self, *args: Any, email: str, remove: bool, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user has the e-mail address {email!r}.")
        if remove:
            changed = adviser_revoke(user=user)
            message = "is no longer a comms adviser" if changed else "was not a comms adviser"
        else:
            changed = adviser_grant(user=user)
            message = "is now a comms adviser" if changed else "was already a comms adviser"
        self.stdout.write(f"{user.email} {message}.")

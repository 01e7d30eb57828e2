from typing import Any

from django.core.management.base import BaseCommand

from officehours.booking.services.sessions import sessions_sync


class Command(BaseCommand):
    help = "Creates the sessions of every series' booking horizon and brings future ones in line."

    def handle(self, *args: Any, **options: Any) -> None:
        result = sessions_sync()
        self.stdout.write(
            f"{result.created} session(s) created ({result.skipped_for_holidays} skipped for "
            f"holidays), {result.updated} updated."
        )

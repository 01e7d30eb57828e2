import os
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Compiles the project's .po catalogues to .mo. Pure Python, so no GNU gettext "
        "is needed to run the site; fuzzy entries are left out, as msgfmt does."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                try:
                    catalogue = polib.pofile(str(po_path))
                except (OSError, ValueError) as exc:
                    raise CommandError(f"{po_path}: {exc}") from exc
                for entry in catalogue.fuzzy_entries():
                    entry.obsolete = True  # polib's save_as_mofile skips obsolete entries
                # Written aside and moved into place: a process reading the catalogue
                # meanwhile (a server, a test run beside `make cluster`) sees old or new.
                target = po_path.with_suffix(".mo")
                partial = target.with_suffix(f".mo.{os.getpid()}.tmp")
                catalogue.save_as_mofile(str(partial))
                os.replace(partial, target)
                count += 1
        self.stdout.write(f"Compiled {count} catalogue(s).")

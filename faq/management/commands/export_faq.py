"""`manage.py export_faq [FILE]`: FAQ entries as JSON Lines or CSV, as import_faq reads them."""

import io
import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from faq import exchange


class Command(BaseCommand):
    help = "Writes FAQ entries as JSON Lines or CSV (UTF-8), ordered by language and title."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", default=exchange.STDIN, help="where to write (default: stdout)"
        )
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=exchange.FORMATS,
            help="the format (default: csv for a .csv file, otherwise jsonl)",
        )
        parser.add_argument(
            "--state",
            choices=[*exchange.STATES, "all"],
            default="all",
            help="only entries in this state (default: all)",
        )
        parser.add_argument("--language", choices=exchange.LANGUAGES, help="only this language")

    def handle(
        self,
        *args: Any,
        file: str,
        file_format: str | None,
        state: str,
        language: str | None,
        **options: Any,
    ) -> None:
        try:
            file_format = exchange.detect_format(file, file_format)
        except exchange.ExchangeError as error:
            raise CommandError(str(error)) from error
        rows = exchange.export_rows(exchange.entries_for_export(state=state, language=language))
        if file != exchange.STDIN:
            try:
                with open(file, "w", encoding="utf-8", newline="") as out:
                    count = exchange.write_rows(rows, out, file_format)
            except OSError as error:
                raise CommandError(f"cannot write {file}: {error.strerror or error}") from error
            self.stdout.write(f"exported {count} entries to {file}")
            return
        if options.get("stdout"):  # call_command(stdout=...): already a text stream
            count = exchange.write_rows(rows, options["stdout"], file_format)
        else:
            sys.stdout.flush()
            out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
            try:
                count = exchange.write_rows(rows, out, file_format)
                out.flush()
            except BrokenPipeError:
                # The reader stopped early (`export_faq | head`): not an error. What is
                # still buffered goes nowhere instead of failing again at exit.
                rows.close()
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                return
            finally:
                out.detach()  # leave sys.stdout open
        self.stderr.write(f"exported {count} entries", style_func=str)

"""`manage.py import_faq FILE`: FAQ entries from JSON Lines or CSV (see faq/exchange.py)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from faq import exchange

PROGRESS_EVERY = 1000  # rows between progress lines when stderr is not a terminal
BAR_WIDTH = 30


class Progress:
    """An in-place bar on a terminal, else a line every PROGRESS_EVERY rows."""

    def __init__(self, out, *, total_lines: int | None):
        self.out = out
        self.tty = out.isatty()
        self.total = total_lines
        self.rows = 0
        self.line = 0
        self.drawn_at = 0.0

    def __call__(self, line: int) -> None:
        self.rows += 1
        self.line = line
        if not self.tty:
            if self.rows % PROGRESS_EVERY == 0:
                self._write(f"{self.rows} rows read\n")
        elif time.monotonic() - self.drawn_at >= 0.1:
            self._draw()

    def done(self) -> None:
        if self.tty and self.rows:
            self._draw()
            self._write("\n")

    def _draw(self) -> None:
        self.drawn_at = time.monotonic()
        if self.total:
            share = min(self.line / self.total, 1.0)
            filled = round(share * BAR_WIDTH)
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self._write(f"\r[{bar}] {share:4.0%}  line {self.line} of {self.total}")
        else:
            self._write(f"\r{self.rows} rows read")

    def _write(self, text: str) -> None:
        self.out.write(text, style_func=str, ending="")
        self.out.flush()


class Command(BaseCommand):
    help = (
        "Imports FAQ entries from JSON Lines or CSV (title, answer, topic, language, tags, "
        "state). Importing the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a .jsonl or .csv file, or - for standard input")
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=exchange.FORMATS,
            help="the file's format (default: csv for a .csv file, otherwise jsonl)",
        )
        parser.add_argument(
            "--publish", action="store_true", help="publish every entry, whatever its state says"
        )

    def handle(
        self, *args: Any, file: str, file_format: str | None, publish: bool, **options: Any
    ) -> None:
        try:
            file_format = exchange.detect_format(file, file_format)
            total = exchange.count_lines(file) if self.stderr.isatty() else None
            progress = Progress(self.stderr, total_lines=total)
            with exchange.open_input(file) as stream:
                rows = exchange.read_rows(stream, file_format)
                try:
                    result = exchange.import_rows(rows, publish_all=publish, progress=progress)
                finally:
                    progress.done()
        except exchange.ExchangeError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror or error}") from error
        for line, message in result.errors:
            self.stderr.write(f"line {line}: {message}")
        self.stdout.write(result.summary())
        if result.errors:
            raise CommandError(f"{len(result.errors)} line(s) rejected", returncode=1)

"""Page budget: server time and query count of each main page, with a year of data.

    .venv/bin/python bench/pages.py [--database postgres|sqlite] [--database-url URL]
        [--reuse] [--seats 2] [--rounds 30] [--only TEXT] [--show-queries TEXT|all]

Builds its own database anew (PostgreSQL fragestund_pages_bench, made if missing, or
var/bench/pages.sqlite3) and fills it with the data of pages_data.py: a year of a
weekly series (--seats seats per slot), 2,000 questions, 10,000 FAQ entries and the
rest; --reuse measures the data already there instead.

Then, in-process (Django's test client, DEBUG off, production settings otherwise),
each page is requested three times to warm up, once inside CaptureQueriesContext to
count its queries, and --rounds times (pages interleaved, the garbage collector's
long-lived objects frozen as in a web process) to time it, signed in as
Anna (an employee) or Rut (an adviser). Budget: p95 <= 100 ms and <= 15 queries;
pages over it are marked. The exit status is 0 whatever the figures: this is a
benchmark, not a test.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.faq_search import configure, percentile
from bench.pages_data import SERIES_TITLE, data_present, generate

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/fragestund_pages_bench"
DEFAULT_SQLITE_URL = "sqlite:///var/bench/pages.sqlite3"
# Other people's databases: never dropped or filled by this script.
FORBIDDEN = {
    "fragestund",
    "fragestund_mine",
    "fragestund_dev",
    "fragestund_faq_bench",
    "fragestund_bench",
}
BUDGET_MS, BUDGET_QUERIES = 100.0, 15


# The database ---------------------------------------------------------------------


def prepare_database(url: str, fresh: bool) -> None:
    """PostgreSQL: create the database if missing, or anew when `fresh`. SQLite: the file."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        from officehours.env import database_from_url

        # The file the settings will open (sqlite:///var/... is under the checkout).
        path = Path(database_from_url("DATABASE_URL", url, ROOT)["NAME"])
        if fresh:
            path.unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg
    from psycopg import sql

    name = unquote(parts.path.lstrip("/"))
    if parts.hostname not in {"127.0.0.1", "localhost"} or "bench" not in name:
        raise SystemExit("use a local PostgreSQL database whose name contains 'bench'")
    if name in FORBIDDEN:
        raise SystemExit(f"{name} belongs to someone else; choose another --database-url")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        ident = sql.Identifier(name)
        if fresh:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(ident))


# Measuring ------------------------------------------------------------------------


@dataclass
class Page:
    label: str
    persona: str
    path: str | None
    note: str = ""
    status: int = 0
    queries: int = 0
    sql: list = field(default_factory=list)
    times: list = field(default_factory=list)
    cpu: list = field(default_factory=list)  # this process's CPU time: no waiting, no SQL
    sql_ms: list = field(default_factory=list)  # time in the database driver


def targets() -> dict:
    """The objects the pages show, chosen from the data as it is now."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from faq.models import Entry
    from officehours.accounts.models import User
    from officehours.booking.models import Booking, Session, Slot
    from officehours.booking.services.rules import booking_window
    from officehours.questions.models import Question

    now = timezone.now()
    anna = User.objects.get(email="anna@example.se")
    upcoming = Session.objects.filter(
        series__title=SERIES_TITLE, ends_at__gt=now, status=Session.SCHEDULED
    )
    full = upcoming.annotate(
        n=Count("bookings", filter=Q(bookings__status=Booking.ACTIVE))
    ).order_by("-n", "starts_at")[0]
    mine = Booking.objects.filter(user=anna, status=Booking.ACTIVE).values("session_id")
    candidates = (
        Slot.objects.filter(session__in=upcoming, removed=False)
        .exclude(session__in=mine)
        .select_related("session__series")
        .order_by("starts_at")
    )
    for slot in candidates:  # the first Anna could book now
        opens, closes = booking_window(slot, slot.session)
        if slot.available > 0 and opens <= now < closes:
            break
    entry = (
        Entry.objects.filter(state=Entry.PUBLISHED, topic__isnull=False)
        .annotate(n=Count("revisions"))
        .order_by("-n", "id")[0]
    )
    question = Question.objects.filter(state=Question.SUBMITTED, booking__isnull=False).order_by(
        "-me_too_count", "id"
    )[0]
    return {"anna": anna, "full": full, "slot": slot, "entry": entry, "question": question}


def pages(t: dict) -> list[Page]:
    from django.urls import Resolver404, resolve

    def page(label, persona, path):
        try:
            resolve(path.split("?")[0])
        except Resolver404:
            return Page(label, persona, None, note=f"{path}: no such URL yet, skipped")
        return Page(label, persona, path)

    e, q = t["entry"], t["question"]
    filtered = "?state=all&topic=crisis&language=sv&assigned=&sort=me_too"
    return [
        page("home", "employee", "/"),
        page("FAQ index (browse)", "employee", "/faq/"),
        page("FAQ search: common word", "employee", "/faq/?q=policy"),
        page("FAQ search: nothing found", "employee", "/faq/?q=xylofonkvartett"),
        page("FAQ entry", "employee", f"/faq/{e.slug}/"),
        page("book", "employee", "/book/"),
        page("book one slot", "employee", f"/book/{t['slot'].pk}/"),
        page("my bookings", "employee", "/bookings/"),
        page("my questions", "employee", "/questions/"),
        page("ask", "employee", "/questions/ask/"),
        page("shared questions", "employee", "/questions/shared/"),
        page("profile", "employee", "/profile/"),
        page("adviser home", "adviser", "/advisers/"),
        page("sessions list", "adviser", "/advisers/sessions/"),
        page("agenda (full session)", "adviser", f"/advisers/sessions/{t['full'].pk}/"),
        page("series list", "adviser", "/advisers/series/"),
        page("question queue", "adviser", "/advisers/questions/"),
        page("question queue, filtered", "adviser", f"/advisers/questions/{filtered}"),
        page("question (adviser)", "adviser", f"/advisers/questions/{q.pk}/"),
        page("FAQ entries list", "adviser", "/advisers/faq/"),
        page("FAQ entry editor", "adviser", f"/advisers/faq/{e.pk}/"),
        page("FAQ entry revisions", "adviser", f"/advisers/faq/{e.pk}/revisions/"),
        page("content gaps", "adviser", "/advisers/faq/gaps/"),
        page("tags", "adviser", "/advisers/faq/tags/"),
        page("e-mail delivery", "adviser", "/advisers/notifications/"),
        page("insights", "adviser", "/advisers/insights/"),
    ]


def measure(selected: list[Page], rounds: int, anna) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from officehours.accounts.models import User

    clients = {"employee": Client(), "adviser": Client()}
    clients["employee"].force_login(anna)
    clients["adviser"].force_login(User.objects.get(email="rut@example.se"))
    statements = []  # (ms, sql) of the request under way

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append(((time.perf_counter() - started) * 1000, sql))

    live = [p for p in selected if p.path]
    with connection.execute_wrapper(timer):
        for p in live:
            client = clients[p.persona]
            for _ in range(3):
                p.status = client.get(p.path).status_code
            statements.clear()
            with CaptureQueriesContext(connection) as captured:
                client.get(p.path)
            p.queries, p.sql = len(captured), list(statements)
        live = [p for p in live if p.status == 200]
        # As officehours/wsgi.py does in a web process: what lives as long as the
        # process is left out of collections (else a full one, ~80 ms, lands in a page).
        gc.collect()
        gc.freeze()
        for _round in range(rounds):  # interleaved, so drift hits every page alike
            for p in live:
                statements.clear()
                started, cpu = time.perf_counter(), time.thread_time()
                clients[p.persona].get(p.path)
                p.times.append((time.perf_counter() - started) * 1000)
                p.cpu.append((time.thread_time() - cpu) * 1000)
                p.sql_ms.append(sum(ms for ms, _sql in statements))


ROW = "{:<28} {:<9} {:>7} {:>7} {:>8} {:>8} {:>8}{}"


def report(selected: list[Page], rounds: int, vendor: str, generation: str, load) -> None:
    print()
    print(ROW.format("page", "persona", "p50 ms", "p95 ms", "queries", "cpu p50", "sql p50", ""))
    over = []
    for p in selected:
        if not p.times:
            why = p.note or f"status {p.status}"
            print(ROW.format(p.label, p.persona, "-", "-", "-", "-", "-", f"  ({why})"))
            continue
        p95 = percentile(p.times, 95)
        marks = [f"> {BUDGET_MS:.0f} ms"] if p95 > BUDGET_MS else []
        marks += [f"> {BUDGET_QUERIES} queries"] if p.queries > BUDGET_QUERIES else []
        if marks:
            over.append(p.label)
        figures = [f"{percentile(p.times, 50):.1f}", f"{p95:.1f}", p.queries]
        figures += [f"{percentile(p.cpu, 50):.1f}", f"{percentile(p.sql_ms, 50):.1f}"]
        flag = f"  << {', '.join(marks)}" if marks else ""
        print(ROW.format(p.label, p.persona, *figures, flag))
    print(f"\n{vendor}, {rounds} rounds per page, in-process test client, DEBUG off")
    print("cpu p50: this process's CPU time per request, without waiting for a core (and")
    print("without the SQL on PostgreSQL: SQLite runs inside the process)")
    print("sql p50: time spent executing SQL per request, as the client saw it")
    print(f"load average before and after timing: {load[0]:.2f}, {load[1]:.2f}")
    print(f"data: {generation}")
    print(
        f"budget p95 <= {BUDGET_MS:.0f} ms and <= {BUDGET_QUERIES} queries: "
        + (f"{len(over)} over ({', '.join(over)})" if over else "every page within")
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--database-url", help=f"{DEFAULT_PG_URL} or {DEFAULT_SQLITE_URL}")
    parser.add_argument("--reuse", action="store_true", help="measure the data already there")
    parser.add_argument("--seats", type=int, default=2, help="seats per slot (2)")
    parser.add_argument("--rounds", type=int, default=30, help="timed requests per page (30)")
    parser.add_argument("--only", help="measure only pages whose label contains this")
    parser.add_argument(
        "--show-queries", metavar="TEXT", help="print the SQL of these pages (or all)"
    )
    args = parser.parse_args()
    postgres = args.database == "postgres"
    url = args.database_url or (DEFAULT_PG_URL if postgres else DEFAULT_SQLITE_URL)
    if postgres != url.startswith("postgres") or args.rounds < 1 or args.seats < 1:
        parser.error("--database-url must match --database; --rounds, --seats >= 1")
    prepare_database(url, fresh=not args.reuse)
    configure(url)

    import django

    warnings.filterwarnings("ignore", "No directory at", UserWarning)  # no collectstatic here
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from officehours.accounts.models import User
    from officehours.booking.services.sessions import sessions_sync
    from officehours.celery import app

    # No collectstatic here: plain static names (hashed ones only change the URL).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    app.conf.task_always_eager = True  # never hand a task to someone's dev worker
    call_command("migrate", verbosity=0, interactive=False)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}, DEBUG off")
    if args.reuse and data_present():
        sessions_sync()  # what beat does hourly: the horizon moves on
        generation = "reused the data already there"
    elif args.reuse and User.objects.exists():
        raise SystemExit("the database holds other or half-made data: run without --reuse")
    else:
        seconds = generate(args.seats)
        generation = f"generated in {seconds:.1f} s ({args.seats} seats per slot)"
    print(generation)
    t = targets()
    selected = [p for p in pages(t) if not args.only or args.only.lower() in p.label.lower()]
    load = os.getloadavg()[0]
    measure(selected, args.rounds, t["anna"])
    load = (load, os.getloadavg()[0])
    report(selected, args.rounds, connection.vendor, generation, load)
    if args.show_queries:
        for p in selected:
            if args.show_queries == "all" or args.show_queries.lower() in p.label.lower():
                print(f"\n-- {p.label}: {p.path} ({p.queries} queries)")
                for number, (ms, sql) in enumerate(p.sql, 1):
                    print(f"{number:3d}. {ms:6.1f} ms  {sql}")


if __name__ == "__main__":
    main()

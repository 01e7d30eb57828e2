"""A booking rush on the production server: throughput, latency and oversold seats.

    .venv/bin/python bench/booking_rush.py --clients 50 [--workers N] [--rounds 1]
        [--database-url postgres://postgres@127.0.0.1:5432/fragestund_bench]

What it does:

1. Creates a throwaway PostgreSQL database (dropped at the end; an existing one is
   replaced only if its name contains "bench"), runs `manage.py migrate` on it and
   makes N employees (verified address, personal API token), and 12 more for the
   warm-up.
2. Starts gunicorn with the production configuration (`officehours/gunicorn_conf.py`:
   sync workers, one per core unless --workers) on a free port of 127.0.0.1, with
   DEBUG=false, e-mail kept in memory and, when it answers, Redis (database 14) for
   the cache and the broker. Vacuums, analyzes and checkpoints the database, then warms the
   server up: the warm-up clients book in four sessions of their own.
3. For each scenario (1 and 10 seats per slot) and round, creates a fresh weekly
   series (four 15-minute slots, one booking per person and session) and releases
   N clients together (http_burst.py: one connection each, from one thread); each
   sends `POST /api/v1/bookings` for a slot chosen round-robin, so the 4 × S seats
   are contended. Right before each rush the same N clients send `GET /api/v1/me`
   together: the yardstick, measured on the same server at the same moment. (The
   clients' tokens have been used once before, unmeasured, as a working token has.)
4. Counts in the database, per slot, the active bookings beyond the slot's seats.

It prints, per scenario: requests, successes (201), refusals by status and code,
5xx responses, bookings per second (successes / wall time of the rush), p50 and p95
latency as the client sees it (connect + request + response), the same for the
bursts of `/api/v1/me`, oversold seats and where the CPU went (cpu_split.py), next
to the target: 0 oversold, 0 5xx, and a booking p95 at most 1.2 times the p95 of
`/api/v1/me`, at 50 concurrent clients.
Only 127.0.0.1 is contacted. The figures are for comparing runs on one machine.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import runpy
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from cpu_split import CpuSplit
from http_burst import burst, request_bytes

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/fragestund_bench"
SCENARIO_SEATS = (1, 10)
ENDPOINT = "/api/v1/bookings"
STEP_TIMEOUT = 300
# The booking's p95 against the p95 of the same burst of GET /api/v1/me (the cheapest
# authenticated request), measured right before each rush on the same server.
TARGET_RATIO = 1.2
TARGET_CLIENTS = 50
# Clients of their own for the warm-up, each booking once in each warm-up session.
WARM_UP_CLIENTS = 12
WARM_UP_SESSIONS = 4


# The Django side: run in a child process with the server's environment.


def _step_prepare(args) -> dict:
    """Makes the employees and one fresh series per scenario and round."""
    import datetime as dt

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "officehours.settings")
    django.setup()
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from officehours.accounts.models import User
    from officehours.accounts.tokens import api_token_create

    tokens = []
    for i in range(args.clients + WARM_UP_CLIENTS):
        user = User.objects.create_user(email=f"bench-{i:04d}@example.se", name=f"Bench {i}")
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        _token, raw = api_token_create(user=user, name="booking rush")
        tokens.append(raw)

    today = timezone.localdate()
    weekday = (today + dt.timedelta(days=3)).weekday()
    sessions = {}
    # Warm-up sessions first: every worker books a few times before the rushes.
    for n in range(1, WARM_UP_SESSIONS + 1):
        seats = -(-WARM_UP_CLIENTS // 4)  # a seat for each warm-up client in four slots
        sessions[f"warm-up/{n}"] = _bookable_session(weekday, today, seats, f"warm-up {n}")
    for seats in SCENARIO_SEATS:
        for round_no in range(1, args.rounds + 1):
            title = f"{seats} seat(s) per slot, round {round_no}"
            sessions[f"{seats}/{round_no}"] = _bookable_session(weekday, today, seats, title)
    return {"tokens": tokens, "sessions": sessions}


def _bookable_session(weekday, today, seats: int, title: str) -> dict:
    """A fresh weekly series and its first session whose four slots are all bookable now."""
    import datetime as dt

    from django.utils import timezone

    from officehours.booking.models import Session
    from officehours.booking.services.sessions import series_create

    series = series_create(
        title=f"Booking rush, {title}",
        weekday=weekday,
        start_time=dt.time(10, 0),
        duration_minutes=60,
        slot_minutes=15,
        seats_per_slot=seats,
        timezone="Europe/Stockholm",
        weeks_ahead=2,
        min_notice_minutes=60,
        max_active_bookings=1,
        starts_on=today,
    )
    now = timezone.now()
    scheduled = Session.objects.filter(series=series, status=Session.SCHEDULED)
    for session in scheduled.order_by("starts_at"):
        slots = list(session.slots.filter(removed=False).order_by("position"))
        if slots and all(
            dt.timedelta(minutes=60) < s.starts_at - now < dt.timedelta(weeks=2) for s in slots
        ):
            return {
                "session_id": session.pk,
                "starts_at": timezone.localtime(session.starts_at).isoformat(),
                "slot_ids": [s.pk for s in slots],
                "capacity": sum(s.capacity for s in slots),
            }
    raise SystemExit(f"no bookable session in series {series.pk}")


# The bench side: standard library and psycopg only.


def _conninfo(url: str, dbname: str | None = None) -> str:
    """A libpq connection string from a DATABASE_URL (without Django-only options)."""
    from psycopg.conninfo import make_conninfo

    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    options.pop("conn_max_age", None)
    return make_conninfo(
        host=parts.hostname or "",
        port=str(parts.port or 5432),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or "") or None,
        dbname=dbname or unquote(parts.path.lstrip("/")),
        **options,
    )


def _create_database(url: str) -> str:
    import psycopg
    from psycopg import sql

    name = unquote(urlsplit(url).path.lstrip("/"))
    if not name or name in {"postgres", "template0", "template1"}:
        raise SystemExit(f"refusing to use database {name!r} as the throwaway bench database")
    with psycopg.connect(_conninfo(url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            if "bench" not in name:
                raise SystemExit(f"database {name!r} exists and is not a bench database: stop")
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        version = conn.execute("SHOW server_version").fetchone()[0]
    return version


def _drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = unquote(urlsplit(url).path.lstrip("/"))
    with psycopg.connect(_conninfo(url, "postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


BENCH_REDIS_URL = "redis://127.0.0.1:6379/14"


def _redis_answers(url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.flushdb()  # the bench's own database number: last run's queued e-mails go
        return True
    except redis.RedisError:
        return False


def _server_env(url: str, port: int) -> dict:
    env = dict(os.environ)
    names = ("DATABASE_URL", "SECRET_KEY", "SITE_URL", "ALLOWED_HOSTS", "EMAIL_URL", "REDIS_URL")
    for name in (*names, "DEBUG", "SECURE_SSL_REDIRECT"):
        env.pop(f"{name}_FILE", None)
    env.pop("REDIS_URL", None)
    if _redis_answers(BENCH_REDIS_URL):
        # As in production: the cache, and the broker each booking's e-mail is queued on.
        env["REDIS_URL"] = BENCH_REDIS_URL
    env.update(
        DJANGO_SETTINGS_MODULE="officehours.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        SITE_URL=f"http://127.0.0.1:{port}",
        ALLOWED_HOSTS="127.0.0.1",
        EMAIL_URL="memorymail://",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=url,
        PYTHONUNBUFFERED="1",
    )
    return env


def _run(command: list[str], env: dict, what: str) -> str:
    result = subprocess.run(  # noqa: S603 -- fixed argv: this interpreter and the project's files
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=STEP_TIMEOUT
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"{what} failed (exit {result.returncode})")
    return result.stdout


def _configured_workers() -> int:
    """How many workers the production configuration starts here (WEB_CONCURRENCY, cores)."""
    return runpy.run_path(str(ROOT / "officehours" / "gunicorn_conf.py"))["workers"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_me(port: int, token: str) -> bytes:
    return request_bytes("GET", "/api/v1/me", port, token)


def _wait_until_up(port: int, token: str, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.stderr.write(log_path.read_text(encoding="utf-8", errors="replace")[-4000:])
            raise SystemExit(f"gunicorn exited with {server.returncode} before answering")
        (answer,) = burst(port, [_get_me(port, token)])
        if answer.status == 200:
            return
        if answer.status is not None:
            raise SystemExit(f"GET /api/v1/me answered {answer.status}: {answer.payload}")
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 60 s")


def _settle_database(url: str) -> None:
    """As a database in use is: statistics settled (no autovacuum pass in mid-rush; it
    makes every server process plan its statements again, so the warm-up comes after
    it) and the writes of its making on disk. Creating and migrating a database leaves
    the disk busy writing back for a while, and a commit's flush then waited 100–300
    ms behind it (seen with log_min_duration_statement), which no server would see."""
    import psycopg

    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        try:
            conn.execute("CHECKPOINT")
        except psycopg.errors.InsufficientPrivilege:
            print("! not a superuser: no CHECKPOINT before the rush")
    os.sync()


def _oversold(url: str, session_id: int) -> tuple[int, int, int]:
    """(oversold seats, active bookings, slots whose `booked` counter disagrees)."""
    import psycopg

    query = """
        SELECT s.id, s.capacity, s.booked,
               COUNT(b.id) FILTER (WHERE b.status = 'active') AS active
        FROM booking_slot s
        LEFT JOIN booking_booking b ON b.slot_id = s.id
        WHERE s.session_id = %s
        GROUP BY s.id, s.capacity, s.booked
    """
    with psycopg.connect(_conninfo(url)) as conn:
        rows = conn.execute(query, [session_id]).fetchall()
    oversold = sum(max(0, active - capacity) for _id, capacity, _booked, active in rows)
    active_total = sum(active for *_rest, active in rows)
    counter_off = sum(1 for _id, _capacity, booked, active in rows if booked != active)
    return oversold, active_total, counter_off


@dataclass
class Figures:
    seats: int
    capacity: int = 0
    requests: int = 0
    successes: int = 0
    refusals: Counter = field(default_factory=Counter)
    server_errors: int = 0
    no_answer: int = 0
    wall_seconds: float = 0.0
    latencies_ms: list = field(default_factory=list)
    me_latencies_ms: list = field(default_factory=list)
    oversold: int = 0
    active_bookings: int = 0
    counter_mismatches: int = 0
    odd: list = field(default_factory=list)
    cpu: CpuSplit | None = None


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _bookings(port: int, tokens: list[str], slot_ids: list[int]) -> list[bytes]:
    """One booking request per person, for the slots in turn."""
    return [
        request_bytes("POST", ENDPOINT, port, token, {"slot_id": slot_ids[i % len(slot_ids)]})
        for i, token in enumerate(tokens)
    ]


def _rush(server_group: int, port: int, url: str, tokens, session: dict, figures: Figures):
    requests = _bookings(port, tokens, session["slot_ids"])
    cpu_before = CpuSplit.take(server_group)
    answers = burst(port, requests)
    cpu_after = CpuSplit.take(server_group)
    if cpu_before and cpu_after:
        spent = cpu_after - cpu_before
        figures.cpu = spent if figures.cpu is None else figures.cpu + spent
    figures.wall_seconds += max(a.ended for a in answers) - min(a.started for a in answers)
    figures.capacity += session["capacity"]
    for answer in answers:
        status, payload = answer.status, answer.payload
        figures.requests += 1
        if status is None:
            figures.no_answer += 1
            figures.odd.append(f"no answer: {payload}")
            continue
        figures.latencies_ms.append(answer.seconds * 1000)
        if status == 201:
            figures.successes += 1
            continue
        code = payload.get("code", "?") if isinstance(payload, dict) else "?"
        if status >= 500:
            figures.server_errors += 1
            figures.odd.append(f"{status}: {payload}")
        figures.refusals[(status, code)] += 1
    oversold, active, counter_off = _oversold(url, session["session_id"])
    figures.oversold += oversold
    figures.active_bookings += active
    figures.counter_mismatches += counter_off


ACCESS_FORMAT = "access %(m)s %(U)s %(s)s %(D)s"
SLOW_SERVER_MICROS = 40_000


def _report_server_time(log_path: Path, offset: int) -> None:
    """Time spent inside gunicorn per booking request (from its access log), all rushes."""
    micros = []
    with log_path.open("rb") as log:
        log.seek(offset)
        text = log.read().decode("utf-8", "replace")
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 5 and parts[0] == "access" and parts[1:3] == ["POST", "/api/v1/bookings"]:
            micros.append(int(parts[4]))
    if not micros:
        return
    micros.sort()
    p50 = micros[len(micros) // 2] / 1000
    p95 = micros[max(0, int(len(micros) * 0.95) - 1)] / 1000
    slow = sum(m > SLOW_SERVER_MICROS for m in micros)
    print(
        f"\nserver time per booking request (gunicorn, all rushes): p50 {p50:.1f} ms, "
        f"p95 {p95:.1f} ms, max {micros[-1] / 1000:.1f} ms over {len(micros)} requests; "
        f"{slow} over {SLOW_SERVER_MICROS // 1000} ms (a commit waiting on a slow disk flush "
        f"shows here: log_min_duration_statement names it)"
    )


def _report(figures: Figures, rounds: int, clients: int) -> None:
    p50 = _percentile(figures.latencies_ms, 50)
    p95 = _percentile(figures.latencies_ms, 95)
    wall = figures.wall_seconds or math.nan
    rate = figures.successes / wall
    refusals = ", ".join(
        f"{status} {code}: {count}" for (status, code), count in sorted(figures.refusals.items())
    )
    me_p95 = _percentile(figures.me_latencies_ms, 95)
    ratio = p95 / me_p95
    p95_target = "met" if ratio <= TARGET_RATIO else "missed"
    if clients != TARGET_CLIENTS:
        p95_target += f" (target is set at {TARGET_CLIENTS} clients)"
    print(f"== {figures.seats} seat(s) per slot, {rounds} round(s) ==")
    print(f"clients: {clients}")
    print(f"seats per slot: {figures.seats}")
    print(f"total capacity: {figures.capacity} (4 slots x {figures.seats} x {rounds} round(s))")
    print(f"requests: {figures.requests}")
    print(f"successes (201): {figures.successes}")
    print(f"refusals: {refusals or 'none'}")
    print(f"5xx responses: {figures.server_errors} (target 0)")
    if figures.no_answer:
        print(f"requests without an answer (timeout or connection error): {figures.no_answer}")
    print(
        f"bookings per second: {rate:.1f} "
        f"({figures.successes} in {figures.wall_seconds * 1000:.0f} ms of rush)"
    )
    requests_rate = (figures.requests - figures.no_answer) / wall
    print(f"requests per second: {requests_rate:.1f} (answered requests / wall time of the rush)")
    print(f"latency p50: {p50:.1f} ms")
    print(f"latency p95: {p95:.1f} ms")
    print(
        f"GET /api/v1/me, the same burst before each rush: "
        f"p50 {_percentile(figures.me_latencies_ms, 50):.1f} ms, p95 {me_p95:.1f} ms"
    )
    print(f"p95 booking / p95 me: {ratio:.2f} (target <= {TARGET_RATIO}: {p95_target})")
    print(f"oversold seats: {figures.oversold} (target 0)")
    if figures.cpu is not None:
        print(figures.cpu.per_request_line(figures.requests))
    valid = not (figures.server_errors or figures.no_answer or figures.oversold)
    verdict = "met" if valid and ratio <= TARGET_RATIO else "missed"
    print(f"target (0 oversold, 0 5xx, every request answered, p95 ratio): {verdict}")
    if figures.active_bookings != figures.successes:
        print(
            f"! active bookings in the database: {figures.active_bookings}, "
            f"201 responses: {figures.successes}"
        )
    if figures.counter_mismatches:
        print(
            f"! slots whose booked counter differs from their active bookings: "
            f"{figures.counter_mismatches}"
        )
    if figures.refusals and all(status == 404 for status, _code in figures.refusals):
        print(f"! every refusal is 404: is {ENDPOINT} routed?")
    for line in figures.odd[:5]:
        print(f"! {line}")
    print()


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


def _bench(args) -> None:
    started = time.monotonic()
    url = args.database_url
    if urlsplit(url).hostname not in {"127.0.0.1", "localhost"}:
        raise SystemExit("the bench only talks to 127.0.0.1: use a local DATABASE_URL")
    python = sys.executable
    gunicorn = Path(python).parent / "gunicorn"
    if not gunicorn.exists():
        gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    port = _free_port()
    env = _server_env(url, port)
    log_dir = Path(tempfile.mkdtemp(prefix="booking_rush_"))
    log_path = log_dir / "gunicorn.log"
    print(f"command: {shlex.join(sys.orig_argv)}")
    server = None
    keep_log = False
    try:
        version = _create_database(url)
        _run([python, "manage.py", "migrate", "--noinput"], env, "migrate")
        prepare = [python, __file__, "--step", "prepare"]
        prepare += ["--clients", str(args.clients), "--rounds", str(args.rounds)]
        output = _run(prepare, env, "data setup")
        prepared = json.loads(output.strip().splitlines()[-1])
        # The measured clients' tokens are used first in the rush (a first use writes
        # its last-used time); the warm-up clients' warm the server up.
        tokens = prepared["tokens"][: args.clients]
        warm_up_tokens = prepared["tokens"][args.clients :]
        workers = args.workers or _configured_workers()
        redis = f"Redis {BENCH_REDIS_URL}" if env.get("REDIS_URL") else "no Redis"
        print(
            f"server: gunicorn officehours.wsgi (officehours/gunicorn_conf.py), {workers} sync "
            f"workers, 127.0.0.1:{port}, DEBUG=false, {redis}; PostgreSQL {version}, "
            f"database {urlsplit(url).path.lstrip('/')}"
        )
        print(
            f"target: 0 oversold, 0 5xx, p95 <= {TARGET_RATIO} x the p95 of the same burst of "
            f"GET /api/v1/me, at {TARGET_CLIENTS} concurrent clients"
        )
        for key, session in prepared["sessions"].items():
            if key.startswith("warm-up"):
                continue
            seats, round_no = key.split("/")
            print(
                f"session {session['session_id']} ({seats} seat(s), round {round_no}) "
                f"starts {session['starts_at']}: slot ids {session['slot_ids']}"
            )
        print()
        # The production configuration (the Procfile's), on a port of its own.
        command = [str(gunicorn), "officehours.wsgi", "-c", "python:officehours.gunicorn_conf"]
        command += ["--bind", f"127.0.0.1:{port}", "--graceful-timeout", "5"]
        command += ["--workers", str(workers)]
        command += ["--access-logfile", "-", "--access-logformat", ACCESS_FORMAT]
        with log_path.open("w", encoding="utf-8") as log:
            server = subprocess.Popen(  # noqa: S603 -- fixed argv: the venv's gunicorn
                command,
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_until_up(port, warm_up_tokens[0], server, log_path)
        _settle_database(url)
        # Every worker loads the URLconf and opens its files before the rush ...
        warm = burst(port, [_get_me(port, t) for t in warm_up_tokens])
        if any(a.status != 200 for a in warm):
            failed = [(a.status, a.payload) for a in warm if a.status != 200]
            raise SystemExit(f"warm-up failed: {failed[:3]}")
        # ... and books a few times (statements prepared and planned), as a server that
        # has been up a while has.
        for n in range(1, WARM_UP_SESSIONS + 1):
            slot_ids = prepared["sessions"][f"warm-up/{n}"]["slot_ids"]
            warm = burst(port, _bookings(port, warm_up_tokens, slot_ids))
            if any(a.status != 201 for a in warm):
                failed = [(a.status, a.payload) for a in warm if a.status != 201]
                raise SystemExit(f"warm-up booking failed: {failed[:3]}")
        burst(port, [_get_me(port, t) for t in tokens])  # each token's first use, unmeasured
        log_offset = log_path.stat().st_size
        for seats in SCENARIO_SEATS:
            figures = Figures(seats=seats)
            for round_no in range(1, args.rounds + 1):
                session = prepared["sessions"][f"{seats}/{round_no}"]
                floor = burst(port, [_get_me(port, t) for t in tokens])
                figures.me_latencies_ms += [a.seconds * 1000 for a in floor if a.status == 200]
                _rush(server.pid, port, url, tokens, session, figures)
            _report(figures, args.rounds, args.clients)
            keep_log = keep_log or bool(figures.server_errors or figures.no_answer)
        _report_server_time(log_path, log_offset)
    finally:
        if server is not None:
            _stop(server)
        try:
            _drop_database(url)
        except Exception as exc:
            print(f"! could not drop the bench database: {exc}", file=sys.stderr)
        if keep_log:
            print(f"gunicorn log kept at {log_path}")
        else:
            log_path.unlink(missing_ok=True)
            log_dir.rmdir()
    print(f"whole run: {time.monotonic() - started:.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument(
        "--workers",
        type=int,
        help="gunicorn workers (default: the production configuration's, one per core)",
    )
    parser.add_argument("--rounds", type=int, default=1, help="rushes per scenario (1)")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help=f"throwaway database, created and dropped ({DEFAULT_DATABASE_URL})",
    )
    parser.add_argument("--step", choices=["prepare"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.clients < 1 or (args.workers is not None and args.workers < 1) or args.rounds < 1:
        parser.error("--clients, --workers and --rounds must be at least 1")
    if args.step == "prepare":
        print(json.dumps(_step_prepare(args)))
        return
    _bench(args)


if __name__ == "__main__":
    main()

"""The live hour under 300 viewers: how soon each sees a change, and what they cost.

    .venv/bin/python bench/live.py [--viewers 300] [--changes 20] [--workers N]
        [--database-url postgres://postgres@127.0.0.1:5432/fragestund_live_bench]

What it does:

1. Creates a throwaway PostgreSQL database (dropped at the end), migrates it and makes
   the viewers (employees, each signed in: a session cookie), an adviser with an API
   token, and a session whose live hour is open now with a few approved questions.
2. Starts gunicorn with the production configuration (officehours/gunicorn_conf.py),
   as bench/booking_rush.py does, with Redis (database 14) when it answers.
3. Each viewer does what the live page's htmx does: every POLL_MS it asks
   `GET /live/<id>/poll/?v=<token>`; a 204 means nothing changed, a 200 brings the
   fresh list and its new token. The viewers start spread over one interval.
4. Every --interval seconds the adviser changes the hour (`POST
   /api/v1/questions/{id}/now-answering`, round the questions), --changes times. A
   change's delay for a viewer is from the adviser's answer (the change is committed by
   then) to that viewer's first poll that brings a token at least that new.

It prints the delays (p50, p95, max over every viewer and change), the polls per second
and their answers, and the CPU they cost per viewer per minute (the server's processes,
and PostgreSQL's), next to the target: every viewer sees a change within 2 s.
Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from booking_rush import (
    _configured_workers,
    _conninfo,
    _create_database,
    _drop_database,
    _free_port,
    _run,
    _server_env,
    _settle_database,
    _stop,
)
from cpu_split import CpuSplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/fragestund_live_bench"
TARGET_SECONDS = 2.0
QUESTIONS = 6
TOKEN = re.compile(rb"\?v=(\d+)\.(upcoming|live|ended)")


# The Django side: run in a child process with the server's environment.


def _step_prepare(args) -> dict:
    import datetime as dt

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "officehours.settings")
    django.setup()
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from officehours.accounts.models import User
    from officehours.accounts.roles import adviser_grant
    from officehours.accounts.tokens import api_token_create
    from officehours.booking.models import Session
    from officehours.booking.services.sessions import series_create
    from officehours.live.services import live_question_ask
    from officehours.live.views import POLL_MS

    def person(email: str) -> User:
        user = User.objects.create_user(email=email, name=email.split("@")[0])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    # An hour that started ten minutes ago (its live page is open for another 50).
    local = timezone.localtime() - dt.timedelta(minutes=10)
    series = series_create(
        title="Live bench",
        weekday=local.weekday(),
        start_time=local.time().replace(second=0, microsecond=0),
        duration_minutes=60,
        slot_minutes=60,
        seats_per_slot=500,
        timezone=settings.TIME_ZONE,
        weeks_ahead=1,
        min_notice_minutes=0,
        starts_on=local.date(),
        live_approval=False,
    )
    session = Session.objects.filter(series=series).order_by("starts_at").first()
    adviser = person("live-adviser@example.se")
    adviser_grant(user=adviser)
    asker = person("live-asker@example.se")
    questions = [
        live_question_ask(session=session, author=asker, title=f"Fråga {n} om sociala medier")
        for n in range(QUESTIONS)
    ]
    cookies = []
    for n in range(args.viewers):
        client = Client()
        client.force_login(person(f"live-viewer-{n:04d}@example.se"))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        cookies.append(f"{cookie.key}={cookie.value}")
    return {
        "session": session.pk,
        "questions": [q.pk for q in questions],
        "adviser_token": api_token_create(user=adviser, name="live bench")[1],
        "cookies": cookies,
        "poll_ms": POLL_MS,
    }


# The viewers and the adviser.


class Viewer(threading.Thread):
    def __init__(self, port: int, session: int, cookie: str, period: float, offset: float):
        super().__init__(daemon=True)
        self.port, self.path, self.cookie = port, f"/live/{session}/poll/", cookie
        self.period, self.offset = period, offset
        self.token = ""
        self.seen: list[tuple[float, int]] = []  # (when, version) of each 200
        self.answers: Counter[int | None] = Counter()
        self.stop = threading.Event()

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        next_at = time.monotonic() + self.offset
        while not self.stop.is_set():
            pause = next_at - time.monotonic()
            if pause > 0 and self.stop.wait(pause):
                break
            next_at += self.period  # htmx's `every`: a fixed beat, whatever the answer took
            try:
                connection.request(
                    "GET", f"{self.path}?v={self.token}", headers={"Cookie": self.cookie}
                )
                answer = connection.getresponse()
                body = answer.read()
            except (OSError, http.client.HTTPException):
                self.answers[None] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                continue
            self.answers[answer.status] += 1
            if answer.status == 200:
                found = TOKEN.search(body)
                if found:
                    self.token = f"{found[1].decode()}.{found[2].decode()}"
                    self.seen.append((time.monotonic(), int(found[1])))
        connection.close()


def _version(url: str, session: int) -> int:
    import psycopg

    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        row = conn.execute("SELECT live_version FROM booking_session WHERE id = %s", [session])
        return row.fetchone()[0]


def _change(port: int, token: str, question: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(
        "POST",
        f"/api/v1/questions/{question}/now-answering",
        headers={"Authorization": f"Bearer {token}", "Content-Length": "0"},
    )
    answer = connection.getresponse()
    answer.read()
    connection.close()
    if answer.status != 200:
        raise SystemExit(f"now-answering answered {answer.status}")


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def _bench(args) -> None:
    started = time.monotonic()
    url = args.database_url
    if urlsplit(url).hostname not in {"127.0.0.1", "localhost"}:
        raise SystemExit("the bench only talks to 127.0.0.1: use a local DATABASE_URL")
    python = sys.executable
    gunicorn = Path(python).parent / "gunicorn"
    port = _free_port()
    env = _server_env(url, port)
    log_dir = Path(tempfile.mkdtemp(prefix="live_bench_"))
    log_path = log_dir / "gunicorn.log"
    print(f"command: {shlex.join(sys.orig_argv)}")
    server = None
    viewers: list[Viewer] = []
    try:
        version = _create_database(url)
        _run([python, "manage.py", "migrate", "--noinput"], env, "migrate")
        output = _run(
            [python, __file__, "--step", "prepare", "--viewers", str(args.viewers)],
            env,
            "data setup",
        )
        prepared = json.loads(output.strip().splitlines()[-1])
        workers = args.workers or _configured_workers()
        period = prepared["poll_ms"] / 1000
        redis = "Redis" if env.get("REDIS_URL") else "no Redis"
        print(
            f"server: gunicorn (officehours/gunicorn_conf.py), {workers} sync workers, "
            f"DEBUG=false, {redis}; PostgreSQL {version}; {args.viewers} viewers polling "
            f"every {period:g} s; a change every {args.interval:g} s, {args.changes} times"
        )
        command = [str(gunicorn), "officehours.wsgi", "-c", "python:officehours.gunicorn_conf"]
        command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
        with log_path.open("w", encoding="utf-8") as log:
            server = subprocess.Popen(  # noqa: S603 -- fixed argv: the venv's gunicorn
                command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        _wait_up(port, server)
        _settle_database(url)
        session = prepared["session"]
        viewers = [
            Viewer(port, session, cookie, period, offset=period * n / len(prepared["cookies"]))
            for n, cookie in enumerate(prepared["cookies"])
        ]
        for viewer in viewers:
            viewer.start()
        time.sleep(period * 3)  # every viewer has its first token
        before = CpuSplit.take(server.pid)
        answered_before = sum(sum(v.answers.values()) for v in viewers)
        window_start = time.monotonic()
        changes: list[tuple[float, int]] = []
        for n in range(args.changes):
            question = prepared["questions"][n % len(prepared["questions"])]
            _change(port, prepared["adviser_token"], question)
            changes.append((time.monotonic(), _version(url, session)))
            time.sleep(args.interval)
        time.sleep(period * 2)
        window = time.monotonic() - window_start
        after = CpuSplit.take(server.pid)
        answered = sum(sum(v.answers.values()) for v in viewers) - answered_before
        for viewer in viewers:
            viewer.stop.set()
        for viewer in viewers:
            viewer.join(timeout=15)
        _report(args, viewers, changes, window, answered, before, after)
    finally:
        for viewer in viewers:
            viewer.stop.set()
        if server is not None:
            _stop(server)
        try:
            _drop_database(url)
        except Exception as exc:
            print(f"! could not drop the bench database: {exc}", file=sys.stderr)
        log_path.unlink(missing_ok=True)
        log_dir.rmdir()
    print(f"whole run: {time.monotonic() - started:.1f} s")


def _wait_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode} before answering")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health/live/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 60 s")


def _report(args, viewers, changes, window, answered, before, after) -> None:
    delays, missed = [], 0
    for changed_at, version in changes:
        for viewer in viewers:
            seen = next((when for when, v in viewer.seen if v >= version), None)
            if seen is None:
                missed += 1
            else:
                delays.append(max(0.0, seen - changed_at))
    answers = Counter()
    for viewer in viewers:
        answers.update(viewer.answers)
    print(f"\npolls: {answered / window:.0f} per second; answers {dict(answers)}")
    if delays:
        print(
            f"delay until a viewer sees a change ({len(delays)} = {len(viewers)} viewers x "
            f"{len(changes)} changes): p50 {statistics.median(delays):.2f} s, "
            f"p95 {_percentile(delays, 95):.2f} s, max {max(delays):.2f} s; missed {missed}"
        )
    if before and after:
        minutes = window / 60
        server = (after.server - before.server) / len(viewers) / minutes
        postgres = (after.postgres - before.postgres) / len(viewers) / minutes
        print(
            f"CPU per viewer per minute: server {server * 1000:.0f} ms, PostgreSQL "
            f"{postgres * 1000:.0f} ms (all {len(viewers)} viewers: "
            f"{(server + postgres) * len(viewers):.1f} CPU-seconds a minute)"
        )
    met = delays and _percentile(delays, 95) <= TARGET_SECONDS and not missed
    print(f"target: a change seen within {TARGET_SECONDS:g} s (p95, none missed): "
          f"{'met' if met else 'MISSED'}")  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=300)
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--interval", type=float, default=3.0, help="seconds between changes")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: one per core)")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--step", choices=["prepare"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "prepare":
        print(json.dumps(_step_prepare(args)))
        return
    _bench(args)


if __name__ == "__main__":
    main()

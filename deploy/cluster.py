"""The production topology on one machine, as separate processes (`make cluster`).

    python -m deploy.cluster start   # PostgreSQL, PgBouncer, Redis, 2 web nodes, HAProxy,
                                     # 2 Celery workers, 2 beats; returns once /health/ answers
    python -m deploy.cluster stop    # stops what `start` started (its pid files), nothing else
    python -m deploy.cluster run     # start, then wait; Ctrl-C stops everything
    python -m deploy.cluster manage seed_demo   # manage.py with the cluster's settings

Everything lives under var/cluster/: the PostgreSQL cluster of its own (pg/), the configs,
logs (log/NAME.log) and pid files (run/NAME.pid). The Django processes run with the
production settings (DEBUG off) and reach PostgreSQL through PgBouncer in transaction
mode (DATABASE_POOLER=pgbouncer). Everything listens on 127.0.0.1 only.

Run as root (as CI is), PostgreSQL and PgBouncer run as the `postgres` user: both refuse
to run as root. Missing Debian packages are installed the way .ci/run does.
"""

# The script runs fixed programs with arguments of its own making, none from input.
# ruff: noqa: S603, S607

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from deploy.processes import PROCESSES, Process, port

ROOT = Path(__file__).resolve().parent.parent
CLUSTER = ROOT / "var" / "cluster"
RUN = CLUSTER / "run"
LOG = CLUSTER / "log"
PG_DATA = CLUSTER / "pg"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
VENV_BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
DB_USER = "fragestund"
DB_NAME = "fragestund"
# Debian packages that provide what the cluster runs, by the program it needs.
PACKAGES = {"/usr/sbin/pgbouncer": "pgbouncer", "/usr/sbin/haproxy": "haproxy"}
START_TIMEOUT = 60
FIND_DB = f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"  # noqa: S608 -- constants


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "run"
    if command == "stop":
        stop()
        return 0
    if command == "manage":
        manage = [str(VENV_BIN / "python"), "manage.py", *argv[2:]]
        return subprocess.run(manage, cwd=ROOT, env=django_env(), check=False).returncode
    if command not in {"start", "run"}:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        start()
    except BaseException:
        # A half-started cluster is stopped, so the next `make cluster` starts clean.
        stop()
        raise
    if command == "run":
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            print("Running; Ctrl-C stops the cluster.")
            while True:
                time.sleep(3600)
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            stop()
    return 0


# --- starting ---------------------------------------------------------------------------


def start(settings: dict[str, str] | None = None) -> None:
    """Starts every process; `settings` are environment variables for the Django
    processes on top of the cluster's own (the drill shortens a timeout this way)."""
    if running():
        raise SystemExit("The cluster is already running: `make cluster-stop` first.")
    _install_packages()
    for folder in (RUN, LOG, CLUSTER / "pgbouncer", CLUSTER / "redis", CLUSTER / "beat"):
        folder.mkdir(parents=True, exist_ok=True)
    env = django_env(settings)
    for process in PROCESSES:
        if process.role == "web" and process == _first("web"):
            _prepare_django(env)  # once, before any web node starts
        start_one(process, env)
    _wait_for_health()
    balancer = f"http://{HOST}:{port('balancer')}"
    print(
        f"\nThe cluster answers at {balancer}/ (health: {balancer}/health/,"
        f" HAProxy stats: {balancer}/haproxy-stats)\n"
        f"  web nodes: http://{HOST}:{port('web1')}/ and http://{HOST}:{port('web2')}/\n"
        f"  PostgreSQL {HOST}:{port('postgres')} behind PgBouncer {HOST}:{port('pgbouncer')},"
        f" Redis {HOST}:{port('redis')}\n"
        f"  logs: {LOG.relative_to(ROOT)}/, stop: make cluster-stop"
    )


def start_one(process: Process, env: dict[str, str]) -> None:
    """Starts one process of a cluster whose others run (the drill restarts Redis so)."""
    starters: dict[str, Callable[[Process, dict[str, str]], None]] = {
        "postgres": _start_postgres,
        "pgbouncer": _start_pgbouncer,
        "redis": _start_redis,
        "web": _start_web,
        "balancer": _start_balancer,
        "worker": _start_worker,
        "beat": _start_beat,
    }
    starters[process.role](process, env)
    print(f"started {process.name}")


def _install_packages() -> None:
    missing = [package for path, package in PACKAGES.items() if not Path(path).exists()]
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"Install these Debian packages first: {' '.join(missing)}")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def _as_db_user(command: list[str]) -> list[str]:
    """PostgreSQL and PgBouncer refuse to run as root: as root, run them as `postgres`."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _give_to_db_user(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


def _start_postgres(process: Process, env: dict[str, str]) -> None:
    if not (PG_DATA / "PG_VERSION").exists():
        PG_DATA.mkdir(parents=True, exist_ok=True)
        _give_to_db_user(PG_DATA)
        PG_DATA.chmod(0o700)
        # Trust on the loopback only: nothing but this machine can reach it.
        subprocess.run(
            _as_db_user(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(PG_DATA),
                    "-U",
                    DB_USER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    log = LOG / "postgres.log"
    log.touch()
    _give_to_db_user(log)
    options = (
        f"-p {process.port} -c listen_addresses={HOST} -c unix_socket_directories=''"
        " -c max_connections=100"
    )
    subprocess.run(
        _as_db_user(
            [
                str(PG_BIN / "pg_ctl"),
                "start",
                "-w",
                "-D",
                str(PG_DATA),
                "-l",
                str(log),
                "-o",
                options,
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    pid = (PG_DATA / "postmaster.pid").read_text().split()[0]
    (RUN / "postgres.pid").write_text(pid)
    exists = subprocess.run(
        [
            str(PG_BIN / "psql"),
            "-h",
            HOST,
            "-p",
            str(process.port),
            "-U",
            DB_USER,
            "-d",
            "postgres",
            "-tAc",
            FIND_DB,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(
            [str(PG_BIN / "createdb"), "-h", HOST, "-p", str(process.port), "-U", DB_USER, DB_NAME],
            check=True,
        )


def _start_pgbouncer(process: Process, env: dict[str, str]) -> None:
    folder = CLUSTER / "pgbouncer"
    # PgBouncer needs the user in its auth file even with trust; the server checks nothing
    # more either (trust on the loopback, above).
    (folder / "userlist.txt").write_text(f'"{DB_USER}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        f"""[databases]
{DB_NAME} = host={HOST} port={port("postgres")} dbname={DB_NAME}

[pgbouncer]
listen_addr = {HOST}
listen_port = {process.port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "userlist.txt"}
; Each transaction gets whichever server connection is free (DATABASE_POOLER=pgbouncer).
pool_mode = transaction
; Up to 4 gunicorn workers, 2 Celery workers of several processes each, 2 beats.
max_client_conn = 200
default_pool_size = 20
ignore_startup_parameters = extra_float_digits,options
"""
    )
    for path in (folder, folder / "userlist.txt", folder / "pgbouncer.ini"):
        _give_to_db_user(path)
    _spawn(process, _as_db_user(["/usr/sbin/pgbouncer", str(folder / "pgbouncer.ini")]), env)
    _wait_for_port(process)


def _start_redis(process: Process, env: dict[str, str]) -> None:
    command = ["redis-server", "--bind", HOST, "--port", str(process.port), "--save", ""]
    command += ["--appendonly", "no", "--dir", str(CLUSTER / "redis")]
    _spawn(process, command, env)
    _wait_for_port(process)


def _prepare_django(env: dict[str, str]) -> None:
    python = str(VENV_BIN / "python")
    for command in (
        ["migrate", "--noinput"],
        ["compile_translations"],
        ["collectstatic", "--noinput", "-v", "0"],
    ):
        with (LOG / "manage.log").open("a") as log:
            subprocess.run(
                [python, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=log
            )


def _start_web(process: Process, env: dict[str, str]) -> None:
    # officehours/gunicorn_conf.py as in the Procfile; only the address is this node's own.
    command = [str(VENV_BIN / "gunicorn"), "officehours.wsgi"]
    command += ["-c", "python:officehours.gunicorn_conf", "--bind", f"{HOST}:{process.port}"]
    _spawn(process, command, {**env, "PORT": str(process.port)}, supervised=True)
    _wait_for_port(process)


def _start_balancer(process: Process, env: dict[str, str]) -> None:
    servers = "\n".join(
        f"    server {p.name} {HOST}:{p.port} check inter 2s fall 2 rise 2"
        for p in PROCESSES
        if p.role == "web"
    )
    config = CLUSTER / "haproxy.cfg"
    config.write_text(
        f"""global
    maxconn 2000

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    option forwardfor
    # A request that found its node dead is sent again to the other node.
    retries 2
    option redispatch

frontend web
    bind {HOST}:{process.port}
    stats enable
    stats uri /haproxy-stats
    default_backend nodes

backend nodes
    balance roundrobin
    option httpchk
    http-check send meth GET uri /health/ ver HTTP/1.1 hdr Host {HOST}
    http-check expect status 200
{servers}
"""
    )
    _spawn(process, ["/usr/sbin/haproxy", "-db", "-f", str(config)], env)
    _wait_for_port(process)


def _start_worker(process: Process, env: dict[str, str]) -> None:
    command = [str(VENV_BIN / "celery"), "-A", "officehours", "worker", "--loglevel=INFO"]
    command += ["--hostname", f"{process.name}@%h", "--concurrency", "2"]
    _spawn(process, command, env, supervised=True)


def _start_beat(process: Process, env: dict[str, str]) -> None:
    # Both beats with the same settings; at most one of them schedules (issue 19, point 2).
    command = [str(VENV_BIN / "celery"), "-A", "officehours", "beat", "--loglevel=INFO"]
    command += ["--schedule", str(CLUSTER / "beat" / f"{process.name}-schedule"), "--pidfile="]
    _spawn(process, command, env, supervised=True)


def django_env(settings: dict[str, str] | None = None) -> dict[str, str]:
    """The Django processes' environment: the cluster's own, then `settings` on top."""
    return {**_cluster_env(), **(settings or {})}


def _cluster_env() -> dict[str, str]:
    key_file = CLUSTER / "secret_key"
    if not key_file.exists():
        CLUSTER.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    balancer = f"http://{HOST}:{port('balancer')}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY_FILE": str(key_file),
            "SITE_URL": balancer,
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DATABASE_URL": f"postgres://{DB_USER}@{HOST}:{port('pgbouncer')}/{DB_NAME}",
            "DATABASE_POOLER": "pgbouncer",
            "REDIS_URL": f"redis://{HOST}:{port('redis')}/0",
            # Every e-mail lands as a file: the drill counts them.
            "EMAIL_URL": f"filemail://{CLUSTER / 'mail'}",
            "DEFAULT_FROM_EMAIL": "Frågestund <fragestund@localhost>",
            "TRUST_PROXY_HEADERS": "false",
            "WEB_CONCURRENCY": "2",
        }
    )
    env.pop("SECRET_KEY", None)
    return env


def _spawn(
    process: Process, command: list[str], env: dict[str, str], *, supervised: bool = False
) -> None:
    """Starts a process in a session of its own, so stopping it stops its children too.

    Supervised, it runs under deploy/supervise.py, which starts it again when it exits, as
    compose's `restart: unless-stopped` does; child_pid_file(process) then names the
    command's own process group."""
    if supervised:
        supervisor = [str(VENV_BIN / "python"), "-m", "deploy.supervise"]
        command = [*supervisor, str(child_pid_file(process)), "--", *command]
    with (LOG / f"{process.name}.log").open("ab") as log:
        child = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    (RUN / f"{process.name}.pid").write_text(str(child.pid))


def child_pid_file(process: Process) -> Path:
    return RUN / f"{process.name}.child.pid"


def _first(role: str) -> Process:
    return next(p for p in PROCESSES if p.role == role)


def _wait_for_port(process: Process) -> None:
    import socket

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if not _running(process.name):
            raise SystemExit(f"{process.name} stopped: see {LOG / (process.name + '.log')}")
        try:
            with socket.create_connection((HOST, process.port or 0), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{process.name} does not listen on {HOST}:{process.port}")


def _wait_for_health() -> None:
    """Until HAProxy's own health checks (GET /health/) have brought every web node up,
    and /health/ answers through it."""
    balancer = f"http://{HOST}:{port('balancer')}"
    nodes = {p.name for p in PROCESSES if p.role == "web"}
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{balancer}/haproxy-stats;csv", timeout=2) as answer:  # noqa: S310
                rows = [line.split(",") for line in answer.read().decode().splitlines()]
            up = {row[1] for row in rows if len(row) > 17 and row[17] == "UP"}
            with urllib.request.urlopen(f"{balancer}/health/", timeout=2) as answer:  # noqa: S310
                if nodes <= up and answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{balancer}/health/ does not answer from every web node")


# --- stopping ---------------------------------------------------------------------------


def stop() -> None:
    """Stops, in the reverse order of starting, each process whose pid file is ours."""
    for process in reversed(PROCESSES):
        pid_file = RUN / f"{process.name}.pid"
        if not pid_file.exists():
            continue
        if process.role == "postgres":
            if (PG_DATA / "postmaster.pid").exists():
                subprocess.run(
                    _as_db_user([str(PG_BIN / "pg_ctl"), "stop", "-D", str(PG_DATA), "-m", "fast"]),
                    check=False,
                    stdout=subprocess.DEVNULL,
                )
            pid_file.unlink()
            print(f"stopped {process.name}")
        else:
            stop_one(process)


def stop_one(process: Process) -> None:
    """Stops one process other than PostgreSQL, and everything it started."""
    pid_file = RUN / f"{process.name}.pid"
    if _running(process.name):
        _stop_group(int(pid_file.read_text()))
    pid_file.unlink(missing_ok=True)
    print(f"stopped {process.name}")


def _stop_group(pid: int) -> None:
    # The pid leads a session (and so a process group) of its own: see _spawn.
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        _reap(pid)
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def _reap(pid: int) -> None:
    # In `run` mode the processes are our children: collect them, or they linger as zombies.
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def running() -> bool:
    """Whether any process of the cluster runs."""
    return any(_running(p.name) for p in PROCESSES)


def _running(name: str) -> bool:
    """Whether the process of this pid file runs. Each one _spawn started leads a session
    of its own, so a pid since reused by some other program does not count as ours."""
    try:
        pid = int((RUN / f"{name}.pid").read_text())
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()
    except (OSError, ValueError):
        return False
    state, session = stat[0], int(stat[3])
    return state != "Z" and (session == pid or name == "postgres")


if __name__ == "__main__":
    sys.exit(main(sys.argv))

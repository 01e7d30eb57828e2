"""The parts of the fault drill that can be checked without a cluster: the supervisor that
brings killed processes back, and how the drill counts the e-mails it expects once each.

The drill itself (`make cluster-drill`) runs in .ci/run."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from django.core.mail import EmailMessage, get_connection

from deploy import drill, drill_data
from deploy.processes import PROCESSES

# The calendar date changes nothing here: `make test-dates` leaves it out.
pytestmark = pytest.mark.dateless

ROOT = Path(__file__).resolve().parent.parent
SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def _wait_for(check, seconds=15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("gave up waiting")


def _pid(path: Path) -> int | None:
    try:
        return int(path.read_text())
    except (FileNotFoundError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child the supervisor has not reaped yet is gone too.
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] != "Z"


@pytest.fixture
def supervisor(tmp_path):
    pid_file = tmp_path / "child.pid"
    process = subprocess.Popen(
        [sys.executable, "-m", "deploy.supervise", str(pid_file), "--", *SLEEPER], cwd=ROOT
    )
    yield process, pid_file
    if process.poll() is None:
        process.kill()
        process.wait()
    pid = _pid(pid_file)
    if pid and _alive(pid):
        os.killpg(pid, signal.SIGKILL)


def test_a_killed_process_is_started_again_in_a_group_of_its_own(supervisor):
    process, pid_file = supervisor
    first = _wait_for(lambda: _pid(pid_file))
    assert os.getpgid(first) == first  # the drill kills the group, not the supervisor
    os.killpg(first, signal.SIGKILL)
    second = _wait_for(lambda: (pid := _pid(pid_file)) and pid != first and pid)
    assert _alive(second)
    assert process.poll() is None


def test_stopping_the_supervisor_stops_its_process_and_restarts_nothing(supervisor):
    process, pid_file = supervisor
    child = _wait_for(lambda: _pid(pid_file))
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0
    assert not _alive(child)
    assert not pid_file.exists()


def test_without_a_command_the_supervisor_says_how_to_call_it():
    done = subprocess.run(
        [sys.executable, "-m", "deploy.supervise", "x.pid"], cwd=ROOT, capture_output=True
    )
    assert done.returncode == 2
    assert b"python -m deploy.supervise PID_FILE --" in done.stderr


def test_compose_restarts_every_process_the_cluster_supervises():
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    x_app = compose["x-app"]
    for process in PROCESSES:
        if process.role in {"web", "worker", "beat"}:
            service = {**x_app, **compose["services"][process.name]}
            assert service.get("restart") == "unless-stopped", process.name


def _send(folder: Path, *keys_and_addresses: tuple[str, str]) -> None:
    """As the cluster sends: Django's file backend, several messages on one connection."""
    connection = get_connection(
        "django.core.mail.backends.filebased.EmailBackend", file_path=str(folder)
    )
    connection.send_messages(
        [
            EmailMessage("Påminnelse", "text", to=[to], headers={"X-Fragestund-Notification": key})
            for key, to in keys_and_addresses
        ]
    )


def test_the_drill_counts_each_outbox_key_of_its_run_once_and_a_repeat_as_a_repeat(tmp_path):
    run = "ab12cd"
    me = f"drill-{run}-client-0001@example.test"
    # A reminder's key is long enough for the header to fold onto a second line.
    reminder = "reminder:66a1c4d0-6553-4b2a-b80d-20176a94f8b3:30:20261205T121300Z"
    other_run = "drill-ff0000-client-0001@example.test"
    _send(tmp_path, ("booking-event:1:7", me), (reminder, me), ("booking-event:9:9", other_run))
    _send(tmp_path, (reminder, me))
    # A message still being written (no closing line yet) is not counted.
    (tmp_path / "zz-partial.log").write_bytes(
        b"To: " + me.encode() + b"\nX-Fragestund-Notification: booking-event:2:7\n\nhalf"
    )

    sent = drill.mail_sent(run, tmp_path)

    assert sent["keys"] == {"booking": {"booking-event:1:7"}, "reminder": {reminder}}
    assert sent["counts"][reminder] == 2
    assert sent["booking_to"] == {me}


@pytest.mark.parametrize("second", [0, 14.5, 15, 30, 59.999])
def test_the_reminders_fall_due_after_the_rush_and_on_a_whole_minute(second):
    # Prepared late in a minute, the drill once had every booking land after its
    # reminder's moment, and so no reminders to count.
    now = datetime(2026, 12, 5, 13, 59, tzinfo=UTC) + timedelta(seconds=second)
    due = drill_data.reminders_due_at(now)
    assert due.second == due.microsecond == 0
    assert timedelta(seconds=drill_data.RUSH_SECONDS) <= due - now < timedelta(minutes=2)

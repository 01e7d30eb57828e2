"""The suite's clock: `--at` (or TEST_AT) moves it for the whole process, every thread
included, and time goes on passing from there."""

import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.clock import NOW
from tests.conftest import MOVED_AT

ROOT = Path(__file__).resolve().parent.parent
MOVED_TO = "2027-03-28T02:30"  # the spring change of the clocks: 02:30 never happens there


def test_under_at_every_thread_sees_the_moved_clock_and_time_passes(pytestconfig):
    at = pytestconfig.getoption("--at")
    if at != MOVED_TO:
        pytest.skip(f"runs under --at {MOVED_TO} (the next test starts it)")
    moved_to = datetime.fromisoformat(at).replace(tzinfo=ZoneInfo("Europe/Stockholm"))
    # The clock has run on from the moved moment as long as the run has taken (a date
    # pass beside four others can take more than five minutes to get here).
    ran_for = timedelta(seconds=time.monotonic() - pytestconfig.stash[MOVED_AT])
    seen = []
    thread = threading.Thread(target=lambda: seen.append(timezone.now()))
    thread.start()
    thread.join()
    here = timezone.now()
    for moment in (here, seen[0]):
        assert abs(moment - moved_to - ran_for) < timedelta(seconds=5)
    time.sleep(0.01)
    assert timezone.now() > here


def test_the_at_option_runs_the_suite_at_another_date():
    result = _pytest(
        "--at", MOVED_TO, "-k", "under_at_every_thread", str(Path(__file__).relative_to(ROOT))
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_a_date_that_is_not_one_is_a_usage_error():
    result = _pytest("--at", "next thursday", "--collect-only", "tests/test_clock.py")
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert "not an ISO date" in result.stderr


def test_a_frozen_test_keeps_its_own_moment(frozen_now):
    assert timezone.now() == NOW


def test_a_test_on_the_fixed_clock_is_marked_for_the_date_runs_to_leave_out(request, frozen_now):
    assert request.node.get_closest_marker("fixed_clock")


def test_so_is_one_whose_fixture_stops_the_clock(request, series):
    assert request.node.get_closest_marker("fixed_clock")


def test_a_test_on_the_real_clock_is_not_marked(request):
    assert not request.node.get_closest_marker("fixed_clock")


def _pytest(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_AT", "PYTEST_ADDOPTS")}
    env["DATABASE_URL"] = ""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

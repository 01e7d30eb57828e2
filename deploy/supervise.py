"""Keeps one command running, as `restart: unless-stopped` (deploy/compose.yaml) or
systemd's Restart=always do in production:

    python -m deploy.supervise PID_FILE -- celery -A officehours beat ...

The command runs in a process group of its own, whose leader's pid is written to PID_FILE
while it runs: the fault drill (deploy/drill.py) kills that group, as a crash or the OOM
killer would, and this starts the command again. A beat whose Redis restarted exits
(redbeat cannot extend a lock Redis forgot), and comes back this way too.

SIGTERM or SIGINT stops the command (SIGTERM to its group, SIGKILL after STOP_SECONDS)
and then this.
"""

# It runs the command it was given on its own command line, by whoever may run this.
# ruff: noqa: S603

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

# Back-off between restarts, doubled while the command keeps dying young, as systemd's
# RestartSec with a steps limit: a command that cannot start does not spin the CPU.
FIRST_DELAY = 1.0
LONGEST_DELAY = 10.0
# A run this long counts as healthy, and the next restart waits FIRST_DELAY again.
HEALTHY_SECONDS = 30.0
STOP_SECONDS = 10.0


class Supervisor:
    def __init__(self, pid_file: Path, command: list[str]) -> None:
        self.pid_file = pid_file
        self.command = command
        self.child: subprocess.Popen[bytes] | None = None
        self.stopping = False

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        delay = FIRST_DELAY
        while not self.stopping:
            started = time.monotonic()
            self.child = subprocess.Popen(self.command, process_group=0)
            self.pid_file.write_text(str(self.child.pid))
            code = self.child.wait()
            with contextlib.suppress(FileNotFoundError):
                self.pid_file.unlink()
            if self.stopping:
                break
            delay = FIRST_DELAY if time.monotonic() - started > HEALTHY_SECONDS else delay
            print(
                f"supervise: {self.command[0]} exited ({code}); starting it again in {delay:.0f} s",
                file=sys.stderr,
                flush=True,
            )
            time.sleep(delay)
            delay = min(delay * 2, LONGEST_DELAY)
        return 0

    def _stop(self, *_args: object) -> None:
        """SIGTERM to the command's group; SIGKILL after STOP_SECONDS if it still runs.
        The main loop's wait() sees it exit (waiting here too would block on the lock
        that wait() holds, and always take STOP_SECONDS)."""
        self.stopping = True
        child = self.child
        if child is None or child.returncode is not None:
            return
        self._signal_group(child.pid, signal.SIGTERM)
        timer = threading.Timer(STOP_SECONDS, self._signal_group, (child.pid, signal.SIGKILL))
        timer.daemon = True
        timer.start()

    @staticmethod
    def _signal_group(pid: int, signal_number: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal_number)


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    return Supervisor(Path(argv[1]), argv[3:]).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv))

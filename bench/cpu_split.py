"""Where a burst's CPU went: the server's processes, PostgreSQL, this process, the rest.

Linux only (reads /proc); elsewhere `CpuSplit.take()` returns None and nothing is printed.
A bench takes one reading before a burst and one after, and divides by its requests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat_fields(pid: str) -> list[str] | None:
    try:
        text = (PROC / pid / "stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: split after it.
    name_end = text.rindex(")")
    return [text[text.index("(") + 1 : name_end], *text[name_end + 2 :].split()]


def _cpu_seconds(fields: list[str]) -> float:
    # After the name: state(1) ppid(2) pgrp(3) ... utime(12) stime(13).
    return (int(fields[12]) + int(fields[13])) / TICKS


@dataclass(frozen=True)
class CpuSplit:
    server: float
    postgres: float
    client: float
    machine: float

    @classmethod
    def take(cls, server_group: int) -> CpuSplit | None:
        """CPU seconds so far: processes of `server_group`, postgres, this process, all."""
        if not (PROC / "stat").exists():
            return None
        server = postgres = 0.0
        for entry in PROC.iterdir():
            if not entry.name.isdigit():
                continue
            fields = _stat_fields(entry.name)
            if fields is None:
                continue
            if fields[0] == "postgres":
                postgres += _cpu_seconds(fields)
            elif int(fields[3]) == server_group:
                server += _cpu_seconds(fields)
        times = os.times()
        with (PROC / "stat").open() as stat:
            cpu = stat.readline().split()[1:]
        # user nice system (idle iowait excluded) irq softirq steal
        busy = sum(int(cpu[i]) for i in (0, 1, 2, 5, 6, 7)) / TICKS
        return cls(server, postgres, times.user + times.system, busy)

    def __sub__(self, earlier: CpuSplit) -> CpuSplit:
        return CpuSplit(
            self.server - earlier.server,
            self.postgres - earlier.postgres,
            self.client - earlier.client,
            self.machine - earlier.machine,
        )

    def __add__(self, other: CpuSplit) -> CpuSplit:
        return CpuSplit(
            self.server + other.server,
            self.postgres + other.postgres,
            self.client + other.client,
            self.machine + other.machine,
        )

    def per_request_line(self, requests: int) -> str:
        def ms(seconds: float) -> str:
            return f"{seconds * 1000 / requests:.1f}"

        rest = self.machine - self.server - self.postgres - self.client
        return (
            f"CPU per request (ms): server {ms(self.server)}, PostgreSQL {ms(self.postgres)}, "
            f"load generator {ms(self.client)}, rest of the machine {ms(rest)}, "
            f"machine {ms(self.machine)}"
        )

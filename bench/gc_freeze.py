"""What the web process's garbage collector walks, with and without officehours.wsgi's freeze.

    .venv/bin/python bench/gc_freeze.py

A full collection walks every tracked object; a web process holds some 150,000 once
Django, the URLconf and the API are loaded, and a worker answers nobody while it
walks them. officehours/wsgi.py freezes what it loaded at start. Prints, for a
process that loaded the WSGI application: the objects frozen, the objects a full
collection still walks, and its median time, against the same without the freeze.
"""

import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc, os, statistics, sys, time
sys.path.insert(0, {root!r})
if os.environ.get("UNFREEZE"):
    gc.freeze = lambda: None  # the same start, without the freeze
import officehours.wsgi  # noqa: F401
times = []
for _ in range(20):
    started = time.perf_counter()
    gc.collect()
    times.append((time.perf_counter() - started) * 1000)
print(gc.get_freeze_count(), len(gc.get_objects()), statistics.median(times))
"""


def probe(unfreeze: bool) -> tuple[int, int, float]:
    env = {**os.environ, "UNFREEZE": "1" if unfreeze else ""}
    result = subprocess.run(  # noqa: S603 (this interpreter, our own probe)
        [sys.executable, "-c", PROBE.format(root=str(ROOT))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    frozen, walked, median = result.stdout.split()
    return int(frozen), int(walked), float(median)


def main():
    for label, unfreeze in (("with the freeze", False), ("without it", True)):
        runs = [probe(unfreeze) for _ in range(3)]
        frozen, walked, _ = runs[0]
        median = statistics.median(run[2] for run in runs)
        print(
            f"{label:>16}: {frozen:>7} objects frozen, {walked:>7} walked by a full "
            f"collection, {median:.1f} ms each (median of 3 × 20)"
        )


if __name__ == "__main__":
    main()

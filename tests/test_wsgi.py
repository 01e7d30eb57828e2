"""The web process leaves what it loaded at start out of garbage collection."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_loading_the_wsgi_application_freezes_what_it_loaded():
    code = "import gc; import officehours.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    frozen, collected = map(int, result.stdout.split())
    assert frozen > 50_000  # Django, the URLconf, the API
    assert collected < frozen / 10

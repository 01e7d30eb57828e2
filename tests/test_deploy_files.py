"""deploy/compose.yaml maps one to one onto the processes `make cluster` starts."""

from pathlib import Path

import pytest
import yaml

from deploy.processes import PROCESSES

# The calendar date changes nothing here: `make test-dates` leaves it out.
pytestmark = pytest.mark.dateless

ROOT = Path(__file__).resolve().parent.parent
# What each kind of process runs, as it shows in a compose service's image or command.
ROLE_MARKS = {
    "postgres": "postgres",
    "pgbouncer": "pgbouncer",
    "redis": "redis",
    "balancer": "haproxy",
    "web": "gunicorn officehours.wsgi -c python:officehours.gunicorn_conf",
    "worker": "celery -A officehours worker",
    "beat": "celery -A officehours beat",
}


def _services() -> dict[str, dict]:
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    return compose["services"]


def test_the_compose_services_are_the_cluster_processes():
    assert list(_services()) == [process.name for process in PROCESSES]


def test_each_compose_service_runs_what_its_process_runs():
    services = _services()
    for process in PROCESSES:
        service = services[process.name]
        runs = f"{service.get('image', '')} {' '.join(service.get('command', []))}"
        assert ROLE_MARKS[process.role] in runs, process.name


def test_the_app_services_reach_the_database_through_pgbouncer():
    services = _services()
    for process in PROCESSES:
        if process.role in {"web", "worker", "beat"}:
            environment = services[process.name]["environment"]
            assert environment["DATABASE_POOLER"] == "pgbouncer"
            assert "@pgbouncer:" in environment["DATABASE_URL"]
    assert services["pgbouncer"]["environment"]["PGBOUNCER_POOL_MODE"] == "transaction"


def test_the_image_runs_gunicorn_as_no_root_with_a_health_check():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert dockerfile.count("\nFROM ") + dockerfile.startswith("FROM ") >= 2  # multi-stage
    assert "\nUSER 10001" in dockerfile
    assert "HEALTHCHECK" in dockerfile and "/health/" in dockerfile
    assert '"python:officehours.gunicorn_conf"' in dockerfile

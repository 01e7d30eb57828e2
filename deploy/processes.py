"""The processes of the production topology, in the order they start.

deploy/cluster.py starts exactly these on one machine, and deploy/compose.yaml has one
service for each; tests/test_deploy_files.py checks that the two agree.
"""

from typing import NamedTuple


class Process(NamedTuple):
    name: str
    # What it runs: postgres, pgbouncer, redis, web, balancer, worker or beat.
    role: str
    # The port it listens on in the cluster on one machine (None: it listens on none).
    port: int | None = None


PROCESSES: tuple[Process, ...] = (
    Process("postgres", "postgres", 55432),
    Process("pgbouncer", "pgbouncer", 56432),
    Process("redis", "redis", 56379),
    Process("web1", "web", 58001),
    Process("web2", "web", 58002),
    Process("balancer", "balancer", 8080),
    Process("worker1", "worker"),
    Process("worker2", "worker"),
    Process("beat1", "beat"),
    Process("beat2", "beat"),
)


def port(name: str) -> int:
    found = next(p.port for p in PROCESSES if p.name == name)
    if found is None:
        raise ValueError(f"{name} listens on no port")
    return found

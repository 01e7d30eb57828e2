"""The notifications package imports without a cycle, and without hiding one.

Read from the source (ast), not by importing: every module-level import in the
project (officehours/, faq/) is an edge; no cycle may pass through a module of
officehours.notifications, and none of its modules imports inside a function,
the usual way of dodging a cycle. Imports under `if TYPE_CHECKING:` never run
and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

# The calendar date changes nothing here: `make test-dates` leaves it out.
pytestmark = pytest.mark.dateless

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("officehours", "faq")
NOTIFICATIONS = "officehours.notifications"


def module_files() -> dict[str, Path]:
    files = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            files[".".join(parts)] = path
    return files


def _is_type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _module_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported: top level, and inside top-level
    try/if blocks other than `if TYPE_CHECKING:`."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If) and not _is_type_checking(node):
            pending += node.body + node.orelse
        elif isinstance(node, ast.Try):
            pending += node.body + node.orelse + node.finalbody
            for handler in node.handlers:
                pending += handler.body
    return found


def _targets(node: ast.Import | ast.ImportFrom, name: str, path: Path, known) -> set[str]:
    if isinstance(node, ast.Import):
        candidates = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join([*package, base] if base else package)
        # `from a import b`: the module a.b if there is one, else a itself.
        candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
    return {c for c in candidates if c in known and c != name}


def import_graph() -> dict[str, set[str]]:
    files = module_files()
    graph = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        graph[name] = set()
        for node in _module_level_imports(tree):
            graph[name] |= _targets(node, name, path, files)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def notification_cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    return [c for c in cycles(graph) if any(m.startswith(NOTIFICATIONS) for m in c)]


def test_no_import_cycle_passes_through_the_notifications_package():
    graph = import_graph()
    # The graph is read as meant: the layout the package documents is in it.
    assert "officehours.notifications.wakeup" in graph["officehours.notifications.outbox"]
    assert "officehours.notifications.sending" in graph["officehours.notifications.wakeup"]
    assert "officehours.notifications.digests" in graph["officehours.notifications.tasks"]
    assert "officehours.notifications.outbox" in graph["officehours.notifications.digests"]
    assert "officehours.notifications.outbox" in graph["officehours.booking.services.events"]
    assert notification_cycles(graph) == []


def test_nothing_in_the_project_imports_the_notification_tasks():
    """The tasks module is the top of the package: Celery loads it, nobody else does."""
    importers = [m for m, targets in import_graph().items() if f"{NOTIFICATIONS}.tasks" in targets]
    assert importers == []


def test_a_cycle_would_be_seen():
    """Negative control: the old layout's import (outbox → tasks, then done inside a
    function to dodge the cycle) as a module-level import is found."""
    graph = import_graph()
    graph["officehours.notifications.outbox"].add("officehours.notifications.tasks")
    [cycle] = notification_cycles(graph)
    assert {
        "officehours.notifications.outbox",
        "officehours.notifications.tasks",
        "officehours.notifications.digests",
    } <= cycle


def test_no_notification_module_imports_inside_a_function():
    files = {n: p for n, p in module_files().items() if n.startswith(NOTIFICATIONS)}
    assert "officehours.notifications.outbox" in files
    late = []
    for name, path in files.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                late += [
                    f"{name}:{inner.lineno}"
                    for inner in ast.walk(node)
                    if isinstance(inner, ast.Import | ast.ImportFrom)
                ]
    assert late == []

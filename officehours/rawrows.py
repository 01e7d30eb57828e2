"""Model instances from hand-written SQL, for the few hot paths that need it.

The ORM spends most of a short request compiling queries (joins, filters,
select_related); the booking request runs a handful of fixed statements, so
those are written out once. The column lists come from the models' own
fields, and values pass through the same converters the ORM applies, so a row
read here is the instance the ORM would have built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any, TypeVar

import psycopg
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model
from django.db.models.expressions import Col
from psycopg import pq
from psycopg.abc import Loader

_M = TypeVar("_M", bound=Model)
_Converters = tuple[tuple[int, Col, tuple[Callable[..., Any], ...]], ...]


@cache
def _fields(model: type[Model]) -> tuple[Field[Any, Any], ...]:
    return tuple(model._meta.concrete_fields)


def select_list(model: type[Model], alias: str, *, prefix: str = "") -> str:
    """``alias."col", …`` for every concrete field, in the order `read` expects
    (``alias."col" AS "prefix_col"`` with a prefix, for a subquery joining two models)."""
    quote = connection.ops.quote_name
    if prefix:
        return ", ".join(
            f"{alias}.{quote(f.column)} AS {quote(prefix + f.column)}" for f in _fields(model)
        )
    return ", ".join(f"{alias}.{quote(f.column)}" for f in _fields(model))


def width(model: type[Model]) -> int:
    """How many columns `select_list` gives."""
    return len(_fields(model))


def read(model: type[_M], row: Sequence[Any], start: int = 0) -> _M:
    """The instance whose columns start at ``row[start]``, as from `select_list`."""
    fields = _fields(model)
    values = list(row[start : start + len(fields)])
    db = connections[DEFAULT_DB_ALIAS]  # the proxy `connection` costs a lookup per use
    for index, expression, converters in _converters(model, db.vendor):
        for converter in converters:
            values[index] = converter(values[index], expression, db)
    return model.from_db(db.alias, _attnames(model), values)


@cache
def _attnames(model: type[Model]) -> list[str]:
    return [f.attname for f in _fields(model)]


@cache
def _converters(model: type[Model], vendor: str) -> _Converters:
    found = []
    for index, field in enumerate(_fields(model)):
        expression = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(expression)
        converters += expression.get_db_converters(connection)
        if converters:
            found.append((index, expression, tuple(converters)))
    return tuple(found)


def insert_sql(
    instances: Sequence[Model], *, ignore_conflicts: bool = False
) -> tuple[str, list[Any]]:
    """``INSERT … VALUES …`` for new instances of one model, as the ORM would write them
    (defaults and auto_now applied). The primary key is written only when it is set."""
    model = type(instances[0])
    db = connections[DEFAULT_DB_ALIAS]
    fields, head, row = _insert_parts(model, instances[0].pk is not None, db.vendor)
    params = []
    for instance in instances:
        params += [f.get_db_prep_save(f.pre_save(instance, True), db) for f in fields]
        instance._state.adding = False
        instance._state.db = db.alias
    sql = head + ", ".join([row] * len(instances))
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    return sql, params


@cache
def _insert_parts(
    model: type[Model], with_pk: bool, vendor: str
) -> tuple[list[Field[Any, Any]], str, str]:
    """The fields written, ``INSERT INTO t (columns) VALUES `` and one row's ``(%s, …)``."""
    fields = [f for f in _fields(model) if with_pk or not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608 (names from the model; values are parameters)
    return fields, head, "(" + ", ".join(["%s"] * len(fields)) + ")"


def run_together(statements: list[tuple[str, list[Any]]]) -> None:
    """Runs data-modifying statements as one (PostgreSQL: each a WITH part), one round trip.

    PostgreSQL checks foreign keys at commit (Django makes them deferrable), so the
    parts may refer to each other's rows by primary keys set beforehand."""
    parts = [f"w{index} AS ({sql})" for index, (sql, _params) in enumerate(statements)]
    params = [value for _sql, values in statements for value in values]
    with server_bound_cursor() as cursor:
        cursor.execute(f"WITH {', '.join(parts)} SELECT 1", params)


@contextmanager
def server_bound_cursor() -> Iterator[CursorWrapper]:
    """A cursor whose parameters PostgreSQL binds (elsewhere: the usual cursor).

    Django binds parameters in the client by default, which some ORM queries
    need; a fixed statement run on every request is cheaper bound on the server,
    which also lets psycopg prepare it once per connection. Django's cursor
    wrapper still runs around it (query logging, execute wrappers)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    if connection.timezone_name == "UTC":
        raw.adapters.register_loader("timestamptz", _native_timestamptz_loader())
    cursor = connection._prepare_cursor(raw)  # type: ignore[attr-defined]  # not in the stubs
    try:
        yield cursor
    finally:
        cursor.close()


@cache
def _native_timestamptz_loader() -> type[Loader]:
    """psycopg's own loader (compiled, with psycopg[binary]) instead of Django's.

    Django's wraps a pure-Python parser to pin the time zone of what it returns to
    the connection's; on a UTC connection psycopg's own already returns UTC (the
    same `datetime.timezone.utc`), and parsing the dozen timestamps a booking reads
    in Python costs a twentieth of the request."""
    oid = psycopg.postgres.types["timestamptz"].oid
    loader = psycopg.adapters.get_loader(oid, pq.Format.TEXT)
    assert loader is not None  # psycopg always has one for timestamptz
    return loader

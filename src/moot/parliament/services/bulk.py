"""Inserting many rows quickly, for importers that write hundreds of thousands of them.

``bulk_create`` spends most of its time building a model instance per row and preparing
every field of it; an importer that already holds plain values for the columns it sets
can skip that. Values must already be in the database's form: pass dates through
``db_date`` and datetimes through ``db_datetime``. Everything else (updates, rare rows)
goes through the ORM as usual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

# SQLite allows 32,766 parameters a statement; PostgreSQL 65,535.
MAX_PARAMETERS = 30_000
MAX_ROWS_PER_STATEMENT = 1000


def _column(model: type[models.Model], attname: str) -> str:
    field = model._meta.get_field(attname)
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{model.__name__}.{attname} is not a column")
    return field.column


def relax_durability() -> None:
    """For the current transaction only, on PostgreSQL: commit without waiting for the
    write-ahead log to reach the disk. A crash of the database server can then lose the
    last moments of an import, but never half a transaction, and the import's progress
    record is in the same transactions, so the next run redoes exactly what was lost."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def db_date(value: dt.date | None) -> Any:
    return connection.ops.adapt_datefield_value(value)


def db_datetime(value: dt.datetime | None) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def rows_insert(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning: Sequence[str] = (),
    ignore_conflicts: bool = False,
) -> list[tuple[Any, ...]]:
    """Insert ``rows`` (values for ``columns``, which are field attnames) in a few
    multi-row statements. Returns the ``returning`` columns of the new rows, in no
    particular order (match them up by a unique column, not by position)."""
    if not rows:
        return []
    if connection.vendor == "postgresql" and not ignore_conflicts:
        return _copy(model, columns, rows, returning)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(_column(model, column)) for column in columns)
    one_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = max(1, min(MAX_ROWS_PER_STATEMENT, MAX_PARAMETERS // len(columns)))
    suffix = ""
    if ignore_conflicts:
        suffix += " ON CONFLICT DO NOTHING"
    if returning:
        suffix += " RETURNING " + ", ".join(quote(_column(model, c)) for c in returning)
    returned: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            # Only quoted table and column names from the model are formatted in; every
            # value is a parameter.
            placeholders = ", ".join([one_row] * len(chunk))
            sql = f"INSERT INTO {table} ({names}) VALUES {placeholders}{suffix}"  # noqa: S608
            cursor.execute(sql, [value for row in chunk for value in row])
            if returning:
                returned += [tuple(row) for row in cursor.fetchall()]
    return returned


def _copy(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    returning: Sequence[str],
) -> list[tuple[Any, ...]]:
    """PostgreSQL's COPY, several times faster than INSERT for many rows. New ids are taken
    from the table's sequence first when the caller needs them back."""
    quote = connection.ops.quote_name
    meta = model._meta
    names = [quote(_column(model, column)) for column in columns]
    with connection.cursor() as cursor:
        ids: list[int] = []
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, _column(model, meta.pk.attname), len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            names.insert(0, quote(_column(model, meta.pk.attname)))
        sql = f"COPY {quote(meta.db_table)} ({', '.join(names)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            if returning:
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row((pk, *row))
            else:
                for row in rows:
                    copy.write_row(row)
    if not returning:
        return []
    positions = {column: index for index, column in enumerate(columns)}
    return [
        tuple(pk if name in ("id", meta.pk.attname) else row[positions[name]] for name in returning)
        for pk, row in zip(ids, rows, strict=True)
    ]


def model_rows_insert(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, key: str | None = None
) -> dict[Any, int]:
    """Insert rows given as {attname: value}; fields left out take their defaults, and
    ``created_at``/``updated_at`` the time now. With ``key`` (a unique column), returns
    each new row's id by its value there."""
    if not rows:
        return {}
    ops = connection.ops
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    now = timezone.now()
    names = [field.attname for field in fields]
    defaults = {}
    dates = set()
    for field in fields:
        if field.attname in ("created_at", "updated_at"):
            defaults[field.attname] = ops.adapt_datetimefield_value(now)
        elif isinstance(field, models.DateTimeField):
            raise ValueError(f"{model.__name__}.{field.attname}: datetimes are not supported")
        else:
            if isinstance(field, models.DateField):
                dates.add(field.attname)
            defaults[field.attname] = field.get_default()
    # Dates repeat (a day's records share one): adapt each once, before building rows.
    adapted: dict[Any, Any] = {}
    for row in rows:
        for name in dates:
            given = row.get(name)
            if given is not None and given not in adapted:
                adapted[given] = ops.adapt_datefield_value(given)
    plan = [(name, defaults[name], name in dates) for name in names]
    values = [
        tuple(
            (adapted.get(row[name], row[name]) if is_date else row[name])
            if name in row
            else default
            for name, default, is_date in plan
        )
        for row in rows
    ]
    returned = rows_insert(model, names, values, returning=("id", key) if key else ())
    return {value: pk for pk, value in returned}

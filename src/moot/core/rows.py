"""Loading model instances on hot paths without compiling an ORM query on every request.

Compiling a queryset (resolving lookups, joins and the select list) costs several times more
than running it for a one-row lookup by primary key. For the few requests that must stay
cheap under load, the SQL is written once per model and database connection, and rows come
back as real model instances with the same type conversions the ORM applies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class ModelColumns(Generic[M]):
    """A model's concrete columns under a table alias, and how to turn them into an instance."""

    model: type[M]
    alias: str
    using: str
    attnames: tuple[str, ...]
    select_list: str
    converters: tuple[tuple[int, tuple[Converter, ...], Any], ...]

    def instance(self, values: Sequence[Any]) -> M:
        """The model instance for this model's slice of a row, converted as the ORM does."""
        converted = list(values)
        connection = connections[self.using]
        for position, field_converters, expression in self.converters:
            value = converted[position]
            for converter in field_converters:
                value = converter(value, expression, connection)
            converted[position] = value
        return self.model.from_db(self.using, list(self.attnames), converted)


def quoted_column(field: Field[Any, Any], *, using: str = "default") -> str:
    """A concrete field's column name, quoted for the database."""
    if field.column is None:
        raise ValueError(f"{field!r} has no column")
    return connections[using].ops.quote_name(field.column)


_columns_cache: dict[tuple[type[Model], str, str], ModelColumns[Any]] = {}


def model_columns(model: type[M], *, alias: str, using: str = "default") -> ModelColumns[M]:
    """The columns of ``model`` (every concrete field) selected from the table as ``alias``."""
    key = (model, alias, using)
    cached = _columns_cache.get(key)
    if cached is not None:
        return cached
    connection = connections[using]
    fields: list[Field[Any, Any]] = list(model._meta.concrete_fields)
    converters = []
    for position, field in enumerate(fields):
        expression = field.get_col(alias)
        field_converters = tuple(
            connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        )
        if field_converters:
            converters.append((position, field_converters, expression))
    columns: ModelColumns[M] = ModelColumns(
        model=model,
        alias=alias,
        using=using,
        attnames=tuple(field.attname for field in fields),
        select_list=", ".join(f"{alias}.{quoted_column(field, using=using)}" for field in fields),
        converters=tuple(converters),
    )
    _columns_cache[key] = columns
    return columns

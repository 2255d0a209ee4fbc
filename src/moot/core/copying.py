"""Copy all of moot's data between databases (SQLite to PostgreSQL, or back).

Rows are copied table by table in dependency order with their primary keys unchanged, inside
one transaction on the target; PostgreSQL sequences are then moved past the copied keys, and
every table's row count is compared at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import dj_database_url
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers import sort_dependencies
from django.db import connections, models, transaction

from moot.core.errors import MootError

SOURCE_ALIAS = "copy_source"
TARGET_ALIAS = "copy_target"


class CopyRefused(MootError):
    """The copy cannot start: the target holds data, or a database cannot be reached."""


@dataclass(frozen=True)
class CopyReport:
    tables: int
    rows: int


def _register(alias: str, url: str) -> None:
    config = dict(dj_database_url.parse(url))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    settings = connections.settings
    settings[alias] = config
    connections.settings = connections.configure_settings(settings)
    # Drop a connection left from an earlier registration of the same alias.
    local_connections = getattr(connections, "_connections")  # noqa: B009 - private attribute
    if hasattr(local_connections, alias):
        delattr(local_connections, alias)


def models_in_order() -> list[type[models.Model]]:
    """Every concrete model, each after the models it refers to; M2M tables last."""
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module]
    ordered = [
        model
        for model in sort_dependencies(app_list, allow_cycles=True)
        if not model._meta.proxy and model._meta.managed
    ]
    through: list[type[models.Model]] = []
    for model in ordered:
        for field in model._meta.local_many_to_many:
            remote = field.remote_field.through
            if remote is not None and remote._meta.auto_created and remote not in through:
                through.append(remote)
    return ordered + through


def _rows(
    model: type[models.Model], *, source: str, batch_size: int
) -> Iterator[list[models.Model]]:
    names = [field.attname for field in model._meta.concrete_fields]
    queryset = model._base_manager.using(source).order_by("pk").values_list(*names)
    batch: list[models.Model] = []
    for values in queryset.iterator(chunk_size=batch_size):
        batch.append(model(**dict(zip(names, values, strict=True))))
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


# Derived data rebuilt on the target rather than copied (and emptied there after the copy).
# The search change log is written by triggers on the target as rows arrive, and each
# machine's index state belongs to that machine: `moot reindex` rebuilds both.
NOT_COPIED: set[str] = {
    "search.SearchChange",
    "search.SearchIndexReplica",
    "search.SearchChangeLogPruning",
}

# Created by `migrate` on the target too; replaced by the source's rows so that their keys,
# which other tables refer to, are the same.
RECREATED_BY_MIGRATE = (
    "contenttypes.contenttype",
    "auth.permission",
    "auth.group",
    "auth.group_permissions",
)


def copy_database(
    *,
    source_url: str,
    target_url: str,
    batch_size: int = 2000,
    progress: Callable[[str, int], None] | None = None,
) -> CopyReport:
    """Copy every row from ``source_url`` to ``target_url``; all or nothing."""
    if source_url == target_url:
        raise CopyRefused("The source and the target are the same database.")
    _register(SOURCE_ALIAS, source_url)
    _register(TARGET_ALIAS, target_url)
    return copy_between(
        source=SOURCE_ALIAS, target=TARGET_ALIAS, batch_size=batch_size, progress=progress
    )


def copy_between(
    *,
    source: str,
    target: str,
    batch_size: int = 2000,
    progress: Callable[[str, int], None] | None = None,
) -> CopyReport:
    """Copy every row between two configured connections; the target is migrated first."""
    try:
        connections[source].ensure_connection()
        connections[target].ensure_connection()
    except Exception as error:  # any connection failure: say which and stop
        raise CopyRefused(f"Cannot connect: {error}") from error

    call_command("migrate", database=target, interactive=False, verbosity=0)
    ordered = [model for model in models_in_order() if model._meta.label not in NOT_COPIED]
    occupied = [
        model._meta.label
        for model in ordered
        if model._meta.label_lower not in RECREATED_BY_MIGRATE
        and model._base_manager.using(target).exists()
    ]
    if occupied:
        raise CopyRefused(
            "The target database already holds data (in "
            + ", ".join(occupied[:5])
            + "); copy into an empty database."
        )

    total = 0
    with transaction.atomic(using=target):
        for label in reversed(RECREATED_BY_MIGRATE[:3]):  # the M2M rows go with their group
            apps.get_model(label)._base_manager.using(target).all().delete()
        for model in ordered:
            copied = 0
            fields = model._meta.concrete_fields
            for batch in _rows(model, source=source, batch_size=batch_size):
                # raw=True writes the values as they are: bulk_create would refresh
                # auto_now timestamps.
                model._base_manager.using(target)._insert(  # type: ignore[attr-defined]
                    batch, fields=fields, raw=True, using=target
                )
                copied += len(batch)
            total += copied
            if progress is not None:
                progress(model._meta.label, copied)
        for label in NOT_COPIED:
            apps.get_model(label)._base_manager.using(target).all().delete()
        statements = connections[target].ops.sequence_reset_sql(no_style(), ordered)
        if statements:
            with connections[target].cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        mismatched = [
            model._meta.label
            for model in ordered
            if model._base_manager.using(source).count()
            != model._base_manager.using(target).count()
        ]
        if mismatched:
            raise CopyRefused("Row counts differ after copying " + ", ".join(mismatched))
    return CopyReport(tables=len(ordered), rows=total)

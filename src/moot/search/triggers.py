"""Database triggers that write ``SearchChange`` rows in the same transaction as the change.

Triggers rather than Django signals, so that ``QuerySet.update()``, ``bulk_create()``, raw
SQL and imports are all logged. They are created by a migration and re-created on every
``post_migrate``: SQLite drops a table's triggers whenever Django rebuilds that table (which
it does for many ``AlterField`` and ``AddField`` operations), so any app's later migration
can silently remove them. Installing is idempotent and cheap.

Each trigger only reads its own row (``NEW`` and ``OLD``) and inserts into the change log,
so rebuilding any one watched table never invalidates the triggers on the others. Mapping a
changed row to the pages it feeds (an answer to its questions) happens when the change is
applied, in ``changes.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

from moot.consultations.models import (
    Attachment,
    Consultation,
    ConsultationSection,
    Document,
    DocumentVersion,
)
from moot.core.models import Department
from moot.parliament.models import (
    DebateSection,
    Membership,
    Party,
    Person,
    Speech,
    WrittenAnswer,
    WrittenQuestion,
    WrittenStatement,
)
from moot.search.models import ChangeKind, SearchChange


@dataclass(frozen=True)
class Watch:
    """Log ``(kind, row.<field>)`` for each of ``logs`` when a row of ``model`` changes.

    With ``only_when_changed``, only updates that change one of those fields are logged:
    inserting a person or department touches no page, and deleting one is refused while
    pages refer to it.
    """

    model: type[Model]
    logs: tuple[tuple[str, str], ...]
    only_when_changed: tuple[str, ...] = ()

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def column(self, field_name: str) -> str:
        field = self.model._meta.get_field(field_name)
        return str(field.column)  # type: ignore[union-attr]


def watched() -> list[Watch]:
    questions_answered = WrittenAnswer.questions.through
    return [
        Watch(WrittenQuestion, ((ChangeKind.QUESTION, "id"),)),
        Watch(WrittenAnswer, ((ChangeKind.ANSWER, "id"),)),
        Watch(questions_answered, ((ChangeKind.QUESTION, "writtenquestion"),)),
        Watch(WrittenStatement, ((ChangeKind.STATEMENT, "id"),)),
        Watch(Consultation, ((ChangeKind.CONSULTATION, "id"),)),
        Watch(ConsultationSection, ((ChangeKind.CONSULTATION, "consultation"),)),
        Watch(
            Attachment,
            (
                (ChangeKind.CONSULTATION, "consultation"),
                (ChangeKind.DOCUMENT_VERSION, "document_version"),
            ),
        ),
        Watch(Document, ((ChangeKind.DOCUMENT, "id"),)),
        Watch(DocumentVersion, ((ChangeKind.DOCUMENT, "document"),)),
        Watch(Membership, ((ChangeKind.PERSON, "person"),)),
        Watch(Person, ((ChangeKind.PERSON, "id"),), only_when_changed=("name", "slug")),
        Watch(Party, ((ChangeKind.PARTY, "id"),), only_when_changed=("slug",)),
        Watch(Department, ((ChangeKind.DEPARTMENT, "id"),), only_when_changed=("name", "slug")),
        Watch(DebateSection, ((ChangeKind.DEBATE, "id"),)),
        Watch(Speech, ((ChangeKind.DEBATE, "section"),)),
    ]


LOG_TABLE = SearchChange._meta.db_table
PREFIX = "search_log_"


def _q(name: str) -> str:
    return f'"{name}"'


# --- SQLite ----------------------------------------------------------------------------


def _sqlite_log(kind: str, ref: str) -> str:
    return (
        f"INSERT INTO {_q(LOG_TABLE)} (kind, object_id) "
        f"SELECT '{kind}', {ref} WHERE {ref} IS NOT NULL;"
    )


def sqlite_statements(watch: Watch) -> list[str]:
    table = watch.table
    columns = [(kind, watch.column(field)) for kind, field in watch.logs]
    statements = [
        f"DROP TRIGGER IF EXISTS {_q(PREFIX + table + '_' + op)}"
        for op in ("insert", "update", "delete")
    ]

    def create(op: str, when: str, body: list[str]) -> str:
        return (
            f"CREATE TRIGGER {_q(PREFIX + table + '_' + op)} AFTER {op.upper()} "
            f"ON {_q(table)} FOR EACH ROW {when}BEGIN {' '.join(body)} END"
        )

    if watch.only_when_changed:
        changed = " OR ".join(
            f"OLD.{_q(watch.column(f))} IS NOT NEW.{_q(watch.column(f))}"
            for f in watch.only_when_changed
        )
        body = [_sqlite_log(kind, f"NEW.{_q(col)}") for kind, col in columns]
        statements.append(create("update", f"WHEN {changed} ", body))
        return statements
    statements.append(
        create("insert", "", [_sqlite_log(kind, f"NEW.{_q(col)}") for kind, col in columns])
    )
    statements.append(
        create("delete", "", [_sqlite_log(kind, f"OLD.{_q(col)}") for kind, col in columns])
    )
    update = []
    for kind, col in columns:
        update.append(_sqlite_log(kind, f"NEW.{_q(col)}"))
        # A row moved to another parent (a section to another consultation) changes both.
        update.append(
            f"INSERT INTO {_q(LOG_TABLE)} (kind, object_id) SELECT '{kind}', OLD.{_q(col)} "
            f"WHERE OLD.{_q(col)} IS NOT NULL AND OLD.{_q(col)} IS NOT NEW.{_q(col)};"
        )
    statements.append(create("update", "", update))
    return statements


# --- PostgreSQL ------------------------------------------------------------------------


def _postgresql_log(kind: str, ref: str) -> str:
    # Built only from model metadata and ChangeKind values, never from user input.
    return (
        f"IF {ref} IS NOT NULL THEN INSERT INTO {_q(LOG_TABLE)} "  # noqa: S608
        f"(transaction_id, kind, object_id) "
        f"VALUES (pg_current_xact_id()::text::bigint, '{kind}', {ref}); END IF;"
    )


def postgresql_statements(watch: Watch) -> list[str]:
    table = watch.table
    function = PREFIX + table
    columns = [(kind, watch.column(field)) for kind, field in watch.logs]
    new_rows = " ".join(_postgresql_log(kind, f"NEW.{_q(col)}") for kind, col in columns)
    if watch.only_when_changed:
        body = new_rows
        events = "UPDATE"
        changed = " OR ".join(
            f"OLD.{_q(watch.column(f))} IS DISTINCT FROM NEW.{_q(watch.column(f))}"
            for f in watch.only_when_changed
        )
        when = f"WHEN ({changed}) "
    else:
        old_rows = " ".join(_postgresql_log(kind, f"OLD.{_q(col)}") for kind, col in columns)
        moved = " ".join(
            f"IF OLD.{_q(col)} IS DISTINCT FROM NEW.{_q(col)} THEN "
            f"{_postgresql_log(kind, f'OLD.{_q(col)}')} END IF;"
            for kind, col in columns
        )
        # Nested IFs: PL/pgSQL does not promise to short-circuit OR, and NEW is unset in
        # DELETE triggers (OLD in INSERT ones).
        body = (
            f"IF TG_OP = 'INSERT' THEN {new_rows} "
            f"ELSIF TG_OP = 'DELETE' THEN {old_rows} "
            f"ELSE {new_rows} {moved} END IF;"
        )
        events = "INSERT OR UPDATE OR DELETE"
        when = ""
    return [
        f"CREATE OR REPLACE FUNCTION {_q(function)}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {body} RETURN NULL; END $$",
        f"CREATE OR REPLACE TRIGGER {_q(PREFIX + 'change')} AFTER {events} ON {_q(table)} "
        f"FOR EACH ROW {when}EXECUTE FUNCTION {_q(function)}()",
    ]


# --- Installing ------------------------------------------------------------------------


def statements_for(connection: BaseDatabaseWrapper, watches: Iterable[Watch]) -> list[str]:
    if connection.vendor == "sqlite":
        return [sql for watch in watches for sql in sqlite_statements(watch)]
    if connection.vendor == "postgresql":
        return [sql for watch in watches for sql in postgresql_statements(watch)]
    raise NotImplementedError(f"search change triggers are not written for {connection.vendor}")


def triggers_install(*, using: str = "default") -> int:
    """Create or replace every change-log trigger whose table exists. Idempotent.

    Returns how many tables are watched. Tables not created yet (a partly migrated
    database) are skipped; the next ``migrate`` installs their triggers.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    if LOG_TABLE not in tables:
        return 0
    watches = [watch for watch in watched() if watch.table in tables]
    with connection.cursor() as cursor:
        for sql in statements_for(connection, watches):
            cursor.execute(sql)
    return len(watches)


def triggers_installed(*, using: str = "default") -> set[str]:
    """The tables that have a change-log trigger now (for checks and tests)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE %s",
                [PREFIX + "%"],
            )
        else:
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name = %s AND trigger_schema = current_schema()",
                [PREFIX + "change"],
            )
        return {row[0] for row in cursor.fetchall()}


def triggers_remove(*, using: str = "default") -> None:
    """Drop every change-log trigger (when the search app is migrated back to zero)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for watch in watched():
            if connection.vendor == "sqlite":
                for op in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {_q(PREFIX + watch.table + '_' + op)}")
            elif watch.table in tables:
                cursor.execute(
                    f"DROP TRIGGER IF EXISTS {_q(PREFIX + 'change')} ON {_q(watch.table)}"
                )
                cursor.execute(f"DROP FUNCTION IF EXISTS {_q(PREFIX + watch.table)}()")

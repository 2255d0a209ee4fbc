"""The tantivy index on this machine: its schema, its directory, and its documents.

Layout of ``settings.SEARCH_INDEX_DIR``::

    current             the name of the generation searches read (replaced atomically)
    generations/<name>  one complete tantivy index each; a rebuild writes a new one
    replica             this index's id in the change log's list of replicas
    update.lock         held while a pass applies the change log to the current generation
    rebuild.lock        held while ``moot reindex`` builds a new generation

Each generation holds one document per searchable page plus a *state* document recording
the change log cursor it has applied, so the cursor is committed atomically with the
changes: a crash can never leave the index claiming changes it does not hold.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import secrets
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import tantivy
from django.conf import settings
from django.utils import timezone

from moot.search.analysis import ANALYZER_NAME, text_analyzer
from moot.search.changes import Cursor
from moot.search.documents import SearchDocument, alias_text, filter_values

# Bump when the schema or what goes into it changes: indexes of another version are rebuilt.
# 2: the aliases field (acronyms, postcodes, telephone numbers), consultations' contact details.
# 3: debates.
# 4: written ministerial statements.
SCHEMA_VERSION = 4
STATE_KEY = "_state"
KIND_CODES = {"question": 0, "consultation": 1, "document": 2, "debate": 3, "statement": 4}
TEXT_FIELDS = ("title", "body", "names", "aliases")
STORED_TEXT_FIELDS = ("title", "body")


class IndexMissing(Exception):
    """There is no search index on this machine yet (``moot worker`` builds one)."""


class IndexBusy(Exception):
    """Another process holds the lock this operation needs."""


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("kind", stored=True, tokenizer_name="raw", fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(
            name, stored=name in STORED_TEXT_FIELDS, tokenizer_name=ANALYZER_NAME
        )
    # What filters match (slugs and slugified names), and department slugs for the facets.
    for name in ("member", "party", "department"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("department_facet", tokenizer_name="raw", fast=True)
    builder.add_date_field("date", indexed=True, fast=True)
    builder.add_unsigned_field("year", fast=True)
    # Unique per page: newest first, ties broken by kind and id, so order is stable.
    builder.add_unsigned_field("recency", fast=True)
    builder.add_bytes_field("stored", stored=True, indexed=False)
    return builder.build()


SCHEMA = build_schema()


def midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def recency(document: SearchDocument) -> int:
    """Orders pages newest first; unique, because it ends with the kind and the row id."""
    kind, _, pk = document.key.partition(":")
    return (document.date.toordinal() << 42) | (KIND_CODES[kind] << 40) | int(pk)


def to_tantivy(document: SearchDocument) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("key", document.key)
    doc.add_text("kind", document.kind)
    doc.add_text("title", document.title)
    doc.add_text("body", document.body)
    doc.add_text("names", "\n".join([*document.member_names, *document.department_names]))
    # One value each, so that no phrase runs from one passage into the next.
    for alias in alias_text(document):
        doc.add_text("aliases", alias)
    for field, values in filter_values(document).items():
        if field == "type":
            continue
        for value in values:
            doc.add_text(field, value)
    for slug in document.department_slugs:
        doc.add_text("department_facet", slug)
    doc.add_date("date", midnight_utc(document.date))
    doc.add_unsigned("year", document.date.year)
    doc.add_unsigned("recency", recency(document))
    stored = {
        "url": document.url,
        "date": document.date.isoformat(),
        "department_slugs": document.department_slugs,
        "department_names": document.department_names,
        "member_slugs": document.member_slugs,
        "member_names": document.member_names,
        "party_slugs": document.party_slugs,
        "extra": document.extra,
    }
    doc.add_bytes("stored", json.dumps(stored, separators=(",", ":")).encode())
    return doc


def from_tantivy(doc: tantivy.Document) -> SearchDocument:
    stored = json.loads(doc.get_first("stored") or b"{}")
    return SearchDocument(
        key=str(doc.get_first("key")),
        kind=str(doc.get_first("kind")),
        title=doc.get_first("title") or "",
        body=doc.get_first("body") or "",
        url=stored["url"],
        date=dt.date.fromisoformat(stored["date"]),
        department_slugs=tuple(stored["department_slugs"]),
        department_names=tuple(stored["department_names"]),
        member_slugs=tuple(stored["member_slugs"]),
        member_names=tuple(stored["member_names"]),
        party_slugs=tuple(stored["party_slugs"]),
        extra=stored["extra"],
    )


@dataclass(frozen=True)
class IndexState:
    cursor: Cursor
    schema_version: int
    built_at: str


def state_document(*, cursor: Cursor, built_at: str) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("key", STATE_KEY)
    state = {
        "transaction": cursor.transaction,
        "change": cursor.change,
        "schema_version": SCHEMA_VERSION,
        "built_at": built_at,
    }
    doc.add_bytes("stored", json.dumps(state).encode())
    return doc


def write_state(writer: tantivy.IndexWriter, *, cursor: Cursor, built_at: str) -> None:
    """Replace the state document; it is committed with the writer's other changes."""
    writer.delete_documents_by_term("key", STATE_KEY)
    writer.add_document(state_document(cursor=cursor, built_at=built_at))


def read_state(index: tantivy.Index) -> IndexState | None:
    searcher = index.searcher()
    hits = searcher.search(tantivy.Query.term_query(SCHEMA, "key", STATE_KEY), 1).hits
    if not hits:
        return None
    state = json.loads(searcher.doc(hits[0][1]).get_first("stored") or b"{}")
    return IndexState(
        cursor=Cursor(state["transaction"], state["change"]),
        schema_version=state["schema_version"],
        built_at=state["built_at"],
    )


# --- The directory ---------------------------------------------------------------------


class IndexHome:
    """The index directory of this machine (``settings.SEARCH_INDEX_DIR``)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root if root is not None else settings.SEARCH_INDEX_DIR)

    @property
    def generations(self) -> Path:
        return self.root / "generations"

    def current_name(self) -> str | None:
        try:
            name = (self.root / "current").read_text().strip()
        except FileNotFoundError:
            return None
        return name if name and (self.generations / name).is_dir() else None

    def current_path(self) -> Path:
        name = self.current_name()
        if name is None:
            raise IndexMissing("There is no search index yet.")
        return self.generations / name

    def new_generation(self) -> Path:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
        path = self.generations / f"{stamp}-{secrets.token_hex(3)}"
        path.mkdir(parents=True)
        return path

    def make_current(self, path: Path) -> None:
        """Point searches at the generation in ``path``, atomically."""
        pointer = self.root / "current"
        temporary = self.root / f".current-{os.getpid()}-{secrets.token_hex(3)}"
        temporary.write_text(path.name + "\n")
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, pointer)
        directory = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def remove_old_generations(self, *, keep: int = 2) -> list[str]:
        """Delete all but the current generation and the ``keep - 1`` newest others.

        The one replaced last is kept, so a process that read the old pointer just before a
        swap can still open it.
        """
        current = self.current_name()
        names = sorted((p.name for p in self.generations.iterdir() if p.is_dir()), reverse=True)
        others = [name for name in names if name != current]
        removed = others[keep - 1 :]
        for name in removed:
            forget(self.generations / name)
            shutil.rmtree(self.generations / name, ignore_errors=True)
        return removed

    def replica_id(self) -> str:
        path = self.root / "replica"
        try:
            return path.read_text().strip()
        except FileNotFoundError:
            self.root.mkdir(parents=True, exist_ok=True)
            replica = f"{socket.gethostname()[:40]}-{secrets.token_hex(8)}"
            with contextlib.suppress(FileExistsError):
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                with os.fdopen(fd, "w") as handle:
                    handle.write(replica)
            return path.read_text().strip()

    @contextlib.contextmanager
    def lock(self, name: str, *, wait: bool) -> Iterator[None]:
        """An exclusive lock across processes on this machine; ``IndexBusy`` if not
        ``wait`` and another holds it."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / f"{name}.lock").open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                raise IndexBusy(f"the search index {name} lock is held") from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


# --- Open indexes, one per generation per process --------------------------------------

_open: dict[Path, tantivy.Index] = {}
_open_lock = threading.Lock()


def create(path: Path) -> tantivy.Index:
    index = tantivy.Index(SCHEMA, path=str(path), reuse=False)
    index.register_tokenizer(ANALYZER_NAME, text_analyzer())
    with _open_lock:
        _open[path] = index
    return index


def open_index(path: Path) -> tantivy.Index:
    """The process's shared handle on the generation in ``path``; tantivy reloads its
    searchers shortly after any process commits."""
    with _open_lock:
        index = _open.get(path)
        if index is None:
            # A new generation: let go of the ones that have since been deleted.
            for gone in [p for p in _open if not p.exists()]:
                del _open[gone]
            index = tantivy.Index.open(str(path))
            index.register_tokenizer(ANALYZER_NAME, text_analyzer())
            _open[path] = index
        return index


def forget(path: Path) -> None:
    with _open_lock:
        _open.pop(path, None)


def forget_all() -> None:
    with _open_lock:
        _open.clear()


def open_current(home: IndexHome | None = None) -> tuple[Path, tantivy.Index]:
    home = home or IndexHome()
    path = home.current_path()
    return path, open_index(path)

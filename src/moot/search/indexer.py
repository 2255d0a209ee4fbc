"""Keeping this machine's index in step with the database.

``index_update`` applies the change log to the current generation, in order, committing
the new cursor with each batch. ``index_rebuild`` builds a whole new generation from the
database while searches go on reading the old one, catches it up with the changes made
meanwhile, and swaps it in atomically.

Applying a change means rebuilding the affected pages from the database as they are now,
so applying one twice is harmless: after a crash between a commit and anything else, the
next pass simply picks up from the last committed cursor.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import tantivy
from django.db.models import Model
from django.utils import timezone

from moot.consultations.models import Consultation, Document
from moot.parliament.models import DebateSection, WrittenQuestion, WrittenStatement
from moot.search import changes
from moot.search.changes import Cursor
from moot.search.documents import (
    SEARCH_PREFETCH,
    SearchDocument,
    consultation_document,
    debate_document,
    document_document,
    question_document,
    statement_document,
)
from moot.search.index import (
    SCHEMA_VERSION,
    IndexHome,
    IndexState,
    create,
    forget,
    open_index,
    read_state,
    to_tantivy,
    write_state,
)

logger = logging.getLogger(__name__)

Builder = Callable[[Model], SearchDocument | None]
SOURCES: dict[str, tuple[type[Model], Builder]] = {
    "question": (WrittenQuestion, question_document),  # type: ignore[dict-item]
    "statement": (WrittenStatement, statement_document),  # type: ignore[dict-item]
    "consultation": (Consultation, consultation_document),  # type: ignore[dict-item]
    "document": (Document, document_document),  # type: ignore[dict-item]
    "debate": (DebateSection, debate_document),  # type: ignore[dict-item]
}
CHUNK = 500
CHANGES_PER_COMMIT = 2000
UPDATE_HEAP_BYTES = 32_000_000
REBUILD_HEAP_BYTES = 256_000_000

Progress = Callable[[int, int], None]


class IndexNeedsRebuild(Exception):
    """The index cannot be brought up to date from the change log; only a rebuild helps."""


@dataclass(frozen=True)
class UpdateResult:
    changes: int
    documents: int
    cursor: Cursor


@dataclass(frozen=True)
class RebuildResult:
    path: Path
    documents: int
    cursor: Cursor
    seconds: float


def _instances(model: type[Model], ids: Iterable[int] | None) -> Iterator[list[Model]]:
    """Rows of ``model`` (all, or those in ``ids``) in chunks, with what builders need."""
    prefetch = cast("dict[type[Model], list[Any]]", SEARCH_PREFETCH)[model]
    queryset = model._default_manager.order_by("pk").prefetch_related(*prefetch)
    if ids is not None:
        wanted = sorted(ids)
        for start in range(0, len(wanted), CHUNK):
            yield list(queryset.filter(pk__in=wanted[start : start + CHUNK]))
        return
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last)[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def documents_for(keys: Iterable[str]) -> Iterator[SearchDocument]:
    """The current documents for ``keys``; keys of pages that are gone or not public
    yield nothing."""
    ids: dict[str, list[int]] = defaultdict(list)
    for key in keys:
        kind, _, pk = key.partition(":")
        ids[kind].append(int(pk))
    for kind, (model, build) in SOURCES.items():
        if ids[kind]:
            for chunk in _instances(model, ids[kind]):
                yield from filter(None, map(build, chunk))


def all_documents() -> Iterator[SearchDocument]:
    for model, build in SOURCES.values():
        for chunk in _instances(model, None):
            yield from filter(None, map(build, chunk))


def source_count() -> int:
    return sum(model._default_manager.count() for model, _ in SOURCES.values())


def _check(state: IndexState | None) -> IndexState:
    if state is None or state.schema_version != SCHEMA_VERSION:
        raise IndexNeedsRebuild("the index was built by another version of moot")
    if state.cursor < changes.pruned_through():
        raise IndexNeedsRebuild("the change log was pruned past this index's position")
    return state


def apply_log(index: tantivy.Index, *, max_changes: int | None = None) -> UpdateResult:
    """Apply the change log to ``index`` from its recorded cursor. The caller holds the
    generation's update lock (or owns the generation outright)."""
    index.reload()
    state = _check(read_state(index))
    cursor = state.cursor
    writer = None
    applied = documents = 0
    try:
        while max_changes is None or applied < max_changes:
            limit = CHANGES_PER_COMMIT
            if max_changes is not None:
                limit = min(limit, max_changes - applied)
            batch = changes.changes_after(cursor, limit=limit)
            if not batch:
                break
            if writer is None:
                writer = index.writer(heap_size=UPDATE_HEAP_BYTES, num_threads=1)
            keys = changes.affected_keys(batch)
            for key in keys:
                writer.delete_documents_by_term("key", key)
            for document in documents_for(keys):
                writer.add_document(to_tantivy(document))
                documents += 1
            cursor = changes.cursor_of(batch[-1])
            write_state(writer, cursor=cursor, built_at=state.built_at)
            writer.commit()
            applied += len(batch)
    finally:
        if writer is not None:
            _close(writer)
            index.reload()
    return UpdateResult(changes=applied, documents=documents, cursor=cursor)


def _close(writer: tantivy.IndexWriter) -> None:
    """Discard anything uncommitted and release the index's writer lock now, rather than
    whenever the writer is garbage collected."""
    writer.rollback()
    writer.wait_merging_threads()


def index_update(
    *, home: IndexHome | None = None, max_changes: int | None = None, wait: bool = True
) -> UpdateResult:
    """Bring the current generation up to date with the change log.

    Raises ``IndexMissing`` if there is no index, ``IndexNeedsRebuild`` if it cannot be
    caught up, and ``IndexBusy`` if ``wait`` is false and another process is updating it.
    """
    home = home or IndexHome()
    with home.lock("update", wait=wait):
        index = open_index(home.current_path())
        return apply_log(index, max_changes=max_changes)


def _build(
    index: tantivy.Index,
    *,
    start: Cursor,
    started: dt.datetime,
    progress: Progress | None,
    heap_bytes: int,
    threads: int,
) -> int:
    writer = index.writer(heap_size=heap_bytes, num_threads=threads)
    try:
        total = source_count()
        done = 0
        for document in all_documents():
            writer.add_document(to_tantivy(document))
            done += 1
            if progress is not None and done % CHUNK == 0:
                progress(done, total)
        write_state(writer, cursor=start, built_at=started.isoformat())
        writer.commit()
    finally:
        _close(writer)
    index.reload()
    if progress is not None:
        progress(done, total)
    return done


def index_rebuild(
    *,
    home: IndexHome | None = None,
    progress: Progress | None = None,
    heap_bytes: int = REBUILD_HEAP_BYTES,
    threads: int = 0,
) -> RebuildResult:
    """Build a new generation from the database and make it current. Searches read the
    old generation (kept up to date as usual) until the moment of the swap.

    Raises ``IndexBusy`` if another rebuild is running on this machine.
    """
    home = home or IndexHome()
    started = timezone.now()
    with home.lock("rebuild", wait=False):
        start = changes.head()
        path = home.new_generation()
        try:
            index = create(path)
            done = _build(
                index,
                start=start,
                started=started,
                progress=progress,
                heap_bytes=heap_bytes,
                threads=threads,
            )
            # Most changes made while building are applied without holding up updates of
            # the old generation; the last few under its lock, so none slip between.
            apply_log(index)
            with home.lock("update", wait=True):
                result = apply_log(index)
                home.make_current(path)
        except BaseException:
            forget(path)
            shutil.rmtree(path, ignore_errors=True)
            raise
        home.remove_old_generations()
    seconds = (timezone.now() - started) / dt.timedelta(seconds=1)
    return RebuildResult(path=path, documents=done, cursor=result.cursor, seconds=seconds)

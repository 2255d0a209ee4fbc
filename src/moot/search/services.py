"""Writes of the search app: keeping this machine's index up to date, rebuilding it, and
pruning the change log every index has applied."""

from __future__ import annotations

import datetime as dt
import logging
import socket
import threading

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from moot.search import changes
from moot.search.changes import Cursor
from moot.search.index import IndexBusy, IndexHome, IndexMissing, open_current, read_state
from moot.search.indexer import (
    IndexNeedsRebuild,
    Progress,
    RebuildResult,
    UpdateResult,
    index_rebuild,
    index_update,
)
from moot.search.models import SearchChange, SearchChangeLogPruning, SearchIndexReplica

logger = logging.getLogger(__name__)

# A replica reports its position when it moves, and at least this often while it is alive.
REPORT_EVERY = dt.timedelta(minutes=1)
_last_report: dict[str, tuple[Cursor, dt.datetime]] = {}
_report_lock = threading.Lock()


def _report_position(*, home: IndexHome, cursor: Cursor, documents: int | None = None) -> None:
    replica = home.replica_id()
    now = timezone.now()
    with _report_lock:
        last = _last_report.get(replica)
        if last is not None and last[0] == cursor and now - last[1] < REPORT_EVERY:
            return
        _last_report[replica] = (cursor, now)
    defaults = {
        "hostname": socket.gethostname()[:255],
        "path": str(home.root)[:1000],
        "generation": home.current_name() or "",
        "position_transaction": cursor.transaction,
        "position_change": cursor.change,
        "updated_at": now,
    }
    if documents is not None:
        defaults["documents"] = documents
    SearchIndexReplica.objects.update_or_create(replica_id=replica, defaults=defaults)


def search_index_rebuild(*, progress: Progress | None = None) -> RebuildResult:
    """Rebuild this machine's index from the database into a new generation and swap it in;
    searches keep answering from the old one meanwhile. Raises ``IndexBusy`` if a rebuild
    is already running here."""
    home = IndexHome()
    result = index_rebuild(home=home, progress=progress)
    _report_position(home=home, cursor=result.cursor, documents=result.documents)
    return result


def search_index_update() -> UpdateResult | RebuildResult | None:
    """The periodic job of ``moot worker``: apply new changes to this machine's index,
    building it first if there is none (or rebuilding if it cannot be caught up).
    Returns ``None`` when another process is already doing it."""
    home = IndexHome()
    try:
        result = index_update(home=home, wait=False)
    except IndexBusy:
        return None
    except (IndexMissing, IndexNeedsRebuild) as reason:
        logger.info("building the search index: %s", reason or "there is none yet")
        try:
            return search_index_rebuild()
        except IndexBusy:
            return None
    _report_position(home=home, cursor=result.cursor)
    return result


def search_index_catch_up(*, max_changes: int = 100) -> int:
    """Cheaply bring the index up to date before a search, so that what was just saved
    can be found. Gives up at once (returning 0) if the index is missing, needs a
    rebuild, or another process is updating it; the worker will get there."""
    try:
        _, index = open_current()
        state = read_state(index)
        if state is None or not changes.has_changes_after(state.cursor):
            return 0
        result = index_update(max_changes=max_changes, wait=False)
    except (IndexMissing, IndexNeedsRebuild, IndexBusy):
        return 0
    except OSError:
        # A read-only or full disk must not stop searches answering from what is there.
        logger.exception("could not bring the search index up to date")
        return 0
    return result.changes


def search_change_log_prune(*, now: dt.datetime | None = None) -> int:
    """Delete the changes every live index has applied, and any older than the retention
    period (``SEARCH_CHANGE_LOG_RETENTION_DAYS``) whether applied or not. An index that
    had not applied them is rebuilt from the database the next time it updates.

    An index is live if it reported its position within the retention period. Returns how
    many changes were deleted.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.SEARCH_CHANGE_LOG_RETENTION_DAYS)
    SearchIndexReplica.objects.filter(updated_at__lt=cutoff).delete()
    live = SearchIndexReplica.objects.all()
    positions = [
        Cursor(t, c) for t, c in live.values_list("position_transaction", "position_change")
    ]
    through = min(positions) if positions else None
    expired = SearchChange.objects.filter(changed_at__lt=cutoff).aggregate(
        transaction=Max("transaction_id")
    )["transaction"]
    if expired is not None:
        last_expired = SearchChange.objects.filter(
            changed_at__lt=cutoff, transaction_id=expired
        ).aggregate(change=Max("id"))["change"]
        expired_through = Cursor(expired, last_expired)
        through = expired_through if through is None else max(through, expired_through)
    if through is None:
        return 0
    # Never past changes that may still be committing (see changes.horizon).
    final_before = changes.horizon()
    if final_before is not None:
        through = min(through, Cursor(final_before - 1, changes.MAX_ID))
    with transaction.atomic():
        pruning, _ = SearchChangeLogPruning.objects.select_for_update().get_or_create(id=1)
        already = Cursor(pruning.through_transaction, pruning.through_change)
        through = max(through, already)
        deleted, _ = SearchChange.objects.filter(through.up_to()).delete()
        pruning.through_transaction = through.transaction
        pruning.through_change = through.change
        pruning.pruned_at = now
        pruning.save()
    return deleted

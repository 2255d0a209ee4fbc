"""Pruning the change log, and what each index reports about itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from moot.search.changes import Cursor, pruned_through
from moot.search.models import SearchChange, SearchIndexReplica
from moot.search.services import (
    search_change_log_prune,
    search_index_rebuild,
    search_index_update,
)
from tests.factories import WrittenQuestionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_log() -> None:
    # Emptying the tables after an earlier test can itself have logged changes.
    SearchChange.objects.all().delete()


def test_without_indexes_only_changes_past_retention_are_pruned(settings: object) -> None:
    settings.SEARCH_CHANGE_LOG_RETENTION_DAYS = 7  # type: ignore[attr-defined]
    WrittenQuestionFactory.create_batch(2)
    old = list(SearchChange.objects.order_by("id"))
    SearchChange.objects.filter(id=old[0].id).update(
        changed_at=timezone.now() - dt.timedelta(days=8)
    )
    assert search_change_log_prune() == 1
    assert list(SearchChange.objects.values_list("id", flat=True)) == [old[1].id]
    assert pruned_through() == Cursor(old[0].transaction_id, old[0].id)
    assert search_change_log_prune() == 0


def test_an_index_reports_its_position_and_the_log_is_pruned_up_to_it() -> None:
    search_index_rebuild()
    WrittenQuestionFactory.create_batch(3)
    assert search_change_log_prune() == 0
    result = search_index_update()
    replica = SearchIndexReplica.objects.get()
    assert Cursor(replica.position_transaction, replica.position_change) == result.cursor  # type: ignore[union-attr]
    assert replica.documents == 0  # reported by the rebuild, before the three were added
    assert search_change_log_prune() == 3
    assert not SearchChange.objects.exists()


def test_indexes_not_heard_from_within_retention_are_forgotten() -> None:
    search_index_rebuild()
    SearchIndexReplica.objects.update(updated_at=timezone.now() - dt.timedelta(days=30))
    WrittenQuestionFactory()
    search_change_log_prune()
    assert not SearchIndexReplica.objects.exists()
    # The fresh change is kept: nothing has applied it and it is within retention.
    assert SearchChange.objects.count() == 1

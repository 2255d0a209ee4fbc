"""Read-only views of the search change log and the indexes following it, for operators
checking that every machine's index is keeping up. Triggers and indexers write these."""

from __future__ import annotations

from django.contrib import admin

from moot.core.admin_mixins import ReadOnlyAdminMixin
from moot.search.models import SearchChange, SearchChangeLogPruning, SearchIndexReplica


class _ReadOnly(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Search's bookkeeping: written by the indexer, never by hand."""


@admin.register(SearchChange)
class SearchChangeAdmin(_ReadOnly):
    list_display = ["id", "kind", "object_id", "transaction_id", "changed_at"]
    list_filter = ["kind"]
    search_fields = ["=object_id"]


@admin.register(SearchIndexReplica)
class SearchIndexReplicaAdmin(_ReadOnly):
    list_display = [
        "hostname",
        "path",
        "generation",
        "position_transaction",
        "position_change",
        "documents",
        "updated_at",
    ]
    search_fields = ["hostname", "path"]


@admin.register(SearchChangeLogPruning)
class SearchChangeLogPruningAdmin(_ReadOnly):
    list_display = ["through_transaction", "through_change", "pruned_at"]

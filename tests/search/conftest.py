"""Fixtures for search: a fresh index folder per test, and helpers to build and follow it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from moot.consultations.models import Attachment
from moot.search import index, services
from moot.search.indexer import RebuildResult, UpdateResult
from moot.search.services import search_index_rebuild, search_index_update


@pytest.fixture(autouse=True)
def _fresh_index_state() -> Iterator[None]:
    index.forget_all()
    services._last_report.clear()
    yield
    index.forget_all()


@pytest.fixture
def rebuild(db: None) -> RebuildResult:
    """Build the index from what is in the database now."""
    return search_index_rebuild()


def attachment(**fields: object) -> Attachment:
    """An attachment row as the upload service leaves it (the file itself is not needed)."""
    defaults: dict[str, object] = {
        "title": "Annex",
        "file": "attachments/annex.pdf",
        "content_type": "application/pdf",
        "size_bytes": 10,
        "sha256": "0" * 64,
    }
    return Attachment.objects.create(**{**defaults, **fields})


def update() -> UpdateResult:
    """One pass of the worker's indexer."""
    result = search_index_update()
    assert isinstance(result, UpdateResult), result
    return result

"""Fixtures for the parliament tests: fixture files, the shared real data, a clean cache."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPOSITORY = Path(__file__).resolve().parents[2]


def _shared_data() -> Path:
    """``../shared/data`` beside the checkout (or beside the folder of worktrees it is in);
    ``MOOT_SHARED_DATA`` overrides."""
    if os.environ.get("MOOT_SHARED_DATA"):
        return Path(os.environ["MOOT_SHARED_DATA"])
    for folder in (REPOSITORY.parent, REPOSITORY.parent.parent):
        if (folder / "shared" / "data").is_dir():
            return folder / "shared" / "data"
    return REPOSITORY.parent / "shared" / "data"


SHARED_DATA = _shared_data()


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def shared_data() -> Path:
    """The real parliamentary records of ../shared/data, or a skip saying they are absent."""
    if not (SHARED_DATA / "parlparse").is_dir():
        pytest.skip(f"the shared real data is not at {SHARED_DATA} (see ../shared/data/README.md)")
    return SHARED_DATA

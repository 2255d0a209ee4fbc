"""``moot reindex``, and the search jobs ``moot worker`` runs."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from moot.core.background import registered_jobs, run_due_jobs
from moot.search.index import IndexHome
from moot.search.selectors import search_results
from tests.factories import WrittenQuestionFactory

pytestmark = pytest.mark.django_db


def test_reindex_rebuilds_with_progress_and_says_where() -> None:
    WrittenQuestionFactory.create_batch(3, heading="Curlews")
    out = StringIO()
    call_command("reindex", stdout=out)
    output = out.getvalue()
    assert "Indexed 3 of about 3 (100%)" in output
    assert "Rebuilt the search index: 3 documents" in output
    assert str(IndexHome().current_path()) in output
    assert search_results(query="curlews").total == 3


def test_reindex_refuses_to_run_twice_at_once() -> None:
    with IndexHome().lock("rebuild", wait=True), pytest.raises(CommandError, match="already"):
        call_command("reindex", stdout=StringIO())


def test_the_worker_keeps_the_index_locally_and_prunes_the_log_cluster_wide() -> None:
    jobs = {job.name: job for job in registered_jobs()}
    assert jobs["search-index"].scope == "local"
    assert jobs["search-index"].every <= dt.timedelta(seconds=5)
    assert jobs["search-change-log-prune"].scope == "cluster"


def test_a_worker_pass_builds_the_missing_index() -> None:
    WrittenQuestionFactory(heading="Godwits")
    ran = run_due_jobs(worker_id="test", last_local_runs={})
    assert "search-index" in ran
    assert search_results(query="godwits").total == 1

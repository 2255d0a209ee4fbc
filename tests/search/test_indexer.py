"""Following the change log into a local index, rebuilding it, and several machines."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from moot.consultations.models import Consultation
from moot.core.models import Department
from moot.parliament.models import WrittenQuestion
from moot.search import index as search_index
from moot.search.changes import START, Cursor, has_changes_after
from moot.search.index import IndexBusy, IndexHome, IndexMissing, open_current, read_state
from moot.search.indexer import IndexNeedsRebuild, apply_log, index_rebuild, index_update
from moot.search.models import SearchChange, SearchIndexReplica
from moot.search.selectors import search_results
from moot.search.services import (
    search_change_log_prune,
    search_index_catch_up,
    search_index_rebuild,
    search_index_update,
)
from tests.factories import (
    ConsultationFactory,
    DepartmentFactory,
    SectionFactory,
    WrittenAnswerFactory,
    WrittenQuestionFactory,
)
from tests.search.conftest import attachment, update

# Following the log needs committed changes (on PostgreSQL the indexer rightly waits for a
# transaction to end), so most of these tests commit as they go.
follows_log = pytest.mark.django_db(transaction=True)
in_transaction = pytest.mark.django_db


def keys(query: str) -> list[str]:
    results = search_results(query=query, sort="newest")
    assert not results.error, results.error
    return [hit.document.key for hit in results.hits]


@follows_log
def test_a_save_is_searchable_after_one_indexer_pass() -> None:
    search_index_rebuild()
    question = WrittenQuestionFactory(heading="Hedgehog crossings")
    assert keys("hedgehog") == []
    result = update()
    assert result.changes == 1
    assert keys("hedgehog") == [f"question:{question.pk}"]
    assert read_state(open_current()[1]).cursor == result.cursor  # type: ignore[union-attr]


@follows_log
def test_edits_deletes_and_related_rows_reach_the_index() -> None:
    search_index_rebuild()
    question = WrittenQuestionFactory(heading="Canal boats")
    answer = WrittenAnswerFactory(questions=[question], body_html="<p>Narrowboat licences</p>")
    consultation = ConsultationFactory(title="Inland waterways")
    update()
    assert keys("narrowboat") == [f"question:{question.pk}"]
    answer.body_html = "<p>Mooring fees</p>"
    answer.save()
    SectionFactory(consultation=consultation, body="Towpath maintenance")
    attachment(consultation=consultation, extracted_text="Lock keepers")
    update()
    assert keys("narrowboat") == []
    assert keys("mooring") == [f"question:{question.pk}"]
    assert keys("towpath") == keys('"lock keepers"') == [f"consultation:{consultation.pk}"]
    question.delete()
    update()
    assert keys("canal") == []


@follows_log
def test_drafts_appear_only_once_published() -> None:
    search_index_rebuild()
    consultation = ConsultationFactory(title="Allotment waiting lists", published_at=None)
    update()
    assert keys("allotment") == []
    Consultation.objects.filter(pk=consultation.pk).update(published_at=consultation.opens_at)
    update()
    assert keys("allotment") == [f"consultation:{consultation.pk}"]
    Consultation.objects.filter(pk=consultation.pk).update(published_at=None)
    update()
    assert keys("allotment") == []


@follows_log
def test_a_renamed_department_is_renamed_in_every_page_that_names_it() -> None:
    department = DepartmentFactory(name="Department of Examples", slug="examples")
    question = WrittenQuestionFactory(department=department)
    search_index_rebuild()
    Department.objects.filter(pk=department.pk).update(name="Ministry of Lighthouses")
    update()
    assert keys("lighthouses") == [f"question:{question.pk}"]
    assert keys('department:"Ministry of Lighthouses"') == [f"question:{question.pk}"]


@follows_log
def test_raw_sql_changes_are_indexed() -> None:
    question = WrittenQuestionFactory(heading="Before")
    search_index_rebuild()
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{WrittenQuestion._meta.db_table}" SET heading = %s WHERE id = %s',  # noqa: S608
            ["Pelicans", question.pk],
        )
    update()
    assert keys("pelicans") == [f"question:{question.pk}"]


@follows_log
def test_applying_changes_twice_leaves_one_copy_of_each_page() -> None:
    """After a crash between applying changes and anything else, the next pass starts
    from the last committed cursor and applies some changes again."""
    search_index_rebuild()
    question = WrittenQuestionFactory(heading="Swifts nesting")
    update()
    _, index = open_current()
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    search_index.write_state(writer, cursor=START, built_at="")
    writer.commit()
    writer.wait_merging_threads()
    assert update().changes >= 1
    results = search_results(query="swifts")
    assert results.total == 1
    assert [hit.document.key for hit in results.hits] == [f"question:{question.pk}"]


@in_transaction
def test_the_worker_builds_the_index_when_there_is_none() -> None:
    WrittenQuestionFactory(heading="Puffins")
    with pytest.raises(IndexMissing):
        index_update()
    assert search_results(query="puffins").error.startswith("Search is not available yet")
    result = search_index_update()
    assert result is not None
    assert len(keys("puffins")) == 1


@in_transaction
def test_an_index_of_another_schema_version_is_rebuilt(monkeypatch: pytest.MonkeyPatch) -> None:
    search_index_rebuild()
    first = IndexHome().current_name()
    monkeypatch.setattr("moot.search.indexer.SCHEMA_VERSION", search_index.SCHEMA_VERSION + 1)
    monkeypatch.setattr("moot.search.index.SCHEMA_VERSION", search_index.SCHEMA_VERSION + 1)
    with pytest.raises(IndexNeedsRebuild):
        index_update()
    search_index_update()
    assert IndexHome().current_name() != first


@in_transaction
def test_an_update_does_not_wait_for_another_process_holding_the_lock() -> None:
    search_index_rebuild()
    with IndexHome().lock("update", wait=True), pytest.raises(IndexBusy):
        index_update(wait=False)
    with IndexHome().lock("update", wait=True):
        assert search_index_update() is None
        assert search_index_catch_up() == 0


@follows_log
def test_the_search_page_catches_up_before_searching(client: object) -> None:
    search_index_rebuild()
    question = WrittenQuestionFactory(heading="Kingfishers")
    response = client.get("/search/", {"q": "kingfishers"})  # type: ignore[attr-defined]
    assert f'data-key="question:{question.pk}"' in response.content.decode()


@follows_log
def test_searches_keep_working_while_a_rebuild_runs_and_see_its_result_after() -> None:
    old = WrittenQuestionFactory(heading="Otters")
    search_index_rebuild()
    first_generation = IndexHome().current_path()
    WrittenQuestionFactory.create_batch(3, heading="Otters")
    seen_during: list[list[str]] = []
    made_during: list[WrittenQuestion] = []

    def progress(done: int, total: int) -> None:
        # Mid-build: searches answer from the old generation, kept up to date as usual...
        update()
        seen_during.append(keys("otters"))
        # ...and a change made now must reach the new generation too.
        made_during.append(WrittenQuestionFactory(heading="Beavers"))

    result = index_rebuild(progress=progress)
    assert seen_during
    assert len(seen_during[0]) == 4
    assert f"question:{old.pk}" in seen_during[0]
    assert IndexHome().current_path() == result.path != first_generation
    assert len(keys("otters")) == 4
    assert sorted(keys("beavers")) == sorted(f"question:{q.pk}" for q in made_during)


@in_transaction
def test_old_generations_are_removed_but_the_last_one_is_kept() -> None:
    home = IndexHome()
    for _ in range(3):
        search_index_rebuild()
    names = sorted(p.name for p in home.generations.iterdir())
    assert len(names) == 2
    assert home.current_name() == names[-1]


@follows_log
def test_two_machines_follow_the_same_log_and_it_is_pruned_behind_the_slower(
    tmp_path: Path, settings: object
) -> None:
    first = IndexHome(tmp_path / "first")
    second = IndexHome(tmp_path / "second")
    WrittenQuestionFactory(heading="Badgers")
    for home in (first, second):
        settings.SEARCH_INDEX_DIR = home.root  # type: ignore[attr-defined]
        search_index_rebuild()
    WrittenQuestionFactory(heading="Badgers")
    settings.SEARCH_INDEX_DIR = first.root  # type: ignore[attr-defined]
    update()
    assert len(keys("badgers")) == 2
    assert SearchIndexReplica.objects.count() == 2
    slower = SearchIndexReplica.objects.get(path=str(second.root))
    behind = Cursor(slower.position_transaction, slower.position_change)
    search_change_log_prune()
    # The change the second machine has not applied yet is kept for it.
    assert has_changes_after(behind)
    settings.SEARCH_INDEX_DIR = second.root  # type: ignore[attr-defined]
    assert len(keys("badgers")) == 1
    update()
    assert len(keys("badgers")) == 2
    search_change_log_prune()
    assert not SearchChange.objects.exists()


@follows_log
def test_an_index_left_behind_by_pruning_is_rebuilt() -> None:
    search_index_rebuild()
    WrittenQuestionFactory(heading="Stoats")
    # Nobody has reported this change applied, but it is past the retention period.
    SearchChange.objects.update(changed_at="2000-01-01T00:00:00Z")
    SearchIndexReplica.objects.update(updated_at="2000-01-01T00:00:00Z")
    assert search_change_log_prune() >= 1
    with pytest.raises(IndexNeedsRebuild):
        apply_log(open_current()[1])
    search_index_update()
    assert len(keys("stoats")) == 1


@in_transaction
def test_a_process_lets_go_of_generations_deleted_after_swaps() -> None:
    for _ in range(4):
        search_index_rebuild()
        open_current()
    assert set(search_index._open) <= set(IndexHome().generations.iterdir())


@follows_log
def test_searching_still_works_when_the_index_cannot_be_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    question = WrittenQuestionFactory(heading="Razorbills")
    search_index_rebuild()
    WrittenQuestionFactory(heading="Razorbills again")

    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(IndexHome, "lock", no_space)
    assert search_index_catch_up() == 0
    assert keys("razorbills") == [f"question:{question.pk}"]

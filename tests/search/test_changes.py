"""Reading the change log in commit order, and mapping changes to the pages they touch."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from moot.search import changes
from moot.search.changes import Cursor
from moot.search.models import SearchChange
from tests.factories import (
    ConsultationFactory,
    DepartmentFactory,
    DocumentFactory,
    MembershipFactory,
    PartyFactory,
    PersonFactory,
    WrittenAnswerFactory,
    WrittenQuestionFactory,
)


def _change(kind: str, object_id: int) -> SearchChange:
    return SearchChange(kind=kind, object_id=object_id)


@pytest.mark.django_db
def test_an_answer_maps_to_every_question_it_answers() -> None:
    first, second = WrittenQuestionFactory.create_batch(2)
    answer = WrittenAnswerFactory(questions=[first, second])
    assert changes.affected_keys([_change("answer", answer.pk)]) == {
        f"question:{first.pk}",
        f"question:{second.pk}",
    }


@pytest.mark.django_db
def test_a_document_version_maps_to_its_document_and_a_gone_one_to_nothing() -> None:
    from moot.consultations.models import DocumentVersion

    document = DocumentFactory()
    version = DocumentVersion.objects.create(document=document, number=1, published_on="2008-01-01")
    assert changes.affected_keys([_change("document_version", version.pk)]) == {
        f"document:{document.pk}"
    }
    assert changes.affected_keys([_change("document_version", version.pk + 1000)]) == set()


@pytest.mark.django_db
def test_a_person_or_party_maps_to_the_questions_asked_and_answered() -> None:
    person = PersonFactory()
    party = PartyFactory(slug="green", name="Green")
    MembershipFactory(person=person, party=party)
    asked = WrittenQuestionFactory(asking_person=person)
    answered = WrittenQuestionFactory()
    WrittenAnswerFactory(questions=[answered], answering_person=person)
    WrittenQuestionFactory()  # someone else's
    expected = {f"question:{asked.pk}", f"question:{answered.pk}"}
    assert changes.affected_keys([_change("person", person.pk)]) == expected
    assert changes.affected_keys([_change("party", party.pk)]) == expected


@pytest.mark.django_db
def test_a_department_maps_to_everything_it_is_named_in() -> None:
    department = DepartmentFactory()
    question = WrittenQuestionFactory(department=department)
    answered_by = WrittenQuestionFactory()
    WrittenAnswerFactory(questions=[answered_by], department=department)
    consultation = ConsultationFactory(department=department)
    document = DocumentFactory(department=department)
    assert changes.affected_keys([_change("department", department.pk)]) == {
        f"question:{question.pk}",
        f"question:{answered_by.pk}",
        f"consultation:{consultation.pk}",
        f"document:{document.pk}",
    }


@pytest.mark.django_db
def test_pages_that_are_gone_are_still_named_so_they_are_removed() -> None:
    assert changes.affected_keys([_change("question", 999_999)]) == {"question:999999"}


@pytest.mark.django_db
def test_changes_after_a_cursor_come_in_order_and_in_batches() -> None:
    start = changes.head()
    questions = WrittenQuestionFactory.create_batch(3)
    batch = changes.changes_after(start, limit=2)
    if connection.vendor == "postgresql":
        # Still inside this test's transaction: not final yet, so not taken.
        assert batch == []
        return
    assert [c.object_id for c in batch] == [questions[0].pk, questions[1].pk]
    rest = changes.changes_after(changes.cursor_of(batch[-1]), limit=10)
    assert [c.object_id for c in rest] == [questions[2].pk]


def test_cursors_order_by_transaction_then_change() -> None:
    assert Cursor(1, 500) < Cursor(2, 1) < Cursor(2, 2)
    assert Cursor(0, 0) >= changes.START


def test_a_32_bit_transaction_id_is_widened_against_a_later_64_bit_one() -> None:
    epoch = 3 << 32
    assert changes._full_transaction_id(100, epoch + 150) == epoch + 100
    # Just across a wraparound: the running transaction is in the previous epoch.
    assert changes._full_transaction_id(2**32 - 10, epoch + 5) == epoch - 10
    # A transaction that took its id after the reference was read is newer, not older.
    assert changes._full_transaction_id(160, epoch + 150) == epoch + 160
    assert changes._full_transaction_id(3, epoch - 2) == epoch + 3


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_late_with_a_lower_id_is_not_skipped() -> None:
    """On PostgreSQL a transaction can take change id N, and commit after another
    transaction's change N+1 is visible. The reader must not move past N+1 until N's
    transaction is over, or N is lost."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers, so ids always commit in order there")
    cursor = changes.head()
    wrote = threading.Event()
    finish = threading.Event()
    early: list[int] = []

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                early.append(WrittenQuestionFactory().pk)
                wrote.set()
                finish.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    try:
        assert wrote.wait(10)
        late = WrittenQuestionFactory()  # committed now, with a higher change id
        assert changes.has_changes_after(cursor)
        assert changes.changes_after(cursor, limit=100) == []
    finally:
        finish.set()
        thread.join()
    taken = [c.object_id for c in changes.changes_after(cursor, limit=100)]
    assert taken == [early[0], late.pk]
    assert changes.horizon() is not None


@pytest.mark.django_db(transaction=True)
def test_head_covers_every_final_change() -> None:
    WrittenQuestionFactory()
    head = changes.head()
    assert changes.changes_after(head, limit=10) == []
    question = WrittenQuestionFactory()
    assert [c.object_id for c in changes.changes_after(head, limit=10)] == [question.pk]


@pytest.mark.django_db
def test_changes_after_a_cursor_are_read_in_order_across_transactions() -> None:
    SearchChange.objects.bulk_create(
        [
            SearchChange(kind="question", object_id=n, transaction_id=t)
            for n, t in ((1, 5), (2, 5), (3, 7), (4, 9))
        ]
    )
    first = SearchChange.objects.get(object_id=1)
    after_first = Cursor(5, first.pk)
    assert changes.has_changes_after(after_first)
    found = changes.changes_after(after_first, limit=10)
    assert [change.object_id for change in found] == [2, 3, 4]
    assert [change.object_id for change in changes.changes_after(after_first, limit=2)] == [2, 3]
    last = SearchChange.objects.get(object_id=4)
    assert not changes.has_changes_after(Cursor(9, last.pk))


@pytest.mark.django_db
def test_each_part_of_after_a_cursor_is_one_index_range() -> None:
    """A row comparison made SQLite read the whole log on every search (all its changes are
    transaction 0): 90 ms a page at a million items."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's plans on a near-empty table say nothing about a large one")
    rest, later = Cursor(0, 10).after()
    assert "(transaction_id=? AND id>?)" in SearchChange.objects.filter(rest).explain()
    assert "(transaction_id>?)" in SearchChange.objects.filter(later).explain()

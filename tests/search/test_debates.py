"""Debates in search: one document per debate section, fed by the change log."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from moot.parliament.models import DebateSection, Person, Speech
from moot.parliament.services.debates import debates_import
from moot.parliament.services.members import members_import
from moot.search.changes import affected_keys
from moot.search.models import ChangeKind, SearchChange
from moot.search.selectors import search_results
from moot.search.services import search_index_rebuild
from tests.pages import text_of
from tests.search.conftest import update

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "parliament" / "fixtures"


def found(query: str) -> set[str]:
    results = search_results(query=query, page_size=100)
    assert results.error == "", results.error
    return {hit.document.title for hit in results.hits}


@pytest.fixture
def imported() -> None:
    members_import(paths=[FIXTURES / "people.json", FIXTURES / "ministers.json"])
    debates_import(
        paths=[FIXTURES / "debates" / "v1", FIXTURES / "debates" / "westminster2009-10-27a.xml"]
    )


@pytest.mark.usefixtures("imported")
def test_debates_are_found_by_words_type_member_party_and_department() -> None:
    search_index_rebuild()
    assert found("halve child poverty") == {"Child Poverty"}
    assert found("type:debate exploitation") == {"Child Sexual Exploitation"}
    assert found("type:question exploitation") == set()
    assert "Child Poverty" in found("member:helen-goodman")
    assert found("member:nadine-dorries type:debate") == {
        "Pension Credit",
        "Child Sexual Exploitation",
    }
    assert "Child Poverty" in found("party:liberal-democrat")
    assert found("department:department-for-work-and-pensions type:debate") >= {"Child Poverty"}


# Committed transactions, as the worker sees them: on PostgreSQL the indexer only applies
# changes of transactions that have finished.
@pytest.mark.django_db(transaction=True)
def test_an_import_reaches_the_index_through_the_change_log() -> None:
    search_index_rebuild()
    members_import(paths=[FIXTURES / "people.json", FIXTURES / "ministers.json"])
    debates_import(paths=[FIXTURES / "debates" / "v1"])
    section = DebateSection.objects.get(heading="Child Poverty")
    assert SearchChange.objects.filter(kind=ChangeKind.DEBATE, object_id=section.id).exists()
    update()
    assert found("halve child poverty") == {"Child Poverty"}
    # A newer version's correction is found, and the old words no longer are.
    debates_import(paths=[FIXTURES / "debates" / "v2"])
    update()
    assert found('"550,000 children"') == {"Child Poverty"}
    assert found('"500,000 children"') == set()
    # A speech deleted: its section's page is redone.
    Speech.objects.filter(section=section).delete()
    update()
    assert found("halve child poverty") == set()


@pytest.mark.usefixtures("imported")
def test_a_renamed_speaker_redoes_their_debates() -> None:
    person = Person.objects.get(name="Helen Goodman")
    keys = affected_keys([SearchChange(kind=ChangeKind.PERSON, object_id=person.id)])
    sections = Speech.objects.filter(speaker=person).values_list("section_id", flat=True)
    assert {f"debate:{pk}" for pk in sections} <= keys


@pytest.mark.usefixtures("imported")
def test_the_search_page_shows_debates_beside_written_answers(client: Client) -> None:
    from tests.factories import WrittenQuestionFactory

    WrittenQuestionFactory(heading="Child Poverty: Targets", text="Child poverty targets.")
    search_index_rebuild()
    text = text_of(client.get("/search/?q=child+poverty").content.decode())
    assert "Type Written questions (1) Debates (1)" in text
    assert "Child Poverty : Targets Written question" in text
    assert "Child Poverty Debate Department for Work and Pensions 27 October 2009" in text
    page = client.get("/search/?q=type:debate+poverty").content.decode()
    assert "/debates/commons/2009-10-27/child-poverty/" in page
    assert "Child Poverty: Targets" not in text_of(page)

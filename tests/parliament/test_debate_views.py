"""The debate pages, and debates on the day and member pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client

from moot.parliament.models import DebateSection, Person, Speech
from moot.parliament.services.debates import debates_import
from moot.parliament.services.members import members_import
from tests.factories import WrittenQuestionFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

POVERTY = "/debates/commons/2009-10-27/child-poverty/"


@pytest.fixture
def imported(fixtures: Path) -> None:
    members_import(paths=[fixtures / "people.json", fixtures / "ministers.json"])
    folder = fixtures / "debates"
    summary = debates_import(
        paths=[
            folder / "v1",
            folder / "lords2009-10-26a.xml",
            folder / "westminster2009-10-27a.xml",
        ]
    )
    assert summary.errors == 0, summary.lines()


@pytest.mark.usefixtures("imported")
def test_a_debate_page_shows_each_speech_with_its_speaker_as_on_the_day(client: Client) -> None:
    response = client.get(POVERTY)
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html)
    assert "House of Commons: Work and Pensions" in text
    assert "Child Poverty" in text
    assert "Debated on 27th October 2009 ; Department for Work and Pensions answering." in text
    # Each speaker with their party and seat, and the post they held, that day.
    assert (
        "Steve Webb Liberal Democrat, Northavon Shadow Secretary of State (Work and Pensions)"
        in text
    )
    assert (
        "Helen Goodman Labour, Bishop Auckland Parliamentary Under-Secretary "
        "(Department for Work and Pensions) (Welfare Reform)" in text
    )
    assert "halve child poverty by 2010\u201311" in text
    assert text.index("What recent assessment") < text.index("The Child Poverty Bill")
    # A stable anchor per speech, linked from the speech itself, and the Hansard column.
    assert 'id="s133-4"' in html
    assert 'href="#s133-4"' in html
    assert "Hansard column 133" in text
    assert "14:31" in text
    # The alert is about debates like this one.
    section = DebateSection.objects.get(heading="Child Poverty")
    assert f'href="/alerts/?debate={section.id}"' in html
    assert "Next debate : Pension Credit" in text


@pytest.mark.usefixtures("imported")
def test_speech_permalinks_and_source_ids_lead_to_the_speech(client: Client) -> None:
    speech = Speech.objects.get(source_id="uk.org.publicwhip/debate/2009-10-27a.133.4")
    assert speech.get_absolute_url() == f"{POVERTY}#s133-4"
    response = client.get(f"/debates/source/{speech.source_id}/")
    assert response.status_code == 301
    assert response["Location"] == f"{POVERTY}#s133-4"
    section = client.get("/debates/source/uk.org.publicwhip/debate/2009-10-27a.133.2/")
    assert section["Location"] == POVERTY
    assert client.get("/debates/source/uk.org.publicwhip/debate/nothing/").status_code == 404


@pytest.mark.usefixtures("imported")
@pytest.mark.parametrize(
    "path",
    [
        "/debates/commons/2009-10-27/no-such-debate/",
        "/debates/elsewhere/2009-10-27/child-poverty/",
        "/debates/lords/2009-10-27/child-poverty/",
        "/debates/commons/2009-13-45/child-poverty/",
    ],
)
def test_unknown_debates_are_404(client: Client, path: str) -> None:
    assert client.get(path).status_code == 404


@pytest.mark.usefixtures("imported")
def test_the_day_page_shows_debates_beside_written_answers(client: Client) -> None:
    WrittenQuestionFactory(date=dt.date(2009, 10, 27), heading="Child Poverty Bill")
    text = text_of(client.get("/written-questions/2009-10-27/").content.decode())
    assert "Written questions and answers, and debates" in text
    assert "Written questions" in text
    assert "Child Poverty Bill" in text
    assert "Debates: House of Commons" in text
    assert "Debates: Westminster Hall" in text
    assert "Child Poverty – Work and Pensions (3 speeches)" in text
    assert "Child Sexual Exploitation" in text
    # A day of debates only still has its page.
    lords = text_of(client.get("/written-questions/2009-10-26/").content.decode())
    assert "Debates: House of Lords" in lords
    assert "Armed Forces: Equipment" in lords


@pytest.mark.usefixtures("imported")
def test_the_member_page_lists_speeches(client: Client) -> None:
    person = Person.objects.get(name="Helen Goodman")
    html = client.get(person.get_absolute_url()).content.decode()
    text = text_of(html)
    assert "Speeches in debates" in text
    assert "Child Poverty – House of Commons, 27 October 2009" in text
    assert "Child Sexual Exploitation – Westminster Hall, 27 October 2009" in text
    assert f'href="{POVERTY}#s133-4"' in html
    listing = text_of(client.get(f"{person.get_absolute_url()}speeches/").content.decode())
    assert "Speeches by Helen Goodman" in listing
    assert "2 in all" in listing


@pytest.mark.usefixtures("imported")
def test_the_debates_index_and_feed(client: Client) -> None:
    text = text_of(client.get("/debates/").content.decode())
    assert "27 October 2009 (4 debates)" in text
    assert "26 October 2009 (2 debates)" in text
    feed = client.get("/debates/feed.atom").content.decode()
    assert "<title>Child Poverty (House of Commons)</title>" in feed
    assert f"{POVERTY}</" in feed or f'href="http://testserver{POVERTY}"' in feed


@pytest.mark.usefixtures("imported")
def test_a_debate_page_costs_the_same_queries_whatever_its_length(
    client: Client, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(POVERTY).status_code == 200

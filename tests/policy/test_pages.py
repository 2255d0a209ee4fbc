"""Mentions on the pages: the words linked on the question page, "This answer mentions",
and "In Parliament" on the consultation and document pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from moot.parliament.models import WrittenStatement
from moot.policy.models import Mention, MentionStatus
from moot.policy.services import mentions_refresh
from moot.policy.threads import policy_thread
from tests.policy.conftest import World

pytestmark = pytest.mark.django_db

QUESTION_URL = "/written-questions/2007-12-03/children-sexual-offences/"


def _links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="govuk-link moot-mention" href="([^"]+)"[^>]*>([^<]+)</a>', html)


def test_the_answer_links_the_words_that_name_documents(client: Client, world: World) -> None:
    mentions_refresh(answer_ids=[world.answer.pk])
    html = client.get(QUESTION_URL).content.decode()
    assert _links(html) == [
        ("/documents/working-together-2006/", "Working Together to Safeguard Children"),
        ("/documents/working-together-2006/", "Working Together"),
        ("/documents/prostitution-2000/", "Safeguarding Children involved in prostitution"),
    ]
    # "the 1999 edition of 'Working Together'" names an edition moot does not hold.
    assert "1999 edition of &#x27;Working Together&#x27;" in html or (
        "1999 edition of 'Working Together'" in html
    )
    panel = html[html.index('data-testid="mentions"') :]
    assert "This answer mentions" in panel
    assert panel.index("Working Together to Safeguard Children") < panel.index(
        "Safeguarding Children Involved in Prostitution"
    )
    assert "/policy/documents/working-together-2006/" in panel


def test_a_removed_mention_is_neither_linked_nor_listed(client: Client, world: World) -> None:
    mentions_refresh(answer_ids=[world.answer.pk])
    Mention.objects.filter(document=world.prostitution).update(
        status=MentionStatus.REMOVED, reviewed_at="2026-01-01T00:00:00Z"
    )
    html = client.get(QUESTION_URL).content.decode()
    assert [words for _, words in _links(html)] == [
        "Working Together to Safeguard Children",
        "Working Together",
    ]
    assert "Safeguarding Children Involved in Prostitution" not in html


def test_a_page_without_mentions_has_no_panel(client: Client, world: World) -> None:
    html = client.get(QUESTION_URL).content.decode()
    assert 'data-testid="mentions"' not in html
    assert _links(html) == []


def test_a_question_text_is_linked_too(client: Client, world: World) -> None:
    world.question.text = "To ask what 'Working Together to Safeguard Children' requires."
    world.question.save()
    mentions_refresh(question_ids=[world.question.pk])
    html = client.get(QUESTION_URL).content.decode()
    assert ("/documents/working-together-2006/", "Working Together to Safeguard Children") in (
        _links(html)
    )


def test_the_document_page_lists_the_questions_in_parliament(client: Client, world: World) -> None:
    mentions_refresh(answer_ids=[world.answer.pk])
    html = client.get("/documents/working-together-2006/").content.decode()
    section = html[html.index('data-testid="in-parliament"') :]
    assert "In Parliament" in section
    assert f'href="{world.question.get_absolute_url()}"' in section
    assert "Children: Sexual Offences" in section
    assert "“Working Together to Safeguard Children”, “Working Together”" in section
    assert "/policy/documents/working-together-2006/" in section


def test_the_consultation_page_says_when_nothing_in_parliament_mentions_it(
    client: Client, world: World
) -> None:
    mentions_refresh(answer_ids=[world.answer.pk])
    html = client.get("/consultations/sexual-exploitation/").content.decode()
    section = html[html.index('data-testid="in-parliament"') :]
    assert "No written question, answer or statement moot holds mentions this yet." in section
    assert "/policy/consultations/sexual-exploitation/" in section


def test_a_written_statement_links_what_it_names_both_ways(client: Client, world: World) -> None:
    statement = WrittenStatement.objects.create(
        date=dt.date(2009, 6, 30),
        identifier="safeguarding-children",
        title="Safeguarding Children",
        department=world.department,
        speaker_name="Beverley Hughes",
        body_html="<p>Today we publish 'Safeguarding Children and Young People from Sexual "
        "Exploitation', supplementary to 'Working Together to Safeguard Children'.</p>",
    )
    counts = mentions_refresh(statement_ids=[statement.pk])
    assert counts.created == 2
    html = client.get(statement.get_absolute_url()).content.decode()
    assert _links(html) == [
        (
            "/documents/final-2009/",
            "Safeguarding Children and Young People from Sexual Exploitation",
        ),
        ("/documents/working-together-2006/", "Working Together to Safeguard Children"),
    ]
    panel = html[html.index('data-testid="mentions"') :]
    assert "This statement mentions" in panel
    document = client.get("/documents/final-2009/").content.decode()
    section = document[document.index('data-testid="in-parliament"') :]
    assert f'href="{statement.get_absolute_url()}"' in section
    assert "Written statement from the Department for Children, Schools and Families" in section
    events = policy_thread(subject=world.final).events
    made = next(event for event in events if event.kind == "Written statement")
    assert (made.title, made.day, made.url) == (
        "Safeguarding Children",
        dt.date(2009, 6, 30),
        statement.get_absolute_url(),
    )
    assert made.description == (
        "Beverley Hughes made it for the Department for Children, Schools and Families."
    )

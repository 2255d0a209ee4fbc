"""Mentions on the pages: the words linked on the question page, "This answer mentions",
and "In Parliament" on the consultation and document pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from moot.policy.models import Mention, MentionStatus
from moot.policy.services import mentions_refresh
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
    assert "No written question or answer moot holds mentions this yet." in section
    assert "/policy/consultations/sexual-exploitation/" in section

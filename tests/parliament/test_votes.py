"""'Does this answer the above question?': one changeable vote per reader, never by GET."""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from moot.parliament.models import AnswerVote, WrittenAnswer
from moot.parliament.models.votes import VOTES_PER_ADDRESS
from moot.parliament.services.votes import answer_vote_cast, voter_key_for
from moot.parliament.voting import VOTER_COOKIE
from tests.factories import WrittenAnswerFactory, WrittenQuestionFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"


@pytest.fixture
def answer() -> WrittenAnswer:
    question = WrittenQuestionFactory()
    return WrittenAnswerFactory(questions=[question])


def vote_url(answer: WrittenAnswer) -> str:
    return f"/written-questions/answers/{answer.pk}/vote/"


def vote(client: Client, answer: WrittenAnswer, side: str, **extra: str) -> object:
    return client.post(vote_url(answer), {"vote": side}, HTTP_ORIGIN=ORIGIN, **extra)


def tally(answer: WrittenAnswer) -> tuple[int, int]:
    votes = AnswerVote.objects.filter(answer=answer)
    return votes.filter(answers_question=True).count(), votes.filter(answers_question=False).count()


def test_the_question_page_shows_the_votes_as_the_seed_does(
    client: Client, answer: WrittenAnswer
) -> None:
    text = text_of(client.get(answer.questions.get().get_absolute_url()).content.decode())
    assert (
        "Does this answer the above question? Yes 0 people think so No 0 people think not" in text
    )


def test_voting_is_a_post_form_with_a_csrf_token(client: Client, answer: WrittenAnswer) -> None:
    html = client.get(answer.questions.get().get_absolute_url()).content.decode()
    assert f'method="post" action="{vote_url(answer)}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'href="{vote_url(answer)}' not in html


def test_a_get_never_votes(client: Client, answer: WrittenAnswer) -> None:
    """Crawlers follow links and prefetch pages: GET and HEAD are refused, and count nothing."""
    for url in (vote_url(answer), f"{vote_url(answer)}?vote=yes"):
        assert client.get(url).status_code == 405
        assert client.head(url).status_code == 405
    assert AnswerVote.objects.count() == 0


def test_a_vote_without_javascript_redirects_back_and_counts(
    client: Client, answer: WrittenAnswer
) -> None:
    response = vote(client, answer, "yes")
    assert response.status_code == 303
    assert response["Location"] == f"{answer.questions.get().get_absolute_url()}#answer-{answer.pk}"
    page = text_of(client.get(response["Location"]).content.decode())
    assert "1 person thinks so" in page
    assert "0 people think not" in page
    assert "You said yes. You can change your mind." in page
    assert "your answer to “Does this answer the question?” is counted" in page


def test_voting_twice_is_one_vote_and_voting_again_changes_it(
    client: Client, answer: WrittenAnswer
) -> None:
    vote(client, answer, "yes")
    vote(client, answer, "yes")
    assert tally(answer) == (1, 0)
    vote(client, answer, "no")
    assert tally(answer) == (0, 1)
    assert AnswerVote.objects.count() == 1


def test_two_readers_behind_one_address_each_count(answer: WrittenAnswer) -> None:
    first, second = Client(), Client()
    vote(first, answer, "yes")
    vote(first, answer, "yes")  # comes back with its cookie: adopts its first vote
    vote(second, answer, "no")
    vote(second, answer, "no")
    assert tally(answer) == (1, 1)


def test_a_client_refusing_cookies_is_not_counted_twice(answer: WrittenAnswer) -> None:
    """Without a cookie a reader is their address's keyed hash: one vote, changeable."""
    client = Client()
    for side in ("yes", "yes", "no", "yes"):
        client.cookies.clear()
        vote(client, answer, side)
    assert tally(answer) == (1, 0)
    stored = AnswerVote.objects.get()
    assert stored.voter_key.startswith("ip:")
    assert "127.0.0.1" not in json.dumps(list(AnswerVote.objects.values()), default=str)


def test_the_cookie_is_signed_and_a_forged_one_is_ignored(
    client: Client, answer: WrittenAnswer
) -> None:
    response = vote(client, answer, "yes")
    cookie = response.cookies[VOTER_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert ":" in cookie.value  # value:signature
    forger = Client()
    forger.cookies[VOTER_COOKIE] = "stolen-or-made-up-voter-id:bad-signature"
    vote(forger, answer, "no")
    # The forged cookie counted as no cookie: the vote fell back to the address and
    # changed the one vote from this address rather than adding one.
    assert tally(answer) == (0, 1)


def test_javascript_votes_get_the_new_counts_as_json(client: Client, answer: WrittenAnswer) -> None:
    response = vote(client, answer, "no", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {"yes": 0, "no": 1, "mine": "no"}
    response = vote(client, answer, "yes", HTTP_ACCEPT="application/json")
    assert response.json() == {"yes": 1, "no": 0, "mine": "yes"}


def test_a_vote_must_be_yes_or_no(client: Client, answer: WrittenAnswer) -> None:
    response = vote(client, answer, "maybe")
    assert response.status_code == 400
    text = text_of(response.content.decode())
    assert "There is a problem Choose Yes or No" in text
    assert response.content.decode().count(f'href="#vote-{answer.pk}"') == 1
    assert vote(client, answer, "", HTTP_ACCEPT="application/json").json() == {
        "error": "Choose Yes or No"
    }
    assert AnswerVote.objects.count() == 0


def test_votes_from_one_address_are_rate_limited(
    client: Client, answer: WrittenAnswer, settings: object
) -> None:
    settings.ANSWER_VOTE_RATE_LIMIT = 3  # type: ignore[attr-defined]
    for _ in range(3):
        assert vote(client, answer, "yes").status_code == 303
    refused = vote(client, answer, "no")
    assert refused.status_code == 429
    assert "Too many votes have come from your network" in text_of(refused.content.decode())
    assert tally(answer) == (1, 0)


def test_a_vote_forged_from_another_site_is_refused(answer: WrittenAnswer) -> None:
    client = Client(enforce_csrf_checks=True)
    # A browser keeping cookies must send the page's CSRF token …
    client.get(answer.questions.get().get_absolute_url())
    response = client.post(vote_url(answer), {"vote": "yes"}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    # … and one without cookies must come from one of moot's pages.
    cookieless = Client(enforce_csrf_checks=True)
    response = cookieless.post(
        vote_url(answer), {"vote": "yes"}, HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    assert "did not come from a page on this site" in text_of(response.content.decode())
    assert AnswerVote.objects.count() == 0


def test_a_vote_from_the_page_passes_the_forgery_checks(answer: WrittenAnswer) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get(answer.questions.get().get_absolute_url())
    token = page.context["csrf_token"]
    response = client.post(vote_url(answer), {"vote": "yes", "csrfmiddlewaretoken": str(token)})
    assert response.status_code == 303
    cookieless = Client(enforce_csrf_checks=True)
    response = cookieless.post(vote_url(answer), {"vote": "no"}, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 303
    assert tally(answer) == (0, 1)  # same address, no cookie: changed the address's vote


def test_voting_on_an_unknown_answer_is_not_found(client: Client) -> None:
    assert (
        client.post("/written-questions/answers/999999/vote/", {"vote": "yes"}).status_code == 404
    )


def test_the_service_adopts_a_cookieless_vote_once_the_cookie_comes_back(
    answer: WrittenAnswer,
) -> None:
    first = answer_vote_cast(answer=answer, answers_question=True, voter_id=None, ip_hash="h1")
    assert first.new_voter_id
    assert first.tally.mine is True
    again = answer_vote_cast(
        answer=answer, answers_question=False, voter_id=first.new_voter_id, ip_hash="h1"
    )
    assert again.new_voter_id is None
    stored = AnswerVote.objects.get()
    assert stored.voter_key == voter_key_for(first.new_voter_id)
    assert (again.tally.yes, again.tally.no, again.tally.mine) == (0, 1, False)


# One address, honest counts: a script gets no more votes by refusing, discarding or
# collecting cookies than readers sharing an address (VOTES_PER_ADDRESS) would have.

OFFICE = "203.0.113.77"


def test_25_cookieless_votes_from_one_address_are_one_vote_and_store_no_address(
    answer: WrittenAnswer,
) -> None:
    for _ in range(25):
        vote(Client(), answer, "yes", REMOTE_ADDR=OFFICE)
    assert tally(answer) == (1, 0)
    vote(Client(), answer, "no", REMOTE_ADDR=OFFICE)
    assert tally(answer) == (0, 1)  # changed, not added
    stored = json.dumps(list(AnswerVote.objects.values()), default=str)
    assert OFFICE not in stored
    assert OFFICE.replace(".", "") not in stored


def test_cookies_collected_from_cookieless_votes_add_at_most_three_votes(
    answer: WrittenAnswer,
) -> None:
    """Each cookie-less vote offers a cookie; a script that keeps them all and votes once
    with each gets no more than an address's places."""
    collected = []
    for _ in range(25):
        response = vote(Client(), answer, "yes", REMOTE_ADDR=OFFICE)
        collected.append(response.cookies[VOTER_COOKIE].value)
    statuses = []
    for cookie in collected:
        client = Client()
        client.cookies[VOTER_COOKIE] = cookie
        statuses.append(vote(client, answer, "yes", REMOTE_ADDR=OFFICE).status_code)
    assert tally(answer) == (VOTES_PER_ADDRESS, 0)
    # Two cookies took the free places, the last one offered took over the address's vote,
    # and every other was refused.
    assert statuses == [303] * (VOTES_PER_ADDRESS - 1) + [409] * (25 - VOTES_PER_ADDRESS) + [303]


def test_dropping_the_cookie_after_each_vote_adds_at_most_three_votes(
    answer: WrittenAnswer,
) -> None:
    """Vote without a cookie, send it back once (the vote becomes the cookie's), drop it,
    again: each round used to add a vote."""
    client = Client()
    for _ in range(25):
        client.cookies.clear()
        vote(client, answer, "yes", REMOTE_ADDR=OFFICE)
        vote(client, answer, "yes", REMOTE_ADDR=OFFICE)
    assert tally(answer) == (VOTES_PER_ADDRESS, 0)


def test_a_fourth_reader_behind_one_address_is_told_the_vote_was_not_counted(
    answer: WrittenAnswer,
) -> None:
    readers = [Client() for _ in range(VOTES_PER_ADDRESS + 1)]
    for reader in readers[:-1]:
        vote(reader, answer, "yes", REMOTE_ADDR=OFFICE)
        vote(reader, answer, "yes", REMOTE_ADDR=OFFICE)  # with its cookie now
    refused = vote(readers[-1], answer, "no", REMOTE_ADDR=OFFICE)
    assert refused.status_code == 409
    assert "3 readers on your network have already voted on this answer" in text_of(
        refused.content.decode()
    )
    assert tally(answer) == (VOTES_PER_ADDRESS, 0)
    # The readers who hold places can still change their minds.
    vote(readers[0], answer, "no", REMOTE_ADDR=OFFICE)
    assert tally(answer) == (VOTES_PER_ADDRESS - 1, 1)


def test_votes_from_two_addresses_count_twice(answer: WrittenAnswer) -> None:
    for address in ("198.51.100.1", "198.51.100.2"):
        for _ in range(5):
            vote(Client(), answer, "yes", REMOTE_ADDR=address)
    assert tally(answer) == (2, 0)


def test_the_address_is_the_one_the_trusted_proxy_saw(answer: WrittenAnswer, settings) -> None:  # type: ignore[no-untyped-def]
    """Behind a proxy every request comes from the proxy's address: the client's is in
    X-Forwarded-For, and only that one is counted."""
    settings.TRUSTED_PROXY_COUNT = 1
    for client_address in ("198.51.100.1", "198.51.100.2", "198.51.100.1"):
        vote(Client(), answer, "yes", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=client_address)
    assert tally(answer) == (2, 0)


def test_a_reader_who_moves_network_keeps_one_vote(answer: WrittenAnswer) -> None:
    client = Client()
    vote(client, answer, "yes", REMOTE_ADDR="198.51.100.1")
    vote(client, answer, "yes", REMOTE_ADDR="198.51.100.1")
    vote(client, answer, "no", REMOTE_ADDR="198.51.100.9")
    assert tally(answer) == (0, 1)


def test_the_database_refuses_more_votes_per_address_than_its_places(
    answer: WrittenAnswer,
) -> None:
    def make(voter: str, place: int) -> None:
        with transaction.atomic():
            AnswerVote.objects.create(
                answer=answer,
                voter_key=voter,
                ip_hash="h",
                address_place=place,
                answers_question=True,
            )

    for place in range(VOTES_PER_ADDRESS):
        make(f"c:{place}", place)
    with pytest.raises(IntegrityError):
        make("c:again", 0)
    with pytest.raises(IntegrityError):
        make("c:extra", VOTES_PER_ADDRESS)
    assert AnswerVote.objects.count() == VOTES_PER_ADDRESS

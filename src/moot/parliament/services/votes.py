"""Readers' votes on whether an answer answers its question."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from moot.core.errors import MootError
from moot.parliament.models import AnswerVote, WrittenAnswer
from moot.parliament.models.votes import VOTES_PER_ADDRESS
from moot.parliament.selectors.votes import VoteTally, vote_tallies


class VoteRefused(MootError):
    """A vote moot will not count, with the reason and the HTTP status that goes with it."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def voter_key_for(voter_id: str) -> str:
    """How a voter's cookie id is stored: hashed, so the table holds no live cookie values."""
    return "c:" + hashlib.sha256(voter_id.encode()).hexdigest()[:40]


@dataclass(frozen=True)
class VoteOutcome:
    tally: VoteTally
    new_voter_id: str | None  # to be set as the reader's cookie, when they had none


def answer_vote_cast(
    *, answer: WrittenAnswer, answers_question: bool, voter_id: str | None, ip_hash: str
) -> VoteOutcome:
    """Record one reader's view of an answer. Atomic; a reader who votes again changes
    their vote, never adds one.

    A reader is their cookie id when their browser sends one. Without one, the vote is kept
    under the keyed hash of their address (``ip_hash``) — so a browser that refuses cookies
    keeps changing one vote, never adding more — and a new cookie id is offered; if the
    browser sends it back next time, that vote becomes the cookie's.

    A new vote takes one of its address's ``VOTES_PER_ADDRESS`` places on the answer, and the
    database holds no more: readers sharing an address (an office) each count, but cookies
    thrown away or collected by one script add at most that many votes. When the places are
    all taken the vote is refused (``VoteRefused``, 409). A vote keeps its place when its
    reader votes again from another address.
    """
    new_voter_id = None if voter_id else secrets.token_urlsafe(24)
    for attempt in range(VOTES_PER_ADDRESS):
        try:
            with transaction.atomic():
                _record(answer, answers_question, voter_id, new_voter_id, ip_hash)
            break
        except IntegrityError:
            # Two requests at once took the same row or place: the other won; look again.
            if attempt == VOTES_PER_ADDRESS - 1:
                raise
    voter_key = voter_key_for(voter_id or new_voter_id or "")
    tally = vote_tallies(answer_ids=[answer.pk], voter_key=voter_key)[answer.pk]
    return VoteOutcome(tally=tally, new_voter_id=new_voter_id)


def _record(
    answer: WrittenAnswer,
    answers_question: bool,
    voter_id: str | None,
    new_voter_id: str | None,
    ip_hash: str,
) -> None:
    address_key = f"ip:{ip_hash}"
    votes = AnswerVote.objects.select_for_update().filter(answer=answer)
    if voter_id:
        key = voter_key_for(voter_id)
        vote = (
            votes.filter(voter_key=key).first()
            or votes.filter(voter_key=address_key, issued_voter_key=key).first()
        )
        issued = ""
    else:
        key = address_key
        vote = votes.filter(voter_key=key).first()
        issued = voter_key_for(new_voter_id or "")
    if vote is None:
        taken = set(votes.filter(ip_hash=ip_hash).values_list("address_place", flat=True))
        free = [place for place in range(VOTES_PER_ADDRESS) if place not in taken]
        if not free:
            raise VoteRefused(
                f"{VOTES_PER_ADDRESS} readers on your network have already voted on this "
                "answer, so this vote was not counted.",
                status=409,
            )
        AnswerVote.objects.create(
            answer=answer,
            voter_key=key,
            ip_hash=ip_hash,
            address_place=free[0],
            issued_voter_key=issued,
            answers_question=answers_question,
        )
        return
    vote.voter_key = key
    vote.issued_voter_key = issued
    vote.answers_question = answers_question
    vote.save(update_fields=["voter_key", "issued_voter_key", "answers_question", "updated_at"])

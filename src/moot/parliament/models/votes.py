"""Readers' votes on whether an answer answers its question."""

from __future__ import annotations

from django.db import models

from moot.core.models import TimeStampedModel
from moot.parliament.models.questions import WrittenAnswer

# Distinct votes one address may hold on one answer. An office or a household behind one
# address keeps a vote each (each reader's browser holds its own cookie), while a script
# that throws its cookies away, or collects them, gets at most this many; the database
# refuses more.
VOTES_PER_ADDRESS = 3


class AnswerVote(TimeStampedModel):
    """One reader's view of one answer; a reader who votes again changes it.

    A reader is known by a random id in a signed cookie, or, when their browser keeps no
    cookies, by a keyed hash of their address. Raw addresses are never stored. Each vote
    holds one of its first address's ``VOTES_PER_ADDRESS`` places on the answer.
    """

    answer = models.ForeignKey(WrittenAnswer, on_delete=models.CASCADE, related_name="votes")
    voter_key = models.CharField(
        max_length=80, help_text="c:<hash of the cookie id> or ip:<keyed hash of the address>."
    )
    ip_hash = models.CharField(max_length=64, help_text="Keyed hash of the voter's address.")
    address_place = models.PositiveSmallIntegerField(
        default=0,
        help_text="Which of the address's places on this answer the vote holds (from 0).",
    )
    issued_voter_key = models.CharField(
        max_length=80,
        blank=True,
        help_text="For a vote made without a cookie: the cookie id then offered, so the vote is "
        "the reader's own once their browser sends it back.",
    )
    answers_question = models.BooleanField(help_text="Yes: the answer answers the question.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "voter_key"], name="one_vote_per_voter"),
            models.UniqueConstraint(
                fields=["answer", "ip_hash", "address_place"], name="one_vote_per_address_place"
            ),
            models.CheckConstraint(
                condition=models.Q(address_place__lt=VOTES_PER_ADDRESS),
                name="answer_vote_places_per_address",
            ),
        ]
        indexes = [models.Index(fields=["answer", "answers_question"], name="answer_vote_tally")]

    def __str__(self) -> str:
        return f"{'Yes' if self.answers_question else 'No'} on {self.answer_id}"

"""Reads of readers' votes on answers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from moot.parliament.models import AnswerVote


@dataclass(frozen=True)
class VoteTally:
    """How many readers think an answer answers its question, and what this reader said."""

    yes: int = 0
    no: int = 0
    mine: bool | None = None

    def as_json(self) -> dict[str, object]:
        return {"yes": self.yes, "no": self.no, "mine": _side(self.mine)}


def _side(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def vote_tallies(*, answer_ids: list[int], voter_key: str | None = None) -> dict[int, VoteTally]:
    """Tallies for each answer (every id gets one), with ``voter_key``'s own votes marked.

    One query, two when a voter is known.
    """
    counts = {
        row["answer_id"]: (row["yes"], row["no"])
        for row in AnswerVote.objects.filter(answer_id__in=answer_ids)
        .values("answer_id")
        .annotate(
            yes=Count("id", filter=Q(answers_question=True)),
            no=Count("id", filter=Q(answers_question=False)),
        )
    }
    mine: dict[int, bool] = {}
    if voter_key and counts:
        # A vote made before the reader's browser sent its cookie back is theirs too.
        mine = dict(
            AnswerVote.objects.filter(answer_id__in=list(counts))
            .filter(Q(voter_key=voter_key) | Q(issued_voter_key=voter_key))
            .values_list("answer_id", "answers_question")
        )
    return {
        answer_id: VoteTally(*counts.get(answer_id, (0, 0)), mine=mine.get(answer_id))
        for answer_id in answer_ids
    }

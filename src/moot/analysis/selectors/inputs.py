"""The engine's inputs, read from the response store and the analyst's changes.

Only counted responses are analysed: submitted on time, or late and accepted by staff
(``Response.is_counted``); drafts, withdrawn and unreadable ones are left out. Responses are
streamed in three queries (responses, answer texts, chosen options), whatever their number.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from moot.analysis.engine import (
    AnalystState,
    QuestionSpec,
    ResponseInput,
)
from moot.analysis.engine import (
    Answer as EngineAnswer,
)
from moot.analysis.engine import (
    Channel as EngineChannel,
)
from moot.analysis.engine import (
    QuestionKind as EngineKind,
)
from moot.analysis.engine import (
    RespondentType as EngineRespondentType,
)
from moot.analysis.models import CODING_KINDS, AnalystChange, ChangeKind
from moot.consultations.models import (
    Answer,
    Consultation,
    Question,
    QuestionKind,
    Region,
    Response,
    ResponseAttachment,
    ResponseStatus,
)

# Letters and emails that were never coded against the questionnaire are analysed as the
# answers to one more free-text question, so their campaigns and themes are found too.
LETTERS_REF = "letters"
LETTERS_TEXT = "Letters and emails not answering the questions one by one"
# Enough of a long attached document to find its themes, without holding whole reports.
LETTER_TEXT_LIMIT = 20_000
STREAM_CHUNK = 2_000

KINDS = {
    QuestionKind.SINGLE_CHOICE: EngineKind.SINGLE_CHOICE,
    QuestionKind.MULTIPLE_CHOICE: EngineKind.MULTIPLE_CHOICE,
    QuestionKind.AGREE_SCALE: EngineKind.AGREEMENT_SCALE,
    QuestionKind.FREE_TEXT: EngineKind.FREE_TEXT,
}
# A free-text question right after an agree/disagree question, worded like these, asks people
# to explain whether they agree: its stance is read from their answers.
EXPLAINS_AGREEMENT = re.compile(r"\b(explain|why|reasons?|your answer|agree|disagree)\b", re.I)
REGION_LABELS = dict(Region.choices)


def counted_responses(*, consultation: Consultation) -> QuerySet[Response]:
    """The responses an analysis counts (``Response.is_counted`` as a query)."""
    return Response.objects.filter(
        Q(status=ResponseStatus.SUBMITTED)
        | Q(status=ResponseStatus.LATE, late_accepted_at__isnull=False),
        consultation=consultation,
    )


@dataclass(frozen=True, kw_only=True)
class QuestionInfo:
    """A question as a run saw it: kept in the run's summary, so pages and the published
    summary show the wording that was analysed."""

    ref: str
    key: str
    position: int
    text: str
    kind: str
    options: tuple[str, ...] = ()
    asks_agreement: bool = False
    paired_ref: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "key": self.key,
            "position": self.position,
            "text": self.text,
            "kind": self.kind,
            "options": list(self.options),
            "asks_agreement": self.asks_agreement,
            "paired_ref": self.paired_ref,
        }


@dataclass(kw_only=True)
class EngineInputs:
    questions: list[QuestionSpec]
    responses: list[ResponseInput]
    question_info: list[QuestionInfo]
    respondents: dict[str, dict[str, int]] = field(default_factory=dict)


def question_infos(*, consultation: Consultation) -> list[QuestionInfo]:
    """The questionnaire as the engine sees it (without the letters question)."""
    questions = list(
        Question.objects.filter(consultation=consultation)
        .order_by("position")
        .prefetch_related("options")
    )
    infos = []
    previous: Question | None = None
    for question in questions:
        paired = None
        if (
            question.kind == QuestionKind.FREE_TEXT
            and previous is not None
            and previous.kind == QuestionKind.AGREE_SCALE
            and EXPLAINS_AGREEMENT.search(f"{question.text} {question.hint}")
        ):
            paired = str(previous.pk)
        infos.append(
            QuestionInfo(
                ref=str(question.pk),
                key=question.key,
                position=question.position,
                text=question.text,
                kind=KINDS[QuestionKind(question.kind)].value,
                options=tuple(o.label for o in question.options.all()),
                asks_agreement=paired is not None,
                paired_ref=paired,
            )
        )
        previous = question
    return infos


def _spec(info: QuestionInfo) -> QuestionSpec:
    return QuestionSpec(
        id=info.ref,
        kind=EngineKind(info.kind),
        text=info.text,
        options=info.options,
        asks_agreement=info.asks_agreement,
        paired_scale_question_id=info.paired_ref,
    )


def engine_inputs_load(*, consultation: Consultation) -> EngineInputs:
    """Questions and counted responses of ``consultation``, as engine inputs.

    Responses are read in chunks of ids, each with a few indexed queries: plans that stay
    good on PostgreSQL right after a bulk import, when its statistics are not yet fresh."""
    infos = question_infos(consultation=consultation)
    kinds = {info.ref: info.kind for info in infos}
    free_refs = {info.ref for info in infos if info.kind == EngineKind.FREE_TEXT.value}
    rows = list(
        counted_responses(consultation=consultation)
        .order_by("id")
        .values_list("id", "channel", "respondent_type", "role__label", "region")
    )
    responses = []
    respondents: dict[str, Counter[str]] = defaultdict(Counter)
    has_letters = False
    for start in range(0, len(rows), STREAM_CHUNK):
        chunk = rows[start : start + STREAM_CHUNK]
        ids = [row[0] for row in chunk]
        answers = _answers(response_ids=ids, kinds=kinds)
        answered = {r for r, given in answers.items() if free_refs & given.keys()}
        letters = _letters(response_ids=ids, answered_free_text=answered)
        has_letters = has_letters or bool(letters)
        for response_id, channel, respondent_type, role, region in chunk:
            given = answers.get(response_id, {})
            if response_id in letters:
                given[LETTERS_REF] = letters[response_id]
            kind = EngineRespondentType(respondent_type or "unknown")
            responses.append(
                ResponseInput(
                    id=str(response_id),
                    channel=EngineChannel(channel),
                    respondent_type=kind,
                    role=role or None,
                    region=REGION_LABELS.get(region) if region else None,
                    answers=given,
                )
            )
            respondents["channel"][channel] += 1
            respondents["respondent_type"][kind.value] += 1
            respondents["role"][role or ""] += 1
            respondents["region"][region or ""] += 1
    if has_letters:
        infos.append(
            QuestionInfo(
                ref=LETTERS_REF,
                key=LETTERS_REF,
                position=len(infos) + 1,
                text=LETTERS_TEXT,
                kind=EngineKind.FREE_TEXT.value,
            )
        )
    return EngineInputs(
        questions=[_spec(info) for info in infos],
        responses=responses,
        question_info=infos,
        respondents={dimension: dict(counts) for dimension, counts in respondents.items()},
    )


def _answers(
    *, response_ids: list[int], kinds: dict[str, str]
) -> dict[int, dict[str, EngineAnswer]]:
    """Free-text answers and chosen options of these responses, by question ref."""
    answers: dict[int, dict[str, EngineAnswer]] = defaultdict(dict)
    texts = (
        Answer.objects.filter(response_id__in=response_ids, question__kind=QuestionKind.FREE_TEXT)
        .exclude(text="")
        .order_by()
        .values_list("response_id", "question_id", "text")
    )
    for response_id, question_id, text in texts:
        answers[response_id][str(question_id)] = text
    chosen: dict[tuple[int, str], list[str]] = defaultdict(list)
    options = (
        Answer.selected_options.through.objects.filter(answer__response_id__in=response_ids)
        .order_by("answer_id", "questionoption__position")
        .values_list("answer__response_id", "answer__question_id", "questionoption__label")
    )
    for response_id, question_id, label in options:
        chosen[(response_id, str(question_id))].append(label)
    for (response_id, ref), labels in chosen.items():
        if kinds.get(ref) == EngineKind.MULTIPLE_CHOICE.value:
            answers[response_id][ref] = tuple(labels)
        else:
            answers[response_id][ref] = labels[0]
    return answers


def _letters(*, response_ids: list[int], answered_free_text: set[int]) -> dict[int, str]:
    """The text of each of these responses that answered no free-text question: its body
    (a letter or email) and the text of its attached documents."""
    unanswered = [r for r in response_ids if r not in answered_free_text]
    letters: dict[int, list[str]] = defaultdict(list)
    bodies = (
        Response.objects.filter(pk__in=unanswered)
        .exclude(body_text="")
        .order_by("id")
        .values_list("id", "body_text")
    )
    for response_id, body in bodies:
        letters[response_id].append(body)
    files = (
        ResponseAttachment.objects.filter(response_id__in=unanswered, rejected_reason="")
        .exclude(extracted_text="")
        .order_by("response_id", "id")
        .values_list("response_id", "extracted_text")
    )
    for response_id, text in files:
        letters[response_id].append(text)
    return {
        response_id: "\n\n".join(parts)[:LETTER_TEXT_LIMIT].strip()
        for response_id, parts in letters.items()
        if "".join(parts).strip()
    }


def analyst_state_load(
    *, consultation: Consultation, up_to: int | None = None
) -> tuple[AnalystState, int]:
    """The analyst's changes as engine input, and the id of the last change included.

    Theme edits are replayed in the order they were made; for codings, the latest coding of
    each answer wins.
    """
    changes = AnalystChange.objects.filter(consultation=consultation).order_by("id")
    if up_to is not None:
        changes = changes.filter(id__lte=up_to)
    edits: dict[str, list[dict[str, Any]]] = defaultdict(list)
    codings: dict[tuple[str, int], dict[str, Any]] = {}
    stances: dict[tuple[str, int], dict[str, Any]] = {}
    evidence: dict[tuple[str, int], dict[str, Any]] = {}
    last = 0
    rows = changes.values_list("id", "kind", "question_ref", "response_id", "payload")
    for change_id, kind, ref, response_id, payload in rows.iterator(chunk_size=STREAM_CHUNK):
        last = change_id
        if kind not in CODING_KINDS:
            edits[ref].append(payload)
            continue
        coded = {"question_id": ref, "response_id": str(response_id)}
        if kind == ChangeKind.CODE_THEMES:
            codings[(ref, response_id)] = {**coded, "theme_ids": payload["theme_ids"]}
        elif kind == ChangeKind.CODE_EVIDENCE:
            evidence[(ref, response_id)] = {**coded, "has_evidence": payload["has_evidence"]}
        else:
            stances[(ref, response_id)] = {**coded, "stance": payload["stance"]}
    state = AnalystState.from_dict(
        {
            "theme_edits": dict(edits),
            "codings": list(codings.values()),
            "stance_codings": list(stances.values()),
            "evidence_codings": list(evidence.values()),
        }
    )
    return state, last


def response_engine_answers(*, response: Response) -> dict[str, str]:
    """One response's free text as the engine reads it: answers by question, or its letter."""
    answers = {
        str(question_id): text
        for question_id, text in Answer.objects.filter(
            response=response, question__kind=QuestionKind.FREE_TEXT
        )
        .exclude(text="")
        .values_list("question_id", "text")
    }
    if answers:
        return answers
    letters = _letters(response_ids=[response.pk], answered_free_text=set())
    return {LETTERS_REF: letters[response.pk]} if response.pk in letters else {}

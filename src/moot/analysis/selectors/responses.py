"""Responses as the analysis pages show them: their answers, the responses of a theme or a
campaign, one response's themes, stance and campaign, and the campaign a new response is
probably part of. Each function makes a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from moot.analysis.models import (
    AnalysisRun,
    AnalystChange,
    CampaignMembership,
    ChangeKind,
    EvidenceRow,
    StanceRow,
    ThemeAssignmentRow,
)
from moot.analysis.selectors.inputs import LETTERS_REF, response_engine_answers
from moot.analysis.selectors.runs import (
    campaign_label,
    campaign_labels,
    campaign_matcher,
    latest_run,
)
from moot.analysis.selectors.themes import themes_effective
from moot.consultations.models import Answer, Consultation, Response


@dataclass(kw_only=True)
class Excerpt:
    response_id: int
    reference: str
    text: str
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def answer_texts(*, response_ids: Iterable[int], question_ref: str) -> dict[int, str]:
    """The answers of these responses to one question (or their letters), in one query."""
    ids = list(response_ids)
    if question_ref == LETTERS_REF:
        return dict(Response.objects.filter(pk__in=ids).values_list("pk", "body_text"))
    return dict(
        Answer.objects.filter(response_id__in=ids, question_id=int(question_ref)).values_list(
            "response_id", "text"
        )
    )


def excerpts(
    *, items: Sequence[dict[str, Any]], question_ref: str, id_key: str = "response_id"
) -> list[Excerpt]:
    """Items naming responses, with each response's reference and answer: two queries."""
    ids = [int(item[id_key]) for item in items]
    references = dict(Response.objects.filter(pk__in=ids).values_list("pk", "reference"))
    texts = answer_texts(response_ids=ids, question_ref=question_ref)
    return [
        Excerpt(
            response_id=response_id,
            reference=references.get(response_id) or "",
            text=texts.get(response_id, ""),
            extra=dict(item),
        )
        for response_id, item in zip(ids, items, strict=True)
    ]


def coded_response_ids(*, run: AnalysisRun, question_ref: str) -> set[int]:
    return set(
        AnalystChange.objects.filter(
            consultation_id=run.consultation_id,
            question_ref=question_ref,
            kind=ChangeKind.CODE_THEMES,
        ).values_list("response_id", flat=True)
    )


def evidence_rows(
    *, run: AnalysisRun, question_ref: str, response_ids: Iterable[int]
) -> dict[int, EvidenceRow]:
    """The evidence flags of these responses' answers to one question, in one query."""
    rows = EvidenceRow.objects.filter(
        run=run, question_ref=question_ref, response_id__in=list(response_ids)
    )
    return {row.response_id: row for row in rows}


def evidence_response_ids(*, run: AnalysisRun, question_ref: str) -> QuerySet[EvidenceRow, int]:
    """The ids of the responses whose answer to one question brings evidence (a subquery)."""
    return EvidenceRow.objects.filter(run=run, question_ref=question_ref).values_list(
        "response_id", flat=True
    )


def theme_members(
    *, run: AnalysisRun, question_ref: str, theme_key: str, evidence_only: bool = False
) -> QuerySet[ThemeAssignmentRow]:
    """The responses the run gave a theme, most confident first; ``evidence_only`` keeps
    those whose answer brings evidence."""
    members = ThemeAssignmentRow.objects.filter(
        run=run, question_ref=question_ref, theme_key=theme_key
    )
    if evidence_only:
        members = members.filter(
            response_id__in=evidence_response_ids(run=run, question_ref=question_ref)
        )
    return (
        members.select_related("response")
        .only("response__reference", "response_id", "confidence", "source", "theme_key")
        .order_by("-confidence", "response_id")
    )


def campaign_summary(*, run: AnalysisRun, campaign_key: str) -> dict[str, Any]:
    """One campaign as the run found it, with ``label``: its name, or "Campaign N"."""
    for campaign in run.summary["campaigns"]["campaigns"]:
        if campaign["id"] == campaign_key:
            labels = campaign_labels(consultation=run.consultation)
            return {**campaign, "label": campaign_label(campaign, labels)}
    raise Http404("No such campaign in this analysis")


def campaigns_of_run(*, run: AnalysisRun) -> list[dict[str, Any]]:
    """The run's campaigns, largest first, each with its ``label``."""
    labels = campaign_labels(consultation=run.consultation)
    return [
        {**campaign, "label": campaign_label(campaign, labels)}
        for campaign in run.summary["campaigns"]["campaigns"]
    ]


def campaign_members(
    *, run: AnalysisRun, campaign_key: str, show: str = ""
) -> QuerySet[CampaignMembership]:
    """A campaign's members, those departing most from the template first; ``show`` narrows
    to ``edited`` (not exact copies) or ``additions`` (with text of their own)."""
    members = CampaignMembership.objects.filter(run=run, campaign_key=campaign_key)
    if show == "edited":
        members = members.filter(is_exact_copy=False)
    elif show == "additions":
        members = members.filter(has_additions=True)
    return members.select_related("response").order_by("similarity", "response_id")


@dataclass(kw_only=True)
class ResponseAnalysis:
    response_id: int
    questions: list[dict[str, Any]]
    membership: CampaignMembership | None
    campaign: dict[str, Any] | None
    guess: dict[str, Any] | None
    in_run: bool


def response_analysis(
    *, run: AnalysisRun, response: Response, pending: list[AnalystChange]
) -> ResponseAnalysis:
    """One response as the analysis sees it: per free-text question its answer, themes and
    stance; its campaign; and, for a response the run did not include, the campaign it
    probably belongs to."""
    themes = {
        (row.question_ref, row.theme_key): row
        for row in ThemeAssignmentRow.objects.filter(run=run, response=response)
    }
    stances = {
        row.question_ref: row for row in StanceRow.objects.filter(run=run, response=response)
    }
    evidence = {
        row.question_ref: row for row in EvidenceRow.objects.filter(run=run, response=response)
    }
    membership = CampaignMembership.objects.filter(run=run, response=response).first()
    answers = response_engine_answers(response=response)
    questions = []
    for info in run.summary["questions"]:
        ref = info["ref"]
        if ref not in run.summary["free_text_questions"]:
            continue
        available = themes_effective(run=run, question_ref=ref, pending=pending)
        assigned = [
            {"theme": theme, "row": themes[(ref, theme.id)]}
            for theme in available
            if (ref, theme.id) in themes
        ]
        questions.append(
            {
                "info": info,
                "answer": answers.get(ref, ""),
                "assigned": assigned,
                "themes": available,
                "stance": stances.get(ref),
                "evidence": evidence.get(ref),
                # runs before evidence flags existed said nothing either way
                "evidence_known": run.summary["free_text_questions"][ref].get("evidence")
                is not None,
            }
        )
    campaign = (
        campaign_summary(run=run, campaign_key=membership.campaign_key) if membership else None
    )
    in_run = bool(themes or stances or membership) or _counted_in(run, response)
    guess = None if in_run else campaign_guess(run=run, response=response)
    return ResponseAnalysis(
        response_id=response.pk,
        questions=questions,
        membership=membership,
        campaign=campaign,
        guess=guess,
        in_run=in_run,
    )


def _counted_in(run: AnalysisRun, response: Response) -> bool:
    """Whether the run counted the response (one without free text leaves no rows): it was
    counted, and recorded (and, if late, accepted) before the run started."""
    started = run.started_at
    if started is None or not response.is_counted or response.created_at >= started:
        return False
    return response.late_accepted_at is None or response.late_accepted_at < started


def response_campaign_panel(
    *, consultation: Consultation, response: Response
) -> dict[str, Any] | None:
    """A response's campaign in the latest run, or the one it probably belongs to (checked
    with the run's cached campaign matcher) if it came in after the run; None before any."""
    run = latest_run(consultation=consultation)
    if run is None:
        return None
    membership = CampaignMembership.objects.filter(run=run, response=response).first()
    if membership is not None:
        return {
            "run": run,
            "membership": membership,
            "campaign": campaign_summary(run=run, campaign_key=membership.campaign_key),
        }
    if _counted_in(run, response):
        return {"run": run, "guess": None}
    return {"run": run, "guess": campaign_guess(run=run, response=response)}


def campaign_guess(*, run: AnalysisRun, response: Response) -> dict[str, Any] | None:
    """The campaign of ``run`` a response's text matches, if any."""
    answers = response_engine_answers(response=response)
    if not answers:
        return None
    match = campaign_matcher(run=run).match(answers=answers)
    if match is None:
        return None
    return {
        "campaign": campaign_summary(run=run, campaign_key=match.campaign_id),
        "similarity": match.similarity,
        "overlap": match.overlap,
    }

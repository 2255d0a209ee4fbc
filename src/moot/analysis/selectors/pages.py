"""What the analysis staff pages show, read from the latest run's summary and rows.

Every function makes a fixed number of queries whatever the size of the consultation: lists
are paginated, and the texts of a page's responses are read in one query.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from moot.analysis.charts import Series, bar_chart
from moot.analysis.models import (
    AnalysisRun,
    AnalystChange,
    CampaignMembership,
    ChangeKind,
    StanceRow,
    ThemeAssignmentRow,
)
from moot.analysis.selectors.inputs import LETTERS_REF, response_engine_answers
from moot.analysis.selectors.runs import campaign_matcher, latest_run
from moot.analysis.selectors.themes import ThemeView, question_summary, themes_effective
from moot.consultations.models import Answer, Channel, Consultation, Region, Response

CHANNEL_LABELS = dict(Channel.choices)
REGION_LABELS = dict(Region.choices)
RESPONDENT_TYPE_LABELS = {
    "individual": "Individuals",
    "organisation": "Organisations",
    "unknown": "Not stated",
}
DIMENSION_LABELS = {
    "respondent_type": "Respondent type",
    "role": "Role",
    "region": "Region",
    "channel": "Channel",
}
SERIES_NAMES = {
    "all_submissions": "All submissions",
    "excluding_campaigns": "Excluding campaigns",
    "distinct_texts": "Distinct texts",
}
EXCERPT_LENGTH = 300


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    percent: float


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def breakdown(counts: dict[str, int], labels: dict[str, str], total: int) -> list[Row]:
    """Counts by value, largest first, with their share of ``total``."""
    rows = [
        Row(labels.get(value, value) or "Not stated", count, _percent(count, total))
        for value, count in counts.items()
    ]
    return sorted(rows, key=lambda row: (-row.count, row.label))


def question_info(*, run: AnalysisRun, question_ref: str) -> dict[str, Any]:
    for question in run.summary["questions"]:
        if question["ref"] == question_ref:
            return dict(question)
    raise Http404("No such question in this analysis")


Results = tuple[dict[str, Any], dict[str, Any] | None, dict[str, Any] | None]


def question_results(*, run: AnalysisRun) -> Iterator[Results]:
    """Each question of the run, with its closed-question tally or its free-text results."""
    summary = run.summary
    for question in summary["questions"]:
        ref = question["ref"]
        yield (
            question,
            summary["closed_questions"].get(ref),
            summary["free_text_questions"].get(ref),
        )


def overview(*, run: AnalysisRun) -> dict[str, Any]:
    """Responses by channel, respondent type and role; campaign share; the questions."""
    summary = run.summary
    total = summary["response_count"]
    respondents = summary["respondents"]
    campaigns = summary["campaigns"]
    questions = []
    for question, closed, free in question_results(run=run):
        answered = (
            closed["all_submissions"]["answered"]
            if closed
            else free["answered_count"]
            if free
            else 0
        )
        questions.append(
            {**question, "answered": answered, "theme_count": len(free["themes"]) if free else 0}
        )
    return {
        "total": total,
        "by_channel": breakdown(respondents.get("channel", {}), CHANNEL_LABELS, total),
        "by_respondent_type": breakdown(
            respondents.get("respondent_type", {}), RESPONDENT_TYPE_LABELS, total
        ),
        "by_role": breakdown(respondents.get("role", {}), {}, total),
        "by_region": breakdown(respondents.get("region", {}), REGION_LABELS, total),
        "campaign_count": len(campaigns["campaigns"]),
        "campaign_responses": campaigns["campaign_response_count"],
        "campaign_share": _percent(campaigns["campaign_response_count"], total),
        "distinct_submissions": campaigns["distinct_submission_count"],
        "questions": questions,
    }


@dataclass(kw_only=True)
class ClosedQuestionPage:
    rows: list[dict[str, Any]]
    chart: str
    answered: int
    answered_excluding: int
    invalid: int
    stance: list[dict[str, Any]] | None
    cross_tab: dict[str, Any]


def closed_question(*, run: AnalysisRun, question_ref: str, dimension: str) -> ClosedQuestionPage:
    """Tallies of a closed question, including and excluding campaigns, with a chart and a
    cross-tabulation by ``dimension`` (respondent type, role, region or channel)."""
    data = run.summary["closed_questions"][question_ref]
    every, outside = data["all_submissions"], data["excluding_campaigns"]
    options = data["options"]
    rows = [
        {
            "option": option,
            "all": every["counts"].get(option, 0),
            "all_percent": every["percentages"].get(option, 0.0),
            "excluding": outside["counts"].get(option, 0),
            "excluding_percent": outside["percentages"].get(option, 0.0),
        }
        for option in options
    ]
    chart = bar_chart(
        chart_id=f"chart-{question_ref}",
        title="Answers, including and excluding campaign responses",
        categories=options,
        series=[
            Series(name="All submissions", values=[(r["all"], r["all_percent"]) for r in rows]),
            Series(
                name="Excluding campaigns",
                values=[(r["excluding"], r["excluding_percent"]) for r in rows],
            ),
        ],
    )
    stance = None
    if every.get("stance_counts"):
        stance = [
            {
                "stance": key,
                "all": every["stance_counts"].get(key, 0),
                "excluding": outside["stance_counts"].get(key, 0),
            }
            for key in ("agree", "disagree", "unclear")
        ]
    return ClosedQuestionPage(
        rows=rows,
        chart=chart,
        answered=every["answered"],
        answered_excluding=outside["answered"],
        invalid=data["invalid_answer_count"],
        stance=stance,
        cross_tab=_cross_tab(data, options, dimension),
    )


def _cross_tab(data: dict[str, Any], options: list[str], dimension: str) -> dict[str, Any]:
    tab = data["cross_tabs"].get(dimension) or {"all_submissions": {}}
    labels = {
        "respondent_type": RESPONDENT_TYPE_LABELS,
        "channel": CHANNEL_LABELS,
    }.get(dimension, {})
    rows = []
    for value, tally in sorted(tab["all_submissions"].items()):
        cells = [
            (tally["counts"].get(option, 0), tally["percentages"].get(option, 0.0))
            for option in options
        ]
        rows.append(
            {
                "label": labels.get(value, value) or "Not stated",
                "answered": tally["answered"],
                "cells": cells,
            }
        )
    return {
        "dimension": dimension,
        "label": DIMENSION_LABELS.get(dimension, dimension),
        "rows": rows,
    }


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


@dataclass(kw_only=True)
class FreeQuestionPage:
    summary: dict[str, Any]
    themes: list[ThemeView]
    chart: str
    to_code: list[Excerpt]
    stance: list[dict[str, Any]] | None


def coded_response_ids(*, run: AnalysisRun, question_ref: str) -> set[int]:
    return set(
        AnalystChange.objects.filter(
            consultation_id=run.consultation_id,
            question_ref=question_ref,
            kind=ChangeKind.CODE_THEMES,
        ).values_list("response_id", flat=True)
    )


def free_question(
    *, run: AnalysisRun, question_ref: str, pending: list[AnalystChange], suggestions: int = 10
) -> FreeQuestionPage:
    """Themes with their counts (all submissions, excluding campaigns, distinct texts), a
    chart, stance counts, and the responses the engine suggests coding next."""
    summary = question_summary(run=run, question_ref=question_ref)
    if summary is None:
        raise Http404("No such free-text question in this analysis")
    themes = themes_effective(run=run, question_ref=question_ref, pending=pending)
    counted = [t for t in themes if t.counts is not None]
    denominators = {
        "all_submissions": summary["answered_count"],
        "excluding_campaigns": summary.get("answered_excluding_campaigns", 0),
        "distinct_texts": summary["distinct_text_count"],
    }
    chart = bar_chart(
        chart_id=f"chart-{question_ref.replace(':', '-')}",
        title="Themes: share of answers with each theme",
        categories=[t.label for t in counted],
        series=[
            Series(
                name=name,
                values=[
                    (t.counts[key], _percent(t.counts[key], denominators[key]))  # type: ignore[index]
                    for t in counted
                ],
            )
            for key, name in SERIES_NAMES.items()
        ],
    )
    quoted = {int(q["response_id"]) for t in themes for q in t.quotes}
    references = dict(Response.objects.filter(pk__in=quoted).values_list("pk", "reference"))
    for theme in themes:
        theme.quotes = [
            {**q, "reference": references.get(int(q["response_id"])) or ""} for q in theme.quotes
        ]
    coded = coded_response_ids(run=run, question_ref=question_ref)
    wanted = [{"response_id": r} for r in summary["coding_suggestions"] if int(r) not in coded][
        :suggestions
    ]
    stance = None
    if summary["stance"]:
        stance = [
            {
                "stance": key,
                **{series: summary["stance"][series].get(key, 0) for series in SERIES_NAMES},
            }
            for key in ("agree", "disagree", "unclear")
        ]
    return FreeQuestionPage(
        summary={**summary, "denominators": denominators},
        themes=themes,
        chart=chart,
        to_code=excerpts(items=wanted, question_ref=question_ref),
        stance=stance,
    )


def theme_members(
    *, run: AnalysisRun, question_ref: str, theme_key: str
) -> QuerySet[ThemeAssignmentRow]:
    """The responses the run gave a theme, most confident first."""
    return (
        ThemeAssignmentRow.objects.filter(run=run, question_ref=question_ref, theme_key=theme_key)
        .select_related("response")
        .only("response__reference", "response_id", "confidence", "source", "theme_key")
        .order_by("-confidence", "response_id")
    )


def campaign_summary(*, run: AnalysisRun, campaign_key: str) -> dict[str, Any]:
    for campaign in run.summary["campaigns"]["campaigns"]:
        if campaign["id"] == campaign_key:
            return dict(campaign)
    raise Http404("No such campaign in this analysis")


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

"""What the analysis staff pages show, read from the latest run's summary and rows.

Every function makes a fixed number of queries whatever the size of the consultation: lists
are paginated, and the texts of a page's responses are read in one query.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from moot.analysis.charts import Series, bar_chart
from moot.analysis.models import (
    AnalysisRun,
    AnalystChange,
)
from moot.analysis.selectors.responses import Excerpt, coded_response_ids, excerpts
from moot.analysis.selectors.themes import ThemeView, question_summary, themes_effective
from moot.consultations.models import Channel, Region, Response
from moot.consultations.selectors.responses import questions_not_asked_counts

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
    not_asked = questions_not_asked_counts(consultation_id=run.consultation_id)
    for question, closed, free in question_results(run=run):
        answered = (
            closed["all_submissions"]["answered"]
            if closed
            else free["answered_count"]
            if free
            else 0
        )
        # Not asked (skipped by the routing) is told from asked and not answered.
        skipped = not_asked.get(int(question["ref"]), 0) if str(question["ref"]).isdigit() else 0
        questions.append(
            {
                **question,
                "answered": answered,
                "not_asked": skipped,
                "not_answered": max(0, total - answered - skipped),
                "theme_count": len(free["themes"]) if free else 0,
            }
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
class FreeQuestionPage:
    summary: dict[str, Any]
    themes: list[ThemeView]
    chart: str
    to_code: list[Excerpt]
    stance: list[dict[str, Any]] | None


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

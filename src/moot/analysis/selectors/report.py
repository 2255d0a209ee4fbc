"""The figures of a published summary of responses, built from a run: responses by channel,
respondent type and role; campaigns; each question's tallies, or its themes with counts and
quotes; stance; and the method. Plain JSON, kept in ``ResponseSummary.figures``.

Quotes come from responses that are still counted and whose respondents agreed to
publication (with their name or anonymously), never from campaign copies, redacted and
attributed as ``moot.analysis.quotes`` says.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from moot.analysis.models import (
    AnalysisRun,
    AnalystChange,
    AssignmentSource,
    CampaignMembership,
    ChangeKind,
    ThemeAssignmentRow,
)
from moot.analysis.quotes import attribution, canonical, publishable_quote
from moot.analysis.selectors.pages import (
    CHANNEL_LABELS,
    RESPONDENT_TYPE_LABELS,
    breakdown,
    question_results,
)
from moot.analysis.selectors.responses import answer_texts
from moot.analysis.selectors.runs import campaign_label, campaign_labels
from moot.consultations.models import PublicationConsent, Response, ResponseStatus

FIGURES_VERSION = 1
QUOTES_PER_THEME = 2
QUOTE_CANDIDATES = 60
# The parameters a reader needs to follow the method; every parameter is in the downloads.
METHOD_PARAMETERS = (
    "seed",
    "min_campaign_size",
    "campaign_min_jaccard",
    "campaign_min_overlap",
    "campaign_min_words",
    "max_themes_per_question",
    "assignment_threshold",
    "min_positive_examples",
    "stance_min_confidence",
)


def _rows(rows: list[Any]) -> list[dict[str, Any]]:
    return [{"label": r.label, "count": r.count, "percent": r.percent} for r in rows]


def theme_quotes(
    *,
    run: AnalysisRun,
    question_ref: str,
    theme_key: str,
    limit: int = QUOTES_PER_THEME,
    used: set[str] | None = None,
    campaign_members: set[int] | None = None,
) -> list[dict[str, str]]:
    """Up to ``limit`` quotes for a theme: the most confident answers (analysts' codings
    first) that may be published, outside campaigns, none already in ``used`` (which the
    quotes chosen are added to)."""
    seen = used if used is not None else set()
    if campaign_members is None:
        campaign_members = campaign_member_ids(run=run)
    counted = Q(response__status=ResponseStatus.SUBMITTED) | Q(
        response__status=ResponseStatus.LATE, response__late_accepted_at__isnull=False
    )
    candidates = [
        response_id
        for response_id in ThemeAssignmentRow.objects.filter(
            counted,
            run=run,
            question_ref=question_ref,
            theme_key=theme_key,
            source__in=[AssignmentSource.CODED, AssignmentSource.MODEL],
            response__publication_consent__in=[
                PublicationConsent.WITH_NAME,
                PublicationConsent.ANONYMOUSLY,
            ],
        )
        .order_by("-confidence", "response_id")
        .values_list("response_id", flat=True)[:QUOTE_CANDIDATES]
        if response_id not in campaign_members
    ]
    responses = Response.objects.filter(pk__in=candidates).select_related("role").in_bulk()
    texts = answer_texts(response_ids=candidates, question_ref=question_ref)
    quotes: list[dict[str, str]] = []
    for response_id in candidates:
        response = responses[response_id]
        quoted = publishable_quote(response, texts.get(response_id, ""))
        if not quoted or canonical(quoted) in seen:
            continue
        seen.add(canonical(quoted))
        quotes.append({"text": quoted, "attribution": attribution(response)})
        if len(quotes) == limit:
            break
    return quotes


def campaign_member_ids(*, run: AnalysisRun) -> set[int]:
    return set(CampaignMembership.objects.filter(run=run).values_list("response_id", flat=True))


def _closed(data: dict[str, Any]) -> dict[str, Any]:
    every, outside = data["all_submissions"], data["excluding_campaigns"]
    return {
        "answered": every["answered"],
        "answered_excluding_campaigns": outside["answered"],
        "options": [
            {
                "label": option,
                "all_submissions": every["counts"].get(option, 0),
                "all_submissions_percent": every["percentages"].get(option, 0.0),
                "excluding_campaigns": outside["counts"].get(option, 0),
                "excluding_campaigns_percent": outside["percentages"].get(option, 0.0),
            }
            for option in data["options"]
        ],
        "multiple": data["kind"] == "multiple_choice",
    }


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def _free(run: AnalysisRun, ref: str, data: dict[str, Any], members: set[int]) -> dict[str, Any]:
    answered = data["answered_count"]
    used: set[str] = set()
    outside = data.get("answered_excluding_campaigns", 0)
    themes = [
        {
            "label": theme["label"],
            "description": theme["description"],
            "all_submissions": theme["counts"]["all_submissions"],
            "all_submissions_percent": _percent(theme["counts"]["all_submissions"], answered),
            "excluding_campaigns": theme["counts"]["excluding_campaigns"],
            "excluding_campaigns_percent": _percent(
                theme["counts"]["excluding_campaigns"], outside
            ),
            "distinct_texts": theme["counts"]["distinct_texts"],
            "quotes": theme_quotes(
                run=run,
                question_ref=ref,
                theme_key=theme["id"],
                used=used,
                campaign_members=members,
            ),
        }
        for theme in sorted(
            data["themes"], key=lambda t: (-t["counts"]["all_submissions"], t["label"])
        )
    ]
    stance = data["stance"]
    return {
        "answered": answered,
        "answered_excluding_campaigns": outside,
        "distinct_texts": data["distinct_text_count"],
        "themes": themes,
        "stance": None
        if stance is None
        else {
            key: stance[key] for key in ("all_submissions", "excluding_campaigns", "distinct_texts")
        },
    }


def _analyst_work(run: AnalysisRun) -> dict[str, int]:
    counted = (
        AnalystChange.objects.filter(
            consultation_id=run.consultation_id, id__lte=run.included_change_id
        )
        .values("kind")
        .annotate(n=Count("id"))
    )
    by_kind = {row["kind"]: row["n"] for row in counted}
    coded = (
        AnalystChange.objects.filter(
            Q(kind=ChangeKind.CODE_THEMES) | Q(kind=ChangeKind.CODE_STANCE),
            consultation_id=run.consultation_id,
            id__lte=run.included_change_id,
        )
        .values("response_id", "question_ref")
        .distinct()
        .count()
    )
    return {
        "theme_edits": sum(
            n
            for kind, n in by_kind.items()
            if kind not in (ChangeKind.CODE_THEMES, ChangeKind.CODE_STANCE)
        ),
        "coded_answers": coded,
    }


def summary_figures(*, run: AnalysisRun) -> dict[str, Any]:
    """Everything the published summary shows, as plain JSON."""
    summary = run.summary
    total = summary["response_count"]
    campaigns = summary["campaigns"]
    labels = campaign_labels(consultation=run.consultation)
    members = campaign_member_ids(run=run)
    questions = []
    for question, closed, free in question_results(run=run):
        ref = question["ref"]
        questions.append(
            {
                "ref": ref,
                "key": question["key"],
                "position": question["position"],
                "text": question["text"],
                "kind": question["kind"],
                "closed": _closed(closed) if closed else None,
                "free": _free(run, ref, free, members) if free else None,
            }
        )
    return {
        "version": FIGURES_VERSION,
        "consultation": {"title": run.consultation.title, "slug": run.consultation.slug},
        "run": {
            "number": run.number,
            "finished_at": run.finished_at.isoformat() if run.finished_at else "",
            "engine_version": run.engine_version,
            "input_fingerprint": run.input_fingerprint,
            "params": run.params,
            "library_versions": summary.get("library_versions", {}),
            **_analyst_work(run),
        },
        "totals": {
            "responses": total,
            "by_channel": _rows(
                breakdown(summary["respondents"].get("channel", {}), CHANNEL_LABELS, total)
            ),
            "by_respondent_type": _rows(
                breakdown(
                    summary["respondents"].get("respondent_type", {}), RESPONDENT_TYPE_LABELS, total
                )
            ),
            "by_role": _rows(breakdown(summary["respondents"].get("role", {}), {}, total)),
        },
        "campaigns": {
            "count": len(campaigns["campaigns"]),
            "responses": campaigns["campaign_response_count"],
            "share": _percent(campaigns["campaign_response_count"], total),
            "distinct_submissions": campaigns["distinct_submission_count"],
            "list": [
                {
                    "number": c["number"],
                    "name": campaign_label(c, labels),
                    "size": c["size"],
                    "share": _percent(c["size"], total),
                    "distinct_texts": c["distinct_text_count"],
                }
                for c in campaigns["campaigns"]
            ],
        },
        "questions": questions,
        "method_parameters": {key: run.params.get(key) for key in METHOD_PARAMETERS},
    }

"""How a run's result is kept: the per-response rows the pages look up, and the summary of
the result kept in the run's row. (The whole result goes to storage as gzipped JSON.)"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from django.db import connection, models, transaction

from moot.analysis.engine import AnalysisResult
from moot.analysis.models import (
    AnalysisRun,
    CampaignMembership,
    EvidenceRow,
    StanceRow,
    ThemeAssignmentRow,
)
from moot.analysis.selectors.inputs import EngineInputs

ROW_BATCH = 5_000
Row = TypeVar("Row")


def _batches(rows: Iterable[Row]) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, ROW_BATCH)):
        yield batch


def rows_write(*, run: AnalysisRun, result: AnalysisResult) -> None:
    """What pages look up per response, in batches of their own transactions (so a big run
    never holds the database's write lock for long); a failed run's rows are deleted.

    Rows go straight to the database (COPY on PostgreSQL, executemany on SQLite): building
    a model instance for each of hundreds of thousands of rows would cost more than the
    analysis itself."""
    memberships = (
        (
            run.pk,
            int(member.response_id),
            campaign.id,
            member.similarity,
            member.overlap,
            member.is_exact_copy,
            member.response_id == campaign.template_response_id,
            bool(member.additions),
            json.dumps(member.additions, ensure_ascii=False),
        )
        for campaign in result.campaigns.campaigns
        for member in campaign.members
    )
    themes = (
        (run.pk, int(a.response_id), ref, theme_key, confidence, a.source)
        for ref, question in result.free_text_questions.items()
        for a in question.assignments
        for theme_key, confidence in a.themes.items()
    )
    stances = (
        (run.pk, int(a.response_id), ref, a.stance.value, a.confidence, a.source, a.conflict)
        for ref, question in result.free_text_questions.items()
        if question.stance is not None
        for a in question.stance.assignments
    )
    evidence = (
        (run.pk, int(f.response_id), ref, ",".join(f.kinds), f.confidence, f.source)
        for ref, question in result.free_text_questions.items()
        if question.evidence is not None
        for f in question.evidence.flags
    )
    _insert(
        CampaignMembership,
        [
            "run_id",
            "response_id",
            "campaign_key",
            "similarity",
            "overlap",
            "is_exact_copy",
            "is_template",
            "has_additions",
            "additions",
        ],
        memberships,
    )
    _insert(
        ThemeAssignmentRow,
        ["run_id", "response_id", "question_ref", "theme_key", "confidence", "source"],
        themes,
    )
    _insert(
        StanceRow,
        ["run_id", "response_id", "question_ref", "stance", "confidence", "source", "conflict"],
        stances,
    )
    _insert(
        EvidenceRow,
        ["run_id", "response_id", "question_ref", "kinds", "confidence", "source"],
        evidence,
    )


def _insert(model: type[models.Model], columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        for batch in _batches(rows):
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                        for row in batch:
                            copy.write_row(row)
                else:
                    marks = ", ".join(["%s"] * len(columns))
                    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
                    cursor.executemany(sql, batch)
        if connection.vendor == "postgresql":
            # Fresh statistics, so that the pages' queries on these rows plan well at once.
            cursor.execute(f"ANALYZE {table}")


def rows_delete(*, run_ids: list[int]) -> None:
    if not run_ids:
        return
    for model in (CampaignMembership, ThemeAssignmentRow, StanceRow, EvidenceRow):
        while True:
            ids = list(
                model._default_manager.filter(run_id__in=run_ids).values_list("pk", flat=True)[
                    :ROW_BATCH
                ]
            )
            if not ids:
                break
            model._default_manager.filter(pk__in=ids).delete()


def run_summary_build(*, data: dict[str, Any], inputs: EngineInputs) -> dict[str, Any]:
    """What the pages show of a result, without its per-response detail (which is in the
    rows and the stored result)."""
    report = data["campaigns"]
    ordered = sorted(report["campaigns"], key=lambda c: (-c["size"], c["id"]))
    campaigns = [
        {
            "id": campaign["id"],
            "number": number,
            "template_response_id": campaign["template_response_id"],
            "template_texts": campaign["template_texts"],
            "size": campaign["size"],
            "distinct_text_count": campaign["distinct_text_count"],
            "exact_copies": sum(1 for m in campaign["members"] if m["is_exact_copy"]),
            "with_additions": sum(1 for m in campaign["members"] if m["additions"]),
            "lowest_similarity": min((m["similarity"] for m in campaign["members"]), default=1.0),
        }
        for number, campaign in enumerate(ordered, start=1)
    ]
    members = {m["response_id"] for c in report["campaigns"] for m in c["members"]}
    outside = Counter(
        ref
        for response in inputs.responses
        if response.id not in members
        for ref, answer in response.answers.items()
        if isinstance(answer, str) and answer.strip()
    )
    free = {}
    for ref, question in data["free_text_questions"].items():
        stance = question["stance"]
        evidence = question.get("evidence")
        free[ref] = {
            "answered_count": question["answered_count"],
            "answered_excluding_campaigns": outside[ref],
            "distinct_text_count": question["distinct_text_count"],
            "themes": question["themes"],
            "review_queue": question["review_queue"],
            "review_queue_total": question["review_queue_total"],
            "coding_suggestions": question["coding_suggestions"],
            "stance": None
            if stance is None
            else {
                "all_submissions": stance["all_submissions"],
                "excluding_campaigns": stance["excluding_campaigns"],
                "distinct_texts": stance["distinct_texts"],
                "text_model": stance["text_model"],
                "conflicts": sum(1 for a in stance["assignments"] if a["conflict"]),
            },
            "evidence": None
            if evidence is None
            else {"flagged_count": evidence["flagged_count"], "model": evidence["model"]},
        }
    return {
        "questions": [info.as_dict() for info in inputs.question_info],
        "respondents": inputs.respondents,
        "response_count": data["response_count"],
        "campaigns": {
            **{key: value for key, value in report.items() if key != "campaigns"},
            "campaigns": campaigns,
        },
        "closed_questions": data["closed_questions"],
        "free_text_questions": free,
        "warnings": data["warnings"],
        "library_versions": data["library_versions"],
    }

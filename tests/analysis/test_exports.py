"""The analysis's columns in the staff export of responses: each free-text answer's themes
and stance, and who decided them, in CSV, XLSX and JSON alike."""

from __future__ import annotations

import pytest
from django.test import Client

from moot.analysis.models import AnalysisRun, StanceRow, ThemeAssignmentRow
from moot.consultations.models import Consultation, Question
from moot.consultations.selectors.exports import export_parse
from tests.analysis.conftest import themes_of

pytestmark = pytest.mark.django_db


def export(client: Client, consultation: Consultation, fmt: str) -> list[dict]:
    response = client.get(f"/staff/consultations/{consultation.slug}/responses/export.{fmt}")
    assert response.status_code == 200
    return export_parse(response.content, format=fmt, multi_columns=[])


def test_the_export_carries_each_answers_themes_stance_and_who_coded_them(
    analyst_client: Client, consultation: Consultation, run: AnalysisRun
) -> None:
    ref = next(q["ref"] for q in run.summary["questions"] if q["asks_agreement"])
    key = Question.objects.get(pk=int(ref)).key
    labels = {t["id"]: t["label"] for t in themes_of(run, ref)}
    assigned = ThemeAssignmentRow.objects.filter(run=run, question_ref=ref, source="model")
    row = assigned.select_related("response").first()
    assert row is not None
    reference = row.response.reference
    model_themes = {
        labels[key_]
        for key_ in assigned.filter(response=row.response).values_list("theme_key", flat=True)
    }
    stance = StanceRow.objects.get(run=run, question_ref=ref, response=row.response)

    for fmt in ("csv", "xlsx", "json"):
        rows = {r["reference"]: r for r in export(analyst_client, consultation, fmt)}
        mine = rows[reference]
        assert mine["analysis_run"] == str(run.number), fmt
        themes = mine[f"{key}_themes"]
        themes = themes.split("\n") if isinstance(themes, str) else themes
        assert set(themes) == model_themes, fmt
        assert mine[f"{key}_themes_by"] == "model", fmt
        assert mine[f"{key}_stance"] == stance.stance, fmt
        assert mine[f"{key}_stance_by"], fmt

    # An analyst's coding, made since the run, is what the export says, with their name.
    chosen = list(labels)[-1]
    url = f"/staff/consultations/{consultation.slug}/analysis/responses/{row.response_id}/"
    saved = analyst_client.post(
        f"{url}code/{ref}/", {f"code-{ref}-theme_ids": [chosen], f"code-{ref}-stance": "disagree"}
    )
    assert saved.status_code == 302
    analyst = analyst_client.get("/staff/").wsgi_request.user.get_username()
    mine = {r["reference"]: r for r in export(analyst_client, consultation, "json")}[reference]
    assert mine[f"{key}_themes"] == [labels[chosen]]
    assert mine[f"{key}_themes_by"] == f"analyst: {analyst}"
    assert mine[f"{key}_stance"] == "disagree"
    assert mine[f"{key}_stance_by"] == f"analyst: {analyst}"


def test_before_any_run_the_export_has_no_analysis_columns(
    analyst_client: Client, consultation: Consultation
) -> None:
    rows = export(analyst_client, consultation, "json")
    assert rows
    assert "analysis_run" not in rows[0]

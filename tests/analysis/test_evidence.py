"""Evidence-rich answers on the staff pages: flagged by a run, filtered on the theme and
review pages, and flagged by analysts through a response's page for the next run to learn."""

from __future__ import annotations

import pytest
from django.test import Client

from moot.analysis.models import (
    AnalysisRun,
    AnalystChange,
    CampaignMembership,
    ChangeKind,
    EvidenceRow,
    ThemeAssignmentRow,
)
from moot.analysis.selectors.inputs import analyst_state_load
from moot.consultations.models import Answer, Consultation
from moot.core.models import User
from tests.analysis.conftest import free_refs, run_now
from tests.pages import text_of

pytestmark = pytest.mark.django_db

EVIDENCE = "Our members surveyed 1,200 families: 40% had seen betting adverts weekly."


def _base(consultation: Consultation) -> str:
    return f"/staff/consultations/{consultation.slug}/analysis/"


@pytest.fixture
def evidence_run(
    consultation: Consultation, analyst: User, immediate_tasks: None
) -> tuple[AnalysisRun, str, int]:
    """A run in which one answer (not in a campaign) brings figures and organisation data."""
    first = run_now(consultation, analyst)
    ref = free_refs(first)[0]
    members = set(
        CampaignMembership.objects.filter(run=first).values_list("response_id", flat=True)
    )
    answer = (
        Answer.objects.filter(question_id=int(ref))
        .exclude(response_id__in=members)
        .exclude(text="")
        .order_by("id")
        .first()
    )
    assert answer is not None
    answer.text = f"{answer.text} {EVIDENCE}"
    answer.save()
    return run_now(consultation, analyst), ref, answer.response_id


def test_a_run_flags_answers_that_bring_evidence(
    evidence_run: tuple[AnalysisRun, str, int],
) -> None:
    run, ref, response_id = evidence_run
    row = EvidenceRow.objects.get(run=run, question_ref=ref, response_id=response_id)
    assert row.kind_labels == ["figures", "an organisation's own data"]
    assert row.source in ("text", "campaign")
    summary = run.summary["free_text_questions"][ref]["evidence"]
    assert summary["model"] == "cues"
    assert summary["flagged_count"] == EvidenceRow.objects.filter(run=run, question_ref=ref).count()


def test_theme_and_review_pages_filter_on_evidence(
    analyst_client: Client,
    consultation: Consultation,
    evidence_run: tuple[AnalysisRun, str, int],
) -> None:
    run, ref, response_id = evidence_run
    flagged = set(
        EvidenceRow.objects.filter(run=run, question_ref=ref).values_list("response_id", flat=True)
    )
    theme = ThemeAssignmentRow.objects.filter(
        run=run, question_ref=ref, response_id=response_id
    ).values_list("theme_key", flat=True)[0]
    url = f"{_base(consultation)}questions/{ref}/themes/{theme}/"
    everything = analyst_client.get(url).content.decode()
    assert "Show only answers that bring evidence" in text_of(everything)
    only = analyst_client.get(f"{url}?evidence=1").content.decode()
    assert "Show all answers" in text_of(only)
    assert "Evidence: figures, an organisation" in text_of(only)
    shown = {int(part.split("/")[0]) for part in only.split(f"{_base(consultation)}responses/")[1:]}
    assert response_id in shown
    assert shown <= flagged
    review = analyst_client.get(f"{_base(consultation)}questions/{ref}/review/?evidence=1")
    assert review.status_code == 200
    listed = {
        int(part.split("/")[0])
        for part in review.content.decode().split(f"{_base(consultation)}responses/")[1:]
    }
    assert listed <= flagged


def test_analysts_flag_evidence_and_the_next_run_uses_their_flags(
    analyst_client: Client,
    consultation: Consultation,
    analyst: User,
    evidence_run: tuple[AnalysisRun, str, int],
) -> None:
    _, ref, response_id = evidence_run
    url = f"{_base(consultation)}responses/{response_id}/"
    page = analyst_client.get(url).content.decode()
    assert "Brings evidence?" in text_of(page)
    assert f'name="code-{ref}-evidence"' in page
    bad = analyst_client.post(f"{url}code/{ref}/", {f"code-{ref}-evidence": "perhaps"})
    assert bad.status_code == 400
    assert not AnalystChange.objects.filter(kind=ChangeKind.CODE_EVIDENCE).exists()
    saved = analyst_client.post(f"{url}code/{ref}/", {f"code-{ref}-evidence": "no"})
    assert saved.status_code == 302
    change = AnalystChange.objects.get(kind=ChangeKind.CODE_EVIDENCE)
    assert change.payload == {"has_evidence": False}
    assert change.response_id == response_id
    state, _ = analyst_state_load(consultation=consultation)
    assert [(c.response_id, c.has_evidence) for c in state.evidence_codings] == [
        (str(response_id), False)
    ]
    again = run_now(consultation, analyst)
    assert not EvidenceRow.objects.filter(
        run=again, question_ref=ref, response_id=response_id
    ).exists()

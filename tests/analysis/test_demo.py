"""The demo's closed consultation with generated responses: ready to analyse."""

from __future__ import annotations

import pytest

from moot.analysis.models import AnalysisRun
from moot.analysis.selectors.inputs import counted_responses
from moot.consultations.models import AttachmentRole, Consultation, ConsultationStatus
from moot.core.models import User
from moot.demo import load_demo
from moot.demo.analysis import SLUG
from tests.analysis.conftest import run_now

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_closed_consultation_ready_to_analyse(
    settings: pytest.FixtureRequest, immediate_tasks: None
) -> None:
    settings.DEMO_ANALYSIS_RESPONSES = 200  # type: ignore[attr-defined]
    load_demo()
    consultation = Consultation.objects.get(slug=SLUG)
    assert consultation.status == ConsultationStatus.CLOSED
    assert counted_responses(consultation=consultation).count() == 200
    assert consultation.questions.count() == 6
    assert consultation.respondent_roles.count() > 10
    assert consultation.attachments.filter(role=AttachmentRole.FINAL_DOCUMENT).exists()
    assert consultation.sections.filter(kind="results").exists()
    channels = set(consultation.responses.values_list("channel", flat=True))
    assert channels == {"online", "email", "post", "import"}
    # A second load adds nothing.
    load_demo()
    assert consultation.responses.count() == 200
    run = run_now(consultation, User.objects.get(username="demo-staff"))
    assert run.summary["campaigns"]["campaigns"]
    assert all(q["themes"] for q in run.summary["free_text_questions"].values())
    assert AnalysisRun.objects.count() == 1

"""``moot analyse-responses``: queue a run for a worker, or run it at once."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from moot.analysis.models import AnalysisRun, RunStatus
from moot.consultations.models import Consultation
from moot.core.models import User

pytestmark = pytest.mark.django_db


def test_run_now_prints_what_it_did(
    consultation: Consultation,
    analyst: User,
    queued_tasks: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("analyse_responses", consultation.slug, "--user", analyst.username, "--now")
    out = capsys.readouterr().out
    assert out.startswith("Analysis run 1 analysed 150 responses in")
    assert AnalysisRun.objects.get().status == RunStatus.SUCCEEDED


def test_queue_for_a_worker(
    consultation: Consultation,
    analyst: User,
    queued_tasks: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("analyse_responses", consultation.slug, "--user", analyst.username)
    assert "queued for a worker" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already running"):
        call_command("analyse_responses", consultation.slug, "--user", analyst.username)


def test_unknown_consultation_or_user(consultation: Consultation, analyst: User) -> None:
    with pytest.raises(CommandError, match="Consultation matching query does not exist"):
        call_command("analyse_responses", "nope", "--user", analyst.username)
    with pytest.raises(CommandError, match="User matching query does not exist"):
        call_command("analyse_responses", consultation.slug, "--user", "nobody")

"""Analysis runs: queued as a task, run with progress on their row, stored, one at a time,
failures recorded, and re-runs that keep the analyst's work."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from moot.analysis.engine import AnalysisResult
from moot.analysis.models import (
    AnalysisRun,
    CampaignMembership,
    RunStatus,
    StanceRow,
    ThemeAssignmentRow,
)
from moot.analysis.selectors.inputs import LETTERS_REF, engine_inputs_load
from moot.analysis.selectors.runs import latest_run, result_load
from moot.analysis.services import changes
from moot.analysis.services.runs import (
    AnalysisAlreadyRunning,
    NothingToAnalyse,
    RunStopped,
    _Progress,
    analysis_run_cancel,
    analysis_run_execute,
    analysis_run_start,
)
from moot.consultations.models import (
    Channel,
    Consultation,
    ConsultationStatus,
    Response,
    ResponseStatus,
)
from moot.consultations.services.responses import RespondentDetails, response_record
from moot.core.models import User
from tests.analysis.conftest import RESPONSES, free_refs, run_now, themes_of
from tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db


def test_a_run_analyses_every_counted_response_and_stores_its_result(
    consultation: Consultation, analyst: User, immediate_tasks: None
) -> None:
    run = run_now(consultation, analyst)
    assert run.number == 1
    assert run.response_count == RESPONSES
    assert run.requested_by == analyst
    assert run.progress_done == run.progress_total > 0
    assert run.stage == "Finished"
    assert run.engine_version
    assert run.params["seed"] == 0
    assert len(run.input_fingerprint) == 64
    assert set(run.timings) == {"load", "engine", "save"}
    # The whole result is stored gzipped, and reads back into the engine's dataclasses.
    raw = gzip.decompress(run.result_file.open("rb").read())
    assert run.result_bytes < run.result_json_bytes == len(raw)
    result = result_load(run=run)
    assert AnalysisResult.from_dict(json.loads(raw)) == result
    assert result.response_count == RESPONSES
    # What pages look up per response is in the rows.
    members = sum(c.size for c in result.campaigns.campaigns)
    assert members > 0
    assert CampaignMembership.objects.filter(run=run).count() == members
    assignments = sum(
        len(a.themes) for q in result.free_text_questions.values() for a in q.assignments
    )
    assert ThemeAssignmentRow.objects.filter(run=run).count() == assignments
    assert StanceRow.objects.filter(run=run).exists()
    # Starting the analysis of a closed consultation marks it as being analysed.
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.ANALYSING


def _respond(consultation: Consultation, *, key: str, status: str = "", **answers: str) -> Response:
    questions = {q.key: q for q in consultation.questions.all()}
    from moot.consultations.services.responses import AnswerValue

    response, _ = response_record(
        consultation=consultation,
        channel=Channel.EMAIL,
        received_at=consultation.closes_at - dt.timedelta(days=1),
        respondent=RespondentDetails(name="Alex Green", email="alex@example.org"),
        answers={questions[k]: AnswerValue(text=v) for k, v in answers.items()},
        body_text="" if answers else "A letter about the boards. " * 10,
        source_key=key,
    )
    if status:
        Response.objects.filter(pk=response.pk).update(status=status, late_accepted_at=None)
    return response


def test_only_counted_responses_are_analysed(
    consultation: Consultation, analyst: User, immediate_tasks: None
) -> None:
    _respond(consultation, key="withdrawn", status=ResponseStatus.WITHDRAWN, q2="Withdrawn.")
    _respond(consultation, key="unreadable", status=ResponseStatus.ERROR, q2="Garbled.")
    _respond(consultation, key="late", status=ResponseStatus.LATE, q2="Late, not accepted.")
    accepted = _respond(consultation, key="accepted", q2="Late and accepted by staff.")
    Response.objects.filter(pk=accepted.pk).update(
        status=ResponseStatus.LATE, late_accepted_at=timezone.now()
    )
    inputs = engine_inputs_load(consultation=consultation)
    ids = {r.id for r in inputs.responses}
    assert str(accepted.pk) in ids
    assert len(ids) == RESPONSES + 1
    assert run_now(consultation, analyst).response_count == RESPONSES + 1


def test_letters_that_answer_no_question_are_analysed_as_free_text(
    consultation: Consultation,
) -> None:
    letter = _respond(consultation, key="letter")
    inputs = engine_inputs_load(consultation=consultation)
    assert inputs.question_info[-1].ref == LETTERS_REF
    by_id = {r.id: r for r in inputs.responses}
    assert by_id[str(letter.pk)].answers[LETTERS_REF].startswith("A letter about the boards.")


def test_a_consultation_without_responses_cannot_be_analysed(analyst: User) -> None:
    empty = ConsultationFactory(department=analyst.department)
    with pytest.raises(NothingToAnalyse):
        analysis_run_start(consultation=empty, by=analyst)
    assert not AnalysisRun.objects.exists()


def test_one_run_at_a_time(consultation: Consultation, analyst: User, queued_tasks: None) -> None:
    from django_tasks_db.models import DBTaskResult

    first = analysis_run_start(consultation=consultation, by=analyst)
    assert first.status == RunStatus.QUEUED
    assert DBTaskResult.objects.filter(args_kwargs__kwargs__run_id=first.pk).exists()
    with pytest.raises(AnalysisAlreadyRunning):
        analysis_run_start(consultation=consultation, by=analyst)
    # The database itself refuses a second active run.
    with pytest.raises(IntegrityError), transaction.atomic():
        AnalysisRun.objects.create(consultation=consultation, number=9)
    assert AnalysisRun.objects.filter(consultation=consultation).count() == 1


def test_a_run_that_stopped_reporting_is_taken_for_dead(
    consultation: Consultation, analyst: User, queued_tasks: None, settings
) -> None:  # type: ignore[no-untyped-def]
    stuck = analysis_run_start(consultation=consultation, by=analyst)
    long_ago = timezone.now() - dt.timedelta(minutes=settings.ANALYSIS_RUN_TIMEOUT_MINUTES + 1)
    AnalysisRun.objects.filter(pk=stuck.pk).update(
        status=RunStatus.RUNNING, started_at=long_ago, progress_at=long_ago
    )
    second = analysis_run_start(consultation=consultation, by=analyst)
    stuck.refresh_from_db()
    assert stuck.status == RunStatus.FAILED
    assert "stopped reporting progress" in stuck.error_message
    assert second.number == 2
    # A run no worker ever started is given up too.
    AnalysisRun.objects.filter(pk=second.pk).update(created_at=long_ago)
    third = analysis_run_start(consultation=consultation, by=analyst)
    second.refresh_from_db()
    assert second.error_message == "No worker started the run (is `moot worker` running?)."
    assert third.number == 3


def test_a_cancelled_run_is_not_run_and_a_stopped_engine_keeps_nothing(
    consultation: Consultation, analyst: User, queued_tasks: None
) -> None:
    queued = analysis_run_start(consultation=consultation, by=analyst)
    analysis_run_cancel(run=queued, by=analyst)
    queued.refresh_from_db()
    assert queued.status == RunStatus.FAILED
    assert queued.error_message == f"Cancelled by {analyst.username}."
    assert analysis_run_execute(run_id=queued.pk) is None
    # A run cancelled while the engine works stops at its next progress report.
    running = analysis_run_start(consultation=consultation, by=analyst)
    AnalysisRun.objects.filter(pk=running.pk).update(status=RunStatus.RUNNING)
    progress = _Progress(running, [], close=False)
    progress("campaigns", 0, 5)
    running.refresh_from_db()
    assert (running.stage, running.progress_done, running.progress_total) == (
        "Finding campaigns",
        1,
        7,
    )
    analysis_run_cancel(run=running, by=analyst)
    with pytest.raises(RunStopped):
        progress("closed_questions", 1, 5)


def test_a_failed_run_records_why_and_the_last_good_result_stays(
    consultation: Consultation, analyst: User, immediate_tasks: None
) -> None:
    good = run_now(consultation, analyst)
    rows = ThemeAssignmentRow.objects.filter(run=good).count()
    # The stored result the next run starts from has been damaged.
    good.result_file.save("damaged.json.gz", ContentFile(b"not gzip"), save=True)
    failed = analysis_run_start(consultation=consultation, by=analyst)
    failed.refresh_from_db()
    assert failed.status == RunStatus.FAILED
    assert failed.finished_at is not None
    assert "unexpected error" in failed.error_message
    assert not ThemeAssignmentRow.objects.filter(run=failed).exists()
    assert latest_run(consultation=consultation) == good
    assert ThemeAssignmentRow.objects.filter(run=good).count() == rows


def test_a_rerun_keeps_the_analysts_edits_and_codings_and_counts_new_responses(
    consultation: Consultation, analyst: User, immediate_tasks: None
) -> None:
    first = run_now(consultation, analyst)
    ref = free_refs(first)[0]
    themes = sorted(themes_of(first, ref), key=lambda t: -t["counts"]["all_submissions"])  # type: ignore[index]
    renamed, merged_a, merged_b = themes[0], themes[1], themes[2]
    changes.theme_rename(
        consultation=consultation,
        question_ref=ref,
        theme_id=str(renamed["id"]),
        label="Keep the boards",
        description="",
        by=analyst,
    )
    changes.themes_merge(
        consultation=consultation,
        question_ref=ref,
        theme_ids=[str(merged_a["id"]), str(merged_b["id"])],
        label="Accountability and scrutiny",
        by=analyst,
    )
    coded = list(
        ThemeAssignmentRow.objects.filter(run=first, question_ref=ref)
        .values_list("response_id", flat=True)
        .distinct()[:6]
    )
    for response_id in coded:
        changes.response_code_themes(
            consultation=consultation,
            response=Response.objects.get(pk=response_id),
            question_ref=ref,
            theme_ids=[str(renamed["id"])],
            by=analyst,
        )
    late = _respond(consultation, key="after-the-first-run", q2="The boards work well here. " * 5)
    second = run_now(consultation, analyst)
    assert second.number == 2
    assert second.response_count == RESPONSES + 1
    labels = {t["id"]: t["label"] for t in themes_of(second, ref)}  # type: ignore[misc]
    assert labels[renamed["id"]] == "Keep the boards"
    survivor = {merged_a["id"], merged_b["id"]} & set(labels)
    assert len(survivor) == 1
    assert labels[survivor.pop()] == "Accountability and scrutiny"
    assert not second.summary["warnings"]
    keep = next(t for t in themes_of(second, ref) if t["id"] == renamed["id"])
    assert keep["coded_count"] == len(coded)
    assert set(
        ThemeAssignmentRow.objects.filter(run=second, question_ref=ref, source="coded").values_list(
            "response_id", flat=True
        )
    ) == set(coded)
    assert second.included_change_id > first.included_change_id == 0
    # Pages read the latest run's rows only; the first run keeps its stored result.
    assert not ThemeAssignmentRow.objects.filter(run=first).exists()
    assert result_load(run=first).response_count == RESPONSES
    assert StanceRow.objects.filter(run=second, response=late).exists()


@pytest.mark.slow
def test_free_text_questions_can_be_analysed_in_worker_processes(
    consultation: Consultation, analyst: User, immediate_tasks: None, settings
) -> None:  # type: ignore[no-untyped-def]
    single = run_now(consultation, analyst)
    settings.ANALYSIS_WORKERS = 2
    forked = run_now(consultation, analyst)
    assert forked.summary["free_text_questions"] == single.summary["free_text_questions"]
    assert Consultation.objects.filter(pk=consultation.pk).exists()


def test_a_queued_run_is_run_by_the_database_worker(
    consultation: Consultation, analyst: User, queued_tasks: None
) -> None:
    from django_tasks_db.models import DBTaskResult

    run = analysis_run_start(consultation=consultation, by=analyst)
    [queued] = DBTaskResult.objects.ready()
    queued.claim("test-worker")
    # What `moot worker` does with it (the worker itself closes database connections, which a
    # test inside a transaction cannot allow).
    queued.set_successful(
        queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    )
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert run.response_count == RESPONSES

"""Fixtures for the Django side of the analysis: a small generated consultation in the
database, analysts, and runs executed at once (the test settings run tasks immediately).

The engine's own tests in ``engine/`` use none of these: they need no database.
"""

from __future__ import annotations

import pytest
from django.test import Client

from moot.analysis.models import AnalysisRun, RunStatus
from moot.analysis.selectors.runs import latest_run
from moot.analysis.services.runs import analysis_run_start
from moot.consultations.models import Consultation
from moot.core.models import Department, User
from moot.demo.analysis import final_document_attach, generated_consultation_create
from tests.factories import DepartmentFactory, UserFactory

# Big enough for campaigns (with edited copies) and several themes per question, small
# enough to analyse in well under a second.
RESPONSES = 150
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def immediate_tasks(settings: pytest.FixtureRequest) -> None:
    """Tasks run as they are enqueued, as a worker would run them."""
    settings.TASKS = IMMEDIATE  # type: ignore[attr-defined]


@pytest.fixture
def queued_tasks(settings: pytest.FixtureRequest) -> None:
    """Tasks wait in the database queue for a worker."""
    settings.TASKS = DATABASE_TASKS  # type: ignore[attr-defined]


@pytest.fixture
def department(db: None) -> Department:
    return DepartmentFactory(slug="department-for-education", name="Department for Education")


@pytest.fixture
def consultation(department: Department) -> Consultation:
    consultation = generated_consultation_create(
        department=department,
        slug="generated",
        title="Replacing safeguarding boards",
        responses=RESPONSES,
        seed=11,
    )
    final_document_attach(consultation)
    return consultation


@pytest.fixture
def analyst(department: Department) -> User:
    return UserFactory(department=department)


@pytest.fixture
def analyst_client(client: Client, analyst: User) -> Client:
    client.force_login(analyst)
    return client


def run_now(consultation: Consultation, by: User) -> AnalysisRun:
    """Start a run (tasks must run immediately) and return it, finished."""
    run = analysis_run_start(consultation=consultation, by=by)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error_message
    return run


@pytest.fixture
def run(consultation: Consultation, analyst: User, immediate_tasks: None) -> AnalysisRun:
    run_now(consultation, analyst)
    finished = latest_run(consultation=consultation)
    assert finished is not None
    return finished


def free_refs(run: AnalysisRun) -> list[str]:
    return [q["ref"] for q in run.summary["questions"] if q["kind"] == "free_text"]


def closed_refs(run: AnalysisRun) -> list[str]:
    return [q["ref"] for q in run.summary["questions"] if q["kind"] != "free_text"]


def themes_of(run: AnalysisRun, ref: str) -> list[dict[str, object]]:
    return list(run.summary["free_text_questions"][ref]["themes"])

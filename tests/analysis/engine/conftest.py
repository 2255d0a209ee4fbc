"""Shared fixtures for the analysis engine tests (no database, no Django)."""

from __future__ import annotations

import pytest

from moot.analysis.engine import AnalysisParams, AnalysisResult, run_analysis
from moot.analysis.engine.synthetic import SyntheticConsultation, generate_consultation

SMALL_SIZE = 1000


@pytest.fixture(scope="session")
def small_consultation() -> SyntheticConsultation:
    return generate_consultation(responses=SMALL_SIZE, seed=7)


@pytest.fixture(scope="session")
def small_result(small_consultation: SyntheticConsultation) -> AnalysisResult:
    return run_analysis(
        questions=small_consultation.questions,
        responses=small_consultation.responses,
        params=AnalysisParams(seed=7),
    )

"""The summary of responses generated from an analysis run, and its publication.

The generated text is saved through the consultations app's ``response_summary_save`` and
published with the outcome through ``consultation_publish_outcome``: this module adds no
lifecycle of its own.
"""

from __future__ import annotations

import logging

from django.db import transaction

from moot.analysis.models import AnalysisRun
from moot.analysis.reports.markdown import summary_markdown
from moot.analysis.selectors.report import summary_figures
from moot.consultations.models import Consultation, ResponseSummary, SummarySource
from moot.consultations.services.lifecycle import (
    consultation_publish_outcome,
    response_summary_save,
)
from moot.core.models import User

logger = logging.getLogger(__name__)


@transaction.atomic
def analysis_summary_generate(*, run: AnalysisRun, by: User) -> ResponseSummary:
    """Write the summary of responses from ``run``: its figures and their text. If the
    summary is already published, the public page shows the new text at once."""
    figures = summary_figures(run=run)
    summary = response_summary_save(
        consultation=run.consultation,
        title="Summary of responses",
        body=summary_markdown(figures=figures),
        source=SummarySource.GENERATED,
        generated_by=f"analysis run {run.number} (engine {run.engine_version})",
        figures=figures,
    )
    logger.info("%s generated the summary of responses of %s", by, run.consultation.slug)
    return summary


@transaction.atomic
def analysis_summary_publish(
    *,
    run: AnalysisRun,
    by: User,
    final_document_title: str = "",
    final_document_data: bytes | None = None,
) -> ResponseSummary:
    """Generate the summary from ``run`` and publish it with the consultation's outcome.

    Atomic: if the outcome cannot be published (no final document, or the consultation is
    not closed) nothing changes and ``InvalidTransition`` says why.
    """
    summary = analysis_summary_generate(run=run, by=by)
    consultation = Consultation.objects.get(pk=run.consultation_id)
    if consultation.outcome_published_at is None:
        consultation_publish_outcome(
            consultation=consultation,
            by=by,
            final_document_title=final_document_title,
            final_document_data=final_document_data,
        )
        summary.refresh_from_db()
    return summary

"""Runs of the analysis engine over a consultation's responses, what they found per response,
and the analyst's changes that the next run takes as input.

A run keeps the engine's whole result as gzipped JSON in storage (``result_file``: tens of
megabytes of JSON for 100,000 responses, a few after compression) and a small ``summary`` of
it in the database for the pages. What pages look up per response or per theme —
campaign membership, theme assignments, stance — is written to narrow, indexed tables, for
the latest successful run of each consultation only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from moot.consultations.models import Consultation, Response
from moot.core.models import TimeStampedModel


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


ACTIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


def run_result_upload_to(instance: AnalysisRun, filename: str) -> str:
    # Random names: results hold every response's text and are only served to staff.
    return f"analysis/{instance.consultation_id}/{uuid.uuid4().hex}/{filename}"


class AnalysisRun(TimeStampedModel):
    """One run of the analysis engine over a consultation's counted responses."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="analysis_runs"
    )
    number = models.PositiveIntegerField(help_text="1 for a consultation's first run, and so on.")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Progress, written by the worker as the engine reports each stage.
    stage = models.CharField(max_length=200, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_at = models.DateTimeField(null=True, blank=True)
    error_message = models.TextField(blank=True)

    engine_version = models.CharField(max_length=20, blank=True)
    params = models.JSONField(default=dict, blank=True)
    input_fingerprint = models.CharField(max_length=64, blank=True)
    response_count = models.PositiveIntegerField(default=0)
    included_change_id = models.PositiveBigIntegerField(
        default=0, help_text="The run took the analyst's changes up to this one as input."
    )
    summary = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(upload_to=run_result_upload_to, max_length=300, blank=True)
    result_bytes = models.PositiveBigIntegerField(default=0, help_text="Stored (gzipped).")
    result_json_bytes = models.PositiveBigIntegerField(default=0, help_text="As JSON.")
    timings = models.JSONField(default=dict, blank=True, help_text="Seconds per step.")

    class Meta:
        ordering = ["consultation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="analysis_run_number_unique"
            ),
            # One run at a time per consultation: a second one is refused by the database.
            models.UniqueConstraint(
                fields=["consultation"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="analysis_run_one_active_per_consultation",
            ),
            models.CheckConstraint(
                condition=Q(progress_done__lte=F("progress_total")),
                name="analysis_run_progress_within_total",
            ),
            models.CheckConstraint(
                condition=~Q(status=RunStatus.SUCCEEDED)
                | (Q(finished_at__isnull=False) & ~Q(result_file="")),
                name="analysis_run_succeeded_has_result",
            ),
            models.CheckConstraint(
                condition=~Q(status=RunStatus.FAILED)
                | (Q(finished_at__isnull=False) & ~Q(error_message="")),
                name="analysis_run_failed_has_error",
            ),
        ]
        indexes = [models.Index(fields=["consultation", "status", "-number"])]

    def __str__(self) -> str:
        return f"Analysis run {self.number} of {self.consultation}"

    def get_absolute_url(self) -> str:
        return reverse(
            "analysis:run", kwargs={"slug": self.consultation.slug, "number": self.number}
        )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return round(100 * self.progress_done / self.progress_total)

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class ChangeKind(models.TextChoices):
    RENAME = "rename", "Renamed a theme"
    MERGE = "merge", "Merged themes"
    SPLIT = "split", "Split a theme"
    DELETE = "delete", "Deleted a theme"
    ADD = "add", "Added a theme"
    CODE_THEMES = "code_themes", "Coded the themes of a response"
    CODE_STANCE = "code_stance", "Coded the stance of a response"
    CODE_EVIDENCE = "code_evidence", "Flagged whether a response brings evidence"


THEME_EDIT_KINDS = (
    ChangeKind.RENAME,
    ChangeKind.MERGE,
    ChangeKind.SPLIT,
    ChangeKind.DELETE,
    ChangeKind.ADD,
)
CODING_KINDS = (ChangeKind.CODE_THEMES, ChangeKind.CODE_STANCE, ChangeKind.CODE_EVIDENCE)


class AnalystChange(models.Model):
    """One change an analyst made: who, what, when. Every run replays them all in order.

    ``payload`` is what the engine is given: a theme edit as the engine writes it (with its
    ``op``), or the coded theme ids or stance of one response's answer.
    """

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="analyst_changes"
    )
    question_ref = models.CharField(
        max_length=40, help_text="The engine's id of the question (its database id)."
    )
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    payload = models.JSONField(default=dict)
    description = models.CharField(max_length=1000)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_by_name = models.CharField(max_length=150, help_text="Kept if the account is deleted.")
    made_at = models.DateTimeField(auto_now_add=True)
    based_on_run = models.ForeignKey(
        AnalysisRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["consultation", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=THEME_EDIT_KINDS, response__isnull=True)
                | Q(kind__in=CODING_KINDS, response__isnull=False),
                name="analyst_change_coding_names_a_response",
            ),
        ]
        indexes = [models.Index(fields=["consultation", "question_ref", "id"])]

    def __str__(self) -> str:
        return f"{self.made_by_name}: {self.description}"


class CampaignMembership(models.Model):
    """A response the latest run placed in a campaign, with how far it departs from the
    template and what the respondent added of their own."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="+")
    campaign_key = models.CharField(max_length=40)
    similarity = models.FloatField()
    overlap = models.FloatField()
    is_exact_copy = models.BooleanField()
    is_template = models.BooleanField(default=False)
    has_additions = models.BooleanField(default=False)
    additions = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "response"], name="campaign_membership_one_per_response"
            ),
        ]
        indexes = [models.Index(fields=["run", "campaign_key", "similarity"])]

    def __str__(self) -> str:
        return f"{self.response_id} in {self.campaign_key}"


class AssignmentSource(models.TextChoices):
    CODED = "coded", "Coded by an analyst"
    MODEL = "model", "Assigned by the model"
    CAMPAIGN = "campaign", "From its campaign's text"


class ThemeAssignmentRow(models.Model):
    """One theme of one response's answer to one question, as the latest run assigned it."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="+")
    question_ref = models.CharField(max_length=40)
    theme_key = models.CharField(max_length=60)
    confidence = models.FloatField()
    source = models.CharField(max_length=10, choices=AssignmentSource.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "response", "question_ref", "theme_key"],
                name="theme_assignment_unique",
            ),
        ]
        indexes = [models.Index(fields=["run", "question_ref", "theme_key", "confidence"])]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.theme_key}"


STANCE_SOURCES = {
    "closed_answer": "their own agree/disagree answer",
    "text": "what they wrote",
    "coded": "an analyst's coding",
    "campaign": "their campaign's text",
}


class StanceRow(models.Model):
    """The stance (agree, disagree, unclear) of one response's answer, as the latest run
    decided it, and how."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="+")
    question_ref = models.CharField(max_length=40)
    stance = models.CharField(max_length=10)
    confidence = models.FloatField()
    source = models.CharField(max_length=20)
    conflict = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "response", "question_ref"], name="stance_row_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.stance}"

    @property
    def source_label(self) -> str:
        return STANCE_SOURCES.get(self.source, self.source)


EVIDENCE_KINDS = {
    "figures": "figures",
    "sources": "sources",
    "experience": "lived experience",
    "organisation": "an organisation's own data",
}


class EvidenceRow(models.Model):
    """A response's answer that the latest run found brings evidence (figures, sources,
    lived experience, an organisation's data), and how it knew."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="+")
    question_ref = models.CharField(max_length=40)
    kinds = models.CharField(max_length=100, blank=True, help_text="Comma-separated.")
    confidence = models.FloatField()
    source = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "response", "question_ref"], name="evidence_row_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.kinds or 'evidence'}"

    @property
    def kind_labels(self) -> list[str]:
        return [EVIDENCE_KINDS.get(k, k) for k in self.kinds.split(",") if k]


class CampaignName(models.Model):
    """The name an analyst gave a campaign ("Save Our Libraries letter"), shown on the staff
    pages and in the summary of responses instead of "Campaign 3".

    Keyed by the engine's campaign id, which is a hash of the campaign's text, so a name
    stays with its campaign from one run to the next.
    """

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="campaign_names"
    )
    campaign_key = models.CharField(max_length=40)
    name = models.CharField(max_length=120)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    named_by_name = models.CharField(max_length=150, help_text="Kept if the account is deleted.")
    named_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["consultation", "campaign_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "campaign_key"], name="campaign_name_one_per_campaign"
            ),
            models.UniqueConstraint(
                fields=["consultation", "name"], name="campaign_name_unique_in_consultation"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="campaign_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

"""What each importer has read: the progress record that makes imports resumable."""

from __future__ import annotations

from django.db import models

from moot.core.models import TimeStampedModel


class Importer(models.TextChoices):
    PARLPARSE = "parlparse", "ParlParse written answers"
    MEMBERS = "members", "Popolo members"
    WRITTEN_QUESTIONS = "written_questions", "UK Parliament written questions"
    PARLPARSE_STATEMENTS = "parlparse_statements", "ParlParse written ministerial statements"
    WRITTEN_STATEMENTS = "written_statements", "UK Parliament written statements"
    DEBATES = "debates", "ParlParse debates"


class ImportStatus(models.TextChoices):
    RUNNING = "running", "Running (or stopped part way)"
    COMPLETE = "complete", "Complete"
    FAILED = "failed", "Failed"


class ImportedFile(TimeStampedModel):
    """One file's import: its content hash, how far it got and what it changed.

    A file whose content was imported completely before is skipped; one that stopped part way
    resumes after the last record committed.
    """

    importer = models.CharField(max_length=30, choices=Importer.choices)
    content_hash = models.CharField(max_length=64)
    path = models.CharField(max_length=500, help_text="Where the file was last read from.")
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    records_done = models.PositiveIntegerField(
        default=0, help_text="Records committed so far: a resumed import starts after them."
    )
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["importer", "content_hash"], name="imported_file_once_per_content"
            ),
        ]
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.path} ({self.get_status_display()})"

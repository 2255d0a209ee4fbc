"""Mentions: where a parliamentary record (a written question, answer or statement) names
a document or consultation moot holds.

A ``Mention`` is found by ``services.mentions`` (never typed in), with the words matched
and where they are in the record's text (``text.py`` says how that text is read). Staff
confirm it or remove it; a removed mention is kept, so finding it again does not bring it
back. ``ShortName`` holds the known short names a title goes by ("Working Together").
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from moot.consultations.models import Consultation, Document
from moot.core.models import TimeStampedModel
from moot.parliament.models import WrittenAnswer, WrittenQuestion, WrittenStatement

# The records that mention (one of them is set) and what they mention (one of them is set).
SOURCE_FIELDS = ("question", "answer", "statement")
TARGET_FIELDS = ("document", "consultation")


def _exactly_one(fields: tuple[str, ...]) -> Q:
    condition = Q()
    for chosen in fields:
        one = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                one &= Q(**{f"{other}__isnull": True})
        condition |= one
    return condition


class MentionKind(models.TextChoices):
    QUOTED_TITLE = "quoted_title", "Title in quotes"
    TITLE_WITH_YEAR = "title_with_year", "Title with its year"
    TITLE = "title", "Title"
    SHORT_NAME = "short_name", "Known short name"
    URL = "url", "Web address"


class MentionStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    REMOVED = "removed", "Removed"


class ShortName(TimeStampedModel):
    """A short name a document or consultation is known by, e.g. "Working Together"."""

    name = models.CharField(
        max_length=200, help_text="At least two words: one word is never distinctive enough."
    )
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="short_names"
    )
    consultation = models.ForeignKey(
        Consultation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="short_names",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one(TARGET_FIELDS), name="short_name_names_one_thing"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if len(self.name.split()) < 2:
            raise ValidationError({"name": "A short name needs at least two words."})

    @property
    def target(self) -> Document | Consultation | None:
        return self.document or self.consultation


class Mention(TimeStampedModel):
    """A record naming a document or consultation: the words, and where they are."""

    question = models.ForeignKey(
        WrittenQuestion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    answer = models.ForeignKey(
        WrittenAnswer, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    statement = models.ForeignKey(
        WrittenStatement, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    kind = models.CharField(max_length=20, choices=MentionKind.choices)
    matched_text = models.CharField(max_length=500)
    start = models.PositiveIntegerField(help_text="Where the words start in the record's text.")
    end = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=MentionStatus.choices, default=MentionStatus.SUGGESTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one(SOURCE_FIELDS), name="mention_has_one_source"
            ),
            models.CheckConstraint(
                condition=_exactly_one(TARGET_FIELDS), name="mention_has_one_target"
            ),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="mention_span"),
            models.CheckConstraint(
                condition=Q(status=MentionStatus.SUGGESTED) | Q(reviewed_at__isnull=False),
                name="mention_reviewed_has_time",
            ),
            # One mention of one thing at one place of one record: finding it again is a no-op.
            *(
                models.UniqueConstraint(
                    fields=[source, target, "start"],
                    condition=Q(**{f"{source}__isnull": False, f"{target}__isnull": False}),
                    name=f"mention_once_{source}_{target}",
                )
                for source in SOURCE_FIELDS
                for target in TARGET_FIELDS
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="mention_review_queue")]

    def __str__(self) -> str:
        return f"“{self.matched_text}” → {self.target}"

    @property
    def target(self) -> Document | Consultation | None:
        return self.document or self.consultation

    @property
    def source(self) -> WrittenQuestion | WrittenAnswer | WrittenStatement | None:
        return self.question or self.answer or self.statement

    @property
    def is_shown(self) -> bool:
        return self.status != MentionStatus.REMOVED


class ScanCursor(models.Model):
    """How far the mention finder has looked at records saved since (one row per kind)."""

    name = models.CharField(max_length=40, unique=True)
    position = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.position}"

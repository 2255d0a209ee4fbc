"""Responses published with care: staff decide on each text of a response (approve or
withhold), redact passages with a reason, then publish; what the public sees is a snapshot
of the approved, redacted text, written at publication and removed when it is withdrawn.

The snapshot (``PublishedText``) is the only place the public page, its search and anything
built on it read from, so a redacted passage cannot reach them by another road.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from moot.consultations.models.questionnaire import Question
from moot.consultations.models.responses import Answer, Response
from moot.core.models import TimeStampedModel


class ModerationDecision(models.TextChoices):
    PENDING = "pending", "Not yet decided"
    APPROVED = "approved", "Approved for publication"
    WITHHELD = "withheld", "Withheld"


class RedactionReason(models.TextChoices):
    PERSONAL_DATA = "personal_data", "personal data"
    DEFAMATION = "defamation", "defamation"
    OFFENSIVE = "offensive", "offensive"


class TextModeration(TimeStampedModel):
    """Staff's decision on one text of a response: an answer, or (no answer) the text of a
    letter or email."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="moderations")
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="moderations"
    )
    decision = models.CharField(
        max_length=10, choices=ModerationDecision.choices, default=ModerationDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="Why it was decided so.")

    class Meta:
        ordering = ["response", "answer__question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "answer"], name="text_moderation_one_per_answer"
            ),
            models.UniqueConstraint(
                fields=["response"],
                condition=Q(answer__isnull=True),
                name="text_moderation_one_per_body",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response}: {self.get_decision_display()}"


class Redaction(TimeStampedModel):
    """A passage of a text left out of what is published, with the reason shown in its place.

    The passage itself is never stored (it is usually personal data): its place in the text
    and a digest of it, so a text that changed since is refused rather than redacted wrong.
    """

    moderation = models.ForeignKey(
        TextModeration, on_delete=models.CASCADE, related_name="redactions"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    digest = models.CharField(max_length=64)
    reason = models.CharField(max_length=20, choices=RedactionReason.choices)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["moderation", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="redaction_not_empty"),
            models.UniqueConstraint(
                fields=["moderation", "start", "end"], name="redaction_unique_passage"
            ),
        ]

    def __str__(self) -> str:
        return f"[redacted: {self.get_reason_display()}] at {self.start}–{self.end}"


class ResponsePublication(TimeStampedModel):
    """A response published on the consultation's page, or withdrawn from it."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="publication")
    published_as = models.CharField(max_length=300)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["published_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="response_publication_withdrawn_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response} published as {self.published_as}"

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None


class PublishedText(models.Model):
    """One approved, redacted text of a published response, as the public sees it."""

    publication = models.ForeignKey(
        ResponsePublication, on_delete=models.CASCADE, related_name="texts"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="published_texts"
    )
    text = models.TextField()

    class Meta:
        ordering = ["publication", "question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "question"], name="published_text_one_per_question"
            ),
            models.UniqueConstraint(
                fields=["publication"],
                condition=Q(question__isnull=True),
                name="published_text_one_body",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publication.response}: {self.question.key if self.question else 'text'}"

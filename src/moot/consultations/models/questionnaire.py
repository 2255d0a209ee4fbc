"""A consultation's questionnaire: ordered questions, their options, and the roles people
can say they respond as. Staff build it in the admin; every channel answers against it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from moot.consultations.models.consultations import Consultation, ConsultationSection
from moot.core.models import TimeStampedModel


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    AGREE_SCALE = "agree_scale", "Agree/disagree scale"
    FREE_TEXT = "free_text", "Free text"


# The options of every agree/disagree question, in the order they are shown.
AGREE_SCALE_LABELS = (
    "Strongly agree",
    "Agree",
    "Neither agree nor disagree",
    "Disagree",
    "Strongly disagree",
)
CHOICE_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.AGREE_SCALE}


class Question(TimeStampedModel):
    """One question of a consultation's questionnaire, shown on a page of its own."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField()
    key = models.SlugField(
        max_length=40,
        help_text="A short, stable name for the question in exports and imports, e.g. q1.",
    )
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.CharField(max_length=500)
    hint = models.TextField(blank=True, help_text="Shown under the question.")
    section = models.ForeignKey(
        ConsultationSection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        help_text="The part of the consultation document the question is about.",
    )
    required = models.BooleanField(default=False)
    max_length = models.PositiveIntegerField(
        null=True, blank=True, help_text="Free text only: the most characters an answer may have."
    )
    # Routing ("show if"): asked only if the answer to an earlier choice question took one of
    # these options. Staff set it on the routing page, which refuses loops and routes to
    # nowhere (``services.routing``); a trigger question cannot be deleted from under it.
    shown_if_question = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routes_to",
        help_text="Ask this question only if the answer to that question is one of the options.",
    )
    shown_if_options: models.ManyToManyField[QuestionOption, models.Model] = models.ManyToManyField(
        "QuestionOption", blank=True, related_name="routes_to"
    )

    class Meta:
        ordering = ["consultation", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "position"], name="question_position_unique"
            ),
            models.UniqueConstraint(fields=["consultation", "key"], name="question_key_unique"),
            models.CheckConstraint(
                condition=Q(max_length__isnull=True) | Q(kind=QuestionKind.FREE_TEXT),
                name="question_max_length_only_for_free_text",
            ),
            models.CheckConstraint(
                condition=Q(max_length__isnull=True) | Q(max_length__gte=1),
                name="question_max_length_positive",
            ),
            models.CheckConstraint(
                condition=Q(shown_if_question__isnull=True) | ~Q(shown_if_question=models.F("id")),
                name="question_not_shown_if_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_routed(self) -> bool:
        """Whether it is asked only after some answers (see ``services.routing``)."""
        return self.shown_if_question_id is not None


class QuestionOption(models.Model):
    """One answer people can choose for a choice or scale question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=300)

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "position"], name="question_option_position_unique"
            ),
            models.UniqueConstraint(
                fields=["question", "label"], name="question_option_label_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class RespondentRole(models.Model):
    """A role people choose in "About you": practitioner, parent or carer, young person…"""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="respondent_roles"
    )
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)

    class Meta:
        ordering = ["consultation", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "label"], name="respondent_role_label_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.label

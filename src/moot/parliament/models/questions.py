"""Written questions and answers, the history of their versions, and where old ids now go."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from moot.core.models import Department, TimeStampedModel
from moot.parliament.models.people import House, Person


class WrittenQuestion(TimeStampedModel):
    """A written question, filed under the day it appeared and a stable identifier."""

    date = models.DateField(
        help_text="The day the question is filed under: the day it was answered, or tabled."
    )
    identifier = models.SlugField(
        max_length=80, help_text="Stable within the day; with the date it makes the permalink."
    )
    house = models.CharField(max_length=10, choices=House.choices, default=House.COMMONS)
    uin = models.CharField("question number", max_length=20, blank=True)
    heading = models.CharField(max_length=300, help_text="The subject, e.g. Children: Sexual …")
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="written_questions",
        help_text="The department the question is addressed to.",
    )
    asking_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions_asked",
    )
    asking_name = models.CharField(
        max_length=200, blank=True, help_text="The name in the record, shown if unresolved."
    )
    addressed_to = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    date_tabled = models.DateField(null=True, blank=True)
    date_for_answer = models.DateField(null=True, blank=True)
    is_named_day = models.BooleanField(
        null=True,
        blank=True,
        help_text="Tabled for answer on a named day; empty where the source does not say "
        "(ParlParse records do not).",
    )
    is_withdrawn = models.BooleanField(default=False)
    source_id = models.CharField(
        max_length=160,
        unique=True,
        null=True,
        blank=True,
        help_text="The id in the source: a ParlParse gid or a UK Parliament question id.",
    )
    source_url = models.URLField(max_length=500, blank=True)
    column = models.CharField(max_length=20, blank=True, help_text="Hansard column, e.g. 483W.")
    other_uins = models.CharField(
        "further question numbers",
        max_length=200,
        blank=True,
        help_text="Further questions the member asked in the same words: numbers, space-separated.",
    )
    asking_speaker_id = models.CharField(
        max_length=120,
        blank=True,
        help_text="The asker's id in the source, kept so that people imported later are linked.",
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Order within the day's record, for previous and next links."
    )
    source_version = models.CharField(
        max_length=20, blank=True, help_text="The source's version: a ParlParse letter, or a date."
    )
    content_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="Of the imported content: an unchanged import is a no-op.",
    )

    class Meta:
        ordering = ["-date", "department", "heading", "id"]
        constraints = [
            models.UniqueConstraint(fields=["date", "identifier"], name="question_permalink"),
        ]
        indexes = [
            models.Index(fields=["department", "date"]),
            models.Index(fields=["date", "department", "position"], name="question_day_order"),
            # Alerts look for what changed since their last run.
            models.Index(fields=["updated_at"], name="question_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.heading} ({self.date})"

    def get_absolute_url(self) -> str:
        return reverse(
            "parliament:question",
            kwargs={"date": self.date.isoformat(), "identifier": self.identifier},
        )

    @property
    def asker_display_name(self) -> str:
        return self.asking_person.name if self.asking_person else self.asking_name

    @property
    def source_label(self) -> str:
        """What the source link says: ``Hansard column 483W``, or the UK Parliament site."""
        if self.column:
            return f"Hansard column {self.column}"
        return "UK Parliament written questions and answers" if self.source_url else ""

    @property
    def question_numbers(self) -> list[str]:
        return [number for number in [self.uin, *self.other_uins.split()] if number]


class WrittenAnswer(TimeStampedModel):
    """An answer; one answer may answer several questions together."""

    questions = models.ManyToManyField(WrittenQuestion, related_name="answers")
    date_answered = models.DateField()
    answering_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers_given",
    )
    answering_name = models.CharField(max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="written_answers",
    )
    body_html = models.TextField(help_text="Sanitised HTML: paragraphs, lists and tables.")
    is_holding = models.BooleanField(
        default=False, help_text="A holding answer, promising a full answer later."
    )
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corrections",
        help_text="The earlier answer this one corrects.",
    )
    holding_answer_date = models.DateField(
        null=True,
        blank=True,
        help_text="When this is the full answer that followed a holding answer: that day.",
    )
    source_id = models.CharField(max_length=160, unique=True, null=True, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    column = models.CharField(max_length=20, blank=True)
    answering_speaker_id = models.CharField(
        max_length=120,
        blank=True,
        help_text="The answerer's id in the source, kept so that people imported later are linked.",
    )
    source_version = models.CharField(max_length=20, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["date_answered", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(corrects=F("id")),
                name="answer_does_not_correct_itself",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "date_answered"]),
            models.Index(fields=["date_answered"], name="answer_day"),
            models.Index(fields=["updated_at"], name="answer_updated"),
        ]

    def __str__(self) -> str:
        return f"Answer of {self.date_answered} by {self.answerer_display_name}"

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None

    @property
    def answerer_display_name(self) -> str:
        return self.answering_person.name if self.answering_person else self.answering_name


class WrittenAnswerAttachment(models.Model):
    """A file published with an answer (its metadata: moot links to the file, never copies it)."""

    answer = models.ForeignKey(WrittenAnswer, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500)
    file_type = models.CharField(max_length=40, blank=True, help_text="For example PDF.")
    file_size = models.PositiveBigIntegerField(null=True, blank=True, help_text="In bytes.")

    class Meta:
        ordering = ["answer", "position"]

    def __str__(self) -> str:
        return self.title


class Revision(models.Model):
    """A record's imported content as it was before a newer version replaced it."""

    replaced_at = models.DateTimeField(default=timezone.now)
    source_id = models.CharField(max_length=160, blank=True)
    source_version = models.CharField(max_length=20, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    content = models.JSONField(help_text="The imported fields as they were.")

    class Meta:
        abstract = True


class WrittenQuestionRevision(Revision):
    question = models.ForeignKey(
        WrittenQuestion, on_delete=models.CASCADE, related_name="revisions"
    )

    class Meta:
        ordering = ["question", "-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"{self.question} before {self.replaced_at:%Y-%m-%d %H:%M}"


class WrittenAnswerRevision(Revision):
    answer = models.ForeignKey(WrittenAnswer, on_delete=models.CASCADE, related_name="revisions")

    class Meta:
        ordering = ["answer", "-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"{self.answer} before {self.replaced_at:%Y-%m-%d %H:%M}"


class RedirectKind(models.TextChoices):
    # ParlParse's own match types, from <gidredirect matchtype=…>.
    PERFECT_MATCH = "perfectmatch", "Same content in a newer version"
    CHANGES = "changes", "Changed in a newer version"
    ALTERNATIVE_QUESTION = "altques", "Another number for the same question"
    REMOVED = "removed", "Removed from the record"
    # moot's own: a permalink that no longer names a question.
    PERMALINK = "permalink", "Old permalink"


class WrittenQuestionRedirect(TimeStampedModel):
    """An identifier that once named a question, and where it leads now.

    Either an old source id (a ParlParse gid from a superseded version) with the id that
    replaced it, or an old permalink (date and identifier) of a question that left the record.
    """

    old_source_id = models.CharField(max_length=160, unique=True, null=True, blank=True)
    new_source_id = models.CharField(max_length=160, blank=True)
    kind = models.CharField(max_length=20, choices=RedirectKind.choices)
    date = models.DateField(null=True, blank=True, help_text="The old permalink's date.")
    identifier = models.SlugField(max_length=80, blank=True, help_text="The old permalink's id.")
    question = models.ForeignKey(
        WrittenQuestion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="redirects",
        help_text="Where an old permalink leads, when that is a question.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["date", "identifier"],
                condition=~Q(identifier=""),
                name="question_redirect_permalink",
            ),
            models.CheckConstraint(
                condition=Q(old_source_id__isnull=False)
                | (Q(date__isnull=False) & ~Q(identifier="")),
                name="question_redirect_has_an_old_id",
            ),
        ]
        indexes = [
            models.Index(fields=["new_source_id"], name="question_redirect_new_id"),
            models.Index(fields=["date"], name="question_redirect_date"),
        ]

    def __str__(self) -> str:
        old = self.old_source_id or f"{self.date}/{self.identifier}"
        return f"{old} → {self.new_source_id or self.question}"

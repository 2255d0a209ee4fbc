"""Written ministerial statements, the history of their versions, and where old ids now go.

A statement is a minister's announcement to Parliament in writing: a title, the department,
who made it, and its text. It is filed, like a written question, under the day it was made
and a stable identifier, so its permalink never changes when a newer version is imported.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from moot.core.models import Department, TimeStampedModel
from moot.parliament.models.people import House, Person
from moot.parliament.models.questions import RedirectKind, Revision


class WrittenStatement(TimeStampedModel):
    """A written ministerial statement, from ParlParse or the UK Parliament API."""

    date = models.DateField(help_text="The day the statement was made.")
    identifier = models.SlugField(
        max_length=80, help_text="Stable within the day; with the date it makes the permalink."
    )
    house = models.CharField(max_length=10, choices=House.choices, default=House.COMMONS)
    uin = models.CharField(
        "statement number",
        max_length=20,
        blank=True,
        help_text="Parliament's number for it, e.g. HCWS123 (none before 2014).",
    )
    title = models.CharField(max_length=300)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="written_statements",
        help_text="The department the statement is made for.",
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements_made",
        help_text="The minister who made it.",
    )
    speaker_name = models.CharField(
        max_length=200, blank=True, help_text="The name in the record, shown if unresolved."
    )
    speaker_id = models.CharField(
        max_length=120,
        blank=True,
        help_text="The minister's id in the source, kept so that people imported later are linked.",
    )
    member_role = models.CharField(
        max_length=300,
        blank=True,
        help_text="The office the source says the minister spoke in, when it says.",
    )
    body_html = models.TextField(help_text="Sanitised HTML: paragraphs, lists and tables.")
    source_id = models.CharField(
        max_length=160,
        unique=True,
        null=True,
        blank=True,
        help_text="The id in the source: a ParlParse gid or a UK Parliament statement id.",
    )
    source_url = models.URLField(max_length=500, blank=True)
    column = models.CharField(max_length=20, blank=True, help_text="Hansard column, e.g. 11WS.")
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
        ordering = ["-date", "house", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["date", "identifier"], name="statement_permalink"),
        ]
        indexes = [
            models.Index(fields=["department", "date"], name="statement_department_day"),
            models.Index(fields=["person", "date"], name="statement_person_day"),
            models.Index(fields=["date", "house", "position"], name="statement_day_order"),
            # Alerts and feeds look for what changed since their last run.
            models.Index(fields=["updated_at"], name="statement_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"

    def get_absolute_url(self) -> str:
        return reverse(
            "parliament:statement",
            kwargs={"date": self.date.isoformat(), "identifier": self.identifier},
        )

    @property
    def speaker_display_name(self) -> str:
        return self.person.name if self.person else self.speaker_name

    @property
    def source_label(self) -> str:
        """What the source link says: ``Hansard column 11WS``, or the UK Parliament site."""
        if self.column:
            return f"Hansard column {self.column}"
        return "UK Parliament written statements" if self.source_url else ""


class WrittenStatementAttachment(models.Model):
    """A file published with a statement (its metadata: moot links to it, never copies it)."""

    statement = models.ForeignKey(
        WrittenStatement, on_delete=models.CASCADE, related_name="attachments"
    )
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500)
    file_type = models.CharField(max_length=40, blank=True, help_text="For example PDF.")
    file_size = models.PositiveBigIntegerField(null=True, blank=True, help_text="In bytes.")

    class Meta:
        ordering = ["statement", "position"]

    def __str__(self) -> str:
        return self.title


class StatementLinkKind(models.TextChoices):
    # The UK Parliament API's link types, from linkedStatements[].linkType.
    CORRECTED_STATEMENT = "CorrectedStatement", "Corrects an earlier statement"
    CORRECTED_ANSWER = "CorrectedAnswer", "Corrects a written answer"
    JOINT_STATEMENT = "JointStatement", "Made jointly with a statement in the other House"
    OTHER = "other", "Linked"


class WrittenStatementLink(models.Model):
    """A statement the source links this one to, named by that statement's source id.

    Kept by id rather than as a foreign key because the linked statement may not be
    imported yet (or ever): the page links it once it is.
    """

    statement = models.ForeignKey(WrittenStatement, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=30, choices=StatementLinkKind.choices)
    linked_source_id = models.CharField(max_length=160)
    link_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["statement", "link_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "kind", "linked_source_id"], name="statement_link_once"
            ),
        ]
        indexes = [models.Index(fields=["linked_source_id"], name="statement_link_target")]

    def __str__(self) -> str:
        return f"{self.statement} → {self.linked_source_id} ({self.kind})"


class WrittenStatementRevision(Revision):
    statement = models.ForeignKey(
        WrittenStatement, on_delete=models.CASCADE, related_name="revisions"
    )

    class Meta:
        ordering = ["statement", "-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"{self.statement} before {self.replaced_at:%Y-%m-%d %H:%M}"


class WrittenStatementRedirect(TimeStampedModel):
    """An identifier that once named a statement, and where it leads now: an old ParlParse
    gid from a superseded version with the gid that replaced it, or the old permalink (date
    and identifier) of a statement a newer version left out."""

    old_source_id = models.CharField(max_length=160, unique=True, null=True, blank=True)
    new_source_id = models.CharField(max_length=160, blank=True)
    kind = models.CharField(max_length=20, choices=RedirectKind.choices)
    date = models.DateField(null=True, blank=True, help_text="The old id's day.")
    identifier = models.SlugField(max_length=80, blank=True, help_text="The old permalink's id.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["date", "identifier"],
                condition=~Q(identifier=""),
                name="statement_redirect_permalink",
            ),
            models.CheckConstraint(
                condition=Q(old_source_id__isnull=False)
                | (Q(date__isnull=False) & ~Q(identifier="")),
                name="statement_redirect_has_an_old_id",
            ),
        ]
        indexes = [
            models.Index(fields=["new_source_id"], name="statement_redirect_new_id"),
            models.Index(fields=["date"], name="statement_redirect_date"),
        ]

    def __str__(self) -> str:
        old = self.old_source_id or f"{self.date}/{self.identifier}"
        return f"{old} → {self.new_source_id}"

"""Consultations, their sections and attachments, and the documents they produce."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from moot.core.models import Department, TimeStampedModel


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    UPCOMING = "upcoming", "Upcoming"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    ANALYSING = "analysing", "Analysing responses"
    OUTCOME_PUBLISHED = "outcome_published", "Outcome published"


class Consultation(TimeStampedModel):
    """A public consultation. Its status is derived from its dates and staff actions."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="consultations"
    )
    summary = models.TextField(help_text="One or two paragraphs shown at the top of the page.")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()

    enquiries_unit = models.CharField(
        max_length=200, blank=True, help_text="The team that answers enquiries."
    )
    enquiries_telephone = models.CharField(max_length=40, blank=True)
    enquiries_email = models.EmailField(blank=True)

    respond_online = models.BooleanField(
        default=True, help_text="Accept responses through moot's online form."
    )
    response_email = models.EmailField(blank=True)
    acknowledge_emailed_responses = models.BooleanField(
        default=True,
        help_text="Email each person who responds by email an acknowledgement with their "
        "reference (never to automatic replies or bounces).",
    )
    response_postal_address = models.TextField(
        blank=True, help_text="One line per address line, as it should be written on a letter."
    )
    external_url = models.URLField(
        blank=True,
        help_text="Set when the consultation is held on another website: people respond there.",
    )
    alternative_formats_email = models.EmailField(
        blank=True, help_text="Who to ask for copies in other formats (large print, Braille…)."
    )

    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty while the consultation is a draft."
    )
    analysis_started_at = models.DateTimeField(null=True, blank=True)
    outcome_published_at = models.DateTimeField(null=True, blank=True)

    personal_data_retention_days = models.PositiveIntegerField(
        default=365,
        help_text=(
            "Days after the closing date that respondents' personal data is kept. After that "
            "it is removed and only their answers remain, for the published analysis."
        ),
    )
    personal_data_purged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-closes_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="consultation_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(outcome_published_at__isnull=True) | Q(published_at__isnull=False),
                name="consultation_outcome_needs_publication",
            ),
        ]
        indexes = [models.Index(fields=["opens_at", "closes_at"])]
        # Staff capabilities (see moot.core.permissions), confined to the user's department.
        permissions = [
            ("manage_content", "Can manage consultations and documents of their department"),
            ("view_responses", "Can see and export responses of their department"),
            ("analyse_responses", "Can analyse responses and publish summaries"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", kwargs={"slug": self.slug})

    def status_at(self, moment: dt.datetime) -> ConsultationStatus:
        if self.published_at is None:
            return ConsultationStatus.DRAFT
        if moment < self.opens_at:
            return ConsultationStatus.UPCOMING
        if moment < self.closes_at:
            return ConsultationStatus.OPEN
        if self.outcome_published_at is not None:
            return ConsultationStatus.OUTCOME_PUBLISHED
        if self.analysis_started_at is not None:
            return ConsultationStatus.ANALYSING
        return ConsultationStatus.CLOSED

    @property
    def status(self) -> ConsultationStatus:
        return self.status_at(timezone.now())

    @property
    def is_open(self) -> bool:
        return self.status == ConsultationStatus.OPEN

    @property
    def is_held_elsewhere(self) -> bool:
        return bool(self.external_url)

    @property
    def published_summary(self) -> Any:
        """The published "Summary of responses", or None."""
        try:
            summary = self.response_summary
        except ObjectDoesNotExist:
            return None
        return summary if summary.published_at else None

    @property
    def personal_data_expires_at(self) -> dt.datetime:
        return self.closes_at + dt.timedelta(days=self.personal_data_retention_days)

    @property
    def postal_address_lines(self) -> list[str]:
        return [line.strip() for line in self.response_postal_address.splitlines() if line.strip()]


class SectionKind(models.TextChoices):
    EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"
    BACKGROUND = "background", "Background and context"
    PROPOSALS = "proposals", "The proposals"
    HOW_TO_RESPOND = "how_to_respond", "How to respond"
    ADDITIONAL_COPIES = "additional_copies", "Additional copies"
    RESULTS = "results", "Plans for making results public"
    OTHER = "other", "Other"


class ConsultationSection(TimeStampedModel):
    """A numbered section of a consultation page, written in Markdown by staff."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30, choices=SectionKind.choices, default=SectionKind.OTHER)
    heading = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown. Raw HTML is shown as text.")

    class Meta:
        ordering = ["consultation", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "position"], name="section_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.heading}"


class DocumentKind(models.TextChoices):
    GUIDANCE = "guidance", "Guidance"
    DRAFT_GUIDANCE = "draft_guidance", "Draft guidance"
    FINAL_GUIDANCE = "final_guidance", "Final guidance"
    CONSULTATION_RESPONSE = "consultation_response", "Consultation response"
    SUMMARY_OF_RESPONSES = "summary_of_responses", "Summary of responses"


class Document(TimeStampedModel):
    """A publication: guidance, draft guidance, a consultation response."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    publisher = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who published it, when that is not one of moot's departments.",
    )
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Markdown. Raw HTML is shown as text.")
    published_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    external_url = models.URLField(blank=True, help_text="Where the document is published.")
    consultation = models.ForeignKey(
        Consultation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        help_text="The consultation this document was consulted on or came from.",
    )

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        year = f" ({self.published_on.year})" if self.published_on else ""
        return f"{self.title}{year}"

    def get_absolute_url(self) -> str:
        return reverse("consultations:document", kwargs={"slug": self.slug})

    @property
    def publisher_name(self) -> str:
        return self.publisher or (self.department.name if self.department else "")


class DocumentVersion(TimeStampedModel):
    """One published version of a document, with what changed."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    published_on = models.DateField()
    change_note = models.TextField(blank=True)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="document_version_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.document.title}, version {self.number}"


class RelationKind(models.TextChoices):
    REPLACES = "replaces", "replaces"
    SUPPLEMENTS = "supplements", "supplements"
    FINAL_VERSION_OF = "final_version_of", "is the final version of"
    RESPONDS_TO = "responds_to", "responds to"


# How a relation reads from the other end: "X replaces Y" shows on Y as "replaced by X".
INVERSE_RELATION_LABELS = {
    RelationKind.REPLACES: "is replaced by",
    RelationKind.SUPPLEMENTS: "is supplemented by",
    RelationKind.FINAL_VERSION_OF: "has the final version",
    RelationKind.RESPONDS_TO: "is responded to by",
}


class DocumentRelation(TimeStampedModel):
    """A typed link between two documents: "subject <kind> object"."""

    subject = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="outgoing_relations"
    )
    kind = models.CharField(max_length=30, choices=RelationKind.choices)
    object = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="incoming_relations"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["subject", "kind", "object"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "kind", "object"], name="document_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(subject=F("object")), name="document_relation_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject.title} {self.get_kind_display()} {self.object.title}"

    @property
    def inverse_label(self) -> str:
        return INVERSE_RELATION_LABELS[RelationKind(self.kind)]


class AttachmentRole(models.TextChoices):
    DOCUMENT = "document", "Consultation document"
    RESPONSE_FORM = "response_form", "Response form"
    FINAL_DOCUMENT = "final_document", "Final document"
    SUMMARY_OF_RESPONSES = "summary_of_responses", "Summary of responses"
    SUPPORTING = "supporting", "Supporting material"


FORMAT_LABELS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "MS Word Document",
    "application/msword": "MS Word Document",
    "application/vnd.oasis.opendocument.text": "OpenDocument Text",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "MS Excel Spreadsheet",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument Spreadsheet",
    "text/csv": "CSV",
    "text/plain": "Plain text",
    "text/html": "HTML",
}


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    return f"attachments/{timezone.now():%Y/%m}/{filename}"


class Attachment(TimeStampedModel):
    """A file published with a consultation or with a version of a document (or both)."""

    consultation = models.ForeignKey(
        Consultation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    document_version = models.ForeignKey(
        DocumentVersion,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    role = models.CharField(
        max_length=30, choices=AttachmentRole.choices, default=AttachmentRole.DOCUMENT
    )
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to=attachment_upload_to, max_length=300)
    content_type = models.CharField(max_length=120)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    extracted_text = models.TextField(
        blank=True, help_text="The file's text, for search. Filled in when it is uploaded."
    )
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        help_text="The earlier final document this one replaces.",
    )
    superseded_at = models.DateTimeField(
        null=True, blank=True, help_text="When a newer final document replaced this one."
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consultation__isnull=False) | Q(document_version__isnull=False),
                name="attachment_belongs_somewhere",
            ),
            # One current final document: a second is published only as a replacement.
            models.UniqueConstraint(
                fields=["consultation"],
                condition=Q(role="final_document", superseded_at__isnull=True),
                name="attachment_one_current_final_document",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(self.content_type, self.content_type)

    @property
    def extension(self) -> str:
        name = self.file.name or ""
        return name.rsplit(".", 1)[-1].upper() if "." in name else ""

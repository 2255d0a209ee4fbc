"""The response store: every response on every channel, with its answers and files.

One row per response whatever the channel (online, email, post, imported), so analysis reads
one table: answers per question, who responded (type, role, region), and what they agreed
to about confidentiality and publication.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from moot.consultations.models.consultations import Consultation
from moot.consultations.models.questionnaire import Question, QuestionOption, RespondentRole
from moot.core.models import TimeStampedModel


class Channel(models.TextChoices):
    ONLINE = "online", "Online"
    EMAIL = "email", "Email"
    POST = "post", "Post"
    IMPORT = "import", "Imported"


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    LATE = "late", "Late"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ERROR = "error", "Could not be read"


class RespondentType(models.TextChoices):
    INDIVIDUAL = "individual", "As an individual"
    ORGANISATION = "organisation", "On behalf of an organisation"


class Region(models.TextChoices):
    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE = "yorkshire_and_the_humber", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST = "east_of_england", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"
    OUTSIDE_UK = "outside_uk", "Outside the UK"


class PublicationConsent(models.TextChoices):
    WITH_NAME = "with_name", "Publish my response with my name"
    ANONYMOUSLY = "anonymously", "Publish my response anonymously"
    DO_NOT_PUBLISH = "do_not_publish", "Do not publish my response"


# Statuses that count as received responses (drafts, withdrawn and unreadable ones do not).
RECEIVED_STATUSES = (ResponseStatus.SUBMITTED, ResponseStatus.LATE)
# What every online response must say about its sender before it can be sent, whichever
# way the form was reached (a resumed draft skips pages): who they respond as, and their
# choices on confidentiality and publication.
RESPONDENT_REQUIRED_FIELDS = ("respondent_type", "wants_confidentiality", "publication_consent")


class Response(TimeStampedModel):
    """One response to a consultation, on any channel."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="responses"
    )
    reference = models.CharField(
        max_length=20, unique=True, null=True, blank=True, help_text="e.g. MOOT-7K3Q-9XWD"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(
        max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    received_at = models.DateTimeField(null=True, blank=True)
    # What an email's own Date: header says. The sender's computer writes it, so it can be
    # wrong or backdated: lateness is judged on ``received_at``, when moot's mail server
    # (or, failing that, moot) received it; staff see both.
    sender_dated_at = models.DateTimeField(
        null=True, blank=True, help_text="The date the sender's email claims."
    )
    late_accepted_at = models.DateTimeField(null=True, blank=True)
    late_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    # About the respondent. Name, email and client hash are personal data: removed after the
    # consultation's retention period (``personal_data_purged_at``).
    respondent_name = models.CharField(max_length=200, blank=True)
    respondent_email = models.EmailField(max_length=254, blank=True)
    respondent_type = models.CharField(max_length=20, choices=RespondentType.choices, blank=True)
    organisation_name = models.CharField(max_length=300, blank=True)
    role = models.ForeignKey(
        RespondentRole,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    region = models.CharField(max_length=30, choices=Region.choices, blank=True)
    wants_confidentiality = models.BooleanField(null=True, blank=True)
    confidentiality_reason = models.TextField(blank=True)
    publication_consent = models.CharField(
        max_length=20, choices=PublicationConsent.choices, blank=True
    )

    # Letters, emails and imported rows: what came in, as text.
    subject = models.CharField(max_length=500, blank=True)
    body_text = models.TextField(blank=True)
    error_message = models.TextField(blank=True)
    source_key = models.CharField(
        max_length=300,
        blank=True,
        help_text="Identifies the imported message or row, so importing it again adds nothing.",
    )

    # Online drafts: the resume link carries a keyed hash of the response id and this nonce,
    # so the link can be sent again by a task without the secret itself being stored.
    resume_nonce = models.CharField(max_length=32, blank=True)
    # The cookie of the one browser writing the draft: another secret than the emailed link's,
    # so whoever types an address never holds the link sent to it; following the link gives
    # its browser a new one and shuts every other browser out.
    browser_nonce = models.CharField(max_length=32, blank=True)
    submission_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    allows_late_submission = models.BooleanField(
        default=False, help_text="Staff let this respondent submit after the closing date."
    )
    client_hash = models.CharField(max_length=64, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The member of staff who keyed in a postal response.",
    )
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)
    # The questions its routing skipped when it was sent ("not asked", which exports, tallies
    # and analysis tell from "not answered"): written once, so a later change to the routing
    # does not rewrite what this respondent was asked.
    questions_not_asked = models.ManyToManyField(Question, blank=True, related_name="not_asked_in")

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "source_key"],
                condition=~Q(source_key=""),
                name="response_source_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(status=ResponseStatus.DRAFT)
                | Q(received_at__isnull=False, reference__isnull=False),
                name="response_received_has_time_and_reference",
            ),
            models.CheckConstraint(
                condition=~Q(status=ResponseStatus.DRAFT) | Q(channel=Channel.ONLINE),
                name="response_only_online_responses_are_drafts",
            ),
            models.CheckConstraint(
                condition=Q(late_accepted_at__isnull=True) | Q(status=ResponseStatus.LATE),
                name="response_only_late_responses_accepted_late",
            ),
        ]
        indexes = [
            models.Index(fields=["consultation", "status", "received_at"]),
            models.Index(fields=["consultation", "channel"]),
        ]

    def __str__(self) -> str:
        return self.reference or f"Draft response {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse(
            "consultations:staff_response",
            kwargs={"slug": self.consultation.slug, "response_id": self.pk},
        )

    @property
    def respondent_label(self) -> str:
        if self.respondent_type == RespondentType.ORGANISATION and self.organisation_name:
            return self.organisation_name
        return self.respondent_name or self.respondent_email or "Anonymous"

    @property
    def is_counted(self) -> bool:
        """Whether analysis counts it: submitted on time, or late and accepted by staff."""
        if self.status == ResponseStatus.SUBMITTED:
            return True
        return self.status == ResponseStatus.LATE and self.late_accepted_at is not None


class Answer(models.Model):
    """A response's answer to one question: text, chosen options, or both."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    selected_options = models.ManyToManyField(QuestionOption, blank=True, related_name="answers")

    class Meta:
        ordering = ["response", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.response} – {self.question.key}"


class ResponseAttachmentKind(models.TextChoices):
    DOCUMENT = "document", "Attached document"
    SCAN = "scan", "Scan of a letter"
    ORIGINAL = "original", "Original message"


class TextStatus(models.TextChoices):
    """Where a file's text stands: extracted after the upload, in a bounded child process."""

    PENDING = "pending", "Text being extracted"
    EXTRACTED = "extracted", "Text extracted"
    NOT_EXTRACTED = "not_extracted", "Text not extracted"


def response_attachment_upload_to(instance: ResponseAttachment, filename: str) -> str:
    # Random folder names: files are never served from MEDIA_URL, only through staff views,
    # and guessable paths would help nobody.
    return f"responses/{instance.response.consultation_id}/{uuid.uuid4().hex}/{filename}"


class ResponseAttachment(TimeStampedModel):
    """A file that came with a response. A refused file is kept as a record with the reason."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(
        max_length=10,
        choices=ResponseAttachmentKind.choices,
        default=ResponseAttachmentKind.DOCUMENT,
    )
    filename = models.CharField(max_length=255)
    file = models.FileField(upload_to=response_attachment_upload_to, max_length=400, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    extracted_text = models.TextField(blank=True)
    text_status = models.CharField(
        max_length=20, choices=TextStatus.choices, default=TextStatus.EXTRACTED
    )
    # Why the text was not extracted (too costly to read, unreadable), for staff and sender.
    text_not_extracted_reason = models.TextField(blank=True)
    rejected_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rejected_reason="") | Q(file=""),
                name="response_attachment_refused_has_no_file",
            ),
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_refused(self) -> bool:
        return bool(self.rejected_reason)


class SummarySource(models.TextChoices):
    WRITTEN = "written", "Written by staff"
    GENERATED = "generated", "Generated from the analysis"


class ResponseSummary(TimeStampedModel):
    """The "Summary of responses" page published with a consultation's outcome.

    Staff write it in Markdown, or the analysis fills it in (``source`` generated, with the
    figures it was built from in ``figures``); staff may edit generated text before publishing.
    """

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="response_summary"
    )
    title = models.CharField(max_length=300, default="Summary of responses")
    body = models.TextField(blank=True, help_text="Markdown. Raw HTML is shown as text.")
    source = models.CharField(
        max_length=10, choices=SummarySource.choices, default=SummarySource.WRITTEN
    )
    generated_at = models.DateTimeField(null=True, blank=True)
    generated_by = models.CharField(
        max_length=200, blank=True, help_text="What generated it, e.g. an analysis run."
    )
    figures = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "response summaries"
        constraints = [
            models.CheckConstraint(
                condition=Q(source=SummarySource.WRITTEN) | Q(generated_at__isnull=False),
                name="response_summary_generated_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.consultation}"

    def get_absolute_url(self) -> str:
        return reverse("consultations:summary", kwargs={"slug": self.consultation.slug})

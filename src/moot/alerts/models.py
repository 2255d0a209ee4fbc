"""Email alerts: who asked for what, what matched, and what was sent.

Nothing here needs an account. An address exists as a ``Subscriber`` only once it has
confirmed an alert; an unconfirmed request waits as an ``AlertRequest`` until its link is
followed or it expires.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from moot.consultations.models import Consultation, Document
from moot.core.models import Department


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "As soon as there is something new"
    DAILY = "daily", "Once a day"


class AlertKind(models.TextChoices):
    SEARCH = "search", "New items matching a search"
    CLOSING = "closing", "A consultation closes in 7 days"
    OUTCOME = "outcome", "A consultation's outcome is published"
    # Consultation alerts are about one consultation, or every consultation of a department.
    POLICY = "policy", "Anything new on a policy thread"
    # Policy alerts are about the thread of one consultation or one document.


CONSULTATION_KINDS = (AlertKind.CLOSING, AlertKind.OUTCOME)


class SuspensionReason(models.TextChoices):
    BOUNCE = "bounce", "Email to the address bounced"
    COMPLAINT = "complaint", "The recipient marked an alert as spam"
    ADMIN = "admin", "Suspended by staff"


class Subscriber(models.Model):
    """An email address with at least one confirmed alert."""

    email = models.EmailField(unique=True, help_text="Always stored in lower case.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    daily_sent_at = models.DateTimeField(
        help_text="When this address was last sent its daily alerts' matches."
    )
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(
        max_length=20, choices=SuspensionReason.choices, blank=True
    )

    class Meta:
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="subscriber_email_lower_case"
            ),
            models.CheckConstraint(
                condition=Q(suspended_at__isnull=True, suspension_reason="")
                | Q(suspended_at__isnull=False) & ~Q(suspension_reason=""),
                name="subscriber_suspension_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None


def alert_title(
    *,
    kind: str,
    query: str,
    description: str,
    consultation: Consultation | None,
    department: Department | None,
    document: Document | None = None,
) -> str:
    """What an alert is about, in words, for pages and emails."""
    if kind == AlertKind.SEARCH:
        return description or query
    if kind == AlertKind.POLICY:
        subject = consultation or document
        return f"Anything new on the policy thread of “{subject.title if subject else ''}”"
    if department is not None:
        if kind == AlertKind.CLOSING:
            return f"{department.name} consultations closing within 7 days"
        return f"Outcomes of {department.name} consultations"
    title = consultation.title if consultation else ""
    if kind == AlertKind.CLOSING:
        return f"Reminder before “{title}” closes"
    return f"The outcome of “{title}”"


class TitledMixin:
    """``title`` for models with an alert's fields (requests and alerts)."""

    kind: str
    query: str
    description: str
    consultation: Consultation | None
    department: Department | None
    document: Document | None

    @property
    def title(self) -> str:
        return alert_title(
            kind=self.kind,
            query=self.query,
            description=self.description,
            consultation=self.consultation,
            department=self.department,
            document=self.document,
        )


def _alert_shape() -> Q:
    search = Q(kind=AlertKind.SEARCH, consultation__isnull=True, department__isnull=True) & ~Q(
        query=""
    )
    one = Q(consultation__isnull=False, department__isnull=True)
    every = Q(consultation__isnull=True, department__isnull=False)
    consultation_alert = Q(kind__in=CONSULTATION_KINDS, query="", document__isnull=True) & (
        one | every
    )
    thread = Q(kind=AlertKind.POLICY, query="", department__isnull=True) & (
        Q(consultation__isnull=False, document__isnull=True)
        | Q(consultation__isnull=True, document__isnull=False)
    )
    search &= Q(document__isnull=True)
    return search | consultation_alert | thread


class AlertRequest(TitledMixin, models.Model):
    """An alert someone asked for, waiting for the address's owner to confirm it."""

    email = models.EmailField()
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    query = models.CharField(max_length=1000, blank=True)
    description = models.CharField(max_length=300, blank=True)
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=_alert_shape(), name="alert_request_shape"),
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="alert_request_email_lower_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.title}"


class Alert(TitledMixin, models.Model):
    """A confirmed alert. Search alerts hold a query in moot's search language."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    query = models.CharField(max_length=1000, blank=True)
    description = models.CharField(
        max_length=300, blank=True, help_text="What the alert is about, in words."
    )
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="For consultation alerts about every consultation of a department.",
    )
    document = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="For policy alerts about a document's thread.",
    )
    frequency = models.CharField(
        max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    paused_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=_alert_shape(), name="alert_shape"),
            models.UniqueConstraint(
                fields=["subscriber", "query"],
                condition=Q(kind=AlertKind.SEARCH),
                name="alert_search_unique",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "kind", "consultation"],
                condition=Q(kind__in=CONSULTATION_KINDS, consultation__isnull=False),
                name="alert_consultation_unique",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "kind", "department"],
                condition=Q(kind__in=CONSULTATION_KINDS, department__isnull=False),
                name="alert_department_unique",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "consultation"],
                condition=Q(kind=AlertKind.POLICY, consultation__isnull=False),
                name="alert_policy_consultation_unique",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "document"],
                condition=Q(kind=AlertKind.POLICY, document__isnull=False),
                name="alert_policy_document_unique",
            ),
        ]
        indexes = [models.Index(fields=["kind", "paused_at"])]

    def __str__(self) -> str:
        return f"{self.subscriber}: {self.title}"

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class AlertConfirmation(models.Model):
    """Which alert a request's confirmation set up, so the unsubscribe link in the
    confirmation email still stops the alert after the request itself is forgotten."""

    request_id = models.BigIntegerField(unique=True)
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="confirmations")
    confirmed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Request {self.request_id} set up alert {self.alert_id}"


class DigestState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Not sent"


class Digest(models.Model):
    """One email to one address: the outbox row, written before the email is sent.

    Its matches are attached in the same transaction that creates or extends it, so a run
    that stops at any point leaves either matches waiting for a digest or a digest waiting
    to be sent — both picked up by the next run.
    """

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="digests")
    state = models.CharField(
        max_length=20, choices=DigestState.choices, default=DigestState.PENDING
    )
    message_id = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_until = models.DateTimeField(
        null=True, blank=True, help_text="Being sent by a run until then."
    )
    claimed_by = models.CharField(max_length=32, blank=True, help_text="The run sending it.")
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=DigestState.SENT, sent_at__isnull=False)
                | ~Q(state=DigestState.SENT) & Q(sent_at__isnull=True),
                name="digest_sent_at_when_sent",
            ),
        ]
        indexes = [models.Index(fields=["state", "claimed_until"])]

    def __str__(self) -> str:
        return f"Digest {self.pk} to {self.subscriber}"


class AlertMatch(models.Model):
    """An item that matched an alert: the record that it is never sent twice.

    What the email shows (title, link, snippet) is kept as it was when the item matched,
    so a resent digest says the same thing.
    """

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="matches")
    item_key = models.CharField(max_length=60)
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    date = models.DateField()
    snippet = models.TextField(blank=True)
    matched_at = models.DateTimeField(db_index=True)
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.CASCADE, related_name="matches"
    )

    class Meta:
        ordering = ["alert", "-date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "item_key"], name="alert_match_once"),
        ]
        verbose_name_plural = "alert matches"

    def __str__(self) -> str:
        return f"{self.item_key} for alert {self.alert_id}"


class ItemCursor(models.Model):
    """How far the matcher has looked for new items (one row)."""

    name = models.CharField(max_length=40, unique=True)
    position = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.position}"


class ProblemKind(models.TextChoices):
    HARD_BOUNCE = "hard_bounce", "Hard bounce (the address does not exist)"
    SOFT_BOUNCE = "soft_bounce", "Soft bounce (full mailbox, temporary failure)"
    COMPLAINT = "complaint", "Spam complaint"


class DeliveryProblem(models.Model):
    """A bounce or complaint reported for an address."""

    email = models.EmailField(db_index=True)
    kind = models.CharField(max_length=20, choices=ProblemKind.choices)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.email}"

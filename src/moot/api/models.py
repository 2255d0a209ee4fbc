"""API keys: requested by the public, approved by staff, stored only as keyed hashes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from moot.core.models import TimeStampedModel


class ApiKeyState(models.TextChoices):
    REQUESTED = "requested", "Awaiting approval"
    ACTIVE = "active", "Active"
    REFUSED = "refused", "Refused"
    REVOKED = "revoked", "Revoked"


class ApiKey(TimeStampedModel):
    """A person's API key, from their request to its revocation.

    The key itself is shown to its holder once (emailed, or shown to the approving member of
    staff) and never stored: only ``prefix``, which identifies it, and a keyed hash of the
    whole key. The state is derived from the timestamps.
    """

    name = models.CharField(max_length=200)
    email = models.EmailField()
    purpose = models.TextField(help_text="What the person told us they will use the API for.")
    prefix = models.CharField(
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="The start of the key, shown so holders and staff can tell keys apart.",
    )
    key_hash = models.CharField(max_length=64, blank=True, editable=False)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    refused_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    rate_limit = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=(
            "Requests per rate-limit window for this key. Empty: the site's setting for keys "
            "(API_KEY_RATE_LIMIT); 0: no limit."
        ),
    )

    class Meta:
        verbose_name = "API key"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | (Q(prefix__isnull=False) & ~Q(key_hash="")),
                name="api_key_approved_has_a_key",
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(refused_at__isnull=True),
                name="api_key_not_approved_and_refused",
            ),
        ]
        indexes = [models.Index(fields=["email", "created_at"])]

    def __str__(self) -> str:
        label = f"{self.prefix}… " if self.prefix else ""
        return f"{label}{self.name} <{self.email}>"

    @property
    def state(self) -> ApiKeyState:
        if self.revoked_at is not None:
            return ApiKeyState.REVOKED
        if self.refused_at is not None:
            return ApiKeyState.REFUSED
        if self.approved_at is not None:
            return ApiKeyState.ACTIVE
        return ApiKeyState.REQUESTED

    @property
    def is_active(self) -> bool:
        return self.state == ApiKeyState.ACTIVE

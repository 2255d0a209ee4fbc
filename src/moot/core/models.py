"""Shared models: departments and staff users, and the timestamp base every app uses."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Department(TimeStampedModel):
    """A government department or other public body: it answers questions and consults."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    short_name = models.CharField(
        max_length=40, blank=True, help_text="An acronym such as DCSF, if one is in use."
    )
    foi_email = models.EmailField(
        "FOI email", blank=True, help_text="Where Freedom of Information requests go."
    )
    foi_site_slug = models.SlugField(
        "FOI site identifier",
        max_length=200,
        blank=True,
        help_text="The body's identifier on the Freedom of Information request site.",
    )
    website_url = models.URLField(blank=True)
    parliament_answering_body_id = models.PositiveIntegerField(
        null=True, blank=True, unique=True, help_text="The UK Parliament answering body id."
    )
    is_active = models.BooleanField(
        default=True, help_text="False for departments that have been dissolved or renamed."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("parliament:department", kwargs={"slug": self.slug})


class User(AbstractUser):
    """A member of staff (the public never needs an account)."""

    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
        help_text="Staff see the consultations and responses of their own department.",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


class PeriodicJobState(models.Model):
    """When a cluster-wide periodic job last ran, and which worker holds it now.

    Workers claim a due job with one conditional UPDATE, so with any number of workers on one
    database each run happens once.
    """

    name = models.CharField(max_length=100, primary_key=True)
    next_run_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)
    locked_by = models.CharField(max_length=100, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "periodic job"

    def __str__(self) -> str:
        return self.name


class TwoFactorDevice(models.Model):
    """A member of staff's authenticator: the shared secret and the last code step used."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor_device")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "two-factor device"

    def __str__(self) -> str:
        return f"Authenticator of {self.user}"


class RecoveryCode(models.Model):
    """A one-time code for signing in without the authenticator; stored hashed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=200)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Recovery code of {self.user}"


class AuditAction(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed to sign in"
    VIEW_RESPONSES = "view_responses", "Viewed a list of responses"
    VIEW_RESPONSE = "view_response", "Viewed a response"
    EDIT_RESPONSE = "edit_response", "Changed a response"
    DOWNLOAD_RESPONSE_FILE = "download_response_file", "Downloaded a response's file"
    EXPORT_RESPONSES = "export_responses", "Exported responses"
    VIEW_ANALYSIS = "view_analysis", "Viewed an analysis of responses"
    ACCESS_REFUSED = "access_refused", "Was refused access"
    RESET_TWO_FACTOR = "reset_two_factor", "Reset a second factor"
    REVIEW_MENTION = "review_mention", "Confirmed or removed a mention of a document"
    MODERATE_RESPONSE = "moderate_response", "Moderated a response for publication"
    PUBLISH_RESPONSE = "publish_response", "Published a response"
    WITHDRAW_PUBLISHED_RESPONSE = "withdraw_published_response", "Withdrew a published response"


class AuditEvent(models.Model):
    """A record of staff access to personal data: who did what to which records, when."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    username = models.CharField(max_length=150, help_text="Kept if the account is deleted.")
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    consultation_slug = models.SlugField(max_length=120, blank=True)
    record_ids = models.JSONField(
        default=list, blank=True, help_text="The responses (or other records) concerned."
    )
    detail = models.JSONField(default=dict, blank=True)
    client_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["action", "at"])]

    def __str__(self) -> str:
        return f"{self.username} {self.get_action_display().lower()} at {self.at:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """A running `moot worker`, and when it was last heard from.

    A task left running by a worker that stopped beating (it was killed, or its machine
    died) is put back in the queue; see ``moot.core.tasks_recovery``.
    """

    worker_id = models.CharField(max_length=200, primary_key=True)
    hostname = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "worker"

    def __str__(self) -> str:
        return self.worker_id

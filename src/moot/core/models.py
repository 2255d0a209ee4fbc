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

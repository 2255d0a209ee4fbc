"""Hansard debates: sections (a heading and the speeches under it), speeches, old ids."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from moot.core.models import Department, TimeStampedModel
from moot.parliament.models.people import Person


class DebateLocation(models.TextChoices):
    """Where a debate took place; each has its own ParlParse files and Hansard columns."""

    COMMONS = "commons", "House of Commons"
    LORDS = "lords", "House of Lords"
    WESTMINSTER_HALL = "westminster-hall", "Westminster Hall"


class DebateSection(TimeStampedModel):
    """One debate: a heading of a day's Hansard and the speeches under it, in order.

    ``heading`` is the minor heading (the subject) where there is one, under
    ``major_heading`` (the business: "Oral Answers to Questions", a bill, a department).
    """

    date = models.DateField()
    location = models.CharField(max_length=20, choices=DebateLocation.choices)
    identifier = models.SlugField(
        max_length=80, help_text="Stable within the day and place; part of the permalink."
    )
    major_heading = models.CharField(max_length=300, blank=True)
    heading = models.CharField(max_length=300, blank=True)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="debate_sections",
        help_text="The department answering, when a minister of exactly one spoke.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Order within the day.")
    source_id = models.CharField(
        max_length=160, unique=True, help_text="The ParlParse id of the section's heading."
    )
    source_url = models.URLField(max_length=500, blank=True)
    column = models.CharField(max_length=20, blank=True)
    source_version = models.CharField(max_length=20, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-date", "location", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "date", "identifier"], name="debate_permalink"
            ),
        ]
        indexes = [
            models.Index(fields=["date", "location", "position"], name="debate_day_order"),
            models.Index(fields=["updated_at"], name="debate_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"

    def get_absolute_url(self) -> str:
        return reverse(
            "parliament:debate",
            kwargs={
                "location": self.location,
                "date": self.date.isoformat(),
                "identifier": self.identifier,
            },
        )

    @property
    def title(self) -> str:
        return self.heading or self.major_heading or "Untitled debate"


class Speech(TimeStampedModel):
    """One contribution to a debate, or a procedural note (``speaker_name`` empty)."""

    section = models.ForeignKey(DebateSection, on_delete=models.CASCADE, related_name="speeches")
    position = models.PositiveIntegerField(default=0)
    anchor = models.SlugField(
        max_length=40,
        help_text="Set when first imported and never changed: the speech's permalink fragment.",
    )
    speaker = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="speeches"
    )
    speaker_name = models.CharField(max_length=200, blank=True)
    speaker_source_id = models.CharField(
        max_length=120,
        blank=True,
        help_text="The speaker's id in the source, kept so that people imported later are linked.",
    )
    body_html = models.TextField(help_text="Sanitised HTML.")
    column = models.CharField(max_length=20, blank=True)
    time = models.CharField(max_length=8, blank=True, help_text="As recorded, e.g. 14:31:00.")
    source_id = models.CharField(max_length=160, unique=True)
    source_url = models.URLField(max_length=500, blank=True)
    source_version = models.CharField(max_length=20, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["section", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "anchor"], name="speech_anchor"),
        ]
        indexes = [
            models.Index(fields=["speaker", "section"], name="speech_speaker"),
            models.Index(fields=["updated_at"], name="speech_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.speaker_display_name or 'Note'} in {self.section_id}"

    def get_absolute_url(self) -> str:
        return f"{self.section.get_absolute_url()}#{self.anchor}"

    @property
    def speaker_display_name(self) -> str:
        return self.speaker.name if self.speaker else self.speaker_name


class DebateRedirect(TimeStampedModel):
    """A ParlParse id of a superseded version and the id that replaced it (``gidredirect``)."""

    old_source_id = models.CharField(max_length=160, unique=True)
    new_source_id = models.CharField(max_length=160)
    match_type = models.CharField(max_length=20, blank=True)
    date = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["date"], name="debate_redirect_date")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(old_source_id=models.F("new_source_id")),
                name="debate_redirect_goes_elsewhere",
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_source_id} → {self.new_source_id}"

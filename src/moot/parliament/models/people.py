"""People in Parliament, their parties, seats and posts.

A person's party, seat and post are never stored on the person: they are whatever
membership or post was valid on the date in question.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from moot.core.models import Department, TimeStampedModel


class House(models.TextChoices):
    COMMONS = "commons", "House of Commons"
    LORDS = "lords", "House of Lords"


class Party(TimeStampedModel):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    parlparse_id = models.CharField(max_length=120, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return self.name


class Constituency(TimeStampedModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    parlparse_id = models.CharField(max_length=120, unique=True, null=True, blank=True)
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        unique=True,
        null=True,
        blank=True,
        help_text="The GSS code postcodes are mapped to, for example E14000530.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "constituencies"

    def __str__(self) -> str:
        return self.name


def person_photo_upload_to(instance: Person, filename: str) -> str:
    return f"people/{instance.slug}/{filename}"


class Person(TimeStampedModel):
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200, help_text="The name as it is usually shown.")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    honorific_prefix = models.CharField(max_length=60, blank=True)
    parlparse_id = models.CharField(
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        help_text="For example uk.org.publicwhip/person/10562.",
    )
    parliament_member_id = models.PositiveIntegerField(
        unique=True, null=True, blank=True, help_text="The UK Parliament members API id."
    )
    photo = models.ImageField(upload_to=person_photo_upload_to, blank=True)

    class Meta:
        ordering = ["family_name", "given_name", "name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("parliament:member", kwargs={"slug": self.slug})


class Membership(TimeStampedModel):
    """A seat in one House for a period, with the party the person sat for."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    house = models.CharField(max_length=10, choices=House.choices)
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    constituency = models.ForeignKey(
        Constituency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    start_reason = models.CharField(max_length=60, blank=True)
    end_reason = models.CharField(max_length=60, blank=True)
    parlparse_id = models.CharField(
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        help_text="For example uk.org.publicwhip/member/1743: the id speakers are given by.",
    )

    class Meta:
        ordering = ["person", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["person", "start_date", "end_date"])]

    def __str__(self) -> str:
        where = self.constituency.name if self.constituency else self.get_house_display()
        return f"{self.person} ({where}, from {self.start_date})"

    def is_valid_on(self, date: dt.date) -> bool:
        return self.start_date <= date and (self.end_date is None or date <= self.end_date)


class Post(TimeStampedModel):
    """A ministerial or other office held for a period."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="posts")
    role = models.CharField(max_length=200, help_text="For example Parliamentary Under-Secretary.")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="posts"
    )
    organisation_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The organisation, when it is not one of moot's departments.",
    )
    responsibilities = models.CharField(
        max_length=300, blank=True, help_text="For example Children, Young People and Families."
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    parlparse_id = models.CharField(max_length=120, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["person", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="post_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["person", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.title}"

    @property
    def organisation(self) -> str:
        return self.department.name if self.department else self.organisation_name

    @property
    def title(self) -> str:
        """``Parliamentary Under-Secretary (Department for …) (Children, Young People …)``."""
        parts = [self.role]
        if self.organisation:
            parts.append(f"({self.organisation})")
        if self.responsibilities:
            parts.append(f"({self.responsibilities})")
        return " ".join(parts)

    def is_valid_on(self, date: dt.date) -> bool:
        return self.start_date <= date and (self.end_date is None or date <= self.end_date)

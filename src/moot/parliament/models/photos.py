"""A member's photo as moot shows it: the sizes pages need, and the credit shown under it."""

from __future__ import annotations

from django.db import models

from moot.core.models import TimeStampedModel
from moot.parliament.models.people import Person


def member_photo_upload_to(instance: MemberPhoto, filename: str) -> str:
    return f"people/{instance.person.slug}/{filename}"


class MemberPhoto(TimeStampedModel):
    """Made by ``moot import-member-photos`` from a checked image, without its metadata.

    ``photo`` is also the person's ``Person.photo`` (the same stored file), which the member
    page and the API show; ``thumbnail`` is the small one beside speeches and answers.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="photo_record")
    photo = models.FileField(upload_to=member_photo_upload_to, help_text="180×240 JPEG.")
    thumbnail = models.FileField(upload_to=member_photo_upload_to, help_text="120×160 JPEG.")
    credit = models.CharField(
        max_length=300, blank=True, help_text="Who took or made it, shown under the photo."
    )
    licence = models.CharField(max_length=200, blank=True, help_text="For example CC BY 3.0.")
    source_name = models.CharField(max_length=300, help_text="The file it was made from.")
    source_hash = models.CharField(
        max_length=64, help_text="SHA-256 of that file: the same file again changes nothing."
    )

    class Meta:
        ordering = ["person"]

    def __str__(self) -> str:
        return f"Photo of {self.person}"

    @property
    def credit_line(self) -> str:
        """``Photo: Chris McAndrew (CC BY 3.0)``, or empty when neither is known."""
        parts = [self.credit, f"({self.licence})" if self.licence else ""]
        text = " ".join(part for part in parts if part)
        return text

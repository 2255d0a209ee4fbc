"""Postcodes and the Westminster constituency each lies in, from the ONS Postcode Directory.

Only the operator's imported directory is kept here. A postcode a reader looks up is never
stored or logged (see ``selectors.postcodes``).
"""

from __future__ import annotations

from django.db import models


class Postcode(models.Model):
    postcode = models.CharField(
        max_length=7, primary_key=True, help_text="Upper case, without spaces: SW1A0AA."
    )
    constituency_code = models.CharField(
        max_length=9, db_index=True, help_text="The ONS (GSS) code of its Westminster seat."
    )

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return f"{self.postcode[:-3]} {self.postcode[-3:]}"

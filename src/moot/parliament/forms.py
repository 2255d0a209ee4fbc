from __future__ import annotations

import datetime as dt

from django import forms

from moot.parliament.services.votes import VoteRefused

CHOOSE = "Choose Yes or No"


class AnswerVoteForm(forms.Form):
    """ "Does this answer the above question?": the button pressed."""

    vote = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )

    def answers_question(self) -> bool:
        """True for Yes; raises VoteRefused when neither button was pressed."""
        if not self.is_valid():
            raise VoteRefused(CHOOSE, status=400)
        return self.cleaned_data["vote"] == "yes"


class PostcodeForm(forms.Form):
    """ "Who is my MP?": a postcode, and optionally the day to ask about (today if none)."""

    postcode = forms.CharField(
        max_length=16,
        error_messages={
            "required": "Enter a postcode",
            "max_length": "Enter a full UK postcode, like SW1A 0AA",
        },
    )
    day = forms.IntegerField(required=False, min_value=1, max_value=31)
    month = forms.IntegerField(required=False, min_value=1, max_value=12)
    year = forms.IntegerField(required=False, min_value=1800, max_value=2999)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        parts = [cleaned.get("day"), cleaned.get("month"), cleaned.get("year")]
        if any(field in self.errors for field in ("day", "month", "year")):
            self.errors.pop("day", None)
            self.errors.pop("month", None)
            self.errors.pop("year", None)
            self.add_error("day", "Enter a real date, like 3 12 2007")
            return cleaned
        if all(part is None for part in parts):
            cleaned["date"] = None
        elif any(part is None for part in parts):
            self.add_error("day", "Enter the day, month and year, or leave all three empty")
        else:
            try:
                cleaned["date"] = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))  # type: ignore[arg-type]
            except ValueError:
                self.add_error("day", "Enter a real date, like 3 12 2007")
        return cleaned

from __future__ import annotations

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

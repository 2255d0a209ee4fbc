"""Staff forms for publishing responses with care: decisions, redactions, withdrawal."""

from __future__ import annotations

from django import forms

from moot.consultations.models import ModerationDecision, RedactionReason

DECISIONS = [
    (ModerationDecision.APPROVED.value, "Approve for publication"),
    (ModerationDecision.WITHHELD.value, "Withhold"),
]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or withhold the answer"},
    )
    note = forms.CharField(
        label="Why (optional)", required=False, max_length=2000, widget=forms.TextInput
    )


class RedactionForm(forms.Form):
    """A suggested passage (its place in the text) or one typed in, with the reason."""

    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    passage = forms.CharField(
        label="Passage to redact",
        required=False,
        max_length=2000,
        help_text="Copy it exactly as it is written. Every place it appears is redacted.",
    )
    reason = forms.ChoiceField(
        label="Reason",
        choices=RedactionReason.choices,
        initial=RedactionReason.PERSONAL_DATA,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the passage is redacted"},
    )
    note = forms.CharField(
        label="Why (optional)", required=False, max_length=2000, widget=forms.TextInput
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        placed = cleaned.get("start") is not None and cleaned.get("end") is not None
        if not placed and not (cleaned.get("passage") or "").strip():
            self.add_error("passage", "Enter the passage to redact")
        return cleaned


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is it being withdrawn?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the response is being withdrawn"},
    )

"""Forms of the analysis pages: theme edits, hand-coding, and publishing the summary."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from moot.analysis.selectors.themes import ThemeView
from moot.analysis.services.changes import (
    DESCRIPTION_MAX,
    LABEL_MAX,
    NewThemeInput,
)

SPLIT_PARTS = 3


def _choices(field: forms.Field, themes: list[ThemeView]) -> None:
    cast(forms.MultipleChoiceField, field).choices = [(t.id, t.label) for t in themes]


def _terms(value: str) -> tuple[str, ...]:
    return tuple(term.strip() for term in value.replace("\n", ",").split(",") if term.strip())


class ThemeTextForm(forms.Form):
    """A theme's name and description."""

    label = forms.CharField(
        label="Name of the theme",
        max_length=LABEL_MAX,
        error_messages={"required": "Enter a name for the theme"},
    )
    description = forms.CharField(
        label="Description (optional)",
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the theme covers, for other analysts and for the published summary.",
    )


class RenameForm(ThemeTextForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["label"].label = "New name"


class MergeForm(forms.Form):
    theme_ids = forms.MultipleChoiceField(
        label="Themes to merge",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least two themes to merge"},
        help_text="Choose two or more.",
    )
    label = forms.CharField(
        label="Name of the merged theme",
        max_length=LABEL_MAX,
        error_messages={"required": "Enter a name for the merged theme"},
    )

    def __init__(self, *args: Any, themes: list[ThemeView], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["theme_ids"], themes)

    def clean_theme_ids(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["theme_ids"]
        if len(chosen) < 2:
            raise forms.ValidationError("Choose at least two themes to merge")
        return chosen


class SplitForm(forms.Form):
    """Up to three new themes, each with a name and the words that mark it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for part in range(1, SPLIT_PARTS + 1):
            optional = " (optional)" if part > 2 else ""
            self.fields[f"label_{part}"] = forms.CharField(
                label=f"Name of new theme {part}{optional}", max_length=LABEL_MAX, required=False
            )
            self.fields[f"terms_{part}"] = forms.CharField(
                label=f"Words or phrases that mark theme {part}{optional}",
                max_length=500,
                required=False,
                help_text="Separate them with commas.",
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for part in range(1, SPLIT_PARTS + 1):
            if cleaned.get(f"terms_{part}") and not cleaned.get(f"label_{part}"):
                self.add_error(f"label_{part}", f"Enter a name for new theme {part}")
        named = [p for p in range(1, SPLIT_PARTS + 1) if cleaned.get(f"label_{p}")]
        if len(named) < 2:
            self.add_error(
                "label_1" if 1 not in named else "label_2", "Name at least two new themes"
            )
        return cleaned

    def parts(self) -> list[NewThemeInput]:
        return [
            NewThemeInput(
                label=self.cleaned_data[f"label_{part}"],
                seed_terms=_terms(self.cleaned_data[f"terms_{part}"]),
            )
            for part in range(1, SPLIT_PARTS + 1)
            if self.cleaned_data.get(f"label_{part}")
        ]


class AddThemeForm(ThemeTextForm):
    seed_terms = forms.CharField(
        label="Words or phrases that mark it",
        max_length=500,
        help_text="Separate them with commas, for example: funding, budget cuts, resources.",
        error_messages={"required": "Enter some words or phrases that mark the theme"},
    )

    def theme(self) -> NewThemeInput:
        return NewThemeInput(
            label=self.cleaned_data["label"],
            description=self.cleaned_data["description"],
            seed_terms=_terms(self.cleaned_data["seed_terms"]),
        )


STANCE_CHOICES = [("agree", "Agrees"), ("disagree", "Disagrees"), ("unclear", "Unclear")]
EVIDENCE_CHOICES = [("yes", "Yes"), ("no", "No")]


class CodingForm(forms.Form):
    """Hand-coding of one answer: which themes apply, and (where asked) its stance."""

    theme_ids = forms.MultipleChoiceField(
        label="Themes in this answer",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick every theme that applies, or none.",
    )

    def __init__(
        self, *args: Any, themes: list[ThemeView], with_stance: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["theme_ids"], themes)
        if with_stance:
            self.fields["stance"] = forms.ChoiceField(
                label="Does this answer agree with the proposal?",
                choices=STANCE_CHOICES,
                widget=forms.RadioSelect,
                required=False,
            )
        self.fields["evidence"] = forms.ChoiceField(
            label="Does this answer bring evidence?",
            help_text="Figures, sources, lived experience or an organisation’s own data.",
            choices=EVIDENCE_CHOICES,
            widget=forms.RadioSelect,
            required=False,
        )


class PublishForm(forms.Form):
    """The final document, for an outcome that has none yet."""

    final_document_title = forms.CharField(
        label="Title of the final document", max_length=300, required=False
    )
    final_document = forms.FileField(
        label="Final document",
        required=False,
        help_text="PDF, Word or OpenDocument: the outcome is published with it.",
    )


class CampaignNameForm(forms.Form):
    name = forms.CharField(
        label="Name of the campaign",
        help_text="What it is, as the summary of responses will call it, for example "
        "“Save Our Libraries letter”. Leave empty to call it by its number again.",
        required=False,
        max_length=120,
    )

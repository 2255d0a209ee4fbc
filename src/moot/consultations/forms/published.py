"""Searching and narrowing the public page of published responses."""

from __future__ import annotations

from typing import Any

from django import forms

from moot.consultations.models import Consultation, Question
from moot.consultations.selectors.published import published_theme_choices


def _numbered(question: Question) -> str:
    return f"{question.position}. {question.text}"


class PublishedResponsesFilterForm(forms.Form):
    q = forms.CharField(label="Search the responses", required=False, max_length=200)
    question = forms.ModelChoiceField(
        label="Question",
        required=False,
        queryset=Question.objects.none(),
        to_field_name="key",
        empty_label="Every question",
    )
    theme = forms.ChoiceField(label="Theme", required=False)

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        question = self.fields["question"]
        assert isinstance(question, forms.ModelChoiceField)  # noqa: S101 - declared above
        question.queryset = consultation.questions.order_by("position")
        question.label_from_instance = _numbered  # type: ignore[method-assign,assignment]
        themes = published_theme_choices(consultation=consultation)
        theme = self.fields["theme"]
        assert isinstance(theme, forms.ChoiceField)  # noqa: S101 - declared above
        theme.choices = [("", "Every theme"), *themes]
        self.has_themes = bool(themes)

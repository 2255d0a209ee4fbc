"""The staff form that sets when a question is asked (routing)."""

from __future__ import annotations

from typing import Any

from django import forms

from moot.consultations.models import Question, QuestionOption


class QuestionRouteForm(forms.Form):
    """Tick the answers to one other question that lead to this one; none: always asked.

    Every other choice question's answers are offered, later ones too, so that a route that
    would loop is refused by the routing service with its reason rather than hidden.
    """

    shown_if_options = forms.TypedMultipleChoiceField(
        label="Ask this question only if the answer is one of these",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick answers of one question only. Tick none to ask the question always.",
    )

    def __init__(self, *args: Any, question: Question, questions: list[Question], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.question = question
        self.options_by_id: dict[int, QuestionOption] = {}
        choices = []
        for other in questions:
            if other.pk == question.pk or not other.is_choice:
                continue
            for option in other.options.all():
                self.options_by_id[option.pk] = option
                choices.append((option.pk, f"{other.key}. {other.text}: {option.label}"))
        self.fields["shown_if_options"].choices = choices  # type: ignore[attr-defined]

    def clean_shown_if_options(self) -> list[QuestionOption]:
        options = [self.options_by_id[pk] for pk in self.cleaned_data["shown_if_options"]]
        if len({option.question_id for option in options}) > 1:
            raise forms.ValidationError("Tick the answers of one question only")
        return options

    @property
    def trigger(self) -> Question | None:
        options = self.cleaned_data.get("shown_if_options") or []
        return options[0].question if options else None

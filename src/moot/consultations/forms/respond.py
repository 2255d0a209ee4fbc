"""The public response form, one topic per page, and the staff postal-entry form built from
the same questionnaire."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

from moot.consultations.models import (
    Consultation,
    PublicationConsent,
    Question,
    QuestionKind,
    Region,
    RespondentRole,
    RespondentType,
    Response,
)
from moot.consultations.services.responses import AnswerValue


class HoneypotMixin(forms.Form):
    """A field people never see or fill in; software that fills in every field gives itself
    away."""

    website = forms.CharField(required=False, label="Leave this field empty")

    def honeypot_filled(self) -> bool:
        return bool(self.data.get("website"))


class StartForm(HoneypotMixin):
    pass


class NameEmailForm(forms.Form):
    title = "Your name and email address"
    name = forms.CharField(
        label="Full name (optional)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        help_text="We will send a copy of your response to this address.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class RespondingAsForm(forms.Form):
    title = "Are you responding as an individual or on behalf of an organisation?"
    respondent_type = forms.ChoiceField(
        label=title,
        choices=RespondentType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you are responding as an individual or "
            "on behalf of an organisation"
        },
    )
    organisation_name = forms.CharField(
        label="Name of the organisation",
        required=False,
        max_length=300,
        help_text="Only if you are responding on behalf of an organisation.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("respondent_type") == RespondentType.ORGANISATION
            and not cleaned.get("organisation_name", "").strip()
        ):
            self.add_error("organisation_name", "Enter the name of the organisation")
        if cleaned.get("respondent_type") == RespondentType.INDIVIDUAL:
            cleaned["organisation_name"] = ""
        return cleaned


class RoleForm(forms.Form):
    title = "Which of these best describes you? (optional)"
    role = forms.ModelChoiceField(
        label=title,
        queryset=RespondentRole.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = consultation.respondent_roles.all()  # type: ignore[attr-defined]


class RegionForm(forms.Form):
    title = "Where are you, or your organisation, based? (optional)"
    region = forms.ChoiceField(
        label=title, choices=Region.choices, required=False, widget=forms.RadioSelect
    )


class ConfidentialityForm(forms.Form):
    title = "Would you like your response to be kept confidential?"
    wants_confidentiality = forms.TypedChoiceField(
        label=title,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="Information in responses may be published or disclosed, for example under "
        "the Freedom of Information Act 2000.",
        error_messages={
            "required": "Select yes if you would like your response to be kept confidential"
        },
    )
    confidentiality_reason = forms.CharField(
        label="If yes, please give a reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("wants_confidentiality") is True
            and not cleaned.get("confidentiality_reason", "").strip()
        ):
            self.add_error(
                "confidentiality_reason",
                "Enter why you would like your response to be kept confidential",
            )
        if cleaned.get("wants_confidentiality") is False:
            cleaned["confidentiality_reason"] = ""
        return cleaned


class PublicationForm(forms.Form):
    title = "May we publish your response?"
    publication_consent = forms.ChoiceField(
        label=title,
        choices=PublicationConsent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether we may publish your response"},
    )


def question_field(question: Question) -> forms.Field:
    """The form field for one question, with GOV.UK-style error messages."""
    label = question.text if question.required else f"{question.text} (optional)"
    options = [(option.pk, option.label) for option in question.options.all()]
    common: dict[str, Any] = {"label": label, "required": question.required}
    if question.hint:
        common["help_text"] = question.hint
    if question.kind == QuestionKind.FREE_TEXT:
        attrs = {"rows": 8}
        if question.max_length:
            attrs["data-maxlength"] = question.max_length
        return forms.CharField(
            widget=forms.Textarea(attrs=attrs),
            max_length=question.max_length,
            error_messages={
                "required": "Enter your answer",
                "max_length": f"Your answer must be {question.max_length} characters or fewer",
            },
            **common,
        )
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return forms.TypedMultipleChoiceField(
            choices=options,
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Select at least one answer"},
            **common,
        )
    return forms.TypedChoiceField(
        choices=options,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select an answer"},
        **common,
    )


def answer_value_from(question: Question, value: Any) -> AnswerValue:
    if question.kind == QuestionKind.FREE_TEXT:
        return AnswerValue(text=(value or "").strip())
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return AnswerValue(option_ids=tuple(int(v) for v in value or ()))
    return AnswerValue(option_ids=(int(value),) if value not in (None, "") else ())


def initial_answer(question: Question, response: Response) -> Any:
    answer = next((a for a in response.answers.all() if a.question_id == question.pk), None)
    if answer is None:
        return None
    if question.kind == QuestionKind.FREE_TEXT:
        return answer.text
    ids = [option.pk for option in answer.selected_options.all()]
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return ids
    return ids[0] if ids else None


class QuestionForm(forms.Form):
    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        self.title = question.text
        self.fields["answer"] = question_field(question)


@dataclass(frozen=True)
class Step:
    """One page of the public form."""

    slug: str
    title: str
    build: Callable[..., forms.Form]
    question: Question | None = None
    # Response fields this page sets (empty for a question page).
    fields: tuple[str, ...] = ()
    # The page where respondents add documents to their response.
    uploads: bool = False


def steps_for(consultation: Consultation, questions: list[Question]) -> list[Step]:
    steps = [
        Step("your-details", NameEmailForm.title, NameEmailForm, fields=("name", "email")),
        Step(
            "responding-as",
            RespondingAsForm.title,
            RespondingAsForm,
            fields=("respondent_type", "organisation_name"),
        ),
    ]
    if consultation.respondent_roles.exists():
        steps.append(
            Step(
                "your-role",
                RoleForm.title,
                lambda *a, **k: RoleForm(*a, consultation=consultation, **k),
                fields=("role",),
            )
        )
    steps.append(Step("region", RegionForm.title, RegionForm, fields=("region",)))
    for question in questions:
        steps.append(
            Step(
                f"question-{question.key}",
                question.text,
                lambda *a, question=question, **k: QuestionForm(*a, question=question, **k),
                question=question,
            )
        )
    steps.append(Step("documents", DocumentForm.title, DocumentForm, uploads=True))
    steps.append(
        Step(
            "confidentiality",
            ConfidentialityForm.title,
            ConfidentialityForm,
            fields=("wants_confidentiality", "confidentiality_reason"),
        )
    )
    steps.append(
        Step("publication", PublicationForm.title, PublicationForm, fields=("publication_consent",))
    )
    return steps


# Response field behind each form field, where the names differ.
RESPONSE_FIELD = {"name": "respondent_name", "email": "respondent_email"}


def step_initial(step: Step, response: Response) -> dict[str, Any]:
    if step.question is not None:
        return {"answer": initial_answer(step.question, response)}
    initial: dict[str, Any] = {}
    for name in step.fields:
        value = getattr(response, RESPONSE_FIELD.get(name, name))
        if name == "wants_confidentiality" and value is not None:
            value = "yes" if value else "no"
        initial[name] = value
    return initial


def step_values(step: Step, cleaned: dict[str, Any]) -> dict[str, Any]:
    """The response fields a valid step form sets."""
    return {RESPONSE_FIELD.get(name, name): cleaned.get(name) for name in step.fields}


class DocumentForm(forms.Form):
    title = "Add documents to your response (optional)"
    document = forms.FileField(
        label="Upload a document",
        required=False,
        help_text="PDF, Word, OpenDocument or plain text. You can add up to 5 documents.",
    )


class SubmitForm(HoneypotMixin):
    submission_token = forms.CharField(widget=forms.HiddenInput)
    pow_challenge = forms.CharField(required=False, widget=forms.HiddenInput)
    pow_nonce = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)


class SaveAndReturnForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will send you a link to carry on with your response. It works until "
        "the consultation closes.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

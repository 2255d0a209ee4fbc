"""Forms of the staff pages: response filters, postal entry, summary, outcome, late link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from moot.consultations.forms.respond import answer_value_from, initial_answer, question_field
from moot.consultations.models import (
    Channel,
    Consultation,
    PublicationConsent,
    Question,
    Region,
    RespondentRole,
    RespondentType,
    Response,
    ResponseStatus,
)
from moot.consultations.selectors.responses import ResponseFilters
from moot.consultations.services.responses import AnswerValue, RespondentDetails


class ResponseFilterForm(forms.Form):
    q = forms.CharField(label="Search responses", required=False, max_length=200)
    channel = forms.ChoiceField(
        label="Channel", required=False, choices=[("", "Any channel"), *Channel.choices]
    )
    respondent_type = forms.ChoiceField(
        label="Respondent type",
        required=False,
        choices=[("", "Any type"), *RespondentType.choices],
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *[c for c in ResponseStatus.choices if c[0] != "draft"]],
    )
    received_from = forms.DateField(
        label="Received from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label="Received to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    question = forms.ModelChoiceField(
        label="Answered question",
        required=False,
        queryset=Question.objects.none(),
        to_field_name="key",
        empty_label="Any question",
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = consultation.questions.order_by("position")  # type: ignore[attr-defined]

    def filters(self) -> ResponseFilters:
        if not self.is_valid():
            return ResponseFilters()
        data = self.cleaned_data
        return ResponseFilters(
            channel=data["channel"],
            respondent_type=data["respondent_type"],
            status=data["status"],
            received_from=data["received_from"],
            received_to=data["received_to"],
            answered_question=data["question"],
            text=data["q"].strip(),
        )


class ResponseDetailsForm(forms.Form):
    """Who responded, what they agreed to, and their answers, as staff record them from a
    letter, an email or an imported row."""

    respondent_name = forms.CharField(label="Name", required=False, max_length=200)
    respondent_email = forms.EmailField(label="Email address", required=False)
    respondent_type = forms.ChoiceField(
        label="Responding", required=False, choices=[("", "Not stated"), *RespondentType.choices]
    )
    organisation_name = forms.CharField(label="Organisation", required=False, max_length=300)
    role = forms.ModelChoiceField(
        label="Role",
        required=False,
        queryset=RespondentRole.objects.none(),
        empty_label="Not stated",
    )
    region = forms.ChoiceField(
        label="Region", required=False, choices=[("", "Not stated"), *Region.choices]
    )
    wants_confidentiality = forms.TypedChoiceField(
        label="Asked for the response to be kept confidential",
        required=False,
        choices=[("", "Not stated"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
    )
    confidentiality_reason = forms.CharField(
        label="Reason given for confidentiality",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    publication_consent = forms.ChoiceField(
        label="Publication",
        required=False,
        choices=[("", "Not stated"), *PublicationConsent.choices],
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.fields["role"].queryset = consultation.respondent_roles.all()  # type: ignore[attr-defined]
        self.questions = list(consultation.questions.all())
        for question in self.questions:
            field = question_field(question)
            field.required = False  # a letter answers what it answers
            field.label = f"{question.position}. {question.text}"
            self.fields[f"answer_{question.key}"] = field

    def respondent(self) -> RespondentDetails:
        data = self.cleaned_data
        return RespondentDetails(
            name=data["respondent_name"],
            email=data["respondent_email"],
            respondent_type=data["respondent_type"],
            organisation_name=data["organisation_name"],
            role_id=data["role"].pk if data["role"] else None,
            region=data["region"],
            wants_confidentiality=data["wants_confidentiality"],
            confidentiality_reason=data["confidentiality_reason"],
            publication_consent=data["publication_consent"],
        )

    def answers(self) -> dict[Question, AnswerValue]:
        return {
            question: answer_value_from(question, self.cleaned_data.get(f"answer_{question.key}"))
            for question in self.questions
        }

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"answer_{question.key}"] for question in self.questions]

    @staticmethod
    def initial_for(response: Response) -> dict[str, Any]:
        confidential = {True: "yes", False: "no", None: ""}[response.wants_confidentiality]
        initial: dict[str, Any] = {
            "respondent_name": response.respondent_name,
            "respondent_email": response.respondent_email,
            "respondent_type": response.respondent_type,
            "organisation_name": response.organisation_name,
            "role": response.role_id,
            "region": response.region,
            "wants_confidentiality": confidential,
            "confidentiality_reason": response.confidentiality_reason,
            "publication_consent": response.publication_consent,
        }
        for question in response.consultation.questions.all():
            initial[f"answer_{question.key}"] = initial_answer(question, response)
        return initial


class PostalResponseForm(ResponseDetailsForm):
    """A letter keyed in by staff, against the same questionnaire as the online form."""

    received_on = forms.DateField(
        label="Date received",
        help_text="The date the letter arrived, as it is stamped.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date the letter was received"},
    )
    body_text = forms.CharField(
        label="Text of the letter",
        required=False,
        help_text="Anything the letter says that does not answer a question.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    scan = forms.FileField(
        label="Scan of the letter (optional)",
        required=False,
        help_text="PDF, PNG, JPEG or TIFF.",
    )

    def clean_received_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date received must be today or in the past")
        return value

    def received_at(self) -> dt.datetime:
        received_on: dt.date = self.cleaned_data["received_on"]
        return timezone.make_aware(dt.datetime.combine(received_on, dt.time(12, 0)))


class SummaryForm(forms.Form):
    title = forms.CharField(label="Title", max_length=300, initial="Summary of responses")
    body = forms.CharField(
        label="Summary",
        help_text="Markdown: blank lines between paragraphs, ## for headings, - for lists.",
        widget=forms.Textarea(attrs={"rows": 20}),
        error_messages={"required": "Enter the summary of responses"},
    )


class OutcomeForm(forms.Form):
    final_document_title = forms.CharField(label="Title of the final document", max_length=300)
    final_document = forms.FileField(
        label="Final document",
        required=False,
        help_text="PDF, Word or OpenDocument. Leave empty if the final document is already "
        "attached to the consultation.",
    )
    replaces_final = forms.MultipleChoiceField(
        label="A new version",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[("yes", "This replaces the final document already attached")],
        help_text="A consultation has one final document. The one it replaces stays "
        "published as an earlier version.",
    )

    @property
    def replaces(self) -> bool:
        return "yes" in self.cleaned_data.get("replaces_final", [])


class LateInvitationForm(forms.Form):
    email = forms.EmailField(
        label="Email address of the person responding late",
        error_messages={"required": "Enter an email address"},
    )

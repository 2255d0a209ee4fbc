from __future__ import annotations

from typing import Any

from django import forms

from moot.alerts.models import Frequency
from moot.alerts.selectors import AlertSuggestion
from moot.alerts.services import AlertInvalid, AlertSpec, alert_spec_clean

_EMAIL_ERRORS = {
    "required": "Enter your email address",
    "invalid": "Enter an email address in the correct format, like name@example.com",
}


class AlertForm(forms.Form):
    """The "Alert me" form: an editable search, or a choice among the page's options."""

    email = forms.EmailField(label="Email address", max_length=254, error_messages=_EMAIL_ERRORS)
    query = forms.CharField(
        label="Search to be alerted about",
        required=False,
        max_length=1000,
        help_text=(
            "Words are matched whatever their ending; put exact phrases in quotes, use OR for "
            "either word, and -word to leave a word out."
        ),
    )
    option = forms.ChoiceField(label="What do you want to hear about?", required=False)
    frequency = forms.ChoiceField(
        label="How often do you want emails?",
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often you want emails"},
    )

    def __init__(self, *args: Any, suggestion: AlertSuggestion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.suggestion = suggestion
        if suggestion.is_search:
            self.fields["query"].required = True
            self.fields["query"].error_messages["required"] = "Enter what to search for"
            self.fields["query"].initial = suggestion.query
            del self.fields["option"]
        else:
            del self.fields["query"]
            option = self.fields["option"]
            option.required = True
            option.choices = [(o.value, o.label) for o in suggestion.options]  # type: ignore[attr-defined]
            option.widget = forms.RadioSelect(choices=option.choices)  # type: ignore[attr-defined]
            option.error_messages["required"] = "Choose what you want to hear about"
            if len(suggestion.options) == 1:
                option.initial = suggestion.options[0].value

    def clean_query(self) -> str:
        query = str(self.cleaned_data.get("query") or "").strip()
        if query:  # explained next to the field, with any other errors in the form
            try:
                alert_spec_clean(spec=AlertSpec(kind="search", query=query))
            except AlertInvalid as error:
                raise forms.ValidationError(str(error)) from None
        return query

    def spec(self) -> AlertSpec:
        data = self.cleaned_data
        if self.suggestion.is_search:
            query = data["query"].strip()
            described = query == self.suggestion.query
            return AlertSpec(
                kind="search",
                query=query,
                description=self.suggestion.description if described else "",
                frequency=data["frequency"],
            )
        chosen = self.suggestion.option(data["option"])
        if chosen is None:  # the ChoiceField accepts only the options offered
            raise ValueError(f"not an option: {data['option']!r}")
        return AlertSpec(
            kind=chosen.kind,
            query=chosen.query,
            consultation=chosen.consultation,
            department=chosen.department,
            document=chosen.document,
            description=chosen.label if chosen.query else "",
            frequency=data["frequency"],
        )


class EmailForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254, error_messages=_EMAIL_ERRORS)


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(choices=Frequency.choices)


class AlertWordsForm(forms.Form):
    """The words of a search alert, changed from the manage page."""

    query = forms.CharField(
        label="Search to be alerted about",
        max_length=1000,
        error_messages={"required": "Enter what to search for"},
        help_text=AlertForm.base_fields["query"].help_text,
    )

    def clean_query(self) -> str:
        query = str(self.cleaned_data.get("query") or "").strip()
        try:
            return alert_spec_clean(spec=AlertSpec(kind="search", query=query)).query
        except AlertInvalid as error:
            raise forms.ValidationError(str(error)) from None

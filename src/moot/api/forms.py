from __future__ import annotations

import unicodedata

from django import forms

PURPOSE_MAX_LENGTH = 2000


class ApiKeyRequestForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=200,
        error_messages={"required": "Enter your name"},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We will send your key to this address.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    purpose = forms.CharField(
        label="What will you use the API for?",
        help_text="For example, the research, reporting or service you are building. "
        "It helps us judge how many requests you need.",
        max_length=PURPOSE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Tell us what you will use the API for",
            "max_length": f"What you will use the API for must be {PURPOSE_MAX_LENGTH:,} "
            "characters or fewer",
        },
    )
    # A field people never see: automated form-fillers tend to complete it.
    website = forms.CharField(required=False)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        # The name goes into an email's subject: a line break there would start a header of
        # the sender's choosing (the mail library refuses such a message outright).
        if any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in name):
            raise forms.ValidationError("Enter your name on one line, without line breaks")
        return name

    def honeypot_filled(self) -> bool:
        return bool(self.data.get("website"))

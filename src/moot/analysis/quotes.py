"""Quotes fit to publish: who said it, in words that name nobody who did not agree to be
named, and what they said, without the personal details people put in their letters.

Individuals are never named in a summary of responses; organisations are named only when
they agreed to publication with their name and did not ask for confidentiality. Redaction is
a safety net, not a guarantee: staff read the summary before publishing it, and can edit it.
"""

from __future__ import annotations

import re

from moot.consultations.models import PublicationConsent, RespondentType, Response

QUOTE_MAX_CHARACTERS = 400
QUOTE_MIN_WORDS = 6

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")
URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
PHONE = re.compile(r"(?<!\w)(?:\+44\s?|0)(?:\d[\s-]?){9,10}(?!\w)")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)
TITLED_NAME = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Cllr|Rev)\.?\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?"
)
# A closing line and what follows it (a name, a job title): only at the end of the text.
SIGN_OFF = re.compile(
    r"\b(?:yours\s+(?:sincerely|faithfully|truly)|(?:kind|best|warm)\s+regards|regards|"
    r"best\s+wishes|many\s+thanks|with\s+thanks)\s*[,.!]?[ \t]*(?:\n[\s\S]{0,200})?$",
    re.I,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


def _noun(label: str) -> str:
    """A role label in the middle of a sentence: "Parent or carer" → "parent or carer",
    but "Local Safeguarding Children Board" keeps its capitals."""
    words = label.split()
    if len(words) > 1 and any(w[:1].isupper() for w in words[1:]):
        return label
    return label[:1].lower() + label[1:]


def attribution(response: Response) -> str:
    """Who a quote is from, naming only organisations that agreed to be named."""
    # A null role costs no query; a set one comes with select_related("role").
    role = _noun(response.role.label) if response.role is not None else ""
    if response.respondent_type == RespondentType.ORGANISATION:
        if (
            response.publication_consent == PublicationConsent.WITH_NAME
            and response.wants_confidentiality is not True
            and response.organisation_name.strip()
        ):
            return response.organisation_name.strip()
        return f"an organisation ({role})" if role else "an organisation"
    if role:
        return f"{_article(role)} {role}"
    return "an individual"


def may_quote(response: Response) -> bool:
    return response.publication_consent in (
        PublicationConsent.WITH_NAME,
        PublicationConsent.ANONYMOUSLY,
    )


def redact(text: str, *, names: tuple[str, ...] = ()) -> str:
    """Remove contact details, sign-offs and the given names from ``text``."""
    text = SIGN_OFF.sub("", text)
    text = EMAIL.sub("[email address]", text)
    text = URL.sub("[web address]", text)
    text = PHONE.sub("[phone number]", text)
    text = POSTCODE.sub("[postcode]", text)
    text = TITLED_NAME.sub("[name]", text)
    for name in sorted({n.strip() for n in names if len(n.strip()) >= 3}, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", "[name]", text, flags=re.I)
    return " ".join(text.split())


def personal_names(response: Response) -> tuple[str, ...]:
    """The respondent's name and its parts, and the organisation's name when it is not to
    be published: words to take out of what they wrote."""
    names = [response.respondent_name, *response.respondent_name.split()]
    if attribution(response) != response.organisation_name.strip():
        names.append(response.organisation_name)
    return tuple(n for n in names if n)


def canonical(text: str) -> str:
    """The words of ``text``, for telling repeated quotes apart."""
    return " ".join(re.findall(r"\w+", text.lower()))


def trim(text: str, *, limit: int = QUOTE_MAX_CHARACTERS) -> str:
    """At most ``limit`` characters, cut at the end of a sentence where one is close."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    ends = [m.start() for m in SENTENCE_END.finditer(cut)]
    if ends and ends[-1] > limit // 2:
        return cut[: ends[-1]].rstrip()
    return cut.rsplit(" ", 1)[0].rstrip(",;:") + "…"


def publishable_quote(response: Response, text: str) -> str:
    """The text to quote from ``response``, or "" if it may not or should not be quoted."""
    if not may_quote(response):
        return ""
    quoted = trim(redact(text, names=personal_names(response)))
    return quoted if len(quoted.split()) >= QUOTE_MIN_WORDS else ""

"""Passages a moderator is likely to redact as personal data, found in a response's text:
email addresses, UK phone numbers and postcodes, names of private people (after a title or
"my son", "my neighbour"…) and the respondent's own name. Pure functions, no database.

Suggestions only: staff decide. A public figure named with a title ("Dr Smith MP") is
suggested too; the moderator keeps what is not private.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# UK numbers: +44 or 0, then 9 or 10 digits in groups ("07700 900123", "020 7946 0958",
# "+44 (0)161 496 0000").
PHONE = re.compile(
    r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\w)"
)
POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}\b", re.IGNORECASE)
_NAME = r"[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?"
TITLED_NAME = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+{_NAME}")
RELATIVE_NAME = re.compile(
    r"\b(?:[Mm]y|[Oo]ur|[Hh]er|[Hh]is|[Tt]heir)\s+(?:son|daughter|husband|wife|partner|neighbour|neighbor|"
    r"mother|father|mum|dad|brother|sister|child|friend|carer|grandson|granddaughter|"
    r"nephew|niece|teacher|social worker|GP)\s+(?:is\s+|called\s+|named\s+)?"
    rf"(?P<name>{_NAME})"
)
CALLED_NAME = re.compile(rf"\b(?:called|named)\s+(?P<name>{_NAME})")

EMAIL_ADDRESS = "email address"
PHONE_NUMBER = "phone number"
POSTCODE_KIND = "postcode"
PRIVATE_NAME = "name of a private person"
OWN_NAME = "the respondent's name"


@dataclass(frozen=True)
class Suggestion:
    """A passage ``text[start:end]`` to consider redacting as personal data, and why."""

    start: int
    end: int
    kind: str


def _own_name_parts(name: str) -> list[str]:
    """The respondent's full name and its parts long enough not to match ordinary words."""
    name = " ".join(name.split())
    if not name:
        return []
    parts = [part for part in name.split(" ") if len(part) >= 3]
    return [name, *parts] if len(parts) > 1 else [name]


def redaction_suggestions(*, text: str, respondent_name: str = "") -> list[Suggestion]:
    """Suggested passages in ``text``, in order, never overlapping (the first, longest wins)."""
    found: list[Suggestion] = []
    for pattern, kind in ((EMAIL, EMAIL_ADDRESS), (PHONE, PHONE_NUMBER), (POSTCODE, POSTCODE_KIND)):
        found += [Suggestion(m.start(), m.end(), kind) for m in pattern.finditer(text)]
    found += [Suggestion(m.start(), m.end(), PRIVATE_NAME) for m in TITLED_NAME.finditer(text)]
    for pattern in (RELATIVE_NAME, CALLED_NAME):
        found += [
            Suggestion(m.start("name"), m.end("name"), PRIVATE_NAME) for m in pattern.finditer(text)
        ]
    for part in _own_name_parts(respondent_name):
        words = r"\s+".join(re.escape(word) for word in part.split(" "))
        own = re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)
        found += [Suggestion(m.start(), m.end(), OWN_NAME) for m in own.finditer(text)]
    kept: list[Suggestion] = []
    for suggestion in sorted(found, key=lambda s: (s.start, -(s.end - s.start))):
        if kept and suggestion.start < kept[-1].end:
            continue
        kept.append(suggestion)
    return kept

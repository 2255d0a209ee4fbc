"""How moot turns text into the terms it indexes and searches for.

The search index registers ``text_analyzer()`` under ``ANALYZER_NAME`` for its text fields,
and queries are analysed with the same function, so anything else that needs to match text
the way search does (alert matching, for one) calls ``analyze`` and gets the very terms the
index holds: lower-cased, accents folded, English-stemmed ("Exploited" and "exploitation"
both become "exploit"). Words are split on anything that is not a letter or digit, so
"child's" is two terms, "child" and "s". Stop words are kept, so phrases such as "to ask the
Secretary of State" match exactly.
"""

from __future__ import annotations

import functools

import tantivy

ANALYZER_NAME = "moot_english"
# Longer "words" are nearly always base64, URLs or table rules: they are dropped, not indexed.
MAX_TERM_LENGTH = 40


@functools.cache
def text_analyzer() -> tantivy.TextAnalyzer:
    """The analyzer the index uses for its text fields (one shared, immutable instance)."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TERM_LENGTH))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def analyze(text: str) -> list[str]:
    """The terms ``text`` is indexed as, in order: ``analyze("Exploited children")`` is
    ``["exploit", "children"]``."""
    return text_analyzer().analyze(text)

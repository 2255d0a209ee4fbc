"""The text analyzer alerts match with: the search index's, so alerts and search agree.

PRIVATE COPY: this mirrors ``moot.search.analysis`` (simple tokenizer, long terms dropped,
lower-cased, accents folded, English stemmer), which is being written alongside alerts.
When that module is on main, ``analyze`` below becomes ``from moot.search.analysis import
analyze`` and the copy of the analyzer goes; nothing else in alerts builds an analyzer.
"""

from __future__ import annotations

import functools

import tantivy

# Terms of this many bytes or more are dropped by the index, leaving a gap in positions.
MAX_TERM_LENGTH = 40


@functools.cache
def text_analyzer() -> tantivy.TextAnalyzer:
    """The analyzer the search index registers for its text fields."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TERM_LENGTH))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def analyze(text: str) -> list[str]:
    """The terms ``text`` is indexed as, in order (``"Exploited children"`` gives
    ``["exploit", "children"]``)."""
    return text_analyzer().analyze(text)


@functools.cache
def _word_splitter() -> tantivy.TextAnalyzer:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).build()


def analyze_with_positions(text: str) -> list[tuple[int, str]]:
    """``analyze(text)`` with each term's position, as the index records it.

    Dropped long words keep their place, so "a <long word> b" does not hold the phrase
    "a b" — in the index or here. Only ``analyze`` decides what the terms are; this adds
    where they stand by splitting the text into words the same way.
    """
    terms = analyze(text)
    words = _word_splitter().analyze(text)
    if len(words) == len(terms):
        return list(enumerate(terms))
    kept = [position for position, word in enumerate(words) if len(word.encode()) < MAX_TERM_LENGTH]
    if len(kept) != len(terms):  # never expected: fall back to consecutive positions
        return list(enumerate(terms))
    return list(zip(kept, terms, strict=True))

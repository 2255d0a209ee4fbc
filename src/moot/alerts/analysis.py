"""The text analyzer alerts match with: the search index's own, so alerts and search agree.

``analyze`` and ``MAX_TERM_LENGTH`` come from ``moot.search.analysis``; this module adds the
positions of the terms, which phrase matching needs.
"""

from __future__ import annotations

import functools

import tantivy

from moot.search.analysis import MAX_TERM_LENGTH, analyze, text_analyzer

__all__ = ["MAX_TERM_LENGTH", "analyze", "analyze_with_positions", "text_analyzer"]


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

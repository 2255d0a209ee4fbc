"""The few lines of an item shown in an alert email, around the words the alert asked for."""

from __future__ import annotations

import functools
import re

from moot.alerts.analysis import analyze
from moot.search.query import And, Node, Not, Or, Phrase, QuerySyntaxError, Word, parse

SNIPPET_WORDS = 40
WORDS_BEFORE = 12
SCANNED_CHARACTERS = 20_000
_WORD = re.compile(r"\S+")


@functools.lru_cache(maxsize=4096)
def wanted_terms(query: str) -> frozenset[str]:
    """The analysed terms a query looks for (not those it excludes)."""
    try:
        tree = parse(query)
    except QuerySyntaxError:
        return frozenset()
    terms: set[str] = set()

    def walk(node: Node) -> None:
        if isinstance(node, Word):
            terms.update(analyze(node.text))
        elif isinstance(node, Phrase):
            terms.update(analyze(" ".join(node.words)))
        elif isinstance(node, And | Or):
            for child in node.nodes:
                walk(child)
        # Not: excluded words are never highlighted; filters and dates have no words.

    if not isinstance(tree, Not):
        walk(tree)
    return frozenset(terms)


class SnippetMaker:
    """Cuts snippets from item texts, analysing each text's words once however many alerts
    matched it."""

    def __init__(self) -> None:
        self._texts: dict[str, tuple[list[str], dict[str, int]]] = {}

    def _words(self, key: str, text: str) -> tuple[list[str], dict[str, int]]:
        found = self._texts.get(key)
        if found is None:
            # Long texts (attachments) are only searched so far for the snippet.
            words = _WORD.findall(text[:SCANNED_CHARACTERS])
            first_at: dict[str, int] = {}
            for index, word in enumerate(words):
                for term in analyze(word):
                    first_at.setdefault(term, index)
            found = self._texts[key] = (words, first_at)
        return found

    def snippet(self, *, key: str, text: str, terms: frozenset[str]) -> str:
        """About 40 words from ``text``, starting a little before the first of ``terms``."""
        words, first_at = self._words(key, text)
        if not words:
            return ""
        first = min((first_at[term] for term in terms if term in first_at), default=None)
        start = 0 if first is None else max(first - WORDS_BEFORE, 0)
        end = min(start + SNIPPET_WORDS, len(words))
        text = " ".join(words[start:end])
        return ("…" if start > 0 else "") + text + ("…" if end < len(words) else "")

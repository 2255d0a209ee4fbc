"""Compile a parsed query (``moot.search.query``) into a tantivy query over the index.

Words are analysed exactly as the index analyses text (``analysis.analyze``): a word that
the analyzer splits ("child's", "e-mail") is searched as a phrase. Words and phrases are
looked for in the title (counted double), the body, the names of the people and
departments involved, and the page's aliases (acronyms spelt out, full names as acronyms,
postcodes and telephone numbers without spaces; counted half: see ``aliases.py``). Filters and date
ranges restrict without changing the score.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import tantivy

from moot.search.aliases import expansions
from moot.search.analysis import text_analyzer
from moot.search.index import SCHEMA, midnight_utc
from moot.search.query import (
    And,
    DateRange,
    Filter,
    Node,
    Not,
    Or,
    Phrase,
    QuerySyntaxError,
    Word,
)

# The aliases field holds passages rewritten with an acronym spelt out (or the other way
# round): a match there counts for less than the words as the page writes them.
FIELD_BOOSTS = {"title": 2.0, "body": 1.0, "names": 1.0, "aliases": 0.5}
HIGHLIGHTED_FIELDS = ("title", "body")
FILTER_FIELDS = {"member": "member", "party": "party", "department": "department", "type": "kind"}


@dataclass(frozen=True)
class CompiledQuery:
    query: tantivy.Query
    # The words and phrases looked for (not those excluded), to highlight in snippets.
    highlight: tantivy.Query | None
    # False when the query only filters: every match scores the same.
    has_text: bool


def _tokens(text: str) -> list[tantivy.Token]:
    return text_analyzer().pre_tokenize(text).tokens


def _text_query(field_name: str, text: str) -> tantivy.Query | None:
    """A term query for one word, a phrase query for several, in one field."""
    tokens = _tokens(text)
    if not tokens:
        return None
    if len(tokens) == 1:
        return tantivy.Query.term_query(SCHEMA, field_name, tokens[0].text)
    first = tokens[0].position
    return tantivy.Query.phrase_query(
        SCHEMA, field_name, [(token.position - first, token.text) for token in tokens]
    )


@dataclass
class _Compiler:
    highlights: list[tantivy.Query] = field(default_factory=list)

    def compile(self, node: Node, *, negated: bool = False) -> tantivy.Query | None:
        if isinstance(node, Word):
            return self.text(node.text, negated=negated)
        if isinstance(node, Phrase):
            return self.text(" ".join(node.words), negated=negated)
        if isinstance(node, Filter):
            term = tantivy.Query.term_query(SCHEMA, FILTER_FIELDS[node.field], node.value)
            return tantivy.Query.const_score_query(term, 0.0)
        if isinstance(node, DateRange):
            return tantivy.Query.const_score_query(date_range(node.start, node.end), 0.0)
        if isinstance(node, Not):
            return self.compile(node.node, negated=not negated)
        if isinstance(node, And):
            return self.conjunction(node, negated=negated)
        return self.disjunction(node, negated=negated)

    def text(self, text: str, *, negated: bool) -> tantivy.Query | None:
        if not _tokens(text):
            return None
        per_field = []
        for name, boost in FIELD_BOOSTS.items():
            query = _text_query(name, text)
            if query is None:
                return None
            if name in HIGHLIGHTED_FIELDS and not negated:
                self.highlights.append(query)
            per_field.append(query if boost == 1.0 else tantivy.Query.boost_query(query, boost))
        if not negated:
            # A page found through an acronym spelt out shows the words it does have marked.
            for other in expansions(text):
                for name in HIGHLIGHTED_FIELDS:
                    if (query := _text_query(name, other)) is not None:
                        self.highlights.append(query)
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in per_field])

    def conjunction(self, node: And, *, negated: bool) -> tantivy.Query | None:
        clauses = []
        for child in node.nodes:
            if isinstance(child, Not):
                query = self.compile(child.node, negated=not negated)
                occur = tantivy.Occur.MustNot
            else:
                query = self.compile(child, negated=negated)
                occur = tantivy.Occur.Must
            if query is not None:
                clauses.append((occur, query))
        if not any(occur == tantivy.Occur.Must for occur, _ in clauses):
            return None
        if len(clauses) == 1:
            return clauses[0][1]
        return tantivy.Query.boolean_query(clauses)

    def disjunction(self, node: Or, *, negated: bool) -> tantivy.Query | None:
        queries = [q for child in node.nodes if (q := self.compile(child, negated=negated))]
        if not queries:
            return None
        if len(queries) == 1:
            return queries[0]
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])


# The span tantivy's dates can hold; nothing moot publishes falls outside it.
EARLIEST = dt.date(1700, 1, 1)
LATEST = dt.date(2262, 1, 1)


def _within(day: dt.date) -> dt.date:
    return min(max(day, EARLIEST), LATEST)


def date_range(start: dt.date | None, end: dt.date | None) -> tantivy.Query:
    return tantivy.Query.range_query(
        SCHEMA,
        "date",
        tantivy.FieldType.Date,
        midnight_utc(_within(start)) if start else None,
        midnight_utc(_within(end)) if end else None,
        # Day terms from the inverted index, rather than a scan of the date fast field:
        # intersecting them with the words' postings measured faster.
        use_inverted_index=True,
    )


def _has_text(node: Node) -> bool:
    if isinstance(node, Word | Phrase):
        return True
    if isinstance(node, And | Or):
        return any(_has_text(child) for child in node.nodes)
    return False


def compile_query(node: Node) -> CompiledQuery:
    """Raises ``QuerySyntaxError`` when nothing in the query can be searched for (a query
    of punctuation only, say)."""
    compiler = _Compiler()
    query = compiler.compile(node)
    if query is None:
        raise QuerySyntaxError(
            "There are no words to search for: try letters or numbers rather than punctuation."
        )
    highlight = None
    if compiler.highlights:
        highlight = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, q) for q in compiler.highlights]
        )
    return CompiledQuery(query=query, highlight=highlight, has_text=_has_text(node))

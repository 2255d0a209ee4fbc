"""The reference the matcher is checked against: each alert run as its own tantivy search.

The documents go into a temporary in-memory tantivy index analysed like the search index,
and each query tree becomes a tantivy query — written here independently of the matcher's
own lowering, so that tests and ``bench/alerts.py`` compare two implementations. It is also
the obvious way to send alerts, one search per alert, which is what the benchmark times.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import tantivy

from moot.alerts.analysis import analyze_with_positions, text_analyzer
from moot.search.query import And, DateRange, Filter, Node, Not, Or, Phrase, Word, parse

if TYPE_CHECKING:
    from moot.search.documents import SearchDocument

TEXT_FIELDS = ("title", "body", "names")
FILTER_FIELDS = ("member", "department", "party", "type")


class SearchPerAlert:
    def __init__(self, documents: Sequence[SearchDocument]) -> None:
        builder = tantivy.SchemaBuilder()
        for name in TEXT_FIELDS:
            builder.add_text_field(name, tokenizer_name="moot", index_option="position")
        for name in FILTER_FIELDS:
            builder.add_text_field(name, tokenizer_name="raw")
        builder.add_integer_field("day", indexed=True, fast=True)
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema)
        self.index.register_tokenizer("moot", text_analyzer())
        writer = self.index.writer(50_000_000, 1)
        for document in documents:
            entry = tantivy.Document()
            entry.add_text("title", document.title)
            entry.add_text("body", document.body)
            for name in (*document.member_names, *document.department_names):
                entry.add_text("names", name)
            for name, values in (
                ("member", document.member_slugs),
                ("department", document.department_slugs),
                ("party", document.party_slugs),
                ("type", (document.kind,)),
            ):
                for value in values:
                    entry.add_text(name, value)
            entry.add_integer("day", document.date.toordinal())
            writer.add_document(entry)
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        self.size = len(documents)
        if self.searcher.num_segments > 1:  # one thread, one commit: one segment
            raise RuntimeError("hits' doc ids must be the documents' positions")

    def _text(self, text: str) -> tantivy.Query | None:
        terms = analyze_with_positions(text)
        if not terms:
            return None
        first = terms[0][0]
        per_field = []
        for name in TEXT_FIELDS:
            if len(terms) == 1:
                per_field.append(tantivy.Query.term_query(self.schema, name, terms[0][1]))
            else:
                words: list[str | tuple[int, str]] = [
                    (position - first, term) for position, term in terms
                ]
                per_field.append(tantivy.Query.phrase_query(self.schema, name, words))
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in per_field])

    def query(self, node: Node) -> tantivy.Query | None:
        """The tantivy query for ``node``; None when nothing in it can be looked for."""
        if isinstance(node, Word):
            return self._text(node.text)
        if isinstance(node, Phrase):
            return self._text(" ".join(node.words))
        if isinstance(node, Filter):
            return tantivy.Query.term_query(self.schema, node.field, node.value)
        if isinstance(node, DateRange):
            return tantivy.Query.range_query(
                self.schema,
                "day",
                tantivy.FieldType.Integer,
                node.start.toordinal() if node.start else None,
                node.end.toordinal() if node.end else None,
            )
        if isinstance(node, Not):
            inner = self.query(node.node)
            if inner is None:
                return None
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, tantivy.Query.all_query()), (tantivy.Occur.MustNot, inner)]
            )
        if not isinstance(node, And | Or):
            raise TypeError(f"not a query node: {node!r}")
        children = [q for q in (self.query(child) for child in node.nodes) if q is not None]
        if not children:
            return None
        occur = tantivy.Occur.Must if isinstance(node, And) else tantivy.Occur.Should
        return tantivy.Query.boolean_query([(occur, q) for q in children])

    def matches(self, node: Node) -> list[int]:
        """Positions of the documents ``node`` matches."""
        query = self.query(node)
        if query is None or not self.size:
            return []
        return sorted(address.doc for _, address in self.searcher.search(query, self.size).hits)

    def match_texts(self, queries: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Every (query number, document position) pair, one search per query."""
        alert_ids: list[int] = []
        indices: list[int] = []
        for alert_id, text in enumerate(queries):
            for index in self.matches(parse(text)):
                alert_ids.append(alert_id)
                indices.append(index)
        return np.array(alert_ids, dtype=np.int64), np.array(indices, dtype=np.int64)

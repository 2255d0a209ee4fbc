"""Match many saved alerts against a batch of new documents at once.

Running each alert as its own search costs one search per alert per batch. Instead, every
distinct query is compiled once into a *program* over interned *atoms* (a term, a filter
value, a phrase, a date range). Matching a batch then works column-wise:

1. Each document is analysed once; every atom gets a bitset of the batch's documents that
   hold it (Python ints, one bit per document).
2. Most programs are conjunctions (``a b "c d" member:x -e``). They live in flat arrays, and
   one vectorised pass keeps only those whose every positive atom could occur in the batch —
   usually a small fraction.
3. Survivors are verified exactly: AND the atoms' bitsets, and for phrases check positions
   within one field value, once per distinct phrase. Other programs (``OR``, nested groups)
   are indexed by a set of atoms one of which must occur, and evaluated as expressions over
   the same bitsets.
4. Matching programs expand to every alert that shares them.

Memory stays small for a million alerts: alerts are two integer arrays, and identical
queries share one program.
"""

from __future__ import annotations

import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np

from moot.alerts.analysis import analyze_with_positions
from moot.alerts.matching.lowering import (
    FILTER_FIELDS,
    AllOf,
    AnyOf,
    Atom,
    DateAtom,
    Expr,
    FilterAtom,
    NoneOf,
    PhraseAtom,
    TermAtom,
    filter_key,
    lower,
)
from moot.search.query import Node, QuerySyntaxError, parse

if TYPE_CHECKING:
    from moot.search.documents import SearchDocument

TRUE, FALSE = 0, 1
KIND_CONSTANT, KIND_TERM, KIND_PHRASE, KIND_DATE = 0, 1, 2, 3
MAX_POSITIVE = 4
MAX_NEGATIVE = 2
# Documents per bitset: keeps the integer operations cheap on a large batch.
CHUNK_SIZE = 1024
OP_AND, OP_OR, OP_NOT = -1, -2, -3
NEVER = -1  # the program of a query with nothing to look for

_POPCOUNT = np.array([bin(value).count("1") for value in range(256)], dtype=np.int64)
_BIT_POSITIONS = np.array(
    [bit for value in range(256) for bit in range(8) if value >> bit & 1], dtype=np.int64
)
_BIT_OFFSETS = np.concatenate([[0], np.cumsum(_POPCOUNT)[:-1]])


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenate ``arange(start, start + length)`` for each pair, without a Python loop."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    before = np.cumsum(lengths) - lengths
    return np.repeat(starts - before, lengths) + np.arange(total, dtype=np.int64)


@dataclass
class Matches:
    """Pairs of (alert id, index of the document in the batch), as two parallel arrays."""

    alert_ids: np.ndarray
    document_indices: np.ndarray

    def __len__(self) -> int:
        return len(self.alert_ids)

    def pairs(self) -> Iterator[tuple[int, int]]:
        return zip(self.alert_ids.tolist(), self.document_indices.tolist(), strict=True)

    def by_alert(self) -> dict[int, list[int]]:
        grouped: dict[int, list[int]] = {}
        for alert_id, index in self.pairs():
            grouped.setdefault(alert_id, []).append(index)
        return grouped


class _Batch:
    """One chunk of documents: their atoms' bitsets, and positions for phrase checks."""

    def __init__(self, matcher: AlertMatcher, documents: Sequence[SearchDocument]) -> None:
        self.matcher = matcher
        self.size = len(documents)
        self.all = (1 << self.size) - 1
        self.width = (self.size + 63) // 64 * 8  # bytes per bitset, whole 64-bit words
        self.bits = [0] * matcher.atom_count
        self.bits[TRUE] = self.all
        self.done = np.zeros(matcher.atom_count, dtype=bool)
        self.done[[TRUE, FALSE]] = True
        self.fields: list[list[list[tuple[int, str]]]] = []
        self.slots: dict[int, list[list[str | None]]] = {}
        # Only pairs of two terms are ever recorded: a hole (None) is in no phrase.
        self.pairs: dict[Any, int] = {}
        atom_of = matcher.atom_ids.get
        phrase_pairs = matcher.phrase_pairs
        touched: set[int] = set()
        for index, document in enumerate(documents):
            bit = 1 << index
            fields = [analyze_with_positions(text) for text in _texts(document)]
            self.fields.append(fields)
            keys = {term for field in fields for _, term in field}
            for slots in self._slots(index):
                for pair in phrase_pairs.keys() & pairwise(slots):
                    self.pairs[pair] = self.pairs.get(pair, 0) | bit
            keys.add(filter_key("type", document.kind))
            for field, attribute in FILTER_FIELDS.items():
                keys.update(filter_key(field, value) for value in getattr(document, attribute))
            for key in keys:
                atom = atom_of(key)
                if atom is not None:
                    self.bits[atom] |= bit
                    touched.add(atom)
        for pair, holders in self.pairs.items():
            atom = phrase_pairs[pair]
            if atom >= 0:
                self.bits[atom] = holders
                touched.add(atom)
        self.present = np.zeros(matcher.atom_count, dtype=bool)
        self.present[TRUE] = True
        self.present[list(touched)] = True
        self.done[list(touched)] = True
        self.filled = [TRUE, *touched]
        self.days = np.array([document.date.toordinal() for document in documents], dtype=np.int64)

    def possible(self) -> np.ndarray:
        """Atoms that might hold in some document: exact for terms, a superset otherwise."""
        matcher = self.matcher
        possible = self.present.copy()
        possible[matcher.date_atoms] = True
        if len(matcher.phrase_atoms):
            possible[matcher.phrase_atoms] = self.present[matcher.phrase_terms].all(axis=1)
        return possible

    def compute(self, atoms: Iterable[int], possible: np.ndarray) -> None:
        """Fill in the bitsets of phrase and date atoms that are still unknown."""
        matcher = self.matcher
        for atom in atoms:
            if self.done[atom]:
                continue
            self.done[atom] = True
            if not possible[atom]:
                continue
            if atom in matcher.dates:
                start, end = matcher.dates[atom]
                mask = (self.days >= start) & (self.days <= end)
                packed = np.packbits(mask, bitorder="little").tobytes()
                self.bits[atom] = int.from_bytes(packed, "little")
            else:
                self.bits[atom] = self._phrase_bits(matcher.phrases[atom])
            if self.bits[atom]:
                self.filled.append(atom)

    def _phrase_bits(self, phrase: tuple[tuple[int, str], ...]) -> int:
        # Documents holding each pair of neighbouring terms, from the scan in __init__: exact
        # for a two-word phrase, and a narrow set of candidates to check for longer ones.
        atom_of = self.matcher.atom_ids
        candidates = self.all
        for (offset, term), (next_offset, next_term) in pairwise(phrase):
            if next_offset == offset + 1:
                candidates &= self.pairs.get((term, next_term), 0)
        for _, term in phrase:
            candidates &= self.bits[atom_of[term]]
        result = 0
        while candidates:
            lowest = candidates & -candidates
            candidates ^= lowest
            index = lowest.bit_length() - 1
            if any(_has_phrase(slots, phrase) for slots in self._slots(index)):
                result |= lowest
        return result

    def _slots(self, index: int) -> list[list[str | None]]:
        """The document's field values as lists where a term's index is its position."""
        slots = self.slots.get(index)
        if slots is None:
            slots = []
            for field in self.fields[index]:
                if not field or field[-1][0] == len(field) - 1:
                    slots.append([term for _, term in field])
                else:  # a dropped long word left a hole
                    holes: list[str | None] = [None] * (field[-1][0] + 1)
                    for position, term in field:
                        holes[position] = term
                    slots.append(holes)
            self.slots[index] = slots
        return slots

    def table(self) -> tuple[np.ndarray, np.ndarray]:
        """Every known bitset as a row of 64-bit words, and each atom's row (0: empty)."""
        rows = np.zeros(self.matcher.atom_count, dtype=np.int64)
        rows[self.filled] = np.arange(1, len(self.filled) + 1)
        blob = b"".join(self.bits[atom].to_bytes(self.width, "little") for atom in self.filled)
        table = np.zeros((len(self.filled) + 1, self.width // 8), dtype=np.uint64)
        table[1:] = np.frombuffer(blob, dtype=np.uint64).reshape(len(self.filled), -1)
        return table, rows

    def evaluate(self, expression: Any) -> int:
        if isinstance(expression, int):
            return self.bits[expression]
        operator = expression[0]
        if operator == OP_NOT:
            return self.all & ~self.evaluate(expression[1])
        if operator == OP_AND:
            result = self.all
            for item in expression[1:]:
                result &= self.evaluate(item)
                if not result:
                    break
            return result
        result = 0
        for item in expression[1:]:
            result |= self.evaluate(item)
            if result == self.all:
                break
        return result


def _texts(document: SearchDocument) -> list[str]:
    # One entry per field value: a phrase never runs from one value into the next.
    return [document.title, document.body, *document.member_names, *document.department_names]


def _has_phrase(slots: list[str | None], phrase: tuple[tuple[int, str], ...]) -> bool:
    first = phrase[0][1]
    rest = phrase[1:]
    length = len(slots)
    start = 0
    while True:
        try:
            start = slots.index(first, start)
        except ValueError:
            return False
        if all(start + offset < length and slots[start + offset] == term for offset, term in rest):
            return True
        start += 1


class AlertMatcher:
    """Compiles alerts' queries once, then matches batches of documents against all of them.

    ``add`` every alert, ``freeze``, then call ``match`` for each batch. Results are exactly
    those of running each alert's query as a search over just the batch.
    """

    def __init__(self) -> None:
        self.atom_ids: dict[str, int] = {"\x00true": TRUE, "\x00false": FALSE}
        self._structured_ids: dict[tuple[Any, ...], int] = {}
        self.atom_kinds = array.array("b", [KIND_CONSTANT, KIND_CONSTANT])
        self.phrases: dict[int, tuple[tuple[int, str], ...]] = {}
        # Neighbouring terms in phrases: documents are scanned for these pairs. The value is
        # the atom of the two-word phrase made of the pair, if any alert has that phrase.
        self.phrase_pairs: dict[tuple[str, str], int] = {}
        self.dates: dict[int, tuple[int, int]] = {}
        self._positive = [array.array("i") for _ in range(MAX_POSITIVE)]
        self._negative = [array.array("i") for _ in range(MAX_NEGATIVE)]
        self._general: list[Any] = []
        self._general_keys: list[tuple[int, ...] | None] = []
        self._programs: dict[object, int] = {}
        self._by_text: dict[str, int] = {}
        self._analysed: dict[str, list[tuple[int, str]]] = {}
        self._alert_ids = array.array("q")
        self._alert_programs = array.array("q")
        self._unreadable = array.array("q")
        self.frozen = False
        self.never_matching = 0
        self.excluded = np.zeros(0, dtype=np.int64)

    @property
    def atom_count(self) -> int:
        return len(self.atom_kinds)

    @property
    def alert_count(self) -> int:
        return len(self._alert_ids) + self.never_matching

    @property
    def program_count(self) -> int:
        return len(self._positive[0]) + len(self._general)

    def add_text(self, alert_id: int, text: str) -> None:
        """Add an alert by its query text. Raises ``QuerySyntaxError`` if it cannot be read."""
        program = self._by_text.get(text)
        if program is None:
            program = self._program(parse(text))
            self._by_text[text] = program
        self._attach(alert_id, program)

    def add(self, alert_id: int, query: Node) -> None:
        self._attach(alert_id, self._program(query))

    def _attach(self, alert_id: int, program: int) -> None:
        if self.frozen:
            raise RuntimeError("This matcher is frozen: use extend() to add alerts.")
        if program == NEVER:
            self.never_matching += 1
            return
        self._alert_ids.append(alert_id)
        self._alert_programs.append(program)

    def _analyse(self, text: str) -> list[tuple[int, str]]:
        found = self._analysed.get(text)
        if found is None:
            found = self._analysed[text] = analyze_with_positions(text)
        return found

    def _atom(self, atom: Atom) -> int:
        # Terms and filter values, which documents are looked up by, live in a dict of
        # strings alone: mixing in other keys would make every lookup slower.
        table: dict[Any, int]
        key: Any
        if isinstance(atom, TermAtom | FilterAtom):
            table, key = self.atom_ids, atom.term if isinstance(atom, TermAtom) else atom.key
        elif isinstance(atom, PhraseAtom):
            table, key = self._structured_ids, ("phrase", atom.terms)
        else:
            table, key = self._structured_ids, ("date", atom.start, atom.end)
        found = table.get(key)
        if found is not None:
            return found
        if isinstance(atom, PhraseAtom):
            for _, term in atom.terms:  # a phrase's terms need bitsets of their own
                self._atom(TermAtom(term))
            for (offset, term), (next_offset, next_term) in pairwise(atom.terms):
                if next_offset == offset + 1:
                    self.phrase_pairs.setdefault((term, next_term), -1)
        identifier = len(self.atom_kinds)
        table[key] = identifier
        if isinstance(atom, PhraseAtom) and _is_pair(atom):
            # Exactly known from the scan for neighbouring pairs: no checking needed.
            self.atom_kinds.append(KIND_TERM)
            self.phrase_pairs[(atom.terms[0][1], atom.terms[1][1])] = identifier
        elif isinstance(atom, PhraseAtom):
            self.atom_kinds.append(KIND_PHRASE)
            self.phrases[identifier] = atom.terms
        elif isinstance(atom, DateAtom):
            self.atom_kinds.append(KIND_DATE)
            self.dates[identifier] = (atom.start, atom.end)
        else:
            self.atom_kinds.append(KIND_TERM)
        return identifier

    def _program(self, query: Node) -> int:
        expression = lower(query, analyze_with_positions=self._analyse)
        if expression is None:
            return NEVER
        conjunction = self._conjunction(expression)
        signature: object = conjunction if conjunction is not None else expression
        found = self._programs.get(signature)
        if found is not None:
            return found
        if conjunction is not None:
            positive, negative = conjunction
            number = len(self._positive[0])
            for column, atom in zip(
                self._positive, _padded(positive, MAX_POSITIVE, TRUE), strict=True
            ):
                column.append(atom)
            for column, atom in zip(
                self._negative, _padded(negative, MAX_NEGATIVE, FALSE), strict=True
            ):
                column.append(atom)
        else:
            # General programs are numbered after all conjunctions once frozen; negative here.
            number = -len(self._general) - 2
            self._general.append(self._compile(expression))
            keys = self._keys(expression)
            self._general_keys.append(None if keys is None else tuple(sorted(keys)))
        self._programs[signature] = number
        return number

    def _conjunction(self, expression: Expr) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
        items = expression.items if isinstance(expression, AllOf) else (expression,)
        positive, negative = [], []
        for item in items:
            if isinstance(item, NoneOf) and not isinstance(item.item, AllOf | AnyOf | NoneOf):
                negative.append(self._atom(item.item))
            elif isinstance(item, AllOf | AnyOf | NoneOf):
                return None
            else:
                positive.append(self._atom(item))
        if not positive or len(positive) > MAX_POSITIVE or len(negative) > MAX_NEGATIVE:
            return None
        return tuple(sorted(set(positive))), tuple(sorted(set(negative)))

    def _compile(self, expression: Expr) -> Any:
        if isinstance(expression, NoneOf):
            return (OP_NOT, self._compile(expression.item))
        if isinstance(expression, AllOf | AnyOf):
            operator = OP_AND if isinstance(expression, AllOf) else OP_OR
            return (operator, *(self._compile(item) for item in expression.items))
        return self._atom(expression)

    def _keys(self, expression: Expr) -> set[int] | None:
        """Atoms at least one of which must occur for ``expression`` to hold (None: any)."""
        if isinstance(expression, NoneOf | DateAtom):
            return None
        if isinstance(expression, AnyOf):
            union: set[int] = set()
            for item in expression.items:
                keys = self._keys(item)
                if keys is None:
                    return None
                union |= keys
            return union
        if isinstance(expression, AllOf):
            options = [keys for item in expression.items if (keys := self._keys(item))]
            return min(options, key=len) if options else None
        return {self._atom(expression)}

    def extend(self, alerts: Iterable[tuple[int, str]]) -> list[int]:
        """Add alerts (id, query text), frozen or not, and freeze. Returns the ids of those
        whose query cannot be read: they are remembered, and never match.

        Cheaper than building a new matcher when a few alerts are new: existing programs
        are kept, and only the flat arrays are rebuilt.
        """
        self.frozen = False
        unreadable = []
        for alert_id, text in alerts:
            try:
                self.add_text(alert_id, text)
            except QuerySyntaxError:
                unreadable.append(alert_id)
                self._unreadable.append(alert_id)
        self.freeze()
        return unreadable

    def exclude(self, alert_ids: Iterable[int]) -> None:
        """Leave these alerts out of matches from now on (deleted, paused, suspended)."""
        self.excluded = np.unique(np.fromiter(alert_ids, dtype=np.int64))

    @property
    def alert_ids(self) -> np.ndarray:
        """Every alert compiled into this matcher (including excluded ones), sorted."""
        return np.sort(
            np.concatenate(
                [
                    np.frombuffer(self._alert_ids, dtype=np.int64),
                    np.frombuffer(self._unreadable, dtype=np.int64),
                ]
            )
        )

    def freeze(self) -> AlertMatcher:
        """Build the arrays ``match`` works on; no alerts can be added after this."""
        self.frozen = True
        self._programs.clear()
        self._by_text.clear()
        self._analysed.clear()
        conjunctions = len(self._positive[0])
        self.positive = np.array([np.frombuffer(c, dtype=np.int32) for c in self._positive])
        self.negative = np.array([np.frombuffer(c, dtype=np.int32) for c in self._negative])
        self.positive = self.positive.reshape(MAX_POSITIVE, conjunctions)
        self.negative = self.negative.reshape(MAX_NEGATIVE, conjunctions)
        self.has_negative = (self.negative != FALSE).any(axis=0)
        programs = np.frombuffer(self._alert_programs, dtype=np.int64).copy()
        general = programs < 0
        programs[general] = conjunctions + (-programs[general] - 2)
        order = np.argsort(programs, kind="stable")
        self.alerts_in_order = np.frombuffer(self._alert_ids, dtype=np.int64)[order]
        self.alerts_per_program = np.bincount(programs, minlength=self.program_count)
        self.program_offsets = np.cumsum(self.alerts_per_program) - self.alerts_per_program
        self.conjunction_count = conjunctions
        kinds = np.frombuffer(self.atom_kinds, dtype=np.int8)
        self.date_atoms = np.flatnonzero(kinds == KIND_DATE)
        self.lazy = (kinds == KIND_PHRASE) | (kinds == KIND_DATE)
        self.phrase_atoms = np.array(sorted(self.phrases), dtype=np.int64)
        longest = max((len(terms) for terms in self.phrases.values()), default=1)
        self.phrase_terms = np.full((len(self.phrase_atoms), longest), TRUE, dtype=np.int64)
        for row, atom in enumerate(self.phrase_atoms.tolist()):
            terms = [self.atom_ids[term] for _, term in self.phrases[atom]]
            self.phrase_terms[row, : len(terms)] = terms
        self.always_general = [
            number for number, keys in enumerate(self._general_keys) if keys is None
        ]
        keyed = [(n, keys) for n, keys in enumerate(self._general_keys) if keys is not None]
        self.keyed_general = np.array([n for n, _ in keyed], dtype=np.int64)
        self.general_key_atoms = np.array([a for _, keys in keyed for a in keys], dtype=np.int64)
        lengths = np.array([len(keys) for _, keys in keyed], dtype=np.int64)
        self.general_key_offsets = np.cumsum(lengths) - lengths
        return self

    def match(self, documents: Sequence[SearchDocument]) -> Matches:
        """Every (alert, document) pair where the alert's query matches the document."""
        if not self.frozen:
            self.freeze()
        alert_parts, document_parts = [], []
        for start in range(0, len(documents), CHUNK_SIZE):
            chunk = documents[start : start + CHUNK_SIZE]
            alerts, indices = self._match_chunk(chunk)
            alert_parts.append(alerts)
            document_parts.append(indices + start)
        if not alert_parts:
            empty = np.zeros(0, dtype=np.int64)
            return Matches(empty, empty.copy())
        alerts, indices = np.concatenate(alert_parts), np.concatenate(document_parts)
        if len(self.excluded):
            kept = ~np.isin(alerts, self.excluded)
            alerts, indices = alerts[kept], indices[kept]
        return Matches(alerts, indices)

    def _match_chunk(self, documents: Sequence[SearchDocument]) -> tuple[np.ndarray, np.ndarray]:
        batch = _Batch(self, documents)
        possible = batch.possible()
        conjunctions, conjunction_masks = self._match_conjunctions(batch, possible)
        general, general_masks = self._match_general(batch, possible)
        programs = np.concatenate([conjunctions, self.conjunction_count + general])
        masks = np.concatenate([conjunction_masks.view(np.uint8), general_masks])
        return self._expand(programs, masks)

    def _match_conjunctions(
        self, batch: _Batch, possible: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        positive, negative = self.positive, self.negative
        candidate = possible[positive[0]]
        for row in positive[1:]:
            candidate &= possible[row]
        numbers = np.flatnonzero(candidate)
        needed = np.unique(
            np.concatenate([positive[:, numbers].ravel(), negative[:, numbers].ravel()])
        )
        batch.compute(needed[self.lazy[needed]].tolist(), possible)
        table, rows = batch.table()
        programs, masks = [], []
        for start in range(0, len(numbers), 65536):
            part = numbers[start : start + 65536]
            mask = table[rows[positive[0, part]]]
            for row in positive[1:]:
                mask &= table[rows[row[part]]]
            with_negative = self.has_negative[part]
            if with_negative.any():
                excluded = table[rows[negative[0, part]]] | table[rows[negative[1, part]]]
                excluded[~with_negative] = 0
                mask &= ~excluded
            matched = mask.any(axis=1)
            programs.append(part[matched])
            masks.append(mask[matched])
        if not programs:
            return np.zeros(0, dtype=np.int64), np.zeros((0, table.shape[1]), dtype=np.uint64)
        return np.concatenate(programs), np.concatenate(masks)

    def _match_general(self, batch: _Batch, possible: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        candidates = list(self.always_general)
        if len(self.keyed_general):
            hits = possible[self.general_key_atoms].astype(np.int64)
            counts = np.add.reduceat(hits, self.general_key_offsets)
            candidates.extend(self.keyed_general[counts > 0].tolist())
        programs: list[int] = []
        masks: list[bytes] = []
        for number in candidates:
            expression = self._general[number]
            batch.compute(_lazy_atoms(expression, self.lazy), possible)
            mask = batch.evaluate(expression)
            if mask:
                programs.append(number)
                masks.append(mask.to_bytes(batch.width, "little"))
        packed = np.frombuffer(b"".join(masks), dtype=np.uint8).reshape(len(masks), batch.width)
        return np.array(programs, dtype=np.int64), packed

    def _expand(self, programs: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """From (program, bitset of documents) to (alert id, document index) pairs."""
        rows, columns = np.nonzero(masks)
        values = masks[rows, columns]
        counts = _POPCOUNT[values]
        bit_positions = _BIT_POSITIONS[_ranges(_BIT_OFFSETS[values], counts)]
        documents = np.repeat(columns.astype(np.int64), counts) * 8 + bit_positions
        pair_programs = programs[np.repeat(rows, counts)]
        per_pair = self.alerts_per_program[pair_programs]
        alerts = self.alerts_in_order[_ranges(self.program_offsets[pair_programs], per_pair)]
        return alerts, np.repeat(documents, per_pair)


def _is_pair(atom: PhraseAtom) -> bool:
    return len(atom.terms) == 2 and atom.terms[1][0] == 1


def _padded(atoms: tuple[int, ...], width: int, filler: int) -> list[int]:
    return [*atoms, *([filler] * (width - len(atoms)))]


def _lazy_atoms(expression: Any, lazy: np.ndarray) -> Iterator[int]:
    if isinstance(expression, int):
        if lazy[expression]:
            yield expression
        return
    for item in expression[1:]:
        yield from _lazy_atoms(item, lazy)

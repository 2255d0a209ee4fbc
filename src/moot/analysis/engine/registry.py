"""Stable theme ids across runs, and the analyst's theme edits applied on top.

Each run discovers candidate themes afresh. The registry (kept in every result) remembers the
signature (top terms and weights) of every discovered theme id ever issued. A new run matches
its candidates to those signatures by cosine similarity: the best pairs above
``theme_match_threshold`` keep the old id, other candidates close to an old theme fold into it,
and the rest get new ids. Old themes that were not rediscovered stay (the analyst may rely on
them). Then the analyst's edits are replayed in order, so a deleted theme stays deleted even
when it is rediscovered, and a merged theme keeps pointing at the theme it was merged into.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from moot.analysis.engine.discovery import DiscoveredTheme
from moot.analysis.engine.inputs import (
    AddTheme,
    DeleteTheme,
    MergeThemes,
    NewTheme,
    RenameTheme,
    SplitTheme,
    ThemeEdit,
)
from moot.analysis.engine.results import ThemeOrigin, ThemeRecord


@dataclass(kw_only=True)
class ActiveTheme:
    """A theme in force for this run, before answers are assigned to it."""

    id: str
    label: str
    description: str = ""
    origin: ThemeOrigin = "discovered"
    signature: dict[str, float] = field(default_factory=dict)
    seed_terms: tuple[str, ...] = ()
    top_terms: tuple[str, ...] = ()
    representative_units: tuple[int, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ResolvedThemes:
    active: tuple[ActiveTheme, ...]
    records: tuple[ThemeRecord, ...]
    next_number: int
    aliases: dict[str, str | None]
    warnings: tuple[str, ...]

    def resolve(self, theme_id: str) -> str | None:
        """The active theme an id now stands for (``None`` if deleted or unknown)."""
        seen: set[str] = set()
        current: str | None = theme_id
        active = {t.id for t in self.active}
        while current is not None and current not in active:
            if current in seen or current not in self.aliases:
                return None
            seen.add(current)
            current = self.aliases[current]
        return current


def signature_similarity(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine similarity of two term-weight signatures."""
    if not a or not b:
        return 0.0
    dot = sum(weight * b[term] for term, weight in a.items() if term in b)
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def _combine(signatures: Iterable[Mapping[str, float]], limit: int = 60) -> dict[str, float]:
    total: dict[str, float] = {}
    for signature in signatures:
        for term, weight in signature.items():
            total[term] = total.get(term, 0.0) + weight
    top = sorted(total.items(), key=lambda item: (-item[1], item[0]))[:limit]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {term: round(w / norm, 5) for term, w in top}


def seed_signature(theme: NewTheme) -> dict[str, float]:
    terms = [t.strip().lower() for t in theme.seed_terms if t.strip()]
    if not terms:
        terms = [w for w in theme.label.lower().split() if len(w) > 2]
    return _combine([{t: 1.0} for t in terms])


def _match(
    discovered: Sequence[DiscoveredTheme], known: Sequence[ThemeRecord], threshold: float
) -> list[str | None]:
    """For each candidate, the known id it takes (or ``None`` for a new id)."""
    scored = sorted(
        (
            (-signature_similarity(c.signature, k.signature), ci, ki)
            for ci, c in enumerate(discovered)
            for ki, k in enumerate(known)
        ),
    )
    chosen: list[str | None] = [None] * len(discovered)
    taken: set[int] = set()
    for negative, ci, ki in scored:
        if -negative < threshold:
            break
        if chosen[ci] is None and ki not in taken:
            chosen[ci] = known[ki].theme_id
            taken.add(ki)
    for negative, ci, ki in scored:  # leftovers close to a known theme fold into it
        if -negative < threshold:
            break
        if chosen[ci] is None:
            chosen[ci] = known[ki].theme_id
    return chosen


def resolve_themes(
    *,
    question_id: str,
    discovered: Sequence[DiscoveredTheme],
    previous_records: Sequence[ThemeRecord] = (),
    next_number: int = 1,
    edits: Sequence[ThemeEdit] = (),
    match_threshold: float = 0.4,
) -> ResolvedThemes:
    """Give discovered themes stable ids, then replay the analyst's ``edits`` in order."""
    known = [r for r in previous_records if r.origin == "discovered"]
    chosen = _match(discovered, known, match_threshold)
    active: dict[str, ActiveTheme] = {
        r.theme_id: ActiveTheme(
            id=r.theme_id,
            label=r.label,
            signature=dict(r.signature),
            top_terms=tuple(list(r.signature)[:10]),
        )
        for r in known
    }
    refreshed: set[str] = set()
    for candidate, theme_id in zip(discovered, chosen, strict=True):
        if theme_id is None:
            theme_id = f"{question_id}:t{next_number}"
            next_number += 1
        theme = ActiveTheme(
            id=theme_id,
            label=candidate.label,
            signature=dict(candidate.signature),
            top_terms=candidate.top_terms,
            representative_units=candidate.representative_units,
        )
        if theme_id in refreshed:  # a second candidate folding into the same theme
            first = active[theme_id]
            first.signature = _combine([first.signature, candidate.signature])
            first.representative_units += candidate.representative_units
        else:
            active[theme_id] = theme
            refreshed.add(theme_id)
    records = {
        t.id: ThemeRecord(
            theme_id=t.id,
            question_id=question_id,
            origin="discovered",
            label=t.label,
            signature=t.signature,
        )
        for t in active.values()
    }
    aliases: dict[str, str | None] = {}
    notes: list[str] = []

    def add_analyst_theme(new: NewTheme) -> None:
        if new.theme_id in active or new.theme_id in records:
            notes.append(f"{question_id}: theme id {new.theme_id!r} already exists; not added")
            return
        signature = seed_signature(new)
        active[new.theme_id] = ActiveTheme(
            id=new.theme_id,
            label=new.label,
            description=new.description,
            origin="analyst",
            signature=signature,
            seed_terms=new.seed_terms,
            top_terms=tuple(signature),
        )
        records[new.theme_id] = ThemeRecord(
            theme_id=new.theme_id,
            question_id=question_id,
            origin="analyst",
            label=new.label,
            signature=signature,
        )

    def lookup(theme_id: str, edit: ThemeEdit) -> ActiveTheme | None:
        theme = active.get(theme_id)
        if theme is None:
            notes.append(f"{question_id}: {edit.OP} refers to unknown theme {theme_id!r}")
        return theme

    for edit in edits:
        if isinstance(edit, RenameTheme):
            renamed = lookup(edit.theme_id, edit)
            if renamed is not None:
                renamed.label = edit.label
                if edit.description is not None:
                    renamed.description = edit.description
        elif isinstance(edit, DeleteTheme):
            if lookup(edit.theme_id, edit) is not None:
                del active[edit.theme_id]
                records[edit.theme_id] = replace(records[edit.theme_id], status="deleted")
                aliases[edit.theme_id] = None
        elif isinstance(edit, MergeThemes):
            target = lookup(edit.target_theme_id, edit)
            if target is None:
                continue
            for source_id in edit.source_theme_ids:
                if source_id == target.id:
                    continue
                source = lookup(source_id, edit)
                if source is None:
                    continue
                target.signature = _combine([target.signature, source.signature])
                target.seed_terms = tuple(dict.fromkeys(target.seed_terms + source.seed_terms))
                target.representative_units += source.representative_units
                del active[source_id]
                records[source_id] = replace(
                    records[source_id], status="merged", merged_into=target.id
                )
                aliases[source_id] = target.id
            if edit.label:
                target.label = edit.label
        elif isinstance(edit, SplitTheme):
            if lookup(edit.theme_id, edit) is not None:
                del active[edit.theme_id]
                records[edit.theme_id] = replace(records[edit.theme_id], status="split")
                aliases[edit.theme_id] = None
                for new in edit.into:
                    add_analyst_theme(new)
        elif isinstance(edit, AddTheme):
            add_analyst_theme(edit.theme)
    for theme in active.values():
        record = records[theme.id]
        records[theme.id] = replace(record, label=theme.label)
    return ResolvedThemes(
        active=tuple(active.values()),
        records=tuple(records.values()),
        next_number=next_number,
        aliases=aliases,
        warnings=tuple(notes),
    )

"""Other ways of writing what a text says, indexed beside it so that either way finds it.

``aliases(text)`` returns short passages for the index's ``aliases`` field:

- Where the text uses a known acronym (``acronyms.py``) or one it defines itself ("Local
  Safeguarding Children Board (LSCB)"), the words around it with the full name in its
  place; where it spells a full name out, the words around it with the acronym instead.
  Passages rather than lone words, so that a phrase search such as ``"LSCB partners"``
  finds "Local Safeguarding Children Board partners".
- Each acronym as singular and plural ("LSCB LSCBs"), which stemming does not join.
- Each postcode with and without its space ("DL3 9BG" and "DL39BG"), and each telephone
  number with its digits run together, as people type them either way.

Pure Python, no Django. The index calls it for every page it builds, so everything that
starts with a capital letter is found in one pass of one pattern, whose alternatives are
grouped by their first letter: a full name is recognised when it starts with a capital, as
names do ("Local Safeguarding Children Board", "LOCAL SAFEGUARDING CHILDREN BOARDS"), not
in small letters. On the benchmark's corpus of 250-word questions this costs about 25 µs a
page, where a case-blind pattern per kind of alias cost 680 µs.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from moot.search.acronyms import known_acronyms

# Words each side of a replacement: enough for a phrase, little enough to stay small.
WINDOW_WORDS = 6
# Characters looked at each side for those words (long "words" are not indexed anyway).
WINDOW_CHARS = 300
# A page that names the NHS on every line gains no more from its thousandth mention.
MAX_ALIASES = 200
# Words a full name may have that its acronym skips: "Department for Education" (DfE).
SMALL_WORDS = frozenset({"and", "at", "for", "in", "of", "on", "s", "the", "to", "with"})

_WORD = re.compile(r"[A-Za-z0-9]+")
_DEFINITION = re.compile(r"\(\s*([A-Z][A-Za-z]{1,11})\s*\)")
# After a capital, in each letter's group: "LSCBs" (English stemming keeps the "s" of a word
# without vowels, so the plural would not find the singular) and postcodes.
_PLURAL_REST = r"[A-Z0-9]+s\b"
_POSTCODE_REST = r"[A-Z]?[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b"
_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})")
# UK numbers as printed: "01325 392105", "020 7925 0918", "0870-000-2288".
_PHONE = re.compile(r"(0\d{2,4})[ -](\d{3,8})(?:[ -](\d{3,4}))?(?!\d)")


def _name_key(text: str) -> str:
    return " ".join(_WORD.findall(text)).lower()


def _pattern(full_names: dict[str, str], *, spellings: bool) -> re.Pattern[str]:
    """One alternative per first capital letter, so that the regex engine skips straight
    from one capital to the next (it does so only when every alternative starts with a
    plain letter). Within a letter: acronyms, longest first (so "DfES" is not read as "DfE"
    and an "S"), then full names, then the spellings."""
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for acronym in full_names:
        rest = re.escape(acronym[1:]) + r"(?:'?s)?(?!\w)"
        groups[acronym[0]].append((-len(acronym), rest))
    for name in full_names.values():
        words = _WORD.findall(name)
        # Capitals matter in the first letter only: "LOCAL SAFEGUARDING CHILDREN BOARDS".
        rest = "(?i:" + r"\W+".join(map(re.escape, [words[0][1:], *words[1:]])) + "s?)\\b"
        groups[words[0][0]].append((1000 - len(name), rest))
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if spellings else "".join(groups)
    alternatives = []
    for letter in sorted(set(letters)):
        rests = [rest for _, rest in sorted(groups[letter])]
        if spellings:
            rests += [_POSTCODE_REST, _PLURAL_REST]
        alternatives.append(f"{re.escape(letter)}(?:{'|'.join(rests)})")
    return re.compile("|".join(alternatives))


@dataclass(frozen=True)
class Glossary:
    full_names: dict[str, str]  # acronym -> full name
    acronyms: dict[str, str]  # _name_key(full name) -> acronym
    pattern: re.Pattern[str]

    @classmethod
    def of(cls, full_names: dict[str, str], *, spellings: bool = False) -> Glossary:
        return cls(
            full_names=dict(full_names),
            acronyms={_name_key(name): acronym for acronym, name in full_names.items()},
            pattern=_pattern(full_names, spellings=spellings),
        )

    def acronym_for(self, matched: str) -> str | None:
        """The acronym for a full name as written: "LSCBs" for "Local Safeguarding
        Children Boards"."""
        key = _name_key(matched)
        acronym = self.acronyms.get(key)
        if acronym is None and key.endswith("s"):
            acronym = self.acronyms.get(key[:-1])
            if acronym is not None and acronym[-1] not in "sS":
                acronym += "s"
        return acronym


@functools.cache
def known_glossary() -> Glossary:
    return Glossary.of(known_acronyms(), spellings=True)


def definitions(text: str) -> dict[str, str]:
    """Acronyms ``text`` defines as "Full Name (FN)", each with the name it gives:
    the acronym's capitals are the initials of the words before the bracket, which may
    also have small words ("of", "for", "and") the acronym skips."""
    found: dict[str, str] = {}
    for match in _DEFINITION.finditer(text):
        acronym = match.group(1)
        if acronym.endswith("s") and sum(c.isupper() for c in acronym[:-1]) >= 2:
            acronym = acronym[:-1]  # "Local Safeguarding Children Boards (LSCBs)"
        letters = [c for c in acronym if c.isupper()]
        # Mostly capitals: "DfES" and "MoJ" are acronyms; "Ofsted" and "Defra" are names.
        if len(letters) < 2 or len(letters) * 2 < len(acronym) or acronym in found:
            continue
        before = text[max(0, match.start() - WINDOW_CHARS) : match.start()]
        words = list(_WORD.finditer(before))
        wanted = len(letters) - 1
        first = None
        for word in reversed(words):
            if wanted < 0:
                break
            initial = word.group(0)[0].upper()
            if initial == letters[wanted]:
                wanted -= 1
                first = word
            elif first is None or word.group(0).lower() not in SMALL_WORDS:
                break
        if wanted < 0 and first is not None:
            full_name = " ".join(before[first.start() : words[-1].end()].split())
            found[acronym] = full_name
    return found


def _window(text: str, start: int, end: int, replacement: str) -> str:
    """The words around ``text[start:end]``, with ``replacement`` in its place."""
    head = text[max(0, start - WINDOW_CHARS) : start]
    before = head.split()
    glued_before = before.pop() if before and not head[-1].isspace() else ""
    tail = text[end : end + WINDOW_CHARS]
    after = tail.split()
    glued_after = after.pop(0) if after and not tail[0].isspace() else ""
    return " ".join(
        [
            *before[-WINDOW_WORDS:],
            glued_before + replacement + glued_after,
            *after[:WINDOW_WORDS],
        ]
    )


def _matches(text: str, glossary: Glossary) -> Iterator[re.Match[str]]:
    """The pattern's matches that start a word (checked here rather than by a look-behind
    in the pattern, which would stop the regex engine skipping to the next capital)."""
    for match in glossary.pattern.finditer(text):
        start = match.start()
        if start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_"):
            yield match


def _glossary_aliases(text: str, glossary: Glossary, defined: dict[str, str]) -> Iterator[str]:
    """Aliases from ``glossary``, leaving out the acronyms ``defined`` gives another name."""

    def overridden(acronym: str) -> bool:
        return acronym in defined and defined[acronym] != glossary.full_names[acronym]

    for match in _matches(text, glossary):
        matched = match.group(0)
        # Which alternative matched, from what it matched (groups cannot repeat a name).
        acronym = matched.removesuffix("s").removesuffix("'")
        if acronym in glossary.full_names or matched in glossary.full_names:
            acronym = matched if matched in glossary.full_names else acronym
            if not overridden(acronym):
                yield _window(text, match.start(), match.end(), glossary.full_names[acronym])
                yield _singular_and_plural(acronym)
        elif (written := glossary.acronym_for(matched)) is not None:
            acronym = written if written in glossary.full_names else written[:-1]
            if not overridden(acronym):
                yield _window(text, match.start(), match.end(), written)
                yield _singular_and_plural(acronym)
        elif postcode := _POSTCODE.fullmatch(matched):
            outward, inward = postcode.groups()
            yield f"{outward} {inward} {outward}{inward}"
        else:
            yield matched[:-1]  # a plural acronym


def _singular_and_plural(acronym: str) -> str:
    return acronym if acronym[-1] in "sS" else f"{acronym} {acronym}s"


def _phone_aliases(text: str) -> Iterator[str]:
    for match in _PHONE.finditer(text):
        if match.start() > 0 and (
            text[match.start() - 1].isdigit() or text[match.start() - 1] == "+"
        ):
            continue
        digits = "".join(part for part in match.groups() if part)
        if 10 <= len(digits) <= 11:
            yield digits


def aliases(text: str) -> tuple[str, ...]:
    """Passages to index beside ``text`` (at most ``MAX_ALIASES``, without repeats)."""
    defined = definitions(text)
    sources = [_glossary_aliases(text, known_glossary(), defined), _phone_aliases(text)]
    if defined:
        sources.insert(0, _glossary_aliases(text, Glossary.of(defined), {}))
    found: dict[str, None] = {}
    for source in sources:
        for alias in source:
            found.setdefault(alias)
            if len(found) >= MAX_ALIASES:
                return tuple(found)
    return tuple(found)


def expansions(word: str) -> tuple[str, ...]:
    """What a known acronym or full name typed in a search also stands for, whatever its
    capitals: ``expansions("lscb")`` is ``("Local Safeguarding Children Board",)``. Used to
    mark those words in snippets too."""
    glossary = known_glossary()
    typed = {word.lower(), word.lower().removesuffix("s")}
    found = [name for acronym, name in glossary.full_names.items() if acronym.lower() in typed]
    acronym = glossary.acronym_for(word)
    if acronym is not None:
        found.append(acronym)
    return tuple(found)

"""Finding the documents and consultations a text names: pure Python, no database.

A ``Catalogue`` holds what moot has (each ``Target``'s titles, known short names, addresses,
years and the day it first existed); ``Catalogue.find`` returns where a text names one of
them. Precision comes first, because a wrong link on a parliamentary record misleads:

- a **full title** links when it is quoted (``'Working Together to Safeguard Children'``),
  given with a year (``Working Together to Safeguard Children (HMG 2006)``), or written
  unquoted as a title (every significant word capitalised, at least four of them);
- a **short name** (``'Working Together'``) links only when quoted or given with a year,
  because short names are often everyday words;
- an **address** links when it is the document's own (``www.dcsf.gov.uk/…``), compared
  without scheme, ``www.`` or a trailing slash;
- a **year** next to a name must be one of the target's years: "the 1999 edition of
  'Working Together'" names an edition moot does not hold, so it links nothing;
- a title that is only **part of a longer quoted title**, or followed by a subtitle, links
  nothing, and neither does a title the text could not have meant: one published after
  the text was written;
- when several targets share the name, one the text's date allows and its year picks
  wins; among equals the one most recently published before the text (the edition then
  current); a document gives way to its own consultation of the same name; a tie links
  nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

KIND_QUOTED_TITLE = "quoted_title"
KIND_TITLE_WITH_YEAR = "title_with_year"
KIND_TITLE = "title"
KIND_SHORT_NAME = "short_name"
KIND_URL = "url"

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Between two words of one name: spaces and light punctuation, never the end of a sentence.
_JOINER = re.compile(r"[\s:,\-–—/&()]*")
_OPENING_QUOTES = "'‘\"“"
_CLOSING_QUOTES = "'’\"”"
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
    ]
)  # not capitalised in titles, so not asked to be
_YEAR = r"((?:19|20)\d{2})"
_YEAR_AFTER = (
    re.compile(r"\s*\((?:[A-Za-z&.,]+\s+){0,3}" + _YEAR + r"\)"),  # (2006), (HMG 2006)
    re.compile(r"\s+" + _YEAR + r"(?![\d/–-])"),  # Working Together 2006
)
_YEAR_BEFORE = (
    re.compile(_YEAR + r"\s+(?:edition|version|revision|update)\s+of\s+(?:the\s+)?$", re.I),
    re.compile(r"\bthe\s+" + _YEAR + r"\s+$", re.I),
)
_SUBTITLE = re.compile(r":\s+[A-Z]")
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'“”‘’()\[\]]+"
    r"|\b(?:[a-z0-9-]+\.)+gov\.uk(?:/[^\s<>\"'“”‘’()\[\]]*)?",
    re.IGNORECASE,
)
MIN_UNQUOTED_TITLE_WORDS = 4


def url_key(url: str) -> str:
    """An address as compared: no scheme, ``www.``, fragment, query or trailing slash."""
    key = url.strip().lower()
    key = re.sub(r"^[a-z][a-z0-9+.-]*://", "", key)
    key = key.split("#", 1)[0].split("?", 1)[0]
    key = key.removeprefix("www.")
    key = re.sub(r"/(?:index\.s?html?)?$", "", key)
    return key.rstrip("/")


def name_tokens(name: str) -> tuple[str, ...]:
    return tuple(token.lower().replace("’", "'") for token in _TOKEN.findall(name))


@dataclass(frozen=True)
class Target:
    """Something moot holds that a text may name."""

    key: str  # "document:12", "consultation:3"
    titles: tuple[str, ...]
    short_names: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    years: frozenset[int] = frozenset()
    available_on: dt.date | None = None  # the first day a text could name it
    parent_key: str = ""  # a document's consultation


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    text: str
    kind: str
    target_key: str


@dataclass(frozen=True)
class _Name:
    tokens: tuple[str, ...]
    is_title: bool
    target: Target


@dataclass
class _Token:
    start: int
    end: int
    value: str


@dataclass
class Catalogue:
    targets: list[Target]
    _names: dict[str, list[_Name]] = field(init=False, default_factory=dict)
    _urls: dict[str, list[Target]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for target in self.targets:
            for names, is_title in ((target.titles, True), (target.short_names, False)):
                for name in names:
                    tokens = name_tokens(name)
                    if len(tokens) >= 2:  # one word is never distinctive enough
                        self._names.setdefault(tokens[0], []).append(
                            _Name(tokens, is_title, target)
                        )
            for url in target.urls:
                if key := url_key(url):
                    self._urls.setdefault(key, []).append(target)

    def find(self, text: str, *, on: dt.date | None = None) -> list[Found]:
        """Where ``text``, written on ``on``, names a target; in order, never overlapping."""
        found: list[Found] = []
        url_spans: list[tuple[int, int]] = []
        for match in _URL.finditer(text):
            start, raw = match.start(), match.group().rstrip(".,;:!?")
            url_spans.append((start, start + len(raw)))
            targets = self._urls.get(url_key(raw), [])
            chosen = _choose(targets, year=None, on=None)
            if chosen is not None:
                found.append(Found(start, start + len(raw), raw, KIND_URL, chosen.key))
        tokens = [
            _Token(m.start(), m.end(), m.group().lower().replace("’", "'"))
            for m in _TOKEN.finditer(text)
            if not any(start <= m.start() < end for start, end in url_spans)
        ]
        index = 0
        while index < len(tokens):
            taken = self._match_at(text, tokens, index, on=on)
            if taken is None:
                index += 1
                continue
            found.append(taken[0])
            index += taken[1]
        return sorted(found, key=lambda item: item.start)

    def _match_at(
        self, text: str, tokens: list[_Token], index: int, *, on: dt.date | None
    ) -> tuple[Found, int] | None:
        candidates = self._names.get(tokens[index].value)
        if not candidates:
            return None
        for length in sorted({len(name.tokens) for name in candidates}, reverse=True):
            run = tokens[index : index + length]
            if len(run) < length or not _joined(text, run):
                continue
            values = tuple(token.value for token in run)
            names = [name for name in candidates if name.tokens == values]
            if not names:
                continue
            start, end = run[0].start, run[-1].end
            decided = _decide(text, start, end, names, on=on)
            if decided is not None:
                return decided, length
            return None  # the longest name here was refused: a shorter one would be wrong too
        return None


def _joined(text: str, run: list[_Token]) -> bool:
    return all(
        _JOINER.fullmatch(text[left.end : right.start]) is not None
        and "\n" not in text[left.end : right.start]
        for left, right in itertools.pairwise(run)
    )


def _capitalised(text: str, start: int, end: int) -> bool:
    words = _TOKEN.findall(text[start:end])
    return bool(words) and all(
        word[0].isupper() or word[0].isdigit()
        for position, word in enumerate(words)
        if position == 0 or word.lower() not in _STOPWORDS
    )


def _significant_words(text: str) -> int:
    return sum(1 for word in _TOKEN.findall(text) if word.lower() not in _STOPWORDS)


def _year_near(text: str, start: int, end: int) -> int | None:
    after = text[end : end + 40]
    for pattern in _YEAR_AFTER:
        if match := pattern.match(after):
            return int(match.group(1))
    before = text[max(0, start - 40) : start]
    for pattern in _YEAR_BEFORE:
        if match := pattern.search(before):
            return int(match.group(1))
    return None


def _decide(
    text: str, start: int, end: int, names: list[_Name], *, on: dt.date | None
) -> Found | None:
    opened = start > 0 and text[start - 1] in _OPENING_QUOTES
    closed = end < len(text) and text[end] in _CLOSING_QUOTES
    if opened != closed:
        return None  # part of a longer quoted title
    quoted = opened and closed
    outer_start, outer_end = (start - 1, end + 1) if quoted else (start, end)
    if not quoted and _SUBTITLE.match(text, end):
        return None  # the start of a longer title: "Every Child Matters: Change for Children"
    year = _year_near(text, outer_start, outer_end)
    matched = text[start:end]
    titles = [name.target for name in names if name.is_title]
    shorts = [name.target for name in names if not name.is_title]
    kind = ""
    if titles and quoted:
        kind, targets = KIND_QUOTED_TITLE, titles
    elif titles and year is not None and _capitalised(text, start, end):
        kind, targets = KIND_TITLE_WITH_YEAR, titles
    elif (
        titles
        and _capitalised(text, start, end)
        and _significant_words(matched) >= MIN_UNQUOTED_TITLE_WORDS
    ):
        kind, targets = KIND_TITLE, titles
    elif shorts and (quoted or (year is not None and _capitalised(text, start, end))):
        kind, targets = KIND_SHORT_NAME, shorts
    if not kind:
        return None
    chosen = _choose(targets, year=year, on=on)
    if chosen is None:
        return None
    return Found(start, end, matched, kind, chosen.key)


def _choose(targets: list[Target], *, year: int | None, on: dt.date | None) -> Target | None:
    unique = {target.key: target for target in targets}
    possible = [
        target
        for target in unique.values()
        if on is None or target.available_on is None or target.available_on <= on
    ]
    if year is not None:
        possible = [target for target in possible if year in target.years]
    keys = {target.key for target in possible}
    possible = [target for target in possible if target.parent_key not in keys]
    if len(possible) <= 1:
        return possible[0] if possible else None
    latest = max(target.available_on or dt.date.min for target in possible)
    newest = [t for t in possible if (t.available_on or dt.date.min) == latest]
    return newest[0] if len(newest) == 1 else None

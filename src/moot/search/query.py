"""moot's search query language, parsed into a small tree that search and alerts both use.

    child exploitation           both words (stemmed): "exploited" finds "exploitation"
    child AND exploitation       the same: AND may be written out
    "sexual exploitation"        the exact phrase
    trafficking OR prostitution  either word
    children NOT prostitution    not this word; children -prostitution is the same,
                                 and NOT or - works before a "phrase" or (brackets)
    (a OR b) c                   grouping
    member:helen-southworth      member:"Helen Southworth" works too
    party:labour  department:home-office  type:question|statement|consultation|document
    date:2007-12-01..2007-12-31  also date:2007, date:2007-12, date:2007-12-03,
                                 date:2007-12-01.. and date:..2007-12-31

AND, OR and NOT are operators only in capitals; in small letters they are words. OR binds
tighter than AND, as in Google and TheyWorkForYou: ``police children OR young people`` is
``police (children OR young) people``. NOT and ``-`` apply to the one word, phrase, filter
or bracketed group after them. A word followed by a colon that is not one of these filters
is read as ordinary words. Anything that cannot be read, or that only leaves things out,
raises ``QuerySyntaxError`` with a message for the person who typed it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.text import slugify


class QuerySyntaxError(ValueError):
    """A query that cannot be read; ``str(error)`` says why, in plain words."""


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True)
class Filter:
    """``field`` is member, party, department or type; ``value`` is a slug or a type name."""

    field: str
    value: str


@dataclass(frozen=True)
class DateRange:
    """Inclusive at both ends; ``None`` is open-ended."""

    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class And:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    nodes: tuple[Node, ...]


Node = Word | Phrase | Filter | DateRange | Not | And | Or

SLUG_FIELDS = ("member", "party", "department")
TYPES = ("question", "statement", "consultation", "document", "debate")
FIELDS = (*SLUG_FIELDS, "type", "date")
KEYWORDS = ("AND", "OR", "NOT")
MAX_QUERY_LENGTH = 1000
MAX_TERMS = 64

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<open>\()
  | (?P<close>\))
  | (?P<minus>-(?=[\w"(]))
  | (?P<field>(?P<name>[A-Za-z]+):(?:"(?P<fquoted>[^"]*)"|(?P<fvalue>[^\s()"]*)))
  | (?P<phrase>"(?P<quoted>[^"]*)")
  | (?P<quote>")
  | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    value: str
    position: int
    field_name: str = ""


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or ""
        if kind == "space":
            continue
        if kind == "quote":
            raise QuerySyntaxError(
                f"A quotation mark at character {match.start() + 1} is not closed: "
                'put a " at the end of the phrase.'
            )
        if kind == "field":
            name = match.group("name").lower()
            value = match.group("fquoted")
            if value is None:
                value = match.group("fvalue")
            if name not in FIELDS:
                # Not one of moot's filters: read "re:housing" as ordinary words.
                for word in re.findall(r"[^\s:]+", match.group(0)):
                    tokens.append(_Token("word", word, match.start()))
                continue
            tokens.append(_Token("field", value, match.start(), field_name=name))
        elif kind == "phrase":
            tokens.append(_Token("phrase", match.group("quoted"), match.start()))
        elif kind == "minus":
            tokens.append(_Token("minus", "-", match.start()))
        elif kind == "word" and match.group(0) in KEYWORDS:
            # Only in capitals: "and", "or" and "not" in small letters are words to look for.
            tokens.append(_Token(match.group(0).lower(), match.group(0), match.start()))
        else:
            tokens.append(_Token(kind, match.group(0), match.start()))
    return tokens


def _date_bound(value: str, *, end: bool) -> dt.date:
    try:
        if re.fullmatch(r"\d{4}", value):
            year = int(value)
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if re.fullmatch(r"\d{4}-\d{1,2}", value):
            year, month = (int(part) for part in value.split("-"))
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, last if end else 1)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise QuerySyntaxError(
            f'"{value}" is not a date. Write dates like 2007-12-03, 2007-12 or 2007, '
            "and ranges like date:2007-12-01..2007-12-31."
        ) from None


def parse_date_range(value: str) -> DateRange:
    if not value:
        raise QuerySyntaxError("date: needs a date or a range, like date:2007-12-01..2007-12-31.")
    if ".." in value:
        start_text, _, end_text = value.partition("..")
        start = _date_bound(start_text, end=False) if start_text else None
        end = _date_bound(end_text, end=True) if end_text else None
        if start is None and end is None:
            raise QuerySyntaxError("date: needs at least one end to the range.")
    else:
        start = _date_bound(value, end=False)
        end = _date_bound(value, end=True)
    if start and end and start > end:
        raise QuerySyntaxError(f"The date range {value} ends before it starts.")
    return DateRange(start=start, end=end)


def _filter(token: _Token) -> Node:
    name, value = token.field_name, token.value.strip()
    if name == "date":
        return parse_date_range(value)
    if name == "type":
        singular = value.lower().rstrip("s")
        if singular not in TYPES:
            raise QuerySyntaxError(
                f'"{value}" is not a type. Use type:question, type:statement, type:debate, '
                "type:consultation or type:document."
            )
        return Filter(field="type", value=singular)
    slug = slugify(value)
    if not slug:
        raise QuerySyntaxError(f"{name}: needs a name, like {name}:{_EXAMPLES[name]}.")
    return Filter(field=name, value=slug)


_EXAMPLES = {
    "member": "helen-southworth",
    "party": "labour",
    "department": "home-office",
}


_OPERATOR_NAMES = {"and": "AND", "or": "OR", "not": "NOT", "minus": "A minus sign"}

NOT_ONLY = (
    "A search can't be only NOT words: add at least one word or filter to look for, "
    "like children NOT trafficking."
)
OR_WITH_NOT = (
    "OR can't join a NOT word: to leave out either word, put them in brackets, "
    "like children NOT (trafficking OR prostitution)."
)


def _both_sides(operator: str) -> QuerySyntaxError:
    example = "trafficking OR prostitution" if operator == "OR" else "children AND trafficking"
    return QuerySyntaxError(
        f"{operator} needs a word or phrase on both sides, like {example}. "
        f"To look for the word itself, write it in small letters."
    )


class _Parser:
    """Recursive descent over the tokens. Loosest first::

    conjunction := item ([AND] item)*            implicit or explicit AND
    item        := (NOT | -) operand | disjunction
    disjunction := operand (OR operand)*         OR binds tighter than AND
    operand     := ( conjunction ) | "phrase" | filter | word
    """

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.terms = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def kind(self) -> str:
        token = self.peek()
        return token.kind if token is not None else "end"

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node:
        node = self.conjunction()
        token = self.peek()
        if token is not None:
            raise QuerySyntaxError(
                f"There is a closing bracket at character {token.position + 1} with no opening "
                "bracket before it."
            )
        return node

    def conjunction(self) -> Node:
        nodes: list[Node] = []
        while self.kind() not in ("close", "end"):
            if self.kind() == "and":
                self.take()
                if not nodes or self.kind() in ("close", "end", "and", "or"):
                    raise _both_sides("AND")
                continue
            if self.kind() == "or":
                if nodes and isinstance(nodes[-1], Not):
                    raise QuerySyntaxError(OR_WITH_NOT)
                raise _both_sides("OR")
            nodes.append(self.item())
        if not nodes:
            raise QuerySyntaxError("There is nothing to search for here.")
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def item(self) -> Node:
        if self.kind() in ("not", "minus"):
            operator = _OPERATOR_NAMES[self.take().kind]
            if self.kind() in ("close", "end"):
                raise QuerySyntaxError(
                    f"{operator} needs a word after it to leave out, like children NOT "
                    "trafficking or children -trafficking."
                )
            if self.kind() in _OPERATOR_NAMES:
                raise QuerySyntaxError(
                    f"{operator} must be followed by a word, a phrase in quotation marks or "
                    f"brackets to leave out, not by {_OPERATOR_NAMES[self.kind()]}."
                )
            return Not(self.operand())
        return self.disjunction()

    def disjunction(self) -> Node:
        nodes = [self.operand()]
        while self.kind() == "or":
            self.take()
            if self.kind() in ("not", "minus"):
                raise QuerySyntaxError(OR_WITH_NOT)
            if self.kind() in ("close", "end", "and", "or"):
                raise _both_sides("OR")
            nodes.append(self.operand())
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def operand(self) -> Node:
        token = self.take()
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise QuerySyntaxError(f"A search can have at most {MAX_TERMS} words and filters.")
        if token.kind == "open":
            if self.kind() == "close":
                raise QuerySyntaxError(
                    f"The brackets at character {token.position + 1} have nothing inside them."
                )
            node = self.conjunction()
            if self.kind() != "close":
                raise QuerySyntaxError(
                    f"The bracket at character {token.position + 1} is not closed."
                )
            self.take()
            return node
        if token.kind == "phrase":
            words = tuple(token.value.split())
            if not words:
                raise QuerySyntaxError('An empty phrase "" has nothing to search for.')
            return Word(words[0]) if len(words) == 1 else Phrase(words)
        if token.kind == "field":
            return _filter(token)
        return Word(token.value)


def _has_positive(node: Node) -> bool:
    """Whether ``node`` looks for something, rather than only leaving things out."""
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(_has_positive(child) for child in node.nodes)
    if isinstance(node, Or):
        return all(_has_positive(child) for child in node.nodes)
    return True


def _check_alternatives(node: Node) -> None:
    """Each side of an OR must look for something: ``a OR (-b)`` would match nearly all."""
    if isinstance(node, Or) and not all(_has_positive(child) for child in node.nodes):
        raise QuerySyntaxError(OR_WITH_NOT)
    if isinstance(node, And | Or):
        for child in node.nodes:
            _check_alternatives(child)
    elif isinstance(node, Not):
        _check_alternatives(node.node)


def parse(text: str) -> Node:
    """Parse a query. Raises ``QuerySyntaxError`` for anything that cannot be read, or that
    is only words to leave out."""
    text = text.strip()
    if not text:
        raise QuerySyntaxError("Enter something to search for.")
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"A search can be at most {MAX_QUERY_LENGTH} characters long.")
    tokens = _tokens(text)
    if not tokens:
        raise QuerySyntaxError("Enter something to search for.")
    node = _Parser(tokens).parse()
    _check_alternatives(node)
    if not _has_positive(node):
        raise QuerySyntaxError(NOT_ONLY)
    return node


def to_text(node: Node) -> str:
    """Write a tree back as query text (used to show and store normalised queries)."""
    if isinstance(node, Word):
        # A word that came from a one-word phrase ("OR", "-5", "re:housing") stays quoted,
        # so it reads back as the same word rather than as an operator or a filter.
        if node.text in KEYWORDS or node.text.startswith("-") or any(c in node.text for c in ":()"):
            return f'"{node.text}"'
        return node.text
    if isinstance(node, Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, Filter):
        return f"{node.field}:{node.value}"
    if isinstance(node, DateRange):
        start = node.start.isoformat() if node.start else ""
        end = node.end.isoformat() if node.end else ""
        return f"date:{start}..{end}"
    if isinstance(node, Not):
        inner = to_text(node.node)
        return f"-({inner})" if isinstance(node.node, And | Or) else f"-{inner}"
    if isinstance(node, And):
        return " ".join(
            f"({to_text(child)})" if isinstance(child, Or) else to_text(child)
            for child in node.nodes
        )
    return " OR ".join(
        f"({to_text(child)})" if isinstance(child, And) else to_text(child) for child in node.nodes
    )

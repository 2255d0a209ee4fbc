import datetime as dt

import pytest

from moot.search.query import (
    And,
    DateRange,
    Filter,
    Not,
    Or,
    Phrase,
    QuerySyntaxError,
    Word,
    parse,
    to_text,
)


def test_words_are_anded() -> None:
    assert parse("child exploitation") == And((Word("child"), Word("exploitation")))
    assert parse("child") == Word("child")


def test_phrases() -> None:
    assert parse('"sexual exploitation" guidance') == And(
        (Phrase(("sexual", "exploitation")), Word("guidance"))
    )
    assert parse('"single"') == Word("single")


def test_or_binds_looser_than_and() -> None:
    assert parse("a b OR c") == Or((And((Word("a"), Word("b"))), Word("c")))
    assert parse("a (b OR c)") == And((Word("a"), Or((Word("b"), Word("c")))))
    assert parse("a or b") == And((Word("a"), Word("or"), Word("b")))


def test_exclusion() -> None:
    assert parse("children -prostitution") == And((Word("children"), Not(Word("prostitution"))))
    assert parse('children -"working together"') == And(
        (Word("children"), Not(Phrase(("working", "together"))))
    )
    assert parse("co-operation") == Word("co-operation")


def test_filters_become_slugs() -> None:
    assert parse('member:"Helen Southworth"') == Filter("member", "helen-southworth")
    assert parse("party:Labour department:home-office") == And(
        (Filter("party", "labour"), Filter("department", "home-office"))
    )
    assert parse("type:questions") == Filter("type", "question")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("date:2007-12-01..2007-12-31", dt.date(2007, 12, 1), dt.date(2007, 12, 31)),
        ("date:2007", dt.date(2007, 1, 1), dt.date(2007, 12, 31)),
        ("date:2008-02", dt.date(2008, 2, 1), dt.date(2008, 2, 29)),
        ("date:2007-12-03", dt.date(2007, 12, 3), dt.date(2007, 12, 3)),
        ("date:2007-12-01..", dt.date(2007, 12, 1), None),
        ("date:..2007-12-31", None, dt.date(2007, 12, 31)),
    ],
)
def test_date_ranges(text: str, start: dt.date | None, end: dt.date | None) -> None:
    assert parse(text) == DateRange(start, end)


def test_unknown_field_is_read_as_words() -> None:
    assert parse("re:housing") == And((Word("re"), Word("housing")))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter something"),
        ("   ", "Enter something"),
        ('"unclosed phrase', "not closed"),
        ("(a b", "not closed"),
        ("a b)", "closing bracket"),
        ("OR a", "both sides"),
        ("a OR", "both sides"),
        ("-only", "at least one word"),
        ("date:2007-13-45", "not a date"),
        ("date:2008-01-01..2007-01-01", "ends before it starts"),
        ("date:..", "at least one end"),
        ("type:speech", "not a type"),
        ("member:", "needs a name"),
        ('""', "empty phrase"),
        ("word " * 70, "at most 64"),
        ("x" * 1001, "at most 1000 characters"),
    ],
)
def test_unreadable_queries_get_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message):
        parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "child exploitation",
        '"sexual exploitation" -prostitution',
        "(a OR b) c",
        "member:helen-southworth date:2007-12-01..2007-12-31 type:question",
        "a b OR c d",
    ],
)
def test_to_text_round_trips(text: str) -> None:
    node = parse(text)
    assert parse(to_text(node)) == node

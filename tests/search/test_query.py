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


def test_or_binds_tighter_than_and_as_in_google_and_theyworkforyou() -> None:
    assert parse("a b OR c") == And((Word("a"), Or((Word("b"), Word("c")))))
    assert parse("a b OR c d") == And((Word("a"), Or((Word("b"), Word("c"))), Word("d")))
    assert parse("a OR b OR c") == Or((Word("a"), Word("b"), Word("c")))
    assert parse("(a b) OR c") == Or((And((Word("a"), Word("b"))), Word("c")))
    assert parse('"sexual exploitation" OR trafficking') == Or(
        (Phrase(("sexual", "exploitation")), Word("trafficking"))
    )


def test_and_may_be_written_out() -> None:
    assert parse("children AND trafficking") == parse("children trafficking")
    assert parse("a AND b OR c") == And((Word("a"), Or((Word("b"), Word("c")))))
    assert parse("a AND (b OR c) AND d") == parse("a (b OR c) d")


def test_not_leaves_out_the_next_word_phrase_filter_or_group() -> None:
    assert parse("children NOT trafficking") == And((Word("children"), Not(Word("trafficking"))))
    assert parse("children NOT trafficking") == parse("children -trafficking")
    assert parse('children NOT "sexual exploitation"') == And(
        (Word("children"), Not(Phrase(("sexual", "exploitation"))))
    )
    assert parse("NOT trafficking children") == And((Not(Word("trafficking")), Word("children")))
    assert parse("children AND NOT trafficking") == parse("children NOT trafficking")
    assert parse("children NOT (trafficking OR prostitution)") == And(
        (Word("children"), Not(Or((Word("trafficking"), Word("prostitution")))))
    )
    assert parse("children NOT type:question") == And(
        (Word("children"), Not(Filter("type", "question")))
    )


def test_operators_in_small_letters_are_words() -> None:
    assert parse("a or b") == And((Word("a"), Word("or"), Word("b")))
    assert parse("children and not trafficking") == And(
        (Word("children"), Word("and"), Word("not"), Word("trafficking"))
    )
    assert parse('"OR"') == Word("OR")


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
        ("(a OR) b", "both sides"),
        ("a OR OR b", "both sides"),
        ("a AND", "both sides"),
        ("AND a", "both sides"),
        ("a AND AND b", "both sides"),
        ("a AND OR b", "both sides"),
        ("-only", "can't be only NOT words"),
        ("-only", "at least one word"),
        ("NOT trafficking", "can't be only NOT words"),
        ("NOT a NOT b", "can't be only NOT words"),
        ("NOT (a OR b)", "can't be only NOT words"),
        ("children NOT", "NOT needs a word after it"),
        ("(children NOT) b", "NOT needs a word after it"),
        ("a NOT NOT b", "not by NOT"),
        ("a NOT OR b", "not by OR"),
        ("a NOT -b", "not by A minus sign"),
        ("a OR NOT b", "OR can't join a NOT word"),
        ("a OR -b", "OR can't join a NOT word"),
        ("-a OR b", "OR can't join a NOT word"),
        ("a OR (-b)", "OR can't join a NOT word"),
        ("a ()", "nothing inside them"),
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
        "(a b) OR c",
        "children NOT (trafficking OR prostitution)",
        'children AND "OR" AND "-5" AND "member:x"',
    ],
)
def test_to_text_round_trips(text: str) -> None:
    node = parse(text)
    assert parse(to_text(node)) == node

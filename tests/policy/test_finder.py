"""The mention finder on its own: what it links, and above all what it must not."""

from __future__ import annotations

import datetime as dt

import pytest

from moot.policy.finder import (
    KIND_QUOTED_TITLE,
    KIND_SHORT_NAME,
    KIND_TITLE,
    KIND_TITLE_WITH_YEAR,
    KIND_URL,
    Catalogue,
    Target,
    url_key,
)

PROSTITUTION_2000 = Target(
    key="document:2000",
    titles=("Safeguarding Children Involved in Prostitution",),
    years=frozenset({2000}),
    available_on=dt.date(2000, 5, 1),
)
WORKING_TOGETHER_2006 = Target(
    key="document:2006",
    titles=("Working Together to Safeguard Children",),
    short_names=("Working Together",),
    urls=("http://www.everychildmatters.gov.uk/workingtogether",),
    years=frozenset({2006}),
    available_on=dt.date(2006, 4, 1),
)
CONSULTATION_2008 = Target(
    key="consultation:1",
    titles=("Safeguarding children and young people from sexual exploitation: draft guidance",),
    years=frozenset({2008}),
    available_on=dt.date(2008, 3, 14),
)
DRAFT_2008 = Target(
    key="document:draft",
    titles=("Safeguarding children and young people from sexual exploitation: draft guidance",),
    years=frozenset({2008}),
    available_on=dt.date(2008, 3, 14),
    parent_key="consultation:1",
)
FINAL_2009 = Target(
    key="document:2009",
    titles=("Safeguarding Children and Young People from Sexual Exploitation",),
    years=frozenset({2009}),
    available_on=dt.date(2009, 6, 30),
    parent_key="consultation:1",
)
CATALOGUE = Catalogue(
    [PROSTITUTION_2000, WORKING_TOGETHER_2006, CONSULTATION_2008, DRAFT_2008, FINAL_2009]
)

SEED_ANSWER = (
    "The Department has taken a number of steps to tackle child sexual exploitation, including "
    "publication in April 2006 of the updated 'Working Together to Safeguard Children', the "
    "main inter-agency guide to working together to safeguard and promote the welfare of "
    "children. 'Working Together' stresses the need to treat children involved in "
    "prostitution and other forms of sexual exploitation primarily as the victims of abuse "
    "and advises that agencies should work together to develop local protocols. We have also "
    "published draft guidance to help agencies safeguard children who may have been "
    "trafficked. We are currently updating 'Safeguarding Children involved in prostitution', "
    "which was originally published in 2000 as supplementary guidance to the 1999 edition of "
    "'Working Together'."
)


def found(text: str, on: dt.date | None = dt.date(2009, 12, 1)) -> list[tuple[str, str, str]]:
    return [(f.text, f.kind, f.target_key) for f in CATALOGUE.find(text, on=on)]


def test_the_seed_answer_links_each_document_it_names_and_nothing_else() -> None:
    results = CATALOGUE.find(SEED_ANSWER, on=dt.date(2007, 12, 3))
    assert [(f.text, f.kind, f.target_key) for f in results] == [
        ("Working Together to Safeguard Children", KIND_QUOTED_TITLE, "document:2006"),
        ("Working Together", KIND_SHORT_NAME, "document:2006"),
        ("Safeguarding Children involved in prostitution", KIND_QUOTED_TITLE, "document:2000"),
    ]
    for item in results:  # the positions are the words
        assert SEED_ANSWER[item.start : item.end] == item.text


def test_another_edition_named_by_its_year_links_nothing() -> None:
    assert found("the 1999 edition of 'Working Together'") == []
    assert found("'Working Together to Safeguard Children' (1999)") == []
    assert found("Working Together to Safeguard Children (HMG 2006)") == [
        ("Working Together to Safeguard Children", KIND_TITLE_WITH_YEAR, "document:2006")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "agencies should work together to safeguard children",  # generic words
        "Agencies should Work Together on this.",  # a short name unquoted
        "children involved in prostitution need help",  # part of a title, generic
        "'Children involved in Prostitution'",  # a partial title, quoted
        "'Working Together to Safeguard Children: a review of practice'",  # longer title
        "'A Guide to Working Together to Safeguard Children'",  # longer quoted title
        "Working Together to Safeguard Children: Statutory Guidance",  # a subtitle
        "working together to safeguard children is everyone's job",  # lower case
        "'Safeguarding children who may have been trafficked'",  # a document moot lacks
        "'Working'",  # one word is never a name
        "the Department's website, www.dcsf.gov.uk/consultations",  # a department page
    ],
)
def test_texts_naming_nothing_moot_holds_link_nothing(text: str) -> None:
    assert found(text) == []


def test_an_unquoted_title_links_when_written_as_a_title() -> None:
    assert found("Working Together to Safeguard Children sets out the duties") == [
        ("Working Together to Safeguard Children", KIND_TITLE, "document:2006")
    ]


def test_a_document_published_after_the_text_cannot_be_what_it_names() -> None:
    text = "'Safeguarding Children and Young People from Sexual Exploitation'"
    assert found(text, on=dt.date(2008, 1, 1)) == []
    assert found(text, on=dt.date(2009, 7, 1)) == [
        (
            "Safeguarding Children and Young People from Sexual Exploitation",
            KIND_QUOTED_TITLE,
            "document:2009",
        )
    ]


def test_a_consultation_is_preferred_to_its_own_document_of_the_same_name() -> None:
    text = "'Safeguarding children and young people from sexual exploitation: draft guidance'"
    assert [key for *_, key in found(text)] == ["consultation:1"]


def test_the_edition_current_when_the_text_was_written_wins() -> None:
    editions = Catalogue(
        [
            Target(
                "document:a",
                ("Working Together",),
                years=frozenset({1999}),
                available_on=dt.date(1999, 12, 1),
            ),
            Target(
                "document:b",
                ("Working Together",),
                years=frozenset({2006}),
                available_on=dt.date(2006, 4, 1),
            ),
        ]
    )
    assert [f.target_key for f in editions.find("'Working Together'", on=dt.date(2003, 1, 1))] == [
        "document:a"
    ]
    assert [f.target_key for f in editions.find("'Working Together'", on=dt.date(2007, 1, 1))] == [
        "document:b"
    ]
    assert [
        f.target_key
        for f in editions.find("the 1999 edition of 'Working Together'", on=dt.date(2007, 1, 1))
    ] == ["document:a"]


def test_two_things_of_one_name_and_date_link_nothing() -> None:
    twins = Catalogue(
        [
            Target(
                "document:a", ("Every Child Matters Guidance",), available_on=dt.date(2004, 1, 1)
            ),
            Target(
                "document:b", ("Every Child Matters Guidance",), available_on=dt.date(2004, 1, 1)
            ),
        ]
    )
    assert twins.find("'Every Child Matters Guidance'") == []


def test_an_address_links_to_the_document_published_there() -> None:
    text = "See Working Together (www.everychildmatters.gov.uk/workingtogether/)."
    assert found(text) == [
        ("www.everychildmatters.gov.uk/workingtogether/", KIND_URL, "document:2006")
    ]
    assert found("https://everychildmatters.gov.uk/workingtogether.") == [
        ("https://everychildmatters.gov.uk/workingtogether", KIND_URL, "document:2006")
    ]
    assert found("www.everychildmatters.gov.uk/workingtogether/annex") == []


def test_url_keys_ignore_scheme_www_query_and_trailing_slash() -> None:
    assert url_key("HTTPS://www.Gov.uk/guidance/x/?a=1#b") == "gov.uk/guidance/x"
    assert url_key("http://example.gov.uk/a/index.html") == "example.gov.uk/a"


def test_names_never_run_across_sentences_or_lines() -> None:
    assert found("'Working\nTogether'") == []
    assert found("Working Together. To Safeguard Children (2006)") == []


def test_curly_quotes_and_apostrophes() -> None:
    assert found("the ‘Working Together’ guidance") == [
        ("Working Together", KIND_SHORT_NAME, "document:2006")
    ]
    assert found("“Working Together to Safeguard Children”") == [
        ("Working Together to Safeguard Children", KIND_QUOTED_TITLE, "document:2006")
    ]

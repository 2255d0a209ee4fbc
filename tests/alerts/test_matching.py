"""The alert matcher: exact semantics, and agreement with one tantivy search per alert."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from moot.alerts.analysis import analyze, analyze_with_positions
from moot.alerts.matching import AlertMatcher
from moot.alerts.matching.reference import SearchPerAlert
from moot.search.documents import SearchDocument
from moot.search.query import QuerySyntaxError, parse


def document(
    number: int,
    *,
    title: str = "",
    body: str = "",
    kind: str = "question",
    day: dt.date = dt.date(2007, 12, 3),
    members: tuple[tuple[str, str], ...] = (),
    departments: tuple[tuple[str, str], ...] = (),
    parties: tuple[str, ...] = (),
) -> SearchDocument:
    return SearchDocument(
        key=f"{kind}:{number}",
        kind=kind,
        title=title,
        body=body,
        url=f"/{number}/",
        date=day,
        member_slugs=tuple(slug for slug, _ in members),
        member_names=tuple(name for _, name in members),
        department_slugs=tuple(slug for slug, _ in departments),
        department_names=tuple(name for _, name in departments),
        party_slugs=parties,
    )


DOCUMENTS = [
    document(
        0,
        title="Children: Sexual Exploitation",
        body="To ask what steps are being taken on the sexual exploitation of children.",
        members=(("helen-southworth", "Helen Southworth"), ("kevin-brennan", "Kevin Brennan")),
        departments=(("dcsf", "Department for Children, Schools and Families"),),
        parties=("labour",),
    ),
    document(
        1,
        title="School admissions",
        body="The admissions code sets out how schools re-use waiting lists.",
        kind="consultation",
        day=dt.date(2008, 1, 5),
        departments=(("dcsf", "Department for Children, Schools and Families"),),
    ),
    document(
        2,
        title="Guidance on exploited people",
        body="Practitioners should be alert. " + "x" * 45 + " trafficking victims",
        kind="document",
        day=dt.date(2009, 1, 5),
    ),
]


def matched(queries: list[str], documents: list[SearchDocument] = DOCUMENTS) -> list[list[int]]:
    matcher = AlertMatcher()
    for number, query in enumerate(queries):
        matcher.add_text(number, query)
    found = matcher.freeze().match(documents).by_alert()
    return [sorted(found.get(number, [])) for number in range(len(queries))]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("exploitation", [0, 2]),  # stemmed: "exploited" is "exploit" too
        ("EXPLOITED", [0, 2]),
        ('"sexual exploitation"', [0]),
        ('"exploitation sexual"', []),
        ("exploited -guidance", [0]),
        ("school OR guidance", [0, 1, 2]),  # "Schools" is in a department's name
        ("admissions OR guidance", [1, 2]),
        ("(school admissions) OR (exploit date:2009)", [1, 2]),
        ("re-use", [1]),  # two terms in a row: a phrase
        ("use-re", []),
        ("member:helen-southworth", [0]),
        ('member:"Helen Southworth"', [0]),
        ("southworth helen", [0]),  # names are searchable words
        ('"southworth kevin"', []),  # a phrase never runs from one name into the next
        ("department:dcsf type:consultation", [1]),
        ("party:labour", [0]),
        ("date:2007..2008 -admissions", [0]),
        ("date:2008", [1]),
        ("date:..2007-12-03", [0]),
        ("children -(sexual exploitation)", [1]),
        ("a b c d e admissions", []),
        ("admissions code sets out how schools", [1]),  # more words than a flat program holds
        ('"alert trafficking"', []),  # the over-long word between them keeps its place
        ("victims -trafficking -alert -practitioners", []),
        ("& children", [0, 1]),  # "&" has no terms: it drops out
        ("&", []),
        ("children (-sexual -steps)", [1]),
    ],
)
def test_matches_mean_what_the_query_language_says(query: str, expected: list[int]) -> None:
    assert matched([query]) == [expected]


def test_agrees_with_one_search_per_alert() -> None:
    queries = [
        "exploitation", '"sexual exploitation"', "exploited -guidance", "school OR guidance",
        "re-use", '"southworth kevin"', "department:dcsf type:consultation", "date:2008",
        "children -(sexual exploitation)", '"alert trafficking"', "children (-sexual -steps)",
        "& children", "admissions code sets out how schools", 'member:"Kevin Brennan" children',
    ]  # fmt: skip
    reference = SearchPerAlert(DOCUMENTS)
    assert matched(queries) == [reference.matches(parse(query)) for query in queries]


def test_agrees_with_one_search_per_alert_on_random_queries() -> None:
    rng = random.Random(5)
    words = ["tax", "taxes", "taxing", "school", "schools", "child", "children", "care"]
    words += ["carer", "housing", "house", "benefit", "benefits", "rail", "railway", "the", "of"]
    documents = [
        document(
            n,
            title=" ".join(rng.choices(words, k=4)),
            body=" ".join(rng.choices(words, k=40)),
            kind=rng.choice(["question", "consultation", "document"]),
            day=dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(60)),
            members=((f"member-{n % 3}", f"Member {words[n % 5]}"),),
            departments=((f"department-{n % 2}", "Department"),),
        )
        for n in range(40)
    ]

    def atom() -> str:
        roll = rng.random()
        if roll < 0.25:
            return '"' + " ".join(rng.choices(words, k=rng.randint(2, 3))) + '"'
        if roll < 0.35:
            return rng.choice(["member:member-1", "department:department-0", "type:document"])
        if roll < 0.4:
            return "date:2024-01-10..2024-02-01"
        return rng.choice(words)

    def query(depth: int = 0) -> str:
        parts = [atom() for _ in range(rng.randint(1, 3))]
        if depth < 1 and rng.random() < 0.3:
            parts.append(f"({query(depth + 1)} OR {atom()})")
        if rng.random() < 0.3:
            parts.append("-" + atom())
        return " ".join(parts)

    queries = []
    while len(queries) < 300:
        text = query()
        try:
            parse(text)
        except QuerySyntaxError:
            continue
        queries.append(text)
    reference = SearchPerAlert(documents)
    assert matched(queries, documents) == [reference.matches(parse(q)) for q in queries]


def test_identical_queries_share_one_program_and_expand_to_every_alert() -> None:
    matcher = AlertMatcher()
    for alert_id in (10, 11, 12):
        matcher.add_text(alert_id, "sexual exploitation")
    matcher.add_text(13, "exploitation sexual")  # same conjunction, other order
    matcher.add(14, parse("admissions"))
    matcher.freeze()
    assert matcher.program_count == 2
    found = matcher.match(DOCUMENTS)
    assert sorted(found.pairs()) == [(10, 0), (11, 0), (12, 0), (13, 0), (14, 1)]


def test_batches_bigger_than_one_chunk_keep_their_positions() -> None:
    many = [document(n, body="filler words only") for n in range(2500)]
    many[2400] = document(2400, body="the rare word zeugma")
    assert matched(["zeugma", "filler"], many) == [[2400], [n for n in range(2500) if n != 2400]]


def test_an_empty_batch_or_no_alerts_matches_nothing() -> None:
    assert len(AlertMatcher().freeze().match(DOCUMENTS)) == 0
    matcher = AlertMatcher()
    matcher.add_text(1, "children")
    assert len(matcher.freeze().match([])) == 0


def test_a_query_with_nothing_to_look_for_is_counted_but_never_matches() -> None:
    matcher = AlertMatcher()
    matcher.add_text(1, "&")
    assert matcher.alert_count == 1
    assert len(matcher.freeze().match(DOCUMENTS)) == 0


def test_unreadable_query_raises_and_frozen_matcher_refuses_more() -> None:
    matcher = AlertMatcher()
    with pytest.raises(QuerySyntaxError):
        matcher.add_text(1, '"unclosed')
    matcher.freeze()
    with pytest.raises(RuntimeError):
        matcher.add_text(2, "children")


def test_positions_keep_the_gap_a_dropped_long_word_leaves() -> None:
    text = "alert " + "y" * 40 + " trafficking"
    assert analyze(text) == ["alert", "traffick"]
    assert analyze_with_positions(text) == [(0, "alert"), (2, "traffick")]
    assert analyze_with_positions("Exploited children") == [(0, "exploit"), (1, "children")]

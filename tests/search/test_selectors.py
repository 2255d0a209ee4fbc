"""The search service: every operator of the query language, ordering, facets, pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import hypothesis
import pytest
from django.utils import timezone
from hypothesis import strategies as st

from moot.parliament.models import WrittenQuestion
from moot.search.results import MAX_RESULTS
from moot.search.selectors import search_results
from moot.search.services import search_index_rebuild
from tests.factories import (
    ConsultationFactory,
    DepartmentFactory,
    DocumentFactory,
    MembershipFactory,
    PartyFactory,
    PersonFactory,
    WrittenAnswerFactory,
    WrittenQuestionFactory,
)
from tests.search.conftest import update


@dataclass
class Corpus:
    offences: str
    trafficking: str
    prostitution: str
    consultation: str
    guidance: str


@pytest.fixture
def corpus(db: None) -> Corpus:
    home = DepartmentFactory(name="Home Office", slug="home-office")
    health = DepartmentFactory(name="Department of Health", slug="department-of-health")
    helen = PersonFactory(name="Helen Southworth", slug="helen-southworth")
    MembershipFactory(person=helen, party=PartyFactory(name="Labour", slug="labour"))
    other = PersonFactory(name="Tim Loughton", slug="tim-loughton")
    MembershipFactory(person=other, party=PartyFactory(name="Conservative", slug="conservative"))
    offences = WrittenQuestionFactory(
        heading="Children: Sexual Offences",
        text="To ask what steps are being taken to tackle child sexual exploitation.",
        department=home,
        asking_person=helen,
        date=dt.date(2007, 12, 3),
    )
    WrittenAnswerFactory(
        questions=[offences],
        department=home,
        answering_person=other,
        date_answered=dt.date(2007, 12, 3),
        body_html="<p>The Bichard Inquiry recommendations are being implemented.</p>",
    )
    trafficking = WrittenQuestionFactory(
        heading="Human Trafficking",
        text="To ask how many women were victims of trafficking in 2007.",
        department=health,
        asking_person=other,
        date=dt.date(2008, 2, 11),
    )
    prostitution = WrittenQuestionFactory(
        heading="Prostitution",
        text="To ask how many children were involved in prostitution, and sexual abuse.",
        department=home,
        asking_person=other,
        date=dt.date(2006, 5, 2),
    )
    consultation = ConsultationFactory(
        title="Safeguarding children from exploitation",
        summary="Draft guidance on protecting exploited children and young people.",
        department=health,
        opens_at=timezone.make_aware(dt.datetime(2008, 9, 1, 9)),
        closes_at=timezone.make_aware(dt.datetime(2008, 12, 1, 17)),
        published_at=timezone.make_aware(dt.datetime(2008, 8, 1, 9)),
    )
    guidance = DocumentFactory(
        title="Guidance on safeguarding",
        summary="How agencies should work together when a child is at risk of abuse.",
        department=home,
        published_on=dt.date(2009, 6, 30),
    )
    search_index_rebuild()
    return Corpus(
        offences=f"question:{offences.pk}",
        trafficking=f"question:{trafficking.pk}",
        prostitution=f"question:{prostitution.pk}",
        consultation=f"consultation:{consultation.pk}",
        guidance=f"document:{guidance.pk}",
    )


def found(query: str, **options: object) -> list[str]:
    results = search_results(query=query, **options)  # type: ignore[arg-type]
    assert results.error == "", results.error
    return [hit.document.key for hit in results.hits]


def test_words_are_stemmed_so_other_forms_match(corpus: Corpus) -> None:
    assert set(found("exploited")) == {corpus.offences, corpus.consultation}
    assert found("EXPLOITATIONS") == found("exploited")


def test_all_words_must_match(corpus: Corpus) -> None:
    assert set(found("children sexual")) == {corpus.offences, corpus.prostitution}


def test_a_phrase_matches_only_those_words_together_in_order(corpus: Corpus) -> None:
    assert found('"sexual exploitation"') == [corpus.offences]
    assert found('"exploitation sexual"') == []


def test_or_finds_either(corpus: Corpus) -> None:
    assert set(found("trafficking OR prostitution")) == {corpus.trafficking, corpus.prostitution}
    assert set(found("(trafficking OR prostitution) women")) == {corpus.trafficking}


def test_a_minus_leaves_out_words_and_phrases(corpus: Corpus) -> None:
    assert corpus.prostitution in found("children")
    assert corpus.prostitution not in found("children -prostitution")
    assert corpus.offences not in found('children -"sexual exploitation"')


def test_not_leaves_out_words_as_the_minus_sign_does(corpus: Corpus) -> None:
    assert set(found("children")) == {corpus.offences, corpus.prostitution, corpus.consultation}
    assert set(found("children NOT prostitution")) == {corpus.offences, corpus.consultation}
    assert found("children NOT prostitution") == found("children -prostitution")
    assert set(found('children NOT "sexual exploitation"')) == {
        corpus.prostitution,
        corpus.consultation,
    }
    assert found("children NOT (prostitution OR exploitation)") == []
    assert found("children NOT type:question") == [corpus.consultation]
    # "trafficking" is in no page about children: nothing is left out.
    assert set(found("children NOT trafficking")) == set(found("children"))


def test_and_written_out_is_the_same_as_a_space(corpus: Corpus) -> None:
    assert set(found("children AND sexual")) == {corpus.offences, corpus.prostitution}
    assert found("children AND sexual") == found("children sexual")


def test_or_binds_tighter_than_the_words_around_it(corpus: Corpus) -> None:
    # trafficking AND (women OR children), not (trafficking AND women) OR children.
    assert found("trafficking women OR children") == [corpus.trafficking]
    assert set(found("women OR children NOT trafficking")) == {
        corpus.offences,
        corpus.prostitution,
        corpus.consultation,
    }


def test_operators_in_small_letters_are_words_to_look_for(corpus: Corpus) -> None:
    # "and" is in the prostitution question and the consultation; "or" is in none.
    assert set(found("children and")) == {corpus.prostitution, corpus.consultation}
    assert found("trafficking or prostitution") == []


def test_member_filter_by_slug_or_name_includes_answering_members(corpus: Corpus) -> None:
    assert found("member:helen-southworth") == [corpus.offences]
    assert found('member:"Helen Southworth"') == [corpus.offences]
    # Tim Loughton answered the first question and asked the other two.
    assert set(found("member:tim-loughton")) == {
        corpus.offences,
        corpus.trafficking,
        corpus.prostitution,
    }


def test_party_department_and_type_filters(corpus: Corpus) -> None:
    assert corpus.offences in found("party:labour")
    assert corpus.trafficking not in found("party:labour")
    assert set(found("department:home-office")) == {
        corpus.offences,
        corpus.prostitution,
        corpus.guidance,
    }
    assert set(found('department:"Home Office" children')) == {
        corpus.offences,
        corpus.prostitution,
    }
    assert found("type:consultation") == [corpus.consultation]
    assert found("type:documents") == [corpus.guidance]
    assert set(found("children type:question")) == {corpus.offences, corpus.prostitution}


def test_date_ranges_are_inclusive_and_may_be_open(corpus: Corpus) -> None:
    assert found("date:2007-12-01..2007-12-31") == [corpus.offences]
    assert found("date:2007-12-03") == [corpus.offences]
    assert found("date:2007-12-04..") == [corpus.guidance, corpus.consultation, corpus.trafficking]
    assert found("date:..2006") == [corpus.prostitution]
    assert found("children date:2008") == [corpus.consultation]


def test_people_and_department_names_are_searchable_words(corpus: Corpus) -> None:
    assert found("southworth") == [corpus.offences]
    assert found("bichard") == [corpus.offences]  # from the answer


def test_newest_first_and_filter_only_searches_are_in_date_order(corpus: Corpus) -> None:
    newest = [corpus.guidance, corpus.consultation, corpus.trafficking, corpus.offences]
    assert found("children OR trafficking OR guidance", sort="newest")[:4] == newest[:4]
    assert found("department:home-office") == [
        corpus.guidance,
        corpus.offences,
        corpus.prostitution,
    ]


def test_words_in_titles_count_for_more(corpus: Corpus) -> None:
    assert found("prostitution")[0] == corpus.prostitution
    assert found("trafficking")[0] == corpus.trafficking


def test_matches_are_marked_in_escaped_titles_and_snippets(db: None) -> None:
    WrittenQuestionFactory(
        heading="Fish & <chips>", text="<script>alert('fish')</script> fish suppers"
    )
    search_index_rebuild()
    hit = search_results(query="fish").hits[0]
    assert hit.title_html == "<mark>Fish</mark> &amp; &lt;chips&gt;"
    assert "<script>" not in hit.snippet_html
    assert "&lt;script&gt;alert(&#x27;<mark>fish</mark>&#x27;)" in hit.snippet_html
    assert hit.score > 0


def test_facets_count_matches_and_link_to_narrower_searches(corpus: Corpus) -> None:
    results = search_results(query="children")
    assert results.total == 3
    types = {value.value: value for value in results.facets["type"]}
    assert (types["question"].count, types["consultation"].count) == (2, 1)
    assert types["question"].query == "children type:question"
    assert not types["question"].selected
    departments = {value.value: value for value in results.facets["department"]}
    assert departments["home-office"].label == "Home Office"
    assert departments["home-office"].count == 2
    years = [(value.value, value.count) for value in results.facets["year"]]
    assert years == [("2008", 1), ("2007", 1), ("2006", 1)]
    narrowed = search_results(query=types["question"].query)
    selected = {value.value: value for value in narrowed.facets["type"]}["question"]
    assert selected.selected
    assert selected.query == "children"
    either = search_results(query="trafficking OR prostitution")
    assert either.facets["year"][0].query == "(trafficking OR prostitution) date:2008"


def test_pages_and_totals(db: None) -> None:
    WrittenQuestionFactory.create_batch(25, heading="Lighthouses")
    search_index_rebuild()
    first = search_results(query="lighthouses", page_size=10)
    assert (first.total, first.page, first.page_count, len(first.hits)) == (25, 1, 3, 10)
    last = search_results(query="lighthouses", page=99, page_size=10)
    assert (last.page, len(last.hits)) == (3, 5)
    seen = [
        hit.document.key
        for page in (1, 2, 3)
        for hit in search_results(query="lighthouses", page=page, page_size=10).hits
    ]
    assert len(set(seen)) == 25
    assert last.page_obj.has_previous()
    assert not last.page_obj.has_next()


def test_equal_scores_keep_a_stable_order(db: None) -> None:
    """Identical pages score the same: they are ordered newest first, then by kind and
    id, wherever they sit in the index."""
    questions = [
        WrittenQuestionFactory(heading="Puffins", date=dt.date(2007, 1, 1 + n % 5))
        for n in range(30)
    ]
    search_index_rebuild()
    expected = [
        f"question:{q.pk}" for q in sorted(questions, key=lambda q: (q.date, q.pk), reverse=True)
    ]
    pages = [found("puffins", page=page, page_size=7) for page in range(1, 6)]
    assert [key for page in pages for key in page] == expected


@pytest.mark.django_db(transaction=True)
def test_results_do_not_move_when_pages_are_reindexed_or_the_index_rebuilt() -> None:
    questions = WrittenQuestionFactory.create_batch(12, heading="Gannets")
    search_index_rebuild()
    before = found("gannets", page_size=50)
    # Re-indexing some of them moves them to the end of the index.
    WrittenQuestion.objects.filter(pk__in=[q.pk for q in questions[:6]]).update(text="Same")
    WrittenQuestion.objects.filter(pk__in=[q.pk for q in questions[:6]]).update(
        text="To ask the Secretary of State what steps he is taking."
    )
    update()
    assert found("gannets", page_size=50) == before
    search_index_rebuild()
    assert found("gannets", page_size=50) == before


def test_queries_that_cannot_be_read_come_back_with_a_message(corpus: Corpus) -> None:
    for query, message in [
        ('"unclosed', "quotation mark"),
        ("date:2007-13", "not a date"),
        ("-children", "at least one word"),
        ("NOT trafficking", "A search can't be only NOT words"),
        ("children NOT", "NOT needs a word after it"),
        ("children OR", "OR needs a word or phrase on both sides"),
        ("AND children", "AND needs a word or phrase on both sides"),
        ("children OR NOT trafficking", "OR can't join a NOT word"),
        ("(children", "not closed"),
        ("type:speech", "not a type"),
        ("&&", "no words to search for"),
        ("", "Enter something"),
    ]:
        results = search_results(query=query)
        assert message in results.error
        assert results.hits == []
        assert results.total == 0


def test_the_first_thousand_results_are_browsable(db: None) -> None:
    results = search_results(query="anything")
    assert results.browsable == 0
    assert MAX_RESULTS == 1000


def test_an_unknown_sort_means_relevance(corpus: Corpus) -> None:
    assert search_results(query="children", sort="alphabetical").sort == "relevance"


def test_dates_beyond_what_the_index_can_hold_match_nothing_rather_than_fail(
    corpus: Corpus,
) -> None:
    assert found("date:0001..1699") == []
    assert found("date:9999") == []
    assert len(found("date:0001-01-01..9999-12-31")) == 5


@hypothesis.settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@hypothesis.given(
    text=st.lists(
        st.sampled_from(
            [*'abc "()-:.0129é', " OR ", " AND ", " NOT ", "date:", "type:", "member:", ".."]
        ),
        max_size=25,
    ).map("".join)
    | st.text(max_size=60)
)
def test_no_query_text_makes_search_fail(corpus: Corpus, text: str) -> None:
    results = search_results(query=text)
    assert results.error or results.total >= 0
    if results.error:
        assert results.hits == []

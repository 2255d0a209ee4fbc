import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from moot.core.models import Department
from moot.parliament import selectors
from moot.parliament.models import AnswerVote, Person, WrittenQuestion
from moot.parliament.services.members import members_import
from moot.parliament.services.parlparse import parlparse_import
from moot.parliament.services.written_questions import written_questions_import
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    WrittenAnswerFactory,
    WrittenQuestionFactory,
)
from tests.pages import text_of

SEED = "/written-questions/2007-12-03/children-sexual-offences/"

pytestmark = pytest.mark.django_db


def test_seed_question_page_shows_what_the_seed_shows(client: Client, demo: None) -> None:
    text = text_of(client.get(SEED).content.decode())
    assert "Children: Sexual Offences" in text
    assert (
        "Department for Children, Schools and Families written question – "
        "answered on 3rd December 2007" in text
    )
    assert "Helen Southworth Labour, Warrington South" in text
    assert (
        "To ask the Secretary of State for Children, Schools and Families "
        "what steps have been taken" in text
    )
    assert (
        "Kevin Brennan Parliamentary Under-Secretary "
        "(Department for Children, Schools and Families) "
        "(Children, Young People and Families)"
    ) in text
    assert "The Department has taken a number of steps to tackle child sexual exploitation" in text


def test_member_page_lists_memberships_posts_and_answers(client: Client, demo: None) -> None:
    text = text_of(client.get("/members/kevin-brennan/").content.decode())
    assert "Cardiff West" in text
    assert "Parliamentary Under-Secretary (Department for Children, Schools and Families)" in text
    assert "Children: Sexual Offences" in text
    asker = text_of(client.get("/members/helen-southworth/").content.decode())
    assert "Warrington South" in asker
    assert "Questions asked" in asker


def test_department_page_lists_answers_and_consultations(client: Client, demo: None) -> None:
    text = text_of(
        client.get("/departments/department-for-children-schools-and-families/").content.decode()
    )
    assert "Children: Sexual Offences" in text
    assert "Safeguarding children and young people from sexual exploitation" in text


def test_unknown_date_or_identifier_is_not_found(client: Client, demo: None) -> None:
    assert client.get("/written-questions/2007-13-45/children-sexual-offences/").status_code == 404
    assert client.get("/written-questions/2007-12-03/no-such-question/").status_code == 404
    assert client.get("/members/nobody/").status_code == 404
    assert client.get("/departments/nowhere/").status_code == 404


def test_answer_html_is_sanitised_on_the_way_out(client: Client) -> None:
    question = WrittenQuestionFactory()
    WrittenAnswerFactory(
        questions=[question],
        body_html='<p>Fine</p><script>alert(1)</script><img src=x onerror="y()">',
    )
    html = client.get(question.get_absolute_url()).content.decode()
    assert "<p>Fine</p>" in html
    assert "alert(1)" not in html
    assert "onerror" not in html


def test_member_without_photo_gets_a_neutral_placeholder(client: Client, demo: None) -> None:
    # The seed page's members have drawn portraits in the demo; the demo's others have none.
    html = client.get("/members/margaret-ashdown/").content.decode()
    assert "person-placeholder.svg" in html
    assert client.get("/members/margaret-ashdown/photo/").status_code == 404
    assert client.get("/members/margaret-ashdown/photo/small/").status_code == 404


# Imported records -----------------------------------------------------------------------


@pytest.fixture
def imported(fixtures: Path) -> None:
    members_import(paths=[fixtures / "people.json", fixtures / "ministers.json"])
    parlparse_import(paths=[fixtures / "v1", fixtures / "lordswrans2009-11-03a.xml"])


def page_text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return text_of(response.content.decode())


def test_seed_page_now_has_votes_and_the_foi_link(client: Client, demo: None) -> None:
    html = client.get(SEED).content.decode()
    text = text_of(html)
    assert (
        "Does this answer the above question? Yes 0 people think so No 0 people think not" in text
    )
    assert (
        "Would you like to ask a question like this yourself? "
        "Use our Freedom of Information site" in text
    )
    assert (
        'href="https://www.whatdotheyknow.com/new/department_for_children_schools_and_families"'
        in html
    )


def test_foi_link_follows_the_setting_and_shows_the_foi_email(
    client: Client, demo: None, settings: object
) -> None:
    settings.FOI_REQUEST_URL = "https://foi.example.org/ask/{slug}/"  # type: ignore[attr-defined]
    Department.objects.filter(slug="department-for-children-schools-and-families").update(
        foi_email="foi@dcsf.example.org"
    )
    html = client.get(SEED).content.decode()
    assert (
        'href="https://foi.example.org/ask/department_for_children_schools_and_families/"' in html
    )
    assert "mailto:foi@dcsf.example.org" in html


def test_imported_question_page(client: Client, imported: None) -> None:
    pensions = WrittenQuestion.objects.get(uin="100001")
    html = client.get(pensions.get_absolute_url()).content.decode()
    text = text_of(html)
    assert (
        "Department for Work and Pensions written question – answered on 2nd November 2009" in text
    )
    assert "Steve Webb Liberal Democrat, Northavon" in text
    assert (
        "Helen Goodman Parliamentary Under-Secretary (Department for Work and Pensions) "
        "(Welfare Reform)" in text
    )
    assert (
        "Holding answer given on 28 October 2009; this full answer followed on 2 November 2009"
        in text
    )
    assert "Question 100001" in text
    assert "Source: Hansard column 1W" in text
    assert f'href="{pensions.source_url}"' in html
    assert "Next question : Winter Fuel Payments" in text


def test_grouped_questions_and_tables(client: Client, imported: None) -> None:
    second = WrittenQuestion.objects.get(uin="100003")
    html = client.get(second.get_absolute_url()).content.decode()
    assert html.count('data-testid="question"') == 2
    assert html.count('data-testid="answer"') == 1
    assert (
        '<div class="moot-table-wrapper" role="region" aria-label="Table" tabindex="0"><table>'
        in html
    )
    text = text_of(html)
    assert text.index("Nadine Dorries") < text.index(
        "how many winter fuel payments were made in each"
    )
    # Its neighbours are the questions before and after the group, not the group's own.
    assert "Previous question : Pensions: Uprating" in text
    assert "Next question" not in text  # the last Work and Pensions question that day


def test_a_speaker_who_cannot_be_resolved_shows_the_recorded_name(
    client: Client, imported: None
) -> None:
    asylum = WrittenQuestion.objects.get(uin="100006")
    text = page_text(client, asylum.get_absolute_url())
    assert "Jo Unrecorded" in text
    assert "A Minister Nobody Knows" in text


def test_old_and_short_permalinks_redirect(client: Client, imported: None, fixtures: Path) -> None:
    police = WrittenQuestion.objects.get(uin="100004")
    # The bare question number, and the second number of a question with two.
    for number in ("100004", "100005"):
        response = client.get(f"/written-questions/2009-11-02/{number}/")
        assert (response.status_code, response["Location"]) == (301, police.get_absolute_url())
    removed = WrittenQuestion.objects.get(uin="100007")
    old_permalink = removed.get_absolute_url()
    parlparse_import(paths=[fixtures / "v2"])
    response = client.get(old_permalink)
    assert (response.status_code, response["Location"]) == (301, "/written-questions/2009-11-02/")
    # ParlParse ids of any version lead to the question.
    pensions = WrittenQuestion.objects.get(uin="100001")
    for gid in (
        "uk.org.publicwhip/wrans/2009-11-02a.100001.q0",
        "2009-11-02b.100001.q0",
        "uk.org.publicwhip/wrans/2009-11-02a.100001.r0",
        "2009-11-02a.100001.h",
    ):
        response = client.get(f"/written-questions/source/{gid}/")
        assert (response.status_code, response["Location"]) == (301, pensions.get_absolute_url()), (
            gid
        )
    response = client.get("/written-questions/source/2009-11-02b.100005.h/")
    assert response["Location"] == police.get_absolute_url()
    assert client.get("/written-questions/source/2001-01-01a.1.q0/").status_code == 404
    assert client.get("/written-questions/2009-11-02/no-such-question/").status_code == 404


def test_day_index_groups_by_department_then_heading(client: Client, imported: None) -> None:
    html = client.get("/written-questions/2009-11-02/").content.decode()
    text = text_of(html)
    assert "6 questions to 2 departments" in text
    assert text.index("Department for Work and Pensions (3)") < text.index("Home Office (3)")
    # Answered together, asked apart: each question its own line and link.
    assert (
        "Winter Fuel Payments Winter Fuel Payments: question 100002 – asked by Nadine Dorries "
        "Winter Fuel Payments: question 100003 – asked by Steve Webb"
    ) in text
    assert html.count('data-testid="day-heading"') == 5
    assert "Next day : 3 November 2009" in text
    lords = page_text(client, "/written-questions/2009-11-03/")
    assert "Ministry of Defence" in lords
    assert client.get("/written-questions/2009-11-09/").status_code == 404
    assert client.get("/written-questions/not-a-day/").status_code == 404


def test_index_links_each_day(client: Client, imported: None) -> None:
    html = client.get("/written-questions/").content.decode()
    assert 'href="/written-questions/2009-11-02/"' in html
    assert 'href="/written-questions/answer-quality/"' in html


def test_department_page_counts_questions_over_time(client: Client, imported: None) -> None:
    home = Department.objects.get(name="Home Office")
    html = client.get(home.get_absolute_url()).content.decode()
    text = text_of(html)
    assert "3 written questions to Home Office, by month" in text
    assert "Written questions by month Month Questions November 2009 3" in text
    assert 'class="moot-counts__bar"' not in html  # one month: the table says it all
    assert "Ask Home Office for information under the Freedom of Information Act" in text


def test_department_counts_go_by_year_over_long_spans() -> None:
    department = DepartmentFactory()
    for year in (2001, 2004):
        WrittenQuestionFactory(department=department, date=dt.date(year, 3, 1))
    counts = selectors.department_question_counts(department=department)
    assert counts.period == "year"
    assert [(p.label, p.count) for p in counts.periods] == [
        ("2001", 1),
        ("2002", 0),
        ("2003", 0),
        ("2004", 1),
    ]
    assert [bar.height for bar in counts.bars] == [200, 0, 0, 200]


def test_member_page_shows_posts_questions_and_answers(client: Client, imported: None) -> None:
    text = page_text(client, "/members/helen-goodman/")
    assert (
        "Parliamentary Under-Secretary (Department for Work and Pensions) (Welfare Reform)" in text
    )
    answers = text[text.index("Answers given") :]
    assert "Winter Fuel Payments Department for Work and Pensions, 2 November 2009" in answers
    assert "Pensions: Uprating" in answers
    webb = page_text(client, "/members/steve-webb/")
    assert "Questions asked" in webb
    assert "Shadow Secretary of State (Work and Pensions)" in webb


def test_answer_quality_ranks_departments_by_the_wilson_lower_bound(client: Client) -> None:
    many, few = DepartmentFactory(name="Many Votes"), DepartmentFactory(name="Few Votes")
    for department, yes, no in ((many, 80, 20), (few, 2, 0)):
        answer = WrittenAnswerFactory(department=department, questions=[WrittenQuestionFactory()])
        for n in range(yes + no):
            AnswerVote.objects.create(
                answer=answer, voter_key=f"c:{n}", ip_hash=f"h{n}", answers_question=n < yes
            )
    text = page_text(client, "/written-questions/answer-quality/")
    assert text.index("Many Votes") < text.index("Few Votes")  # 80% of 100 beats 100% of 2
    assert "1 Many Votes 80 20 80% 71% to 87%" in text
    assert "2 Few Votes 2 0 100% 34% to 100%" in text
    assert "95% Wilson score interval" in text


def test_wilson_interval() -> None:
    assert selectors.wilson_interval(0, 0) == (0.0, 1.0)
    low, high = selectors.wilson_interval(200, 250)
    assert (round(low, 3), round(high, 3)) == (0.746, 0.845)


def test_list_pages_take_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: object, imported: None
) -> None:
    """More questions, people and votes must not mean more queries."""
    home = Department.objects.get(name="Home Office")
    webb = Person.objects.get(name="Steve Webb")
    for n in range(30):
        question = WrittenQuestionFactory(
            department=home, asking_person=webb, date=dt.date(2009, 11, 2), position=100 + n
        )
        WrittenAnswerFactory(questions=[question], department=home, answering_person=webb)
    pages = {
        "/written-questions/": 6,
        "/written-questions/2009-11-02/": 6,
        home.get_absolute_url(): 9,
        f"/departments/{home.slug}/questions/": 7,
        "/members/steve-webb/": 12,
        "/members/steve-webb/questions/": 9,
        "/members/steve-webb/answers/": 10,
        "/written-questions/answer-quality/": 6,
    }
    for url, queries in pages.items():
        with django_assert_max_num_queries(queries):  # type: ignore[operator]
            assert client.get(url).status_code == 200, url


def test_question_pages_take_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: object, imported: None
) -> None:
    """A question alone and one of a group answered together: the page's seven reads, the
    vote tallies and the mentions to link, however many speakers, seats and posts."""
    for uin in ("100001", "100003"):
        question = WrittenQuestion.objects.get(uin=uin)
        with django_assert_max_num_queries(9):  # type: ignore[operator]
            assert client.get(question.get_absolute_url()).status_code == 200, uin


def test_member_and_department_lists_paginate(client: Client) -> None:
    department = DepartmentFactory()
    person = PersonFactory(slug="prolific")
    for _ in range(55):
        WrittenQuestionFactory(department=department, asking_person=person)
    first = page_text(client, "/members/prolific/questions/")
    assert "55 in all" in first
    assert "Next page" in first
    second = client.get("/members/prolific/questions/?page=2").content.decode()
    assert second.count('<li><a class="govuk-link"') == 5
    assert "All 55 written questions" in page_text(client, department.get_absolute_url())


def test_api_records_show_holding_corrected_and_withdrawn_answers(
    client: Client, fixtures: Path
) -> None:
    written_questions_import(paths=[fixtures / "written-questions-2024-02.json"])
    women = WrittenQuestion.objects.get(uin="40006")
    text = page_text(client, women.get_absolute_url())
    assert "Corrected This answer was corrected on 20 February 2024" in text
    assert "Correction made on 20 February 2024 to the answer of 8 February 2024" in text
    assert text.index("830,000") < text.index("380,000")
    assert "Source: UK Parliament written questions and answers" in text
    holding = WrittenQuestion.objects.get(uin="40003")
    assert "Holding answer given on 9 February 2024: a full answer is to follow" in page_text(
        client, holding.get_absolute_url()
    )
    withdrawn = WrittenQuestion.objects.get(uin="40004")
    text = page_text(client, withdrawn.get_absolute_url())
    assert "Withdrawn This question was withdrawn." in text
    assert "This question has not been answered yet." in text
    food = WrittenQuestion.objects.get(uin="40005")
    text = page_text(client, food.get_absolute_url())
    assert "Attachments Food bank use by region Excel, 47 KB" in text
    written_questions_import(paths=[fixtures / "written-questions-2024-02-later.json"])
    text = page_text(client, holding.get_absolute_url())
    assert (
        "Holding answer given on 9 February 2024; this full answer followed on 15 February 2024"
        in text
    )


def test_every_question_under_one_heading_is_linked_from_its_day(
    client: Client, django_assert_num_queries: Any
) -> None:
    """28 October 2009: one member asked two questions under one heading."""
    day = dt.date(2009, 10, 28)
    fco = DepartmentFactory(name="Foreign and Commonwealth Office", slug="fco")
    cunningham = PersonFactory(name="Jim Cunningham", slug="jim-cunningham")
    heading = "Turks and Caicos Islands: Politics and Government"
    asked = [
        WrittenQuestionFactory(
            date=day,
            department=fco,
            heading=heading,
            asking_person=cunningham,
            uin=uin,
            identifier=f"turks-and-caicos-islands-politics-{uin}",
            position=position,
        )
        for position, uin in enumerate(["296188", "296189"])
    ]
    WrittenAnswerFactory(questions=[asked[0]], department=fco, date_answered=day)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/written-questions/2009-10-28/").content.decode()
    text = text_of(html)
    for question in asked:
        assert f'href="{question.get_absolute_url()}"' in html
    assert html.count('data-testid="day-question"') == 2
    assert "Jim Cunningham and Jim Cunningham" not in text
    assert f"{heading}: question 296188 – asked by Jim Cunningham {heading}" in text
    assert f"{heading}: question 296189 – asked by Jim Cunningham; not answered yet" in text
    # A busier day costs the same queries: no query per heading or question.
    busier = dt.date(2009, 10, 29)
    for n in range(12):
        WrittenQuestionFactory(
            date=busier, department=fco if n % 3 else None, heading=f"Heading {n // 2}"
        )
    with django_assert_num_queries(len(queries)):
        busy = client.get("/written-questions/2009-10-29/").content.decode()
    assert busy.count('data-testid="day-question"') == 12

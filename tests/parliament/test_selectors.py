import datetime as dt

import pytest

from moot.parliament import selectors
from tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    PartyFactory,
    PersonFactory,
    PostFactory,
    WrittenAnswerFactory,
    WrittenQuestionFactory,
)

pytestmark = pytest.mark.django_db


def test_party_and_seat_are_those_valid_on_the_date() -> None:
    person = PersonFactory()
    MembershipFactory(
        person=person,
        party=PartyFactory(slug="labour", name="Labour"),
        start_date=dt.date(1997, 5, 1),
        end_date=dt.date(2005, 4, 11),
    )
    MembershipFactory(
        person=person,
        party=PartyFactory(slug="independent", name="Independent"),
        start_date=dt.date(2005, 5, 5),
    )
    assert selectors.membership_on(person=person, date=dt.date(2001, 1, 1)).party.name == "Labour"
    assert (
        selectors.membership_on(person=person, date=dt.date(2007, 1, 1)).party.name == "Independent"
    )
    assert selectors.membership_on(person=person, date=dt.date(1990, 1, 1)) is None


def test_post_prefers_the_answering_department() -> None:
    person = PersonFactory()
    health = DepartmentFactory(slug="health", name="Health")
    PostFactory(person=person, role="Minister for Women", start_date=dt.date(2007, 1, 1))
    ours = PostFactory(
        person=person, role="Minister of State", department=health, start_date=dt.date(2006, 1, 1)
    )
    on = dt.date(2007, 12, 3)
    assert selectors.post_on(person=person, date=on, department=health) == ours
    assert selectors.post_on(person=person, date=on).role == "Minister for Women"
    assert selectors.post_on(person=person, date=dt.date(2005, 1, 1)) is None


def test_grouped_questions_show_together_on_each_question_page() -> None:
    first, second = WrittenQuestionFactory(), WrittenQuestionFactory()
    WrittenAnswerFactory(questions=[first, second])
    for question in (first, second):
        page = selectors.question_page(
            question=selectors.question_for_page(date=question.date, identifier=question.identifier)
        )
        assert [asked.question for asked in page.questions] == [first, second]
        assert len(page.answers) == 1


def test_unresolved_speaker_keeps_the_recorded_name() -> None:
    question = WrittenQuestionFactory(asking_person=None, asking_name="Mr Unknown Member")
    page = selectors.question_page(
        question=selectors.question_for_page(date=question.date, identifier=question.identifier)
    )
    assert page.questions[0].asker.name == "Mr Unknown Member"
    assert page.questions[0].asker.party_name == ""


def test_question_page_queries_do_not_grow_with_members_offices(
    django_assert_max_num_queries,
) -> None:  # type: ignore[no-untyped-def]
    person = PersonFactory()
    for year in range(1990, 2008):
        MembershipFactory(
            person=person, start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31)
        )
    question = WrittenQuestionFactory(asking_person=person)
    WrittenAnswerFactory(questions=[question])
    # The question with its asker; answers with their answerers; the questions they answer;
    # attachments; every speaker's seats, then posts; the questions either side.
    with django_assert_max_num_queries(7):
        page = selectors.question_page(
            question=selectors.question_for_page(date=question.date, identifier=question.identifier)
        )
        assert page.questions[0].asker.membership is not None


def test_question_page_queries_do_not_grow_with_questions_answered_together(
    django_assert_max_num_queries,
) -> None:  # type: ignore[no-untyped-def]
    """Each grouped question's asker, with their seat, and the minister's post, in the same
    seven queries as a question alone."""
    department = DepartmentFactory(name="Health")
    askers = [PersonFactory() for _ in range(4)]
    for asker in askers:
        MembershipFactory(person=asker, start_date=dt.date(2005, 5, 5))
    minister = PersonFactory()
    PostFactory(
        person=minister,
        role="Minister of State",
        department=department,
        start_date=dt.date(2007, 1, 1),
    )
    questions = [
        WrittenQuestionFactory(
            asking_person=asker, department=department, date=dt.date(2009, 10, 27), position=n
        )
        for n, asker in enumerate(askers)
    ]
    WrittenAnswerFactory(
        questions=questions,
        department=department,
        answering_person=minister,
        date_answered=dt.date(2009, 10, 27),
    )
    with django_assert_max_num_queries(7):
        page = selectors.question_page(
            question=selectors.question_for_page(
                date=questions[2].date, identifier=questions[2].identifier
            )
        )
        assert [asked.question for asked in page.questions] == questions
        assert [asked.asker.person for asked in page.questions] == askers
        assert all(asked.asker.membership is not None for asked in page.questions)
        assert page.answers[0].answerer.post.role == "Minister of State"

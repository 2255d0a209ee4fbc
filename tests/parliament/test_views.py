import pytest
from django.test import Client

from tests.factories import WrittenAnswerFactory, WrittenQuestionFactory
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
    html = client.get(SEED).content.decode()
    assert "person-placeholder.svg" in html
    assert client.get("/members/helen-southworth/photo/").status_code == 404

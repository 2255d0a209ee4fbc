"""Questions that branch: the routing service, the form that follows it, the submit service
that enforces only the required answers a respondent was asked, exports and staff pages."""

from __future__ import annotations

import pytest
from django.test import Client

from moot.consultations.models import (
    Answer,
    Consultation,
    ConsultationStatus,
    Question,
    QuestionKind,
    QuestionOption,
    Response,
    ResponseStatus,
)
from moot.consultations.selectors.exports import NOT_ASKED, export_csv, export_parse
from moot.consultations.selectors.exports import responses_export as export_of
from moot.consultations.selectors.responses import questionnaire, questions_not_asked_counts
from moot.consultations.services import lifecycle
from moot.consultations.services.responses import (
    AnswerValue,
    ResponseIncomplete,
    response_answer_save,
    response_draft_start,
    response_draft_update,
    response_submit,
)
from moot.consultations.services.routing import (
    RoutingError,
    question_route_set,
    questions_shown,
    routing_problems,
)
from moot.core.errors import InvalidTransition
from moot.core.models import User
from tests.consultations.conftest import Respondent, option_id
from tests.factories import ConsultationFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def _options(consultation: Consultation, key: str, *labels: str) -> list[QuestionOption]:
    return [
        QuestionOption.objects.get(
            question__consultation=consultation, question__key=key, label=label
        )
        for label in labels
    ]


def _question(consultation: Consultation, key: str) -> Question:
    return Question.objects.get(consultation=consultation, key=key)


@pytest.fixture
def routed(consultation: Consultation) -> Consultation:
    """q3 (now required) is asked only if q2 is "Chapter 2"; q4 only if q3 includes "Police"."""
    q = {key: _question(consultation, key) for key in ("q2", "q3", "q4")}
    q["q3"].required = True
    q["q3"].save()
    question_route_set(
        question=q["q3"],
        shown_if_question=q["q2"],
        shown_if_options=_options(consultation, "q2", "Chapter 2"),
    )
    question_route_set(
        question=q["q4"],
        shown_if_question=q["q3"],
        shown_if_options=_options(consultation, "q3", "Police"),
    )
    return consultation


def _about_you(draft: Response) -> None:
    response_draft_update(
        response=draft,
        respondent_type="individual",
        wants_confidentiality=False,
        publication_consent="anonymously",
    )


def _choose(draft: Response, consultation: Consultation, key: str, *labels: str) -> None:
    ids = tuple(option.pk for option in _options(consultation, key, *labels))
    response_answer_save(
        response=draft, question=_question(consultation, key), value=AnswerValue(option_ids=ids)
    )


# The rule itself.


def test_a_question_is_asked_only_after_its_trigger_took_a_given_option(
    routed: Consultation,
) -> None:
    questions = questionnaire(consultation=routed)
    ids = {q.key: q.pk for q in questions}
    chapter_1, chapter_2 = (o.pk for o in _options(routed, "q2", "Chapter 1", "Chapter 2"))
    police, health = (o.pk for o in _options(routed, "q3", "Police", "Health"))

    def asked(chosen: dict[str, list[int]]) -> set[str]:
        shown = questions_shown(
            questions=questions, chosen={ids[key]: set(v) for key, v in chosen.items()}
        )
        return {q.key for q in questions if q.pk in shown}

    assert asked({}) == {"q1", "q2"}
    assert asked({"q2": [chapter_1]}) == {"q1", "q2"}
    assert asked({"q2": [chapter_2]}) == {"q1", "q2", "q3"}
    assert asked({"q2": [chapter_2], "q3": [health]}) == {"q1", "q2", "q3"}
    assert asked({"q2": [chapter_2], "q3": [police, health]}) == {"q1", "q2", "q3", "q4"}
    # An answer left behind to a question that was skipped opens nothing.
    assert asked({"q2": [chapter_1], "q3": [police]}) == {"q1", "q2"}


# Refusals: loops and routes to nowhere.


def test_a_route_that_would_loop_is_refused_with_its_reason(routed: Consultation) -> None:
    q2, q3 = _question(routed, "q2"), _question(routed, "q3")
    with pytest.raises(RoutingError, match="q3, which comes after it: the route would loop"):
        question_route_set(
            question=q2, shown_if_question=q3, shown_if_options=_options(routed, "q3", "Police")
        )
    with pytest.raises(RoutingError, match="its own answer: the route would loop"):
        question_route_set(
            question=q3, shown_if_question=q3, shown_if_options=_options(routed, "q3", "Police")
        )
    assert _question(routed, "q2").shown_if_question_id is None


def test_a_route_to_nowhere_is_refused_with_its_reason(routed: Consultation) -> None:
    q2, q3, q4 = (_question(routed, key) for key in ("q2", "q3", "q4"))
    with pytest.raises(RoutingError, match="a route with none leads nowhere"):
        question_route_set(question=q3, shown_if_question=q2, shown_if_options=[])
    with pytest.raises(RoutingError, match="answers that question q2 does not have"):
        question_route_set(
            question=q4, shown_if_question=q2, shown_if_options=_options(routed, "q3", "Health")
        )
    later = Question.objects.create(
        consultation=routed, position=5, key="q5", kind=QuestionKind.FREE_TEXT, text="And?"
    )
    with pytest.raises(RoutingError, match="no options to choose"):
        question_route_set(question=later, shown_if_question=q4, shown_if_options=[])
    other = ConsultationFactory()
    foreign = Question.objects.create(
        consultation=other, position=1, key="x1", kind=QuestionKind.SINGLE_CHOICE, text="?"
    )
    with pytest.raises(RoutingError, match="same consultation"):
        question_route_set(question=later, shown_if_question=foreign, shown_if_options=[])
    # Nothing was changed by the refusals.
    assert _question(routed, "q4").shown_if_question_id == q3.pk
    assert list(_question(routed, "q4").shown_if_options.all()) == _options(routed, "q3", "Police")


def test_routing_cannot_change_once_responses_have_come_in(routed: Consultation) -> None:
    draft = response_draft_start(consultation=routed)
    _about_you(draft)
    _choose(draft, routed, "q1", "Agree")
    response_submit(response=draft, submission_token=str(draft.submission_token))
    with pytest.raises(RoutingError, match="once responses have come in"):
        question_route_set(question=_question(routed, "q4"), shown_if_question=None)


def test_publishing_is_refused_while_the_routing_loops(routed: Consultation, staff: User) -> None:
    routed.published_at = None
    routed.save()
    # Moving the trigger after the question it opens makes the route loop back.
    Question.objects.filter(consultation=routed, key="q2").update(position=9)
    assert routing_problems(questions=questionnaire(consultation=routed)) == [
        "Question q3 cannot depend on question q2, which comes after it: the route would loop back."
    ]
    with pytest.raises(InvalidTransition, match="cannot be published: Question q3"):
        lifecycle.consultation_publish(consultation=routed, by=staff)
    routed.refresh_from_db()
    assert routed.status == ConsultationStatus.DRAFT
    Question.objects.filter(consultation=routed, key="q2").update(position=2)
    published = lifecycle.consultation_publish(consultation=routed, by=staff)
    assert published.published_at is not None


# The submit service enforces the required answers of the questions actually asked.


def test_submitting_needs_the_required_answers_of_the_questions_asked_only(
    routed: Consultation,
) -> None:
    skipped = response_draft_start(consultation=routed)
    _about_you(skipped)
    _choose(skipped, routed, "q1", "Agree")
    _choose(skipped, routed, "q2", "Chapter 1")
    sent = response_submit(response=skipped, submission_token=str(skipped.submission_token))
    assert sent.status == ResponseStatus.SUBMITTED
    assert {q.key for q in sent.questions_not_asked.all()} == {"q3", "q4"}

    asked = response_draft_start(consultation=routed)
    _about_you(asked)
    _choose(asked, routed, "q1", "Agree")
    _choose(asked, routed, "q2", "Chapter 2")
    with pytest.raises(ResponseIncomplete) as refused:
        response_submit(response=asked, submission_token=str(asked.submission_token))
    assert [q.key for q in refused.value.questions] == ["q3"]
    asked.refresh_from_db()
    assert asked.status == ResponseStatus.DRAFT
    _choose(asked, routed, "q3", "Health")
    sent = response_submit(response=asked, submission_token=str(asked.submission_token))
    assert sent.status == ResponseStatus.SUBMITTED
    assert {q.key for q in sent.questions_not_asked.all()} == {"q4"}


def test_a_changed_answer_removes_the_answers_it_skips(routed: Consultation) -> None:
    draft = response_draft_start(consultation=routed)
    _choose(draft, routed, "q2", "Chapter 2")
    _choose(draft, routed, "q3", "Police")
    response_answer_save(
        response=draft, question=_question(routed, "q4"), value=AnswerValue(text="More, please")
    )
    assert Answer.objects.filter(response=draft).count() == 3
    _choose(draft, routed, "q2", "Chapter 1")
    assert [a.question.key for a in Answer.objects.filter(response=draft)] == ["q2"]


# The public form.


def _fill_about_you(respondent: Respondent) -> None:
    for step, data in [
        ("your-details", {"name": "", "email": ""}),
        ("responding-as", {"respondent_type": "individual"}),
        ("region", {"region": ""}),
    ]:
        assert respondent.answer(step, data).status_code == 302  # type: ignore[attr-defined]


def test_the_form_skips_what_does_not_apply(routed: Consultation, client: Client) -> None:
    respondent = Respondent(client=client, consultation=routed)
    base = respondent.base
    respondent.start()
    _fill_about_you(respondent)
    q1 = respondent.answer("question-q1", {"answer": option_id(routed, "q1", "Agree")})
    assert q1["Location"] == f"{base}question-q2/"  # type: ignore[index]
    q2 = respondent.answer("question-q2", {"answer": option_id(routed, "q2", "Chapter 1")})
    assert q2["Location"] == f"{base}documents/"  # type: ignore[index]
    assert client.get(f"{base}question-q3/").status_code == 404
    documents = client.get(f"{base}documents/").content.decode()
    assert f'href="{base}question-q2/"' in documents  # "Back" goes to the last question asked
    for step, data in [
        ("confidentiality", {"wants_confidentiality": "no"}),
        ("publication", {"publication_consent": "anonymously"}),
    ]:
        assert respondent.answer(step, data).status_code == 302  # type: ignore[attr-defined]
    check = text_of(client.get(f"{base}check/").content.decode())
    assert "Which chapter is most useful?" in check
    assert "Which agencies should the guidance name?" not in check
    assert "Any other comments?" not in check
    sent = respondent.submit()
    assert sent["Location"] == f"{base}confirmation/"  # type: ignore[index]
    response = Response.objects.get()
    assert {q.key for q in response.questions_not_asked.all()} == {"q3", "q4"}


def test_check_your_answers_drops_hidden_answers_when_an_earlier_answer_changes(
    routed: Consultation, client: Client
) -> None:
    respondent = Respondent(client=client, consultation=routed)
    base = respondent.base
    respondent.start()
    _fill_about_you(respondent)
    respondent.answer("question-q1", {"answer": option_id(routed, "q1", "Agree")})
    q2 = respondent.answer("question-q2", {"answer": option_id(routed, "q2", "Chapter 2")})
    assert q2["Location"] == f"{base}question-q3/"  # type: ignore[index]
    q3 = respondent.answer("question-q3", {"answer": [option_id(routed, "q3", "Police")]})
    assert q3["Location"] == f"{base}question-q4/"  # type: ignore[index]
    respondent.answer("question-q4", {"answer": "Name the police in chapter 2."})
    check = text_of(client.get(f"{base}check/").content.decode())
    assert "Police" in check
    assert "Name the police in chapter 2." in check

    changed = respondent.client.post(
        f"{base}question-q2/?change=1", {"answer": option_id(routed, "q2", "Chapter 1")}
    )
    assert changed["Location"] == f"{base}check/"
    check = text_of(client.get(f"{base}check/").content.decode())
    assert "Which agencies should the guidance name?" not in check
    assert "Name the police in chapter 2." not in check
    assert set(Answer.objects.values_list("question__key", flat=True)) == {"q1", "q2"}

    # Changing back opens q3 again, which is asked before returning to the check page.
    reopened = respondent.client.post(
        f"{base}question-q2/?change=1", {"answer": option_id(routed, "q2", "Chapter 2")}
    )
    assert reopened["Location"] == f"{base}question-q3/?change=1"
    check = text_of(client.get(f"{base}check/").content.decode())
    assert "Which agencies should the guidance name? (required) Not answered" in check


# Exports and tallies tell "not asked" from "not answered".


def test_exports_and_counts_tell_not_asked_from_not_answered(routed: Consultation) -> None:
    skipped = response_draft_start(consultation=routed)
    _about_you(skipped)
    _choose(skipped, routed, "q1", "Agree")
    _choose(skipped, routed, "q2", "Chapter 1")
    response_submit(response=skipped, submission_token=str(skipped.submission_token))
    unanswered = response_draft_start(consultation=routed)
    _about_you(unanswered)
    _choose(unanswered, routed, "q1", "Agree")
    _choose(unanswered, routed, "q2", "Chapter 2")
    _choose(unanswered, routed, "q3", "Police")
    response_submit(response=unanswered, submission_token=str(unanswered.submission_token))

    export = export_of(consultation=routed, responses=Response.objects.all(), publishable=False)
    rows = {row["reference"]: row for row in export.rows}
    skipped.refresh_from_db()
    unanswered.refresh_from_db()
    assert rows[skipped.reference]["q3"] == [NOT_ASKED]
    assert rows[skipped.reference]["q4"] == NOT_ASKED
    assert rows[unanswered.reference]["q3"] == ["Police"]
    assert rows[unanswered.reference]["q4"] == ""
    assert export_parse(export_csv(export), format="csv", multi_columns=export.multi_columns) == (
        export.rows
    )
    counts = questions_not_asked_counts(consultation_id=routed.pk)
    assert counts == {_question(routed, "q3").pk: 1, _question(routed, "q4").pk: 1}


# Staff pages.


def test_staff_see_the_routing_drawn_as_a_list_of_routes(
    routed: Consultation, staff_client: Client
) -> None:
    page = staff_client.get(f"/staff/consultations/{routed.slug}/routing/").content.decode()
    routes = text_of(page.split('data-testid="route-q2"', 1)[1].split("</ul>", 1)[0])
    assert "“Chapter 1”: asks none of the questions that depend on it" in routes
    assert "“Chapter 2”: also asks q3" in routes
    condition = text_of(page.split('data-testid="condition-q4"', 1)[1].split("</dd>", 1)[0])
    assert "Asked only if q3 is “Police”" in condition
    condition = text_of(page.split('data-testid="condition-q1"', 1)[1].split("</dd>", 1)[0])
    assert "Always asked" in condition


def test_staff_build_a_route_and_a_loop_is_refused_on_the_page(
    routed: Consultation, staff_client: Client
) -> None:
    base = f"/staff/consultations/{routed.slug}/routing/"
    saved = staff_client.post(
        f"{base}q4/", {"shown_if_options": [option_id(routed, "q1", "Disagree")]}
    )
    assert saved.status_code == 302
    assert _question(routed, "q4").shown_if_question == _question(routed, "q1")
    loop = staff_client.post(
        f"{base}q2/", {"shown_if_options": [option_id(routed, "q3", "Police")]}
    )
    assert loop.status_code == 400
    assert "which comes after it: the route would loop back" in loop.content.decode()
    assert _question(routed, "q2").shown_if_question_id is None
    mixed = staff_client.post(
        f"{base}q4/",
        {
            "shown_if_options": [
                option_id(routed, "q1", "Agree"),
                option_id(routed, "q2", "Chapter 1"),
            ]
        },
    )
    assert mixed.status_code == 400
    assert "Tick the answers of one question only" in mixed.content.decode()
    always = staff_client.post(f"{base}q4/", {})
    assert always.status_code == 302
    assert _question(routed, "q4").shown_if_question_id is None


def test_another_departments_staff_cannot_see_or_change_the_routing(
    routed: Consultation, client: Client, other_staff: User
) -> None:
    client.force_login(other_staff)
    base = f"/staff/consultations/{routed.slug}/routing/"
    assert client.get(base).status_code == 403
    refused = client.post(f"{base}q4/", {})
    assert refused.status_code == 403
    assert _question(routed, "q4").shown_if_question_id is not None

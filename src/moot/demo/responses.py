"""Demo questionnaire and responses: the open consultation gets a questionnaire and a few
illustrative responses on every channel (online, email, post, imported). The people and
organisations are invented. Idempotent: the questionnaire is built only where there is none,
and each response is found again by its source key.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from moot.consultations.models import (
    Channel,
    Consultation,
    Question,
    QuestionKind,
    QuestionOption,
    RespondentRole,
    Response,
    ResponseAttachmentKind,
    SectionKind,
)
from moot.consultations.services.questionnaire import question_scale_options_ensure
from moot.consultations.services.responses import (
    AnswerValue,
    RespondentDetails,
    response_attachment_add,
    response_record,
)
from moot.consultations.services.routing import question_route_set

if TYPE_CHECKING:
    from moot.demo.loader import DemoSummary

OPEN_CONSULTATION = "information-sharing-between-agencies"
ROLES = [
    "Practitioner",
    "Local Safeguarding Children Board",
    "Voluntary sector",
    "Parent or carer",
    "Young person",
]
QUESTIONS = [
    (
        "q1",
        QuestionKind.AGREE_SCALE,
        "The draft advice makes clear when information may be shared.",
        True,
        None,
    ),
    (
        "q2",
        QuestionKind.SINGLE_CHOICE,
        "How often do you need to share information about a child?",
        False,
        ["Every week", "Every month", "A few times a year", "Rarely or never"],
    ),
    (
        "q3",
        QuestionKind.MULTIPLE_CHOICE,
        "Which agencies do you share information with?",
        False,
        [
            "Police",
            "Health services",
            "Schools",
            "Children's social care",
            "Voluntary organisations",
        ],
    ),
    ("q4", QuestionKind.FREE_TEXT, "What would make sharing information easier?", False, 2000),
]
Person = tuple[str, str, str, str, str, str]  # name, type, organisation, role, region, consent
# (key, channel, days ago, respondent, answers by key, body text)
RESPONSES: list[tuple[str, Channel, int, Person, dict[str, str | list[str]], str]] = [
    (
        "online-1",
        Channel.ONLINE,
        12,
        ("Priya Shah", "individual", "", "Practitioner", "london", "with_name"),
        {
            "q1": "Agree",
            "q2": "Every week",
            "q3": ["Police", "Schools"],
            "q4": "A single contact in each agency, and a form that works on a phone.",
        },
        "",
    ),
    (
        "online-2",
        Channel.ONLINE,
        9,
        (
            "",
            "organisation",
            "Northfield LSCB",
            "Local Safeguarding Children Board",
            "north_west",
            "anonymously",
        ),
        {
            "q1": "Strongly agree",
            "q2": "Every month",
            "q3": ["Police", "Health services", "Children's social care"],
            "q4": "Worked examples for the grey areas.",
        },
        "",
    ),
    (
        "online-3",
        Channel.ONLINE,
        5,
        ("Sam Taylor", "individual", "", "Parent or carer", "wales", "do_not_publish"),
        {
            "q1": "Disagree",
            "q4": "Parents should be told more often what has been shared about their child.",
        },
        "",
    ),
    (
        "email-1",
        Channel.EMAIL,
        7,
        (
            "Harbour Youth Trust",
            "organisation",
            "Harbour Youth Trust",
            "Voluntary sector",
            "south_west",
            "",
        ),
        {},
        (
            "Dear team,\n\nWe welcome the draft advice. Our main concern is that small "
            "charities are rarely told what happens after they share a concern.\n\n"
            "Harbour Youth Trust"
        ),
    ),
    (
        "post-1",
        Channel.POST,
        4,
        ("Margaret Jones", "individual", "", "", "north_east", "anonymously"),
        {
            "q1": "Neither agree nor disagree",
            "q4": "The advice is long. A one-page summary would help busy staff.",
        },
        "Letter received with the printed response form.",
    ),
    (
        "import-1",
        Channel.IMPORT,
        6,
        (
            "",
            "organisation",
            "Eastshire County Council",
            "Local Safeguarding Children Board",
            "east_of_england",
            "with_name",
        ),
        {"q1": "Agree", "q2": "Every week", "q3": ["Police", "Health services", "Schools"]},
        "",
    ),
]


def _questionnaire(consultation: Consultation, summary: DemoSummary) -> None:
    if consultation.questions.exists():
        return
    questionnaire_build(consultation)
    summary.add("questions", True)


def questionnaire_build(consultation: Consultation) -> None:
    """The demo questionnaire: roles, and one question of each kind (keys q1 to q4), q3
    asked only after some answers to q2."""
    proposals = consultation.sections.filter(kind=SectionKind.PROPOSALS).first()
    for position, label in enumerate(ROLES, start=1):
        RespondentRole.objects.create(consultation=consultation, position=position, label=label)
    for position, (key, kind, text, required, extra) in enumerate(QUESTIONS, start=1):
        question = Question.objects.create(
            consultation=consultation,
            position=position,
            key=key,
            kind=kind,
            text=text,
            required=required,
            section=proposals,
            max_length=extra if isinstance(extra, int) else None,
        )
        if isinstance(extra, list):
            for option_position, label in enumerate(extra, start=1):
                QuestionOption.objects.create(
                    question=question, position=option_position, label=label
                )
        question_scale_options_ensure(question=question)
    # The questionnaire branches: who rarely or never shares information is not asked whom
    # they share it with.
    often, with_whom = consultation.questions.get(key="q2"), consultation.questions.get(key="q3")
    question_route_set(
        question=with_whom,
        shown_if_question=often,
        shown_if_options=often.options.exclude(label="Rarely or never"),
    )


def _answers(
    consultation: Consultation, wanted: dict[str, str | list[str]]
) -> dict[Question, AnswerValue]:
    answers = {}
    for question in consultation.questions.prefetch_related("options"):
        value = wanted.get(question.key)
        if value is None:
            continue
        if question.kind == QuestionKind.FREE_TEXT:
            answers[question] = AnswerValue(text=str(value))
            continue
        labels = value if isinstance(value, list) else [value]
        ids = tuple(o.pk for o in question.options.all() if o.label in labels)
        answers[question] = AnswerValue(option_ids=ids)
    return answers


def load_demo_responses(summary: DemoSummary) -> None:
    consultation = Consultation.objects.filter(slug=OPEN_CONSULTATION).first()
    if consultation is None:
        return
    _questionnaire(consultation, summary)
    roles = {role.label: role for role in consultation.respondent_roles.all()}
    now = timezone.now()
    for key, channel, days_ago, person, wanted, body in RESPONSES:
        name, respondent_type, organisation, role, region, consent = person
        email = f"{(organisation or name).split()[0].lower()}@example.org"
        response, created = response_record(
            consultation=consultation,
            channel=channel,
            received_at=now - dt.timedelta(days=days_ago),
            respondent=RespondentDetails(
                name=name,
                email=email,
                respondent_type=respondent_type,
                organisation_name=organisation,
                role_id=roles[role].pk if role else None,
                region=region,
                wants_confidentiality=False if consent else None,
                publication_consent=consent,
            ),
            answers=_answers(consultation, wanted),
            subject="Response to the draft advice" if channel == Channel.EMAIL else "",
            body_text=body,
            source_key=f"demo:{key}",
        )
        summary.add("responses", created)
        if created and channel == Channel.EMAIL:
            _email_attachment(response)


def _email_attachment(response: Response) -> None:
    import io

    import docx

    document = docx.Document()
    document.add_heading("Harbour Youth Trust: response to the draft advice", level=1)
    document.add_paragraph(
        "Small charities are rarely told what happens after they share a concern. We ask "
        "that the advice says who should tell them, and when."
    )
    buffer = io.BytesIO()
    document.save(buffer)
    response_attachment_add(
        response=response,
        filename="harbour-youth-trust-response.docx",
        data=buffer.getvalue(),
        kind=ResponseAttachmentKind.DOCUMENT,
        # moot's own file: read now, so the demo's search finds it before a worker runs.
        extract_later=False,
    )

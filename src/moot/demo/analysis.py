"""Demo consultation for the analysis: closed, with a few thousand generated responses ready
to analyse (campaigns with edited copies, themes, every channel and kind of respondent).

The responses come from the engine's labelled synthetic generator, mapped onto real
``Response`` and ``Answer`` rows with bulk inserts, so ``moot load-demo`` stays quick. The
people are invented. ``DEMO_ANALYSIS_RESPONSES`` (default 3,000) sets how many. Idempotent:
nothing is added if the consultation exists.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from moot.analysis.engine import QuestionKind as EngineKind
from moot.analysis.engine import QuestionSpec
from moot.analysis.engine.synthetic import generate_consultation
from moot.analysis.engine.synthetic_questions import INDIVIDUAL_ROLES, ORGANISATION_ROLES
from moot.consultations.models import (
    Answer,
    AttachmentRole,
    Consultation,
    ConsultationSection,
    PublicationConsent,
    Question,
    QuestionKind,
    QuestionOption,
    Region,
    RespondentRole,
    Response,
    ResponseStatus,
)
from moot.consultations.services import attachment_create
from moot.consultations.services.responses import reference_generate
from moot.core.models import Department

if TYPE_CHECKING:
    from moot.demo.loader import DemoSummary

SLUG = "safeguarding-partners-replacing-lscbs"
SEED = 2017
KEYS = {
    "q_proposal_scale": "q1",
    "q_proposal_explain": "q2",
    "q_statutory": "q3",
    "q_relevant_agencies": "q4",
    "q_information_sharing": "q5",
    "q_children_families": "q6",
}
KINDS = {
    EngineKind.SINGLE_CHOICE: QuestionKind.SINGLE_CHOICE,
    EngineKind.MULTIPLE_CHOICE: QuestionKind.MULTIPLE_CHOICE,
    EngineKind.AGREEMENT_SCALE: QuestionKind.AGREE_SCALE,
    EngineKind.FREE_TEXT: QuestionKind.FREE_TEXT,
}
FIRST_NAMES = (
    "Amira", "Ben", "Chloe", "Dev", "Ellen", "Farid", "Grace", "Harry", "Isla", "Jamal",
    "Kate", "Liam", "Maya", "Noah", "Olu", "Priya", "Rhys", "Sara", "Tom", "Zara",
)  # fmt: skip
SURNAMES = (
    "Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal",
    "Jones", "Khan", "Lewis", "Morgan", "Nolan", "Owen", "Patel", "Reid", "Singh", "Taylor",
    "Walsh",
)  # fmt: skip
ORGANISATION_NAMES = {
    "local authority": "{town} County Council",
    "charity": "{town} Children's Trust",
    "school or college": "{town} Academy",
    "health organisation": "{town} Health NHS Trust",
    "police force": "{town} Police",
    "safeguarding board": "{town} Safeguarding Children Board",
    "professional body": "Association of {town} Practitioners",
}
TOWNS = ("Northfield", "Eastshire", "Westbury", "Southmoor", "Hartley", "Ashford", "Kingsmere")
REGIONS = {label: value for value, label in Region.choices}
BATCH = 2_000


def _consultation(*, department: Department, slug: str, title: str) -> Consultation:
    now = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    consultation = Consultation.objects.create(
        slug=slug,
        title=title,
        department=department,
        summary=(
            "Proposals to replace Local Safeguarding Children Boards with arrangements led by "
            "three safeguarding partners (the local authority, the police and health), and to "
            "name the relevant agencies they work with."
        ),
        opens_at=now - dt.timedelta(days=84),
        closes_at=now - dt.timedelta(days=12),
        published_at=now - dt.timedelta(days=90),
        enquiries_unit="Safeguarding Reform Team",
        response_email="working.together@education.example.gov.uk",
    )
    for position, (kind, heading, body) in enumerate(
        [
            ("executive_summary", "Executive summary", consultation.summary),
            (
                "proposals",
                "The proposals",
                "Safeguarding partners would decide together how agencies in their area work "
                "to protect children, and publish their arrangements.",
            ),
            (
                "results",
                "Plans for making results public",
                "We will publish a summary of the responses, with the revised guidance.",
            ),
        ],
        start=1,
    ):
        ConsultationSection.objects.create(
            consultation=consultation, position=position, kind=kind, heading=heading, body=body
        )
    return consultation


def _questionnaire(
    consultation: Consultation, specs: Sequence[QuestionSpec]
) -> tuple[dict[str, Question], dict[tuple[str, str], int], dict[str, RespondentRole]]:
    questions: dict[str, Question] = {}
    options: dict[tuple[str, str], int] = {}
    for position, spec in enumerate(specs, start=1):
        question = Question.objects.create(
            consultation=consultation,
            position=position,
            key=KEYS[spec.id],
            kind=KINDS[spec.kind],
            text=spec.text,
        )
        questions[spec.id] = question
        for index, label in enumerate(spec.options, start=1):
            option = QuestionOption.objects.create(question=question, position=index, label=label)
            options[(spec.id, label)] = option.pk
    roles = {
        label: RespondentRole.objects.create(
            consultation=consultation, position=position, label=label[:1].upper() + label[1:]
        )
        for position, label in enumerate((*INDIVIDUAL_ROLES, *ORGANISATION_ROLES), start=1)
    }
    return questions, options, roles


def final_document_attach(consultation: Consultation) -> None:
    """A final version of the guidance, so that the outcome can be published."""
    import docx

    document = docx.Document()
    document.add_heading("Working Together to Safeguard Children: revised guidance", level=0)
    document.add_paragraph(
        "The revised statutory guidance on multi-agency arrangements led by the safeguarding "
        "partners, published with the summary of responses to the consultation."
    )
    buffer = io.BytesIO()
    document.save(buffer)
    attachment_create(
        title="Working Together to Safeguard Children: revised guidance",
        data=buffer.getvalue(),
        consultation=consultation,
        role=AttachmentRole.FINAL_DOCUMENT,
    )


def load_demo_analysis(summary: DemoSummary) -> None:
    """The closed consultation with generated responses, if it is not there yet."""
    department = Department.objects.filter(slug="department-for-education").first()
    if department is None or Consultation.objects.filter(slug=SLUG).exists():
        return
    consultation = generated_consultation_create(
        department=department,
        slug=SLUG,
        title="Working Together: replacing Local Safeguarding Children Boards",
        responses=int(getattr(settings, "DEMO_ANALYSIS_RESPONSES", 3_000)),
        seed=SEED,
    )
    final_document_attach(consultation)
    summary.add("consultations", True)
    summary.created["responses"] += consultation.responses.count()


def generated_consultation_create(
    *, department: Department, slug: str, title: str, responses: int, seed: int
) -> Consultation:
    """A closed consultation with ``responses`` generated responses (the engine's labelled
    synthetic consultation, mapped onto real rows), for the demo, tests and benchmarks."""
    generated = generate_consultation(responses=responses, seed=seed)
    consultation = _consultation(department=department, slug=slug, title=title)
    questions, options, roles = _questionnaire(consultation, generated.questions)
    rng = random.Random(seed)  # noqa: S311 - invented people, not security
    span = (consultation.closes_at - consultation.opens_at).total_seconds()
    rows = []
    for item in generated.responses:
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        organisation = ""
        if item.respondent_type.value == "organisation":
            pattern = ORGANISATION_NAMES.get(item.role or "", "{town} Partnership")
            organisation = pattern.format(town=rng.choice(TOWNS))
        roll = rng.random()
        consent = (
            PublicationConsent.WITH_NAME
            if roll < 0.55
            else PublicationConsent.ANONYMOUSLY
            if roll < 0.85
            else PublicationConsent.DO_NOT_PUBLISH
        )
        rows.append(
            Response(
                consultation=consultation,
                reference=reference_generate(),
                channel=item.channel.value,
                status=ResponseStatus.SUBMITTED,
                received_at=consultation.opens_at + dt.timedelta(seconds=rng.random() * span),
                respondent_name=f"{first} {last}",
                respondent_email=f"{first}.{last}.{item.id}@example.org".lower(),
                respondent_type=item.respondent_type.value,
                organisation_name=organisation,
                role=roles.get(item.role or ""),
                region=REGIONS.get(item.region or "", ""),
                wants_confidentiality=rng.random() < 0.08,
                publication_consent=consent,
                source_key=f"demo-analysis:{item.id}",
            )
        )
    Response.objects.bulk_create(rows, batch_size=BATCH)
    answers: list[Answer] = []
    chosen: list[list[int]] = []
    for response, item in zip(rows, generated.responses, strict=True):
        for question_id, value in item.answers.items():
            question = questions[question_id]
            if question.kind == QuestionKind.FREE_TEXT:
                answers.append(Answer(response=response, question=question, text=str(value)))
                chosen.append([])
            else:
                labels = [value] if isinstance(value, str) else list(value)
                answers.append(Answer(response=response, question=question))
                chosen.append([options[(question_id, label)] for label in labels])
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    through = Answer.selected_options.through
    through.objects.bulk_create(
        [
            through(answer_id=answer.pk, questionoption_id=option_id)
            for answer, option_ids in zip(answers, chosen, strict=True)
            for option_id in option_ids
        ],
        batch_size=BATCH,
    )
    return consultation

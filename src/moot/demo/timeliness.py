"""Demo written questions with the dates that time them, and consultations past their
12 weeks, so that the timeliness table has something to show.

The questions are tabled on the Commons' sitting days (Monday to Thursday) from 8 October
to 29 November 2007, the House prorogued from 31 October to 5 November; each is coded by
what became of it. Their dates are the records moot takes sitting days from, so the gap for
prorogation and the Fridays are non-sitting days, as they were.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from moot.consultations.models import Consultation
from moot.core.models import Department
from moot.parliament.models import Person, WrittenAnswer, WrittenQuestion

FIRST_DAY = dt.date(2007, 10, 8)
LAST_DAY = dt.date(2007, 11, 29)
PROROGUED = (dt.date(2007, 10, 31), dt.date(2007, 11, 5))

# What became of each department's questions, in the order tabled:
# O answered on the third sitting day after tabling (on time); E answered the day tabled;
# L answered on the eighth (late); h holding answer on the second, full answer on the
# fourth (on time); H holding answer on the fourth, full answer on the ninth (late);
# P only a holding answer so far (late); N named for the third sitting day and answered
# then; n named for the third and answered on the fourth (late); U never answered (late).
OUTCOMES = {
    "department-for-children-schools-and-families": "OOEONOhOOLOONOOOOhOO",
    "home-office": "OhHOLNOOnhOOHOUOOLOh",
    "department-of-health": "LOHOnLUOOLHOLONOPLOU",
}
ANSWERERS = {
    "department-for-children-schools-and-families": "kevin-brennan",
    "home-office": "jonathan-marsh",
    "department-of-health": "caroline-pryce",
}
ASKERS = ("margaret-ashdown", "richard-penhale", "helen-southworth")
SUBJECTS = {
    "department-for-children-schools-and-families": [
        (
            "School Meals: Nutrition",
            "what assessment he has made of the nutritional standards of school lunches",
        ),
        (
            "Pupils: Absenteeism",
            "how many pupils were persistently absent from school in each of the last three years",
        ),
        ("Teachers: Recruitment", "what steps he is taking to recruit mathematics teachers"),
        ("Sure Start Programme", "how many Sure Start children's centres are open"),
    ],
    "home-office": [
        (
            "Police: Recruitment",
            "how many police officers were recruited in each of the last two years",
        ),
        ("Crime: Rural Areas", "what recent assessment she has made of crime in rural areas"),
        ("Passports: Fees", "what the cost to the applicant of a passport is"),
        (
            "Antisocial Behaviour Orders",
            "how many antisocial behaviour orders were issued last year",
        ),
    ],
    "department-of-health": [
        (
            "Hospitals: Waiting Lists",
            "what the average waiting time for hip replacement operations was last year",
        ),
        (
            "Dental Services",
            "how many people registered with an NHS dentist in each of the last three years",
        ),
        ("Health Visitors: Numbers", "how many health visitors are employed in the NHS"),
        (
            "Ambulance Services: Response Times",
            "what the average ambulance response time was in each of the last two years",
        ),
    ],
}
MINISTER = {
    "department-for-children-schools-and-families": "Secretary of State for Children, "
    "Schools and Families",
    "home-office": "Secretary of State for the Home Department",
    "department-of-health": "Secretary of State for Health",
}


def sitting_days() -> list[dt.date]:
    days = []
    day = FIRST_DAY
    while day <= LAST_DAY:
        if day.weekday() < 4 and not PROROGUED[0] <= day <= PROROGUED[1]:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _after(days: list[dt.date], tabled: dt.date, count: int) -> dt.date:
    """The ``count``-th sitting day after ``tabled``, or the last of ``days``: the demo's
    answers all come before the December records (the seed among them), so that lists of
    a minister's latest answers still begin with those."""
    later = [day for day in days if day > tabled]
    return later[count - 1] if count <= len(later) else days[-1]


def questions_plan() -> list[dict[str, Any]]:
    """Every demo question with its dates and answers, in the order tabled."""
    days = sitting_days()
    order = list(OUTCOMES)
    counters = dict.fromkeys(order, 0)
    plan = []
    for index, tabled in enumerate(days):
        for slot in range(2):
            department = order[(index * 2 + slot) % len(order)]
            number = counters[department]
            codes = OUTCOMES[department]
            if number >= len(codes):
                continue
            counters[department] += 1
            code = codes[number]
            heading, words = SUBJECTS[department][number % len(SUBJECTS[department])]
            named = code in "Nn"
            answered = {
                "O": _after(days, tabled, 3),
                "E": tabled,
                "L": _after(days, tabled, 8),
                "h": _after(days, tabled, 4),
                "H": _after(days, tabled, 9),
                "N": _after(days, tabled, 3),
                "n": _after(days, tabled, 4),
            }.get(code)
            holding = {
                "h": _after(days, tabled, 2),
                "H": _after(days, tabled, 4),
                "P": _after(days, tabled, 4),
            }.get(code)
            plan.append(
                {
                    "department": department,
                    "uin": f"{160000 + index * 2 + slot}",
                    "heading": heading,
                    "text": f"To ask the {MINISTER[department]} {words}.",
                    "asker": ASKERS[(index + slot) % len(ASKERS)],
                    "date_tabled": tabled,
                    "is_named_day": named,
                    "date_for_answer": _after(days, tabled, 3 if named else 2),
                    "answered": answered,
                    "holding": holding,
                }
            )
    return plan


def load_demo_timeliness(
    summary: Any, departments: dict[str, Department], people: dict[str, Person]
) -> None:
    """Create the demo questions and consultations that are missing (idempotent)."""
    for spec in questions_plan():
        department = departments[spec["department"]]
        asker = people[spec["asker"]]
        question, created = WrittenQuestion.objects.get_or_create(
            date=spec["date_tabled"],
            identifier=f"{slugify(spec['heading'])[:60]}-{spec['uin']}",
            defaults={
                "house": "commons",
                "uin": spec["uin"],
                "heading": spec["heading"],
                "department": department,
                "asking_person": asker,
                "asking_name": asker.name,
                "text": spec["text"],
                "date_tabled": spec["date_tabled"],
                "is_named_day": spec["is_named_day"],
                "date_for_answer": spec["date_for_answer"],
            },
        )
        summary.add("written questions", created)
        if not created or not (spec["answered"] or spec["holding"]):
            continue
        answerer = people[ANSWERERS[spec["department"]]]
        full = spec["answered"] is not None
        answer = WrittenAnswer.objects.create(
            date_answered=spec["answered"] if full else spec["holding"],
            department=department,
            answering_person=answerer,
            answering_name=answerer.name,
            is_holding=not full,
            holding_answer_date=spec["holding"] if full else None,
            body_html=(
                "<p>The information requested is set out in the table placed in the Library "
                "of the House.</p>"
                if full
                else "<p>I will reply to my hon. Friend as soon as possible.</p>"
            ),
        )
        answer.questions.set([question])
        summary.add("written answers", True)
    _consultations(summary, departments)


def _consultations(summary: Any, departments: dict[str, Department]) -> None:
    today = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    week = dt.timedelta(weeks=1)
    specs: list[dict[str, Any]] = [
        {
            "slug": "police-vetting-of-volunteers",
            "title": "Police vetting of volunteers who work with children",
            "department": "home-office",
            "summary": "Proposals to make police checks of volunteers quicker and to share "
            "their results between organisations.",
            "opens_at": today - 32 * week,
            "closes_at": today - 20 * week,
            "outcome_after": None,
        },
        {
            "slug": "school-nurse-service-standards",
            "title": "Standards for school nursing services",
            "department": "department-of-health",
            "summary": "Draft standards for what school nursing services should offer "
            "pupils, parents and schools.",
            "opens_at": today - 42 * week,
            "closes_at": today - 30 * week,
            "outcome_after": 10 * week,
        },
    ]
    for spec in specs:
        values: dict[str, Any] = dict(spec)
        slug = values.pop("slug")
        outcome_after = values.pop("outcome_after")
        values["department"] = departments[values["department"]]
        values["published_at"] = values["opens_at"] - week
        values["analysis_started_at"] = values["closes_at"] + dt.timedelta(days=3)
        values["response_email"] = "consultations@example.gov.uk"
        if outcome_after is not None:
            values["outcome_published_at"] = values["closes_at"] + outcome_after
        _, created = Consultation.objects.get_or_create(slug=slug, defaults=values)
        summary.add("consultations", created)

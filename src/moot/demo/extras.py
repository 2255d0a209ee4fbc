"""Illustrative demo records written for moot, beyond the two seed pages.

The people and constituencies here are invented (so that no real member is shown saying
something they did not say); the departments are real. Consultation dates are relative to
the day the demo is loaded, so that there is always one open, one upcoming and so on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

DEPARTMENTS: list[dict[str, Any]] = [
    {
        "slug": "department-for-education",
        "name": "Department for Education",
        "short_name": "DfE",
        "website_url": "https://www.gov.uk/government/organisations/department-for-education",
        "foi_site_slug": "department_for_education",
    },
    {
        "slug": "home-office",
        "name": "Home Office",
        "short_name": "HO",
        "website_url": "https://www.gov.uk/government/organisations/home-office",
        "foi_site_slug": "home_office",
    },
    {
        "slug": "department-of-health",
        "name": "Department of Health",
        "short_name": "DH",
        "website_url": "https://www.gov.uk/government/organisations/department-of-health-and-social-care",
        "foi_site_slug": "department_of_health",
    },
    {
        "slug": "ministry-of-justice",
        "name": "Ministry of Justice",
        "short_name": "MoJ",
        "website_url": "https://www.gov.uk/government/organisations/ministry-of-justice",
        "foi_site_slug": "ministry_of_justice",
    },
]

PARTIES: list[dict[str, Any]] = [
    {"slug": "conservative", "name": "Conservative", "short_name": "Con"},
    {"slug": "liberal-democrat", "name": "Liberal Democrat", "short_name": "LD"},
]

# (slug, name, given, family, party, constituency, posts: (role, department, remit, start, end))
PEOPLE: list[tuple[Any, ...]] = [
    (
        "margaret-ashdown",
        "Margaret Ashdown",
        "Margaret",
        "Ashdown",
        "liberal-democrat",
        "Northmoor",
        [],
    ),
    (
        "richard-penhale",
        "Richard Penhale",
        "Richard",
        "Penhale",
        "conservative",
        "Eastbridge and Wellow",
        [],
    ),
    ("amira-khalil", "Amira Khalil", "Amira", "Khalil", "labour", "Southfield Central", []),
    ("thomas-greaves", "Thomas Greaves", "Thomas", "Greaves", "conservative", "Kingsmere", []),
    (
        "jonathan-marsh",
        "Jonathan Marsh",
        "Jonathan",
        "Marsh",
        "labour",
        "Harrowden",
        [
            (
                "Minister of State",
                "home-office",
                "Security, Counter-terrorism, Crime and Policing",
                dt.date(2007, 6, 29),
                dt.date(2009, 6, 5),
            )
        ],
    ),
    (
        "caroline-pryce",
        "Caroline Pryce",
        "Caroline",
        "Pryce",
        "labour",
        "Ashby Vale",
        [
            (
                "Parliamentary Under-Secretary",
                "department-of-health",
                "Care Services",
                dt.date(2007, 6, 29),
                dt.date(2009, 6, 5),
            )
        ],
    ),
]
MEMBERSHIP_START = dt.date(2005, 5, 5)
MEMBERSHIP_END = dt.date(2010, 4, 12)

# (date, identifier, heading, department, asker, answerer, question, answer paragraphs)
QUESTIONS: list[tuple[Any, ...]] = [
    (
        dt.date(2007, 12, 3),
        "children-missing-from-care",
        "Children: Missing Persons",
        "department-for-children-schools-and-families",
        "margaret-ashdown",
        "kevin-brennan",
        "To ask the Secretary of State for Children, Schools and Families how many children "
        "were reported missing from local authority care in each of the last three years.",
        [
            "Information on children missing from care is collected by local authorities. The "
            "Department publishes the number of looked-after children who went missing for more "
            "than 24 hours in its annual statistical release, and will place a copy of the latest "
            "tables in the Library of the House."
        ],
    ),
    (
        dt.date(2007, 12, 4),
        "local-safeguarding-children-boards",
        "Local Safeguarding Children Boards",
        "department-for-children-schools-and-families",
        "richard-penhale",
        "kevin-brennan",
        "To ask the Secretary of State for Children, Schools and Families what assessment he "
        "has made of the effectiveness of Local Safeguarding Children Boards.",
        [
            "Local Safeguarding Children Boards were established in April 2006. The Department "
            "has commissioned an independent study of their early operation, which will report "
            "next year. Ofsted will also consider the work of boards in its inspections."
        ],
    ),
    (
        dt.date(2007, 12, 5),
        "children-internet-safety",
        "Children: Internet",
        "department-for-children-schools-and-families",
        "amira-khalil",
        "kevin-brennan",
        "To ask the Secretary of State for Children, Schools and Families what guidance his "
        "Department gives to schools on protecting pupils from grooming online.",
        [
            "Schools receive guidance on keeping pupils safe online through the Department's "
            "safeguarding guidance for education settings. We are working with the police and "
            "industry on further advice for parents and teachers."
        ],
    ),
    (
        dt.date(2007, 12, 10),
        "social-workers-training",
        "Social Workers: Training",
        "department-for-children-schools-and-families",
        "helen-southworth",
        "kevin-brennan",
        "To ask the Secretary of State for Children, Schools and Families what steps he is "
        "taking to improve training for social workers on identifying child sexual "
        "exploitation.",
        [
            "The draft supplementary guidance on sexual exploitation, on which we shall consult "
            "shortly, will set out the knowledge practitioners need. We are also discussing the "
            "content of post-qualifying training with the General Social Care Council."
        ],
    ),
    (
        dt.date(2007, 12, 11),
        "child-protection-funding",
        "Child Protection: Finance",
        "department-for-children-schools-and-families",
        "richard-penhale",
        "kevin-brennan",
        "To ask the Secretary of State for Children, Schools and Families how much funding his "
        "Department provided for child protection services in each year since 2004-05.",
        [
            "Funding for children's social care is provided to local authorities mainly through "
            "the formula grant, which is not ring-fenced. It is for each authority to decide how "
            "much of its budget to spend on child protection."
        ],
    ),
    (
        dt.date(2007, 12, 3),
        "trafficking-children",
        "Trafficking: Children",
        "home-office",
        "helen-southworth",
        "jonathan-marsh",
        "To ask the Secretary of State for the Home Department how many children were "
        "identified as possible victims of trafficking in 2006-07.",
        [
            "The UK Human Trafficking Centre collects information on possible victims referred to "
            "it. Figures for 2006-07 are being validated and will be published when they are "
            "complete."
        ],
    ),
    (
        dt.date(2007, 12, 6),
        "sex-offenders-disclosure",
        "Sex Offenders: Disclosure",
        "home-office",
        "margaret-ashdown",
        "jonathan-marsh",
        "To ask the Secretary of State for the Home Department what plans he has to allow "
        "parents to ask the police whether a person with access to their child has convictions "
        "for sexual offences.",
        [
            "The review of the protection of children from sex offenders, published in June 2007, "
            "proposed a pilot of a process for parents to register a child protection interest in "
            "a named individual. The pilot areas will be announced shortly."
        ],
    ),
    (
        dt.date(2007, 12, 12),
        "police-child-abuse-investigation",
        "Police: Child Abuse",
        "home-office",
        "amira-khalil",
        "jonathan-marsh",
        "To ask the Secretary of State for the Home Department how many police officers are "
        "assigned to child abuse investigation units in England and Wales.",
        [
            "The information requested is not held centrally. Decisions on the deployment of "
            "officers are for chief officers of police."
        ],
    ),
    (
        dt.date(2007, 12, 13),
        "internet-grooming-offences",
        "Internet: Sexual Offences",
        "home-office",
        "thomas-greaves",
        "jonathan-marsh",
        "To ask the Secretary of State for the Home Department how many people were convicted "
        "of meeting a child following sexual grooming in each year since the offence came into "
        "force.",
        [
            "Data from the court proceedings database show that 27 people were convicted of the "
            "offence in 2005 and 41 in 2006. Figures for 2007 will be available in the autumn."
        ],
    ),
    (
        dt.date(2008, 1, 8),
        "missing-children-reporting",
        "Missing Persons: Children",
        "home-office",
        "helen-southworth",
        "jonathan-marsh",
        "To ask the Secretary of State for the Home Department what guidance is given to police "
        "forces on the recording of children reported missing.",
        [
            "Guidance on the management, recording and investigation of missing persons was issued "
            "to forces by the Association of Chief Police Officers in 2005 and is being revised."
        ],
    ),
    (
        dt.date(2007, 12, 4),
        "sexual-health-services-young-people",
        "Sexual Health: Young People",
        "department-of-health",
        "amira-khalil",
        "caroline-pryce",
        "To ask the Secretary of State for Health what steps his Department is taking to ensure "
        "that sexual health services for young people identify those at risk of exploitation.",
        [
            "Guidance to sexual health services asks practitioners to consider whether a young "
            "person is at risk of harm, including sexual exploitation, and to follow local child "
            "protection procedures where there are concerns."
        ],
    ),
    (
        dt.date(2007, 12, 7),
        "child-and-adolescent-mental-health",
        "Mental Health Services: Children",
        "department-of-health",
        "margaret-ashdown",
        "caroline-pryce",
        "To ask the Secretary of State for Health what the average waiting time was for a first "
        "appointment with child and adolescent mental health services in the last year for "
        "which figures are available.",
        [
            "Information on waiting times for child and adolescent mental health services is not "
            "collected centrally in the form requested. The national service framework sets the "
            "standard that services should be accessible to young people in a timely way."
        ],
    ),
    (
        dt.date(2007, 12, 11),
        "designated-doctors-safeguarding",
        "Health Professions: Safeguarding",
        "department-of-health",
        "helen-southworth",
        "caroline-pryce",
        "To ask the Secretary of State for Health how many primary care trusts have appointed a "
        "designated doctor and nurse for safeguarding children.",
        [
            "All primary care trusts are expected to have a designated doctor and nurse for "
            "safeguarding children, as set out in Working Together to Safeguard Children. The "
            "Healthcare Commission's review of safeguarding arrangements found that most trusts "
            "had made these appointments."
        ],
    ),
    (
        dt.date(2008, 1, 9),
        "accident-emergency-child-protection",
        "Accident and Emergency Departments",
        "department-of-health",
        "thomas-greaves",
        "caroline-pryce",
        "To ask the Secretary of State for Health what guidance is given to accident and "
        "emergency staff on recognising signs of child abuse.",
        [
            "Guidance for staff is set out in Working Together to Safeguard Children and in the "
            "publication What to do if you are worried a child is being abused. The Department is "
            "funding training materials for emergency departments."
        ],
    ),
    (
        dt.date(2008, 1, 10),
        "young-carers",
        "Carers: Young People",
        "department-of-health",
        "amira-khalil",
        "caroline-pryce",
        "To ask the Secretary of State for Health what support is available to young carers.",
        [
            "The new national carers strategy, to be published in the spring, will include "
            "measures to support young carers, developed jointly with the Department for "
            "Children, Schools and Families."
        ],
    ),
    (
        dt.date(2008, 1, 14),
        "childrens-homes-inspection",
        "Children's Homes: Inspections",
        "department-for-children-schools-and-families",
        "amira-khalil",
        "kevin-brennan",
        "To ask the Secretary of State for Children, Schools and Families how many children's "
        "homes were judged inadequate at their last inspection.",
        [
            "Ofsted publishes the outcomes of inspections of children's homes. At the end of "
            "September 2007, 4 per cent of homes inspected in the previous year were judged "
            "inadequate."
        ],
    ),
    (
        dt.date(2008, 1, 15),
        "youth-offending-victims",
        "Young Offenders: Victims",
        "home-office",
        "margaret-ashdown",
        "jonathan-marsh",
        "To ask the Secretary of State for the Home Department what assessment has been made of "
        "the extent to which young offenders have themselves been victims of sexual exploitation.",
        [
            "No central assessment has been made. Youth offending teams assess the needs of each "
            "young person, including any history of abuse, and refer them to support services."
        ],
    ),
    (
        dt.date(2008, 1, 16),
        "foster-carers-training",
        "Foster Care: Training",
        "department-for-children-schools-and-families",
        "margaret-ashdown",
        "kevin-brennan",
        "To ask the Secretary of State for Children, Schools and Families what training foster "
        "carers receive on caring for children who have been sexually exploited.",
        [
            "The Training, Support and Development Standards for foster carers, introduced in "
            "2007, require carers to understand how to keep children safe, including from sexual "
            "exploitation. Fostering services provide further training locally."
        ],
    ),
]

# Two questions answered together, as grouped questions are in Hansard.
GROUPED_QUESTIONS: dict[str, Any] = {
    "answer_date": dt.date(2008, 1, 17),
    "department": "department-for-children-schools-and-families",
    "answerer": "kevin-brennan",
    "heading": "Children: Sexual Exploitation",
    "questions": [
        (
            "sexual-exploitation-guidance-timetable",
            "richard-penhale",
            "To ask the Secretary of State for Children, Schools and Families when he expects to "
            "publish for consultation the revised guidance on safeguarding children from sexual "
            "exploitation.",
        ),
        (
            "sexual-exploitation-guidance-scope",
            "amira-khalil",
            "To ask the Secretary of State for Children, Schools and Families whether the revised "
            "guidance on children involved in prostitution will cover exploitation through the "
            "internet.",
        ),
    ],
    "answer": [
        "I refer the hon. Members to the answer I gave on 3 December 2007. We intend to "
        "publish the draft guidance for consultation in the spring. It will cover all forms "
        "of sexual exploitation, including exploitation that begins online."
    ],
}


def consultations(*, today: dt.datetime) -> list[dict[str, Any]]:
    """Demo consultations in each state, dated relative to ``today``."""
    day = dt.timedelta(days=1)
    return [
        {
            "slug": "information-sharing-between-agencies",
            "title": "Information sharing between agencies that protect children: draft advice",
            "department": "department-for-education",
            "summary": (
                "Draft advice for practitioners on when and how to share information about a "
                "child who may be at risk, and how to record the decision."
            ),
            "opens_at": today - 20 * day,
            "closes_at": today + 40 * day,
            "enquiries_unit": "Safeguarding Policy Team",
            "enquiries_email": "information.sharing@education.example.gov.uk",
            "response_email": "information.sharing@education.example.gov.uk",
            "response_postal_address": "Information Sharing Consultation\nSafeguarding Policy "
            "Team\nDepartment for Education\nSanctuary Buildings\nGreat Smith Street\nLondon\n"
            "SW1P 3BT",
            "outcome": None,
        },
        {
            "slug": "restraint-in-childrens-homes",
            "title": "Reducing the use of restraint in children's homes",
            "department": "department-for-education",
            "summary": (
                "Proposals to reduce the use of physical restraint in children's homes and to "
                "improve how its use is recorded and reviewed."
            ),
            "opens_at": today + 14 * day,
            "closes_at": today + 98 * day,
            "enquiries_unit": "Children's Homes Policy Team",
            "enquiries_email": "restraint.consultation@education.example.gov.uk",
            "response_email": "restraint.consultation@education.example.gov.uk",
            "outcome": None,
        },
        {
            "slug": "victims-code-review",
            "title": "Review of the Code of Practice for Victims of Crime",
            "department": "ministry-of-justice",
            "summary": (
                "How the entitlements of victims of crime, including children, should change. "
                "This consultation is run on the department's own consultation website."
            ),
            "opens_at": today - 10 * day,
            "closes_at": today + 50 * day,
            "enquiries_unit": "Victims Policy Unit",
            "enquiries_email": "victims.code@justice.example.gov.uk",
            "external_url": "https://consult.justice.example.gov.uk/victims-code-review",
            "respond_online": False,
            "outcome": None,
        },
        {
            "slug": "missing-children-police-response",
            "title": "The police response to children who go missing",
            "department": "home-office",
            "summary": (
                "Proposals for a consistent police response when a child is reported missing, "
                "including return interviews and information sharing with local authorities."
            ),
            "opens_at": today - 120 * day,
            "closes_at": today - 30 * day,
            "enquiries_unit": "Public Protection Unit",
            "enquiries_email": "missing.children@homeoffice.example.gov.uk",
            "response_email": "missing.children@homeoffice.example.gov.uk",
            "outcome": "analysing",
        },
        {
            "slug": "health-visitor-safeguarding-role",
            "title": "The safeguarding role of health visitors and school nurses",
            "department": "department-of-health",
            "summary": (
                "How health visitors and school nurses should identify and respond to children "
                "at risk of harm."
            ),
            "opens_at": today - 60 * day,
            "closes_at": today - 5 * day,
            "enquiries_unit": "Children's Health Team",
            "enquiries_email": "hv.safeguarding@health.example.gov.uk",
            "response_email": "hv.safeguarding@health.example.gov.uk",
            "outcome": None,
        },
    ]


STANDARD_SECTIONS: list[tuple[str, str, str]] = [
    (
        "executive_summary",
        "Executive summary",
        "This consultation seeks views on the proposals summarised above. We want to hear from "
        "practitioners, organisations and members of the public.",
    ),
    (
        "background",
        "Background and context",
        "The proposals build on existing statutory guidance and on what practitioners have told "
        "us about how it works in practice.",
    ),
    (
        "proposals",
        "The proposals",
        "The consultation document sets out the proposals in full, with questions at the end of "
        "each chapter.",
    ),
    (
        "how_to_respond",
        "How to respond",
        "You can respond online, by email or by post. Please answer as many or as few of the "
        "questions as you wish.",
    ),
    (
        "additional_copies",
        "Additional copies",
        "Additional copies can be downloaded from this page.",
    ),
    (
        "results",
        "Plans for making results public",
        "We will publish a summary of the responses and our response to them within 12 weeks "
        "of the consultation closing.",
    ),
]

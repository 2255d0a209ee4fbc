"""The two seed pages, with their real facts: the sexual exploitation guidance consultation
and the written question of 3 December 2007 about child sexual exploitation."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

DCSF: dict[str, Any] = {
    "slug": "department-for-children-schools-and-families",
    "name": "Department for Children, Schools and Families",
    "short_name": "DCSF",
    "website_url": "https://www.dcsf.gov.uk/",
    "foi_site_slug": "department_for_children_schools_and_families",
    "is_active": False,
}

CONSULTATION: dict[str, Any] = {
    "slug": "safeguarding-children-from-sexual-exploitation",
    "title": "Safeguarding children and young people from sexual exploitation: draft guidance",
    "summary": (
        "This draft guidance aims to provide practitioners across all relevant agencies and the "
        "voluntary and community sector with information about different forms of sexual "
        "exploitation to help them identify and safeguard children and young people who are "
        "at risk of sexual exploitation, or who are being sexually exploited. It will replace "
        "the current guidance, Children involved in Prostitution, issued in 2000 and will be "
        "supplementary guidance to Working Together to Safeguard Children (HMG 2006)."
    ),
    "opens_at": dt.datetime(2008, 3, 14, 9, 0, tzinfo=LONDON),
    "closes_at": dt.datetime(2008, 6, 12, 23, 59, tzinfo=LONDON),
    "enquiries_unit": "Children's Safeguards Policy Unit",
    "enquiries_telephone": "01325 392105",
    "enquiries_email": "seguidance.consultation@dcsf.gsi.gov.uk",
    "respond_online": True,
    "response_email": "seguidance.consultation@dcsf.gsi.gov.uk",
    "response_postal_address": "\n".join(
        [
            "Sexual Exploitation Guidance Consultation",
            "Children's Safeguards Policy Unit",
            "Department for Children, Schools and Families",
            "Room 331, Mowden Hall",
            "Staindrop Road",
            "Darlington",
            "County Durham",
            "DL3 9BG",
        ]
    ),
    "alternative_formats_email": "seguidance.consultation@dcsf.gsi.gov.uk",
}

SECTIONS: list[tuple[str, str, str]] = [
    (
        "executive_summary",
        "Executive summary",
        "Working Together to Safeguard Children was published by the Government in 2006 and "
        "provides comprehensive practice guidance for all agencies. This draft guidance is "
        "aimed at Local Safeguarding Children Board partners, practitioners and other "
        "professionals working with children and young people. It aims to provide information "
        "about different forms of sexual exploitation to help local agencies develop local "
        "prevention strategies; identify those at risk of sexual exploitation; take action to "
        "safeguard and promote the welfare of particular children and young people who may be "
        "sexually exploited and take action against those intent on abusing and exploiting "
        "children and young people in this way.\n\n"
        "There has been extensive consultation with experts and practitioners during the "
        "drafting of this guidance, but we hope that the consultation will provide a further "
        "opportunity for comment and refinement.",
    ),
    (
        "background",
        "Background and context",
        "This document provides good practice guidance to professionals and volunteers from "
        "all agencies to help them effectively safeguard children and young people from sexual "
        "exploitation.\n\n"
        "Working Together to Safeguard Children (HMG 2006) "
        "(www.everychildmatters.gov.uk/workingtogether) provides guidance on safeguarding all "
        "children. This supplementary guidance is designed to help practitioners meet the "
        "particular needs of sexually exploited children and young people. Local procedures "
        "for safeguarding children should always be consistent with Working Together.",
    ),
    (
        "proposals",
        "The proposals",
        "You can read the draft practice guidance in the attachment below.",
    ),
    (
        "how_to_respond",
        "How to respond",
        "Consultation responses can be completed online, sent by email, or sent in writing to "
        "the address below. Hard copies of the consultation are available to download from "
        "this page.",
    ),
    (
        "additional_copies",
        "Additional copies",
        "Additional copies are available electronically and can be downloaded from this page.",
    ),
    (
        "results",
        "Plans for making results public",
        "We will publish an analysis of the results of this consultation, and our response to "
        "them alongside the final version of this guidance.\n\n"
        "This document will be available on the Every Child Matters website.",
    ),
]

DRAFT_GUIDANCE_TEXT = [
    "Safeguarding children and young people from sexual exploitation",
    "Supplementary guidance to Working Together to Safeguard Children: draft for consultation",
    "1. Introduction",
    "This guidance is for Local Safeguarding Children Boards, their partners, and "
    "practitioners and volunteers who work with children and young people. It describes "
    "the forms sexual exploitation can take and what agencies should do together to prevent "
    "it, to identify children and young people at risk, to safeguard them and to take action "
    "against those who exploit them.",
    "2. Principles",
    "Children and young people who are sexually exploited are victims of abuse. Their needs "
    "require careful assessment and they should be safeguarded and supported. Agencies should "
    "work together, sharing information where there is a concern for a child's safety.",
    "3. Identifying children and young people at risk",
    "Practitioners should be alert to indicators of sexual exploitation, including going "
    "missing from home or care, unexplained gifts or money, relationships with older adults, "
    "and changes in behaviour or school attendance.",
    "4. Local protocols",
    "Each Local Safeguarding Children Board should agree a protocol for how its partners will "
    "respond when a child or young person is thought to be at risk of sexual exploitation.",
]

DOCUMENTS: dict[str, Any] = {
    "children-involved-in-prostitution-2000": {
        "title": "Safeguarding Children Involved in Prostitution",
        "kind": "guidance",
        "publisher": (
            "Department of Health, Home Office and Department for Education and Employment"
        ),
        "published_on": dt.date(2000, 5, 1),
        "summary": (
            "Supplementary guidance to the 1999 edition of Working Together to Safeguard "
            "Children, on children involved in prostitution."
        ),
        "withdrawn_on": dt.date(2009, 6, 30),
    },
    "working-together-to-safeguard-children-2006": {
        "title": "Working Together to Safeguard Children",
        "kind": "guidance",
        "publisher": "HM Government",
        "published_on": dt.date(2006, 4, 1),
        "summary": (
            "The main inter-agency guide to working together to safeguard and promote the "
            "welfare of children."
        ),
        "external_url": "http://www.everychildmatters.gov.uk/workingtogether",
    },
    "sexual-exploitation-draft-guidance-2008": {
        "title": "Safeguarding children and young people from sexual exploitation: draft guidance",
        "kind": "draft_guidance",
        "department": DCSF["slug"],
        "published_on": dt.date(2008, 3, 14),
        "summary": "The draft supplementary guidance published for consultation.",
        "consultation": CONSULTATION["slug"],
    },
    "sexual-exploitation-guidance-2009": {
        "title": "Safeguarding Children and Young People from Sexual Exploitation",
        "kind": "final_guidance",
        "department": DCSF["slug"],
        "published_on": dt.date(2009, 6, 30),
        "summary": (
            "Supplementary guidance to Working Together to Safeguard Children, published after "
            "consultation on the draft."
        ),
        "consultation": CONSULTATION["slug"],
    },
}

RELATIONS: list[tuple[str, str, str]] = [
    (
        "sexual-exploitation-draft-guidance-2008",
        "replaces",
        "children-involved-in-prostitution-2000",
    ),
    (
        "sexual-exploitation-draft-guidance-2008",
        "supplements",
        "working-together-to-safeguard-children-2006",
    ),
    (
        "sexual-exploitation-guidance-2009",
        "final_version_of",
        "sexual-exploitation-draft-guidance-2008",
    ),
    ("sexual-exploitation-guidance-2009", "replaces", "children-involved-in-prostitution-2000"),
    (
        "sexual-exploitation-guidance-2009",
        "supplements",
        "working-together-to-safeguard-children-2006",
    ),
]

OUTCOME_PUBLISHED_AT = dt.datetime(2009, 6, 30, 9, 30, tzinfo=LONDON)

LABOUR: dict[str, Any] = {"slug": "labour", "name": "Labour", "short_name": "Lab"}

HELEN_SOUTHWORTH: dict[str, Any] = {
    "slug": "helen-southworth",
    "name": "Helen Southworth",
    "given_name": "Helen",
    "family_name": "Southworth",
    "memberships": [
        ("commons", "labour", "Warrington South", dt.date(1997, 5, 1), dt.date(2010, 4, 12)),
    ],
    "posts": [],
}

KEVIN_BRENNAN: dict[str, Any] = {
    "slug": "kevin-brennan",
    "name": "Kevin Brennan",
    "given_name": "Kevin",
    "family_name": "Brennan",
    "memberships": [
        ("commons", "labour", "Cardiff West", dt.date(2001, 6, 7), dt.date(2024, 5, 30)),
    ],
    "posts": [
        (
            "Parliamentary Under-Secretary",
            DCSF["slug"],
            "Children, Young People and Families",
            dt.date(2007, 6, 29),
            dt.date(2008, 10, 5),
        ),
    ],
}

QUESTION: dict[str, Any] = {
    "date": dt.date(2007, 12, 3),
    "identifier": "children-sexual-offences",
    "heading": "Children: Sexual Offences",
    "department": DCSF["slug"],
    "asker": HELEN_SOUTHWORTH["slug"],
    "addressed_to": "the Secretary of State for Children, Schools and Families",
    "text": (
        "To ask the Secretary of State for Children, Schools and Families what steps have "
        "been taken by his Department to tackle child sexual exploitation."
    ),
    "answerer": KEVIN_BRENNAN["slug"],
    "answer_paragraphs": [
        "The Department has taken a number of steps to tackle child sexual exploitation, "
        "including publication in April 2006 of the updated 'Working Together to Safeguard "
        "Children', the main inter-agency guide to working together to safeguard and promote "
        "the welfare of children. 'Working Together' stresses the need to treat children "
        "involved in prostitution and other forms of sexual exploitation primarily as the "
        "victims of abuse and advises that agencies should work together to develop local "
        "protocols. It also includes guidance for practitioners on sharing information with "
        "children's social care and the police about underage sexual activity, in response to "
        "recommendation 13 of the Bichard Inquiry Report, and sets out a number of "
        "considerations that practitioners should take into account in assessing when and how "
        "to share information about underage sexual activity. These include indicators of "
        "possible sexual exploitation. We have also established Local Safeguarding Children "
        "Boards, which have a role in co-ordinating work to safeguard children from sexual "
        "exploitation in each local area; and have published draft guidance to help agencies "
        "safeguard children who may have been trafficked. We are currently updating "
        "'Safeguarding Children involved in prostitution', which was originally published in "
        "2000 as supplementary guidance to the 1999 edition of 'Working Together'. The revised "
        "guidance will have a wider scope and cover safeguarding children from sexual "
        "exploitation more generally.",
    ],
}

# Known short names the seed documents go by in Parliament: "'Working Together'".
SHORT_NAMES: list[tuple[str, str]] = [
    ("Working Together", "working-together-to-safeguard-children-2006"),
]

# The summary of responses, published with the final guidance (the department said it
# would publish "an analysis of the results … alongside the final version of this guidance").
SUMMARY_OF_RESPONSES: dict[str, Any] = {
    "title": "Summary of responses",
    "body": (
        "The Department for Children, Schools and Families consulted on draft guidance, "
        "*Safeguarding children and young people from sexual exploitation*, from 14 March to "
        "12 June 2008.\n\n"
        "This summary of the responses was published alongside the final guidance, "
        "*Safeguarding Children and Young People from Sexual Exploitation*, on 30 June 2009. "
        "The final guidance replaces *Safeguarding Children Involved in Prostitution* (2000) "
        "and is supplementary guidance to *Working Together to Safeguard Children* (2006).\n\n"
        "In moot's demo this page stands for the published summary: its wording is "
        "illustrative."
    ),
    "published_at": OUTCOME_PUBLISHED_AT,
}

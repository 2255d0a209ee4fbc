"""The tables of the open-data export: one row generator and column list per dataset.

Rows are flat: the JSON Lines and CSV files of a dataset have the same columns in the same
order (lists stay lists in JSON Lines and are joined with "; " in CSV). Nothing about
consultation respondents is read here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from moot.api.opendata import consultations, debates, parliament, statements
from moot.api.opendata.rows import Row

OPEN_PARLIAMENT_LICENCE = {
    "name": "Open Parliament Licence v3.0",
    "url": "https://www.parliament.uk/site-information/copyright-parliament/open-parliament-licence/",
}
OPEN_GOVERNMENT_LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}


def columns(names: str) -> tuple[str, ...]:
    return tuple(names.split())


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    licence: dict[str, str]
    columns: tuple[str, ...]
    rows: Callable[[], Iterator[Row]]


OPL, OGL = OPEN_PARLIAMENT_LICENCE, OPEN_GOVERNMENT_LICENCE

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "departments",
        "Departments",
        OGL,
        columns(
            """
            slug name short_name website_url foi_email is_active
            parliament_answering_body_id html_url api_url updated_at
            """
        ),
        parliament.departments_rows,
    ),
    Dataset(
        "members",
        "Members of either House",
        OPL,
        columns(
            """
            slug name given_name family_name honorific_prefix parliament_member_id
            parlparse_id html_url api_url updated_at
            """
        ),
        parliament.members_rows,
    ),
    Dataset(
        "memberships",
        "Seats held by members",
        OPL,
        columns(
            """
            member_slug house party_slug party_name constituency_slug constituency_name
            start_date end_date start_reason end_reason parlparse_id
            """
        ),
        parliament.memberships_rows,
    ),
    Dataset(
        "posts",
        "Offices held by members",
        OPL,
        columns(
            """
            member_slug role department_slug organisation responsibilities start_date
            end_date
            """
        ),
        parliament.posts_rows,
    ),
    Dataset(
        "questions",
        "Written questions",
        OPL,
        columns(
            """
            key date identifier house uin question_numbers heading department_slug
            asked_by_slug asking_name addressed_to text date_tabled date_for_answer
            is_withdrawn is_answered answer_ids source_url column html_url api_url
            updated_at
            """
        ),
        parliament.questions_rows,
    ),
    Dataset(
        "answers",
        "Written answers",
        OPL,
        columns(
            """
            id date_answered question_keys answered_by_slug answering_name department_slug
            body_html body_text is_holding holding_answer_date corrects_id source_url column
            attachment_urls updated_at votes_yes votes_no
            """
        ),
        parliament.answers_rows,
    ),
    Dataset(
        "debates",
        "Debates (Hansard sections)",
        OPL,
        columns(
            """
            key date location identifier major_heading heading department_slug column
            source_id source_url html_url api_url updated_at
            """
        ),
        debates.debates_rows,
    ),
    Dataset(
        "speeches",
        "Speeches in debates",
        OPL,
        columns(
            """
            debate_key anchor position speaker_slug speaker_name body_html body_text time
            column source_id source_url html_url updated_at
            """
        ),
        debates.speeches_rows,
    ),
    Dataset(
        "statements",
        "Written ministerial statements",
        OPL,
        columns(
            """
            key date identifier house uin title department_slug made_by_slug speaker_name
            member_role body_html body_text attachment_urls linked_statements source_url
            column html_url api_url updated_at
            """
        ),
        statements.statements_rows,
    ),
    Dataset(
        "consultations",
        "Consultations",
        OGL,
        columns(
            """
            slug title department_slug summary status opens_at closes_at published_at
            outcome_published_at external_url html_url api_url updated_at
            """
        ),
        consultations.consultations_rows,
    ),
    Dataset(
        "consultation_sections",
        "Sections of consultations",
        OGL,
        columns(
            """
            consultation_slug position kind heading body
            """
        ),
        consultations.sections_rows,
    ),
    Dataset(
        "documents",
        "Documents",
        OGL,
        columns(
            """
            slug title kind department_slug publisher summary body published_on withdrawn_on
            external_url consultation_slug html_url api_url updated_at
            """
        ),
        consultations.documents_rows,
    ),
    Dataset(
        "attachments",
        "Files of consultations and documents",
        OGL,
        columns(
            """
            id consultation_slug document_slug document_version role title content_type
            size_bytes sha256 page_count download_url
            """
        ),
        consultations.attachments_rows,
    ),
    Dataset(
        "summaries_of_responses",
        "Summaries of responses",
        OGL,
        columns(
            """
            consultation_slug title body source published_at updated_at html_url api_url
            """
        ),
        consultations.summaries_rows,
    ),
)

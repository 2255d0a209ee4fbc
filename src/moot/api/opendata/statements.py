"""Rows of the written-statements dataset (see ``datasets``)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch

from moot.api.opendata.rows import CHUNK, Row, api_link, site_link, slug_of
from moot.core.html import html_to_text
from moot.parliament.models import WrittenStatement, WrittenStatementLink


def statement_key(statement: WrittenStatement) -> str:
    return f"{statement.date.isoformat()}/{statement.identifier}"


def statements_rows() -> Iterator[Row]:
    rows = (
        WrittenStatement.objects.select_related("department", "person")
        .prefetch_related(
            "attachments", Prefetch("links", queryset=WrittenStatementLink.objects.order_by("id"))
        )
        .order_by("date", "id")
    )
    for s in rows.iterator(chunk_size=CHUNK):
        yield {
            "key": statement_key(s),
            "date": s.date,
            "identifier": s.identifier,
            "house": s.house,
            "uin": s.uin,
            "title": s.title,
            "department_slug": slug_of(s.department),
            "made_by_slug": slug_of(s.person),
            "speaker_name": s.speaker_display_name,
            "member_role": s.member_role,
            "body_html": s.body_html,
            "body_text": html_to_text(s.body_html),
            "attachment_urls": [a.url for a in s.attachments.all()],
            # "JointStatement parliament.uk/written-statement/1700102": kind and source id.
            "linked_statements": [f"{link.kind} {link.linked_source_id}" for link in s.links.all()],
            "source_url": s.source_url,
            "column": s.column,
            "html_url": site_link(s.get_absolute_url()),
            "api_url": api_link("statement", date=s.date.isoformat(), identifier=s.identifier),
            "updated_at": s.updated_at,
        }

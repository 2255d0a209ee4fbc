"""Rows of the debates datasets (see ``datasets``): sections, and their speeches."""

from __future__ import annotations

from collections.abc import Iterator

from moot.api.opendata.rows import CHUNK, Row, api_link, site_link, slug_of
from moot.core.html import html_to_text
from moot.parliament.models import DebateSection, Speech


def debate_key(section: DebateSection) -> str:
    return f"{section.location}/{section.date.isoformat()}/{section.identifier}"


def debates_rows() -> Iterator[Row]:
    rows = DebateSection.objects.select_related("department").order_by("date", "id")
    for s in rows.iterator(chunk_size=CHUNK):
        yield {
            "key": debate_key(s),
            "date": s.date,
            "location": s.location,
            "identifier": s.identifier,
            "major_heading": s.major_heading,
            "heading": s.heading,
            "department_slug": slug_of(s.department),
            "column": s.column,
            "source_id": s.source_id,
            "source_url": s.source_url,
            "html_url": site_link(s.get_absolute_url()),
            "api_url": api_link(
                "debate", location=s.location, date=s.date.isoformat(), identifier=s.identifier
            ),
            "updated_at": s.updated_at,
        }


def speeches_rows() -> Iterator[Row]:
    rows = Speech.objects.select_related("section", "speaker").order_by(
        "section__date", "section_id", "position", "id"
    )
    for speech in rows.iterator(chunk_size=CHUNK):
        yield {
            "debate_key": debate_key(speech.section),
            "anchor": speech.anchor,
            "position": speech.position,
            "speaker_slug": slug_of(speech.speaker),
            "speaker_name": speech.speaker_display_name,
            "body_html": speech.body_html,
            "body_text": html_to_text(speech.body_html),
            "time": speech.time,
            "column": speech.column,
            "source_id": speech.source_id,
            "source_url": speech.source_url,
            "html_url": site_link(speech.get_absolute_url()),
            "updated_at": speech.updated_at,
        }

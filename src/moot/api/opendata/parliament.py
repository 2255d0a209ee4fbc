"""Rows of the parliamentary and department datasets (see ``datasets``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from django.db.models import Prefetch

from moot.api.opendata.rows import CHUNK, Row, api_link, site_link, slug_of
from moot.core.html import html_to_text
from moot.core.models import Department
from moot.parliament.models import Membership, Person, Post, WrittenAnswer, WrittenQuestion
from moot.parliament.selectors import VoteTally, vote_tallies

T = TypeVar("T")


def _in_chunks(rows: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    chunk: list[T] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def departments_rows() -> Iterator[Row]:
    for d in Department.objects.order_by("slug").iterator(chunk_size=CHUNK):
        yield {
            "slug": d.slug,
            "name": d.name,
            "short_name": d.short_name,
            "website_url": d.website_url,
            "foi_email": d.foi_email,
            "is_active": d.is_active,
            "parliament_answering_body_id": d.parliament_answering_body_id,
            "html_url": site_link(d.get_absolute_url()),
            "api_url": api_link("department", slug=d.slug),
            "updated_at": d.updated_at,
        }


def members_rows() -> Iterator[Row]:
    for p in Person.objects.order_by("slug").iterator(chunk_size=CHUNK):
        yield {
            "slug": p.slug,
            "name": p.name,
            "given_name": p.given_name,
            "family_name": p.family_name,
            "honorific_prefix": p.honorific_prefix,
            "parliament_member_id": p.parliament_member_id,
            "parlparse_id": p.parlparse_id,
            "html_url": site_link(p.get_absolute_url()),
            "api_url": api_link("member", slug=p.slug),
            "updated_at": p.updated_at,
        }


def memberships_rows() -> Iterator[Row]:
    rows = Membership.objects.select_related("person", "party", "constituency").order_by(
        "person__slug", "start_date", "id"
    )
    for m in rows.iterator(chunk_size=CHUNK):
        yield {
            "member_slug": m.person.slug,
            "house": m.house,
            "party_slug": slug_of(m.party),
            "party_name": m.party.name if m.party else None,
            "constituency_slug": slug_of(m.constituency),
            "constituency_name": m.constituency.name if m.constituency else None,
            "start_date": m.start_date,
            "end_date": m.end_date,
            "start_reason": m.start_reason,
            "end_reason": m.end_reason,
            "parlparse_id": m.parlparse_id,
        }


def posts_rows() -> Iterator[Row]:
    rows = Post.objects.select_related("person", "department").order_by(
        "person__slug", "start_date", "id"
    )
    for p in rows.iterator(chunk_size=CHUNK):
        yield {
            "member_slug": p.person.slug,
            "role": p.role,
            "department_slug": slug_of(p.department),
            "organisation": p.organisation,
            "responsibilities": p.responsibilities,
            "start_date": p.start_date,
            "end_date": p.end_date,
        }


def question_key(question: WrittenQuestion) -> str:
    return f"{question.date.isoformat()}/{question.identifier}"


def questions_rows() -> Iterator[Row]:
    rows = (
        WrittenQuestion.objects.select_related("department", "asking_person")
        .prefetch_related(Prefetch("answers", queryset=WrittenAnswer.objects.only("id")))
        .order_by("date", "id")
    )
    for q in rows.iterator(chunk_size=CHUNK):
        yield {
            "key": question_key(q),
            "date": q.date,
            "identifier": q.identifier,
            "house": q.house,
            "uin": q.uin,
            "question_numbers": q.question_numbers,
            "heading": q.heading,
            "department_slug": slug_of(q.department),
            "asked_by_slug": slug_of(q.asking_person),
            "asking_name": q.asker_display_name,
            "addressed_to": q.addressed_to,
            "text": q.text,
            "date_tabled": q.date_tabled,
            "date_for_answer": q.date_for_answer,
            "is_withdrawn": q.is_withdrawn,
            "is_answered": bool(q.answers.all()),
            "answer_ids": [a.id for a in q.answers.all()],
            "source_url": q.source_url,
            "column": q.column,
            "html_url": site_link(q.get_absolute_url()),
            "api_url": api_link("question", date=q.date.isoformat(), identifier=q.identifier),
            "updated_at": q.updated_at,
        }


def answers_rows() -> Iterator[Row]:
    rows = (
        WrittenAnswer.objects.select_related("department", "answering_person")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=WrittenQuestion.objects.only("date", "identifier").order_by(
                    "position", "id"
                ),
            ),
            "attachments",
        )
        .order_by("date_answered", "id")
    )
    for chunk in _in_chunks(rows.iterator(chunk_size=CHUNK)):
        # Readers' votes as the question page counts them: counts only, never who voted.
        tallies = vote_tallies(answer_ids=[a.id for a in chunk])
        yield from (_answer_row(a, tallies[a.id]) for a in chunk)


def _answer_row(a: WrittenAnswer, tally: VoteTally) -> Row:
    return {
        "id": a.id,
        "date_answered": a.date_answered,
        "question_keys": [question_key(q) for q in a.questions.all()],
        "answered_by_slug": slug_of(a.answering_person),
        "answering_name": a.answerer_display_name,
        "department_slug": slug_of(a.department),
        "body_html": a.body_html,
        "body_text": html_to_text(a.body_html),
        "is_holding": a.is_holding,
        "holding_answer_date": a.holding_answer_date,
        "corrects_id": a.corrects_id,
        "source_url": a.source_url,
        "column": a.column,
        "attachment_urls": [f.url for f in a.attachments.all()],
        "updated_at": a.updated_at,
        "votes_yes": tally.yes,
        "votes_no": tally.no,
    }

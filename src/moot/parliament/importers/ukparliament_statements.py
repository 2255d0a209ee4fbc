"""UK Parliament written-statements API JSON read into plain records.

Accepts what ``/api/writtenstatements/statements/{id}`` returns (``{"value": {…}}``), what
the list endpoint returns (``{"results": [{"value": {…}}, …], "totalResults": n}``), a JSON
list of either, or bare statement objects. A statement has ``id``, ``uin`` (``HCWS123``),
``dateMade``, ``house``, ``memberId`` with ``member``, ``memberRole``, ``answeringBodyId``
and ``answeringBodyName``, ``title``, ``text`` (HTML, sanitised here), ``attachments`` and
``linkedStatements`` (``linkedStatementId``, ``linkType``, ``linkDate``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from moot.core.errors import FileRejected
from moot.parliament.importers.ukparliament import (
    ApiAttachment,
    ApiProblem,
    RecordInvalid,
    _date,
    _int,
    _member_name,
    _shown,
    _text,
    answer_html,
)

LINK_TYPES = ("CorrectedStatement", "CorrectedAnswer", "JointStatement")


@dataclass(frozen=True, slots=True)
class ApiLinkedStatement:
    statement_id: int
    link_type: str  # one of LINK_TYPES, or "other"
    link_date: dt.date | None


@dataclass(slots=True)
class ApiStatement:
    id: int
    house: str
    uin: str
    title: str
    text_html: str
    date_made: dt.date
    member_id: int | None
    member_name: str
    member_role: str
    answering_body_id: int | None
    answering_body_name: str
    attachments: list[ApiAttachment] = field(default_factory=list)
    linked: list[ApiLinkedStatement] = field(default_factory=list)
    # What was wrong but left out rather than losing the statement: a bad attachment.
    warnings: list[str] = field(default_factory=list)

    @property
    def source_url(self) -> str:
        return (
            "https://questions-statements.parliament.uk/written-statements/detail/"
            f"{self.date_made.isoformat()}/{self.uin}"
        )


def raw_records(data: Any) -> list[Any]:
    """The statement objects in any of the accepted shapes, in order."""
    if isinstance(data, list):
        return [record for item in data for record in raw_records(item)]
    if not isinstance(data, dict):
        raise FileRejected("not a written-statements API response: expected an object or a list")
    if isinstance(data.get("results"), list):
        return [
            item.get("value", item) if isinstance(item, dict) else item for item in data["results"]
        ]
    if "value" in data:
        return [data["value"]]
    if "dateMade" in data or "memberRole" in data:
        return [data]
    raise FileRejected(
        "not a written-statements API response: no value, results or statement fields"
    )


def read_records(data: Any) -> Iterator[ApiStatement | ApiProblem]:
    for index, raw in enumerate(raw_records(data)):
        where = f"record {index + 1}"
        if isinstance(raw, dict) and raw.get("id") is not None:
            where = f"written statement {str(raw.get('id'))[:40]}"
        try:
            yield parse_record(raw)
        except RecordInvalid as error:
            yield ApiProblem(where, str(error))


def parse_record(raw: Any) -> ApiStatement:
    if not isinstance(raw, dict):
        raise RecordInvalid("not an object")
    if {"questionText", "dateTabled", "askingMemberId"} & raw.keys():
        raise RecordInvalid("a written question, not a statement (moot import-written-questions)")
    statement_id = _int(raw.get("id"), "id")
    if statement_id is None:
        raise RecordInvalid("no id")
    uin = _text(raw.get("uin"))
    title = _text(raw.get("title"))
    text_html = answer_html(raw.get("text"))
    date_made = _date(raw.get("dateMade"), "dateMade")
    if not uin or not title or not text_html or date_made is None:
        raise RecordInvalid("needs uin, title, text and dateMade")
    house = _text(raw.get("house")).lower()
    member_name = _member_name(raw.get("member")) or _text(raw.get("memberName"))
    warnings: list[str] = []
    return ApiStatement(
        id=statement_id,
        house="lords" if house == "lords" else "commons",
        uin=uin[:20],
        title=title,
        text_html=text_html,
        date_made=date_made,
        member_id=_int(raw.get("memberId"), "memberId"),
        member_name=member_name,
        member_role=_text(raw.get("memberRole")),
        answering_body_id=_int(raw.get("answeringBodyId"), "answeringBodyId"),
        answering_body_name=_text(raw.get("answeringBodyName")),
        attachments=_attachments(raw.get("attachments"), warnings),
        linked=_linked(raw.get("linkedStatements")),
        warnings=warnings,
    )


def _attachments(listed: Any, warnings: list[str]) -> list[ApiAttachment]:
    """The attachments; one without a web address is left out (and said in ``warnings``),
    the statement kept."""
    listed = listed or []
    if not isinstance(listed, list):
        raise RecordInvalid(f"attachments is not a list: {_shown(listed)}")
    attachments = []
    for item in listed:
        if not isinstance(item, dict) or not _text(item.get("url")):
            warnings.append("an attachment has no url; it was left out")
            continue
        url = _text(item.get("url"))
        if not url.lower().startswith(("https://", "http://")):
            warnings.append(
                f"an attachment's url is not a web address: {_shown(url)}; it was left out"
            )
            continue
        size = item.get("fileSizeBytes")
        attachments.append(
            ApiAttachment(
                title=(_text(item.get("title")) or url.rsplit("/", 1)[-1])[:300],
                url=url[:500],
                file_type=_text(item.get("fileType"))[:40],
                file_size=(
                    size
                    if isinstance(size, int) and not isinstance(size, bool) and 0 <= size < 2**63
                    else None
                ),
            )
        )
    return attachments


def _linked(listed: Any) -> list[ApiLinkedStatement]:
    listed = listed or []
    if not isinstance(listed, list):
        raise RecordInvalid(f"linkedStatements is not a list: {_shown(listed)}")
    linked = []
    for item in listed:
        if not isinstance(item, dict):
            raise RecordInvalid("a linked statement is not an object")
        statement_id = _int(item.get("linkedStatementId"), "linkedStatementId")
        if statement_id is None:
            raise RecordInvalid("a linked statement has no linkedStatementId")
        link_type = _text(item.get("linkType"))
        linked.append(
            ApiLinkedStatement(
                statement_id=statement_id,
                link_type=link_type if link_type in LINK_TYPES else "other",
                link_date=_date(item.get("linkDate"), "linkDate"),
            )
        )
    return linked

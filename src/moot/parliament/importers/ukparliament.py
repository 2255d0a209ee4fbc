"""UK Parliament written-questions API JSON read into plain records.

Accepts what ``/api/writtenquestions/questions/{id}`` returns (``{"value": {…}}``), what the
list endpoint returns (``{"results": [{"value": {…}}, …], "totalResults": n}``), a JSON list
of either, or bare question objects. Answer HTML is sanitised here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moot.core.errors import FileRejected
from moot.core.html import sanitise_html
from moot.parliament.importers.safejson import load_json

MAX_FILE_BYTES = 256 * 1024 * 1024
# Ids are stored in 32-bit integer columns.
MAX_ID = 2**31 - 1
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|\u00a0)*</p>")


@dataclass(frozen=True, slots=True)
class ApiAttachment:
    title: str
    url: str
    file_type: str
    file_size: int | None


@dataclass(slots=True)
class ApiAnswer:
    date_answered: dt.date
    text_html: str
    is_holding: bool
    date_holding_answer: dt.date | None
    answering_member_id: int | None
    answering_member_name: str
    is_correction: bool
    original_text_html: str
    date_corrected: dt.date | None
    correcting_member_id: int | None
    correcting_member_name: str
    attachments: list[ApiAttachment] = field(default_factory=list)


@dataclass(slots=True)
class ApiQuestion:
    id: int
    house: str
    uin: str
    heading: str
    text: str
    date_tabled: dt.date
    date_for_answer: dt.date | None
    is_named_day: bool
    is_withdrawn: bool
    asking_member_id: int | None
    asking_member_name: str
    answering_body_id: int | None
    answering_body_name: str
    grouped_uins: list[str]
    grouped_dates: dict[str, dt.date]  # a grouped question's number to the day it was tabled
    answer: ApiAnswer | None
    version: str

    @property
    def source_url(self) -> str:
        return (
            "https://questions-statements.parliament.uk/written-questions/detail/"
            f"{self.date_tabled.isoformat()}/{self.uin}"
        )


@dataclass(frozen=True, slots=True)
class ApiProblem:
    where: str
    message: str


class RecordInvalid(ValueError):
    pass


def load(path: Path) -> Any:
    return load_json(path, max_bytes=MAX_FILE_BYTES)


def raw_records(data: Any) -> list[Any]:
    """The question objects in any of the accepted shapes, in order."""
    if isinstance(data, list):
        return [record for item in data for record in raw_records(item)]
    if not isinstance(data, dict):
        raise FileRejected("not a written-questions API response: expected an object or a list")
    if isinstance(data.get("results"), list):
        return [
            item.get("value", item) if isinstance(item, dict) else item for item in data["results"]
        ]
    if "value" in data:
        return [data["value"]]
    if "uin" in data or "questionText" in data:
        return [data]
    raise FileRejected("not a written-questions API response: no value, results or question fields")


def read_records(data: Any) -> Iterator[ApiQuestion | ApiProblem]:
    for index, raw in enumerate(raw_records(data)):
        where = f"record {index + 1}"
        if isinstance(raw, dict) and raw.get("id") is not None:
            where = f"written question {str(raw.get('id'))[:40]}"
        try:
            yield parse_record(raw)
        except RecordInvalid as error:
            yield ApiProblem(where, str(error))


def _date(value: Any, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise RecordInvalid(f"{name} is not a date: {_shown(value)}")
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise RecordInvalid(f"{name} is not a date: {_shown(value)}") from None


def _int(value: Any, name: str) -> int | None:
    """A whole number of up to ``MAX_ID``, as an integer or a string of ASCII digits
    ("²" is a digit to ``str.isdigit`` but not to ``int``)."""
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        raise RecordInvalid(f"{name} is not a number: {_shown(value)}")
    if not 0 <= number <= MAX_ID:
        raise RecordInvalid(f"{name} is not a number moot accepts: {_shown(value)}")
    return number


def _shown(value: Any) -> str:
    """A value for an error message: short, whatever it is."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:40]}…"


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _member_name(value: Any) -> str:
    if isinstance(value, dict):
        return _text(value.get("name")) or _text(value.get("listAs"))
    return ""


def answer_html(html: Any) -> str:
    return _EMPTY_PARAGRAPH.sub("", sanitise_html(_text(html))).strip()


def parse_record(raw: Any) -> ApiQuestion:
    if not isinstance(raw, dict):
        raise RecordInvalid("not an object")
    question_id = _int(raw.get("id"), "id")
    if question_id is None:
        raise RecordInvalid("no id")
    uin = _text(raw.get("uin"))
    text = _text(raw.get("questionText"))
    date_tabled = _date(raw.get("dateTabled"), "dateTabled")
    if not uin or not text or date_tabled is None:
        raise RecordInvalid("needs uin, questionText and dateTabled")
    house = _text(raw.get("house")).lower()
    grouped = raw.get("groupedQuestions") or []
    if not isinstance(grouped, list):
        raise RecordInvalid("groupedQuestions is not a list")
    dates = [
        raw.get(k)
        for k in ("dateTabled", "dateAnswered", "dateHoldingAnswer", "dateAnswerCorrected")
    ]
    return ApiQuestion(
        id=question_id,
        house="lords" if house == "lords" else "commons",
        uin=uin[:20],
        heading=_text(raw.get("heading")),
        text=text,
        date_tabled=date_tabled,
        date_for_answer=_date(raw.get("dateForAnswer"), "dateForAnswer"),
        is_named_day=raw.get("isNamedDay") is True,
        is_withdrawn=bool(raw.get("isWithdrawn")),
        asking_member_id=_int(raw.get("askingMemberId"), "askingMemberId"),
        asking_member_name=_member_name(raw.get("askingMember")),
        answering_body_id=_int(raw.get("answeringBodyId"), "answeringBodyId"),
        answering_body_name=_text(raw.get("answeringBodyName")),
        grouped_uins=[_text(u) for u in grouped if _text(u)],
        grouped_dates=_grouped_dates(raw.get("groupedQuestionsDates")),
        answer=_answer(raw),
        version=max(str(d)[:19] for d in dates if isinstance(d, str) and d),
    )


def _grouped_dates(value: Any) -> dict[str, dt.date]:
    dates = {}
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict) and _text(item.get("questionUin")):
            date = _date(item.get("dateTabled"), "groupedQuestionsDates")
            if date is not None:
                dates[_text(item.get("questionUin"))] = date
    return dates


def _answer(raw: dict[str, Any]) -> ApiAnswer | None:
    date_answered = _date(raw.get("dateAnswered"), "dateAnswered")
    text_html = answer_html(raw.get("answerText"))
    if date_answered is None or not text_html:
        return None
    attachments = []
    listed = raw.get("attachments") or []
    if not isinstance(listed, list):
        raise RecordInvalid(f"attachments is not a list: {_shown(listed)}")
    for item in listed:
        if not isinstance(item, dict) or not _text(item.get("url")):
            raise RecordInvalid("an attachment has no url")
        size = item.get("fileSizeBytes")
        attachments.append(
            ApiAttachment(
                title=(_text(item.get("title")) or _text(item.get("url")).rsplit("/", 1)[-1])[:300],
                url=_text(item.get("url"))[:500],
                file_type=_text(item.get("fileType"))[:40],
                file_size=(
                    size
                    if isinstance(size, int) and not isinstance(size, bool) and 0 <= size < 2**63
                    else None
                ),
            )
        )
    return ApiAnswer(
        date_answered=date_answered,
        text_html=text_html,
        is_holding=bool(raw.get("answerIsHolding")),
        date_holding_answer=_date(raw.get("dateHoldingAnswer"), "dateHoldingAnswer"),
        answering_member_id=_int(raw.get("answeringMemberId"), "answeringMemberId"),
        answering_member_name=_member_name(raw.get("answeringMember")),
        is_correction=bool(raw.get("answerIsCorrection")),
        original_text_html=answer_html(raw.get("originalAnswerText")),
        date_corrected=_date(raw.get("dateAnswerCorrected"), "dateAnswerCorrected"),
        correcting_member_id=_int(raw.get("correctingMemberId"), "correctingMemberId"),
        correcting_member_name=_member_name(raw.get("correctingMember")),
        attachments=attachments,
    )

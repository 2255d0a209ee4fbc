"""ParlParse written answers (``answers*.xml``, ``lordswrans*.xml``) read into plain records.

A day's file is a sequence of headings, questions and replies in Hansard order:

    <major-heading>  the answering department ("WORK AND PENSIONS"; absent in the Lords)
    <minor-heading>  the subject ("Child Poverty Bill")
    <ques>…          one or more questions answered together
    <reply>          the answer
    <gidredirect oldgid=… newgid=… matchtype=…/>  an id of an older version and its successor

This module knows nothing of the database: it yields ``QuestionGroup``, ``Redirect`` and
``RecordProblem`` records, streaming, so a file of any length is read in flat memory.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import cast

from lxml import etree

from moot.core.html import sanitise_html
from moot.parliament.importers.safexml import (
    MAX_ELEMENTS_PER_RECORD,
    CheckedXML,
    RefusedRecord,
    UnsafeXML,
)

TOP_LEVEL = ("major-heading", "minor-heading", "ques", "reply", "gidredirect")
FILE_NAME = re.compile(
    r"^(?P<kind>answers|lordswrans)(?P<date>\d{4}-\d{2}-\d{2})(?P<version>[a-z]*)\.xml$"
)
# uk.org.publicwhip/wrans/2009-10-27c.295019.q0: the day, the version letter, the rest.
GID = re.compile(r"^(?P<prefix>.*/)(?P<date>\d{4}-\d{2}-\d{2})(?P<version>[a-z]*)\.(?P<rest>.+)$")


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path
    date: dt.date | None
    house: str  # "commons" or "lords"
    version: str

    @property
    def sort_key(self) -> tuple[dt.date, str, int, str]:
        return (self.date or dt.date.min, self.house, len(self.version), self.version)


@dataclass(slots=True)
class ParsedQuestion:
    gid: str
    line: int
    uins: list[str]
    speaker_id: str
    speaker_name: str
    text: str
    column: str
    url: str


@dataclass(slots=True)
class ParsedAnswer:
    gid: str
    line: int
    speaker_id: str
    speaker_name: str
    body_html: str
    holding_answer_date: dt.date | None
    column: str
    url: str


@dataclass(slots=True)
class QuestionGroup:
    """Questions under one heading and the reply (or replies) that answered them together."""

    date: dt.date
    position: int
    major_heading: str
    heading: str
    line: int
    questions: list[ParsedQuestion] = field(default_factory=list)
    answers: list[ParsedAnswer] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Redirect:
    old_gid: str
    new_gid: str
    match_type: str
    line: int


@dataclass(frozen=True, slots=True)
class RecordProblem:
    """A record that could not be read; the rest of the file still is."""

    line: int
    message: str


ParsedRecord = QuestionGroup | Redirect | RecordProblem


@dataclass(frozen=True, slots=True)
class GidParts:
    date: dt.date
    version: str
    stable: str  # the gid without its version letter: the same in every version
    rest: str  # what follows the day and version: "295019.q0", or "101.1" in the Lords


@lru_cache(maxsize=1 << 13)
def split_gid(gid: str) -> GidParts | None:
    match = GID.match(gid)
    if not match:
        return None
    try:
        date = dt.date.fromisoformat(match["date"])
    except ValueError:
        return None
    return GidParts(
        date=date,
        version=match["version"],
        stable=f"{match['prefix']}{match['date']}.{match['rest']}",
        rest=match["rest"],
    )


def source_file(path: Path) -> SourceFile:
    match = FILE_NAME.match(path.name)
    if not match:
        house = "lords" if "lords" in path.name.lower() else "commons"
        return SourceFile(path=path, date=None, house=house, version="")
    return SourceFile(
        path=path,
        date=dt.date.fromisoformat(match["date"]),
        house="lords" if match["kind"] == "lordswrans" else "commons",
        version=match["version"],
    )


def find_files(paths: list[Path]) -> list[SourceFile]:
    """The ParlParse files named or under the folders named, oldest day and version first.

    Versions of a day are read in order (a, b, c …), so each newer one updates the last.
    """
    found: dict[Path, SourceFile] = {}
    for path in paths:
        if path.is_dir():
            for candidate in path.rglob("*.xml"):
                if FILE_NAME.match(candidate.name):
                    found[candidate.resolve()] = source_file(candidate)
        else:
            found[path.resolve()] = source_file(path)
    return sorted(found.values(), key=lambda f: (*f.sort_key, str(f.path)))


@dataclass(slots=True)
class FileHeader:
    version: str
    latest: bool


def read_file(source: SourceFile) -> tuple[FileHeader, Iterator[ParsedRecord]]:
    """Check a file is safe to parse, then stream its records.

    Raises ``UnsafeXML`` (a ``FileRejected``) before reading anything when the file is too
    large or its prolog is dangerous. A syntax error part way through raises ``UnsafeXML``
    from the iterator, with its line, after the records before it have been yielded,
    whatever the libxml2 version (see ``safexml``). Only the root's children are records:
    other elements there are read, checked and dropped.
    """
    document = CheckedXML(source.path)
    version = document.root.get("scrapeversion")
    header = FileHeader(
        version=version
        if version is not None and re.fullmatch("[a-z]*", version)
        else source.version,
        latest=document.root.get("latest", "yes") != "no",
    )
    return header, _records(source, document)


def _records(source: SourceFile, document: CheckedXML) -> Iterator[ParsedRecord]:
    reader = _GroupReader(source)
    try:
        for item in document.elements():
            if isinstance(item, RefusedRecord):
                yield RecordProblem(item.line, item.message)
            elif item[0].tag in TOP_LEVEL:
                yield from reader.take(*item)
    except UnsafeXML:
        yield from reader.finish()
        raise
    yield from reader.finish()


class _GroupReader:
    """Turns the flat run of headings, questions and replies into question groups."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.major_heading = ""
        self.heading = ""
        self.group: QuestionGroup | None = None
        self.position = 0

    def take(self, element: etree._Element, line: int) -> Iterator[ParsedRecord]:
        tag = element.tag
        if tag == "gidredirect":
            old, new = element.get("oldgid", ""), element.get("newgid", "")
            if not old or not new:
                yield RecordProblem(line, "gidredirect without oldgid or newgid")
            else:
                yield Redirect(old, new, element.get("matchtype", ""), line)
            return
        if tag in ("major-heading", "minor-heading"):
            yield from self.finish()
            text = _text(element)
            if tag == "major-heading":
                self.major_heading, self.heading = text, ""
            else:
                self.heading = text
            return
        gid = element.get("id", "")
        parts = split_gid(gid)
        if parts is None:
            yield RecordProblem(line, f"<{tag}> has no usable id ({gid or 'none'})")
            return
        if tag == "ques":
            if self.group is not None and self.group.answers:
                yield from self.finish()
            if self.group is None:
                self.group = QuestionGroup(
                    date=parts.date,
                    position=self.position,
                    major_heading=self.major_heading,
                    heading=self.heading,
                    line=line,
                )
                self.position += 1
            try:
                self.group.questions.append(_question(element, gid, line))
            except UnsafeXML as problem:
                yield RecordProblem(line, str(problem))
        elif tag == "reply":
            if self.group is None or not self.group.questions:
                yield RecordProblem(line, f"reply {gid} has no question before it")
                return
            try:
                self.group.answers.append(_answer(element, gid, line))
            except UnsafeXML as problem:
                yield RecordProblem(line, str(problem))

    def finish(self) -> Iterator[ParsedRecord]:
        if self.group is not None and self.group.questions:
            yield self.group
        self.group = None


def _text(element: etree._Element) -> str:
    return " ".join("".join(cast("Iterator[str]", element.itertext())).split())


def _check_size(element: etree._Element) -> None:
    count = sum(1 for _ in element.iter())
    if count > MAX_ELEMENTS_PER_RECORD:
        raise UnsafeXML(
            f"a record holds {count:,} elements; moot accepts up to {MAX_ELEMENTS_PER_RECORD:,}"
            " (an oversized tree)"
        )


def _question(element: etree._Element, gid: str, line: int) -> ParsedQuestion:
    _check_size(element)
    paragraphs = []
    uins = []
    for paragraph in element.iter("p"):
        paragraphs.append(_text(paragraph))
        number = paragraph.get("qnum")
        if number:
            uins.append(number.strip())
    if not paragraphs:
        paragraphs.append(_text(element))
    return ParsedQuestion(
        gid=gid,
        line=line,
        uins=uins,
        speaker_id=element.get("speakerid", "").strip(),
        speaker_name=" ".join(element.get("speakername", "").split()),
        text="\n".join(p for p in paragraphs if p),
        column=element.get("colnum", "").strip(),
        url=element.get("url", "").strip(),
    )


def _answer(element: etree._Element, gid: str, line: int) -> ParsedAnswer:
    _check_size(element)
    holding_answer_date = None
    speaker_id = element.get("speakerid", "").strip()
    speaker_name = " ".join(element.get("speakername", "").split())
    column = element.get("colnum", "").strip()
    url = element.get("url", "").strip()
    for child in list(element):
        if child.tag == "p" and child.get("class") == "holdinganswer":
            # "holding answer 22 October 2009": the day of the holding answer, not body text.
            holding_answer_date = _phrase_date(child) or holding_answer_date
            element.remove(child)
    # Less for the sanitiser to read: attributes it would drop anyway, and ParlParse's
    # <phrase> markup (its text stays).
    etree.strip_attributes(element, "pid", "class", "code", "id", "qnum")
    etree.strip_tags(element, "phrase")
    # One serialisation of the whole reply: the sanitiser drops the <reply> tag itself.
    html = etree.tostring(element, encoding="unicode", with_tail=False)
    return ParsedAnswer(
        gid=gid,
        line=line,
        speaker_id=speaker_id,
        speaker_name=speaker_name,
        body_html=sanitise_html(html).strip(),
        holding_answer_date=holding_answer_date,
        column=column,
        url=url,
    )


def _phrase_date(paragraph: etree._Element) -> dt.date | None:
    for phrase in paragraph.iter("phrase"):
        code = phrase.get("code", "")
        try:
            return dt.date.fromisoformat(code)
        except ValueError:
            continue
    return None

"""ParlParse debates (``debates*.xml``, ``lords*.xml``, ``westminhall*.xml``) read into records.

A day's file is Hansard's running record, flat:

    <major-heading>  the business ("Oral Answers to Questions", a bill, "Points of Order")
    <minor-heading>  the subject within it
    <speech>         a contribution: speakerid (a seat) or person_id, speakername, colnum, time
    <division> …     (votes: not kept here)
    <gidredirect oldgid=… newgid=… matchtype=…/>  an id of an older version and its successor

A *section* is a minor heading, or a major heading with speeches directly under it. This
module knows nothing of the database: it yields ``SectionStart``, ``ParsedSpeech``,
``Redirect`` and ``RecordProblem`` records one at a time, holding at most one heading back,
so a file of any length is read in flat memory. Every record carries its position in the
day, so an import that resumes part way through a file numbers records as the first did.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from moot.core.html import sanitise_html
from moot.parliament.importers.parlparse import (
    FileHeader,
    RecordProblem,
    Redirect,
    _check_size,
    _text,
    split_gid,
)
from moot.parliament.importers.safexml import CheckedXML, RefusedRecord, UnsafeXML

FILE_NAME = re.compile(
    r"^(?P<kind>debates|lords|westminhall|westminster)"
    r"(?P<date>\d{4}-\d{2}-\d{2})(?P<version>[a-z]*)\.xml$"
)
LOCATIONS = {
    "debates": "commons",
    "lords": "lords",
    "westminhall": "westminster-hall",
    "westminster": "westminster-hall",
}
TOP_LEVEL = ("major-heading", "minor-heading", "oral-heading", "speech", "gidredirect")
_TIME = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")


@dataclass(frozen=True, slots=True)
class DebateFile:
    path: Path
    date: dt.date
    location: str
    version: str

    @property
    def sort_key(self) -> tuple[dt.date, str, int, str]:
        return (self.date, self.location, len(self.version), self.version)


@dataclass(frozen=True, slots=True)
class SectionStart:
    """A heading that begins a debate section; the speeches that follow belong to it."""

    gid: str
    line: int
    date: dt.date
    position: int
    major_heading: str
    heading: str
    column: str
    url: str


@dataclass(frozen=True, slots=True)
class ParsedSpeech:
    gid: str
    line: int
    section_gid: str
    position: int
    speaker_id: str
    speaker_name: str
    body_html: str
    column: str
    time: str
    url: str


DebateRecord = SectionStart | ParsedSpeech | Redirect | RecordProblem


def debate_file(path: Path) -> DebateFile | None:
    match = FILE_NAME.match(path.name)
    if not match:
        return None
    try:
        date = dt.date.fromisoformat(match["date"])
    except ValueError:
        return None
    return DebateFile(
        path=path, date=date, location=LOCATIONS[match["kind"]], version=match["version"]
    )


def find_debate_files(paths: list[Path]) -> tuple[list[DebateFile], list[Path]]:
    """The debate files named or under the folders named, oldest day and version first, and
    the files named that are not debate files (by their names)."""
    found: dict[Path, DebateFile] = {}
    unknown: list[Path] = []
    for path in paths:
        candidates = sorted(path.rglob("*.xml")) if path.is_dir() else [path]
        for candidate in candidates:
            parsed = debate_file(candidate)
            if parsed is not None:
                found[candidate.resolve()] = parsed
            elif not path.is_dir():
                unknown.append(candidate)
    ordered = sorted(found.values(), key=lambda f: (*f.sort_key, str(f.path)))
    return ordered, unknown


def read_debates(source: DebateFile) -> tuple[FileHeader, Iterator[DebateRecord]]:
    """Check a file is safe to parse (``UnsafeXML`` before reading anything if not), then
    stream its records. A syntax error part way raises ``UnsafeXML`` from the iterator,
    after the records before it."""
    document = CheckedXML(source.path)
    version = document.root.get("scrapeversion")
    header = FileHeader(
        version=version
        if version is not None and re.fullmatch("[a-z]*", version)
        else source.version,
        latest=document.root.get("latest", "yes") != "no",
    )
    return header, _records(source, document)


def _records(source: DebateFile, document: CheckedXML) -> Iterator[DebateRecord]:
    reader = _SectionReader(source)
    for item in document.elements():
        if isinstance(item, RefusedRecord):
            yield RecordProblem(item.line, item.message)
        elif item[0].tag in TOP_LEVEL:
            yield from reader.take(*item)


class _SectionReader:
    def __init__(self, source: DebateFile) -> None:
        self.source = source
        self.major = ""
        self.pending: SectionStart | None = None  # a major heading not yet followed
        self.section_gid = ""
        self.sections = 0
        self.speeches = 0

    def _start(
        self, gid: str, line: int, date: dt.date, element: etree._Element, **kw: str
    ) -> SectionStart:
        self.sections += 1
        return SectionStart(
            gid=gid,
            line=line,
            date=date,
            position=self.sections,
            column=element.get("colnum", "").strip()[:20],
            url=element.get("url", "").strip()[:500],
            major_heading=kw["major"][:300],
            heading=kw["heading"][:300],
        )

    def take(self, element: etree._Element, line: int) -> Iterator[DebateRecord]:
        tag = element.tag
        if tag == "gidredirect":
            old, new = element.get("oldgid", ""), element.get("newgid", "")
            if not old or not new or old == new or len(old) > 160 or len(new) > 160:
                yield RecordProblem(line, "gidredirect without a usable oldgid and newgid")
            else:
                yield Redirect(old, new, element.get("matchtype", "")[:20], line)
            return
        if tag == "oral-heading":
            return  # "Oral Answers to Questions": a label over the major headings that follow
        gid = element.get("id", "")
        parts = split_gid(gid) if len(gid) <= 160 else None
        if parts is None or parts.date != self.source.date:
            yield RecordProblem(
                line, f"<{tag}> has no usable id for this day ({gid[:160] or 'none'})"
            )
            return
        if tag == "major-heading":
            self.major = _text(element)
            self.pending = self._start(gid, line, parts.date, element, major=self.major, heading="")
            return
        if tag == "minor-heading":
            self.pending = None
            section = self._start(
                gid, line, parts.date, element, major=self.major, heading=_text(element)
            )
            self.section_gid, self.speeches = section.gid, 0
            yield section
            return
        # A speech.
        if self.pending is not None:
            section, self.pending = self.pending, None
            self.section_gid, self.speeches = section.gid, 0
            yield section
        if not self.section_gid:
            # Before any heading (the opening of a sitting): a section of its own, under an
            # id of its own made from the first speech's.
            section = self._start(f"{gid}.opening", line, parts.date, element, major="", heading="")
            self.section_gid, self.speeches = section.gid, 0
            yield section
        try:
            speech = self._speech(element, gid, line)
        except UnsafeXML as problem:
            yield RecordProblem(line, str(problem))
            return
        yield speech

    def _speech(self, element: etree._Element, gid: str, line: int) -> ParsedSpeech:
        _check_size(element)
        self.speeches += 1
        # Newer files name the person (person_id), older ones the seat (speakerid); both
        # are ids the members import knows. "unknown" is ParlParse's way of saying none.
        speaker_id = (element.get("person_id") or element.get("speakerid") or "").strip()
        if speaker_id == "unknown" or len(speaker_id) > 120:
            speaker_id = ""
        speaker_name = " ".join(element.get("speakername", "").split())[:200]
        if element.get("nospeaker") == "true":
            speaker_id, speaker_name = "", ""
        time = element.get("time", "").strip()
        etree.strip_attributes(element, "pid", "class", "code", "id", "qnum")
        etree.strip_tags(element, "phrase")
        html = etree.tostring(element, encoding="unicode", with_tail=False)
        return ParsedSpeech(
            gid=gid,
            line=line,
            section_gid=self.section_gid,
            position=self.speeches,
            speaker_id=speaker_id,
            speaker_name=speaker_name,
            body_html=sanitise_html(html).strip(),
            column=element.get("colnum", "").strip()[:20],
            time=time if _TIME.match(time) else "",
            url=element.get("url", "").strip()[:500],
        )

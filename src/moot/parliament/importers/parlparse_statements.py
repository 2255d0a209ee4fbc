"""ParlParse written ministerial statements (``ministerial*.xml``, ``lordswms*.xml``) read
into plain records.

A day's file is a run of headings and speeches in Hansard order:

    <major-heading>  the department ("Children, Schools and Families"; absent in the Lords
                     before 2014, where each statement has only its title)
    <minor-heading>  the statement's title ("Safeguarding Children")
    <speech>…        the statement: usually one speech; a long one, or a joint one, several
    <gidredirect oldgid=… newgid=… matchtype=…/>  an id of an older version and its successor

One statement is a heading and the speeches after it, and is known by the heading's id.
Statements scraped from the UK Parliament site since 2014 carry the statement number in
their ids (``uk.org.publicwhip/wms/2016-03-01.hcws563.h``) and name speakers by
``person_id``; older ones number by column (``…/wms/2009-10-27a.11WS.1``) and name them
by ``speakerid``. Both are read.

Like ``parlparse`` this module knows nothing of the database and streams, so memory stays
flat whatever the file's length; it uses the same hostile-XML checks (``safexml``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from moot.core.html import sanitise_html
from moot.parliament.importers.parlparse import (
    FileHeader,
    RecordProblem,
    Redirect,
    SourceFile,
    _check_size,
    _text,
    split_gid,
)
from moot.parliament.importers.safexml import CheckedXML, RefusedRecord, UnsafeXML

TOP_LEVEL = ("major-heading", "minor-heading", "speech", "gidredirect")
FILE_NAME = re.compile(
    r"^(?P<kind>ministerial|lordswms)(?P<date>\d{4}-\d{2}-\d{2})(?P<version>[a-z]*)\.xml$"
)
# A statement number in a newer id: hcws563, HLWS12.
STATEMENT_NUMBER = re.compile(r"^(?:hc|hl)ws\d+$", re.IGNORECASE)


@dataclass(slots=True)
class ParsedSpeech:
    gid: str
    line: int
    speaker_id: str
    speaker_name: str
    body_html: str
    column: str
    url: str


@dataclass(slots=True)
class ParsedStatement:
    """A heading and the speeches under it: one written statement."""

    gid: str  # the heading's id
    date: dt.date
    position: int
    department_heading: str
    title: str
    line: int
    column: str
    url: str
    speeches: list[ParsedSpeech] = field(default_factory=list)

    @property
    def uin(self) -> str:
        """The statement number in a newer id (``HCWS563``), or ""."""
        parts = split_gid(self.gid)
        first = parts.rest.split(".", 1)[0] if parts else ""
        return first.upper() if STATEMENT_NUMBER.match(first) else ""

    @property
    def body_html(self) -> str:
        return "\n".join(speech.body_html for speech in self.speeches if speech.body_html)


StatementRecord = ParsedStatement | Redirect | RecordProblem


def is_statement_file(path: Path) -> bool:
    return bool(FILE_NAME.match(path.name))


def source_file(path: Path) -> SourceFile:
    match = FILE_NAME.match(path.name)
    if not match:
        house = "lords" if "lords" in path.name.lower() else "commons"
        return SourceFile(path=path, date=None, house=house, version="")
    return SourceFile(
        path=path,
        date=dt.date.fromisoformat(match["date"]),
        house="lords" if match["kind"] == "lordswms" else "commons",
        version=match["version"],
    )


def find_files(paths: list[Path]) -> list[SourceFile]:
    """The statement files named or under the folders named, oldest day and version first."""
    found: dict[Path, SourceFile] = {}
    for path in paths:
        if path.is_dir():
            for candidate in path.rglob("*.xml"):
                if FILE_NAME.match(candidate.name):
                    found[candidate.resolve()] = source_file(candidate)
        else:
            found[path.resolve()] = source_file(path)
    return sorted(found.values(), key=lambda f: (*f.sort_key, str(f.path)))


def read_file(source: SourceFile) -> tuple[FileHeader, Iterator[StatementRecord]]:
    """Check a file is safe to parse, then stream its statements and redirects.

    As ``parlparse.read_file``: ``UnsafeXML`` before anything is read for a file too large
    or with a dangerous prolog, and from the iterator, naming its line, for a syntax error
    part way (after the records before it)."""
    document = CheckedXML(source.path)
    version = document.root.get("scrapeversion")
    header = FileHeader(
        version=version
        if version is not None and re.fullmatch("[a-z]*", version)
        else source.version,
        latest=document.root.get("latest", "yes") != "no",
    )
    return header, _records(document)


def _records(document: CheckedXML) -> Iterator[StatementRecord]:
    reader = _StatementReader()
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


class _StatementReader:
    """Turns the flat run of headings and speeches into statements."""

    def __init__(self) -> None:
        self.department_heading = ""
        self.statement: ParsedStatement | None = None
        # The major heading, held until it proves to be a statement's own heading (a
        # speech straight after it) or a department's (a minor heading after it).
        self.major: tuple[str, str, int, str, str] | None = None
        self.position = 0

    def take(self, element: etree._Element, line: int) -> Iterator[StatementRecord]:
        tag = element.tag
        if tag == "gidredirect":
            old, new = element.get("oldgid", ""), element.get("newgid", "")
            if not old or not new:
                yield RecordProblem(line, "gidredirect without oldgid or newgid")
            else:
                yield Redirect(old, new, element.get("matchtype", ""), line)
            return
        gid = element.get("id", "")
        parts = split_gid(gid)
        if parts is None:
            yield RecordProblem(line, f"<{tag}> has no usable id ({gid or 'none'})")
            return
        column = element.get("colnum", "").strip()
        url = element.get("url", "").strip()
        if tag == "major-heading":
            yield from self.finish()
            self.department_heading = _text(element)
            self.major = (gid, self.department_heading, line, column, url)
            return
        if tag == "minor-heading":
            yield from self.finish()
            self.major = None
            self._open(gid, parts.date, _text(element), line, column, url)
            return
        # A speech.
        statement = self.statement
        if statement is None:
            if self.major is None:
                yield RecordProblem(line, f"speech {gid} has no heading before it")
                return
            # Speeches straight under a major heading: the heading is the statement's title.
            major_gid, title, major_line, column, url = self.major
            self.major = None
            statement = self._open(major_gid, parts.date, title, major_line, column, url)
        try:
            statement.speeches.append(_speech(element, gid, line))
        except UnsafeXML as problem:
            yield RecordProblem(line, str(problem))

    def _open(
        self, gid: str, date: dt.date, title: str, line: int, column: str, url: str
    ) -> ParsedStatement:
        self.statement = ParsedStatement(
            gid=gid,
            date=date,
            position=self.position,
            department_heading=self.department_heading,
            title=title,
            line=line,
            column=column,
            url=url,
        )
        self.position += 1
        return self.statement

    def finish(self) -> Iterator[StatementRecord]:
        statement, self.statement = self.statement, None
        # A heading with nothing under it is no statement (and no error either: ParlParse
        # keeps such headings where Hansard has them).
        if statement is not None and statement.speeches:
            yield statement


def _speech(element: etree._Element, gid: str, line: int) -> ParsedSpeech:
    _check_size(element)
    # Newer files name the speaker by person, older ones by seat; either resolves.
    speaker_id = (element.get("speakerid") or element.get("person_id") or "").strip()
    speaker_name = " ".join(element.get("speakername", "").split())
    column = element.get("colnum", "").strip()
    url = element.get("url", "").strip()
    etree.strip_attributes(element, "pid", "class", "code", "id", "qnum")
    etree.strip_tags(element, "phrase")
    html = etree.tostring(element, encoding="unicode", with_tail=False)
    return ParsedSpeech(
        gid=gid,
        line=line,
        speaker_id=speaker_id if speaker_id != "unknown" else "",
        speaker_name=speaker_name,
        body_html=sanitise_html(html).strip(),
        column=column,
        url=url,
    )

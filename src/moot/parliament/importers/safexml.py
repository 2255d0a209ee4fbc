"""Opening XML from outside without trusting it.

Parliamentary XML declares its named character entities (``&pound;``, ``&ndash;`` …) in an
internal DTD, so entities must be resolved; but a DTD is also how entity-expansion bombs and
external-entity attacks arrive. Before the real parser sees a file, its prolog is walked
here (the XML declaration, comments, processing instructions, the DOCTYPE, up to the root
element's start tag) and its internal DTD refused unless every entity is a short, flat,
internal value: no entity may refer to another entity (the nesting that makes expansion
exponential), to a file or to a URL. The parser itself is then told never to load a DTD or
touch the network, and keeps libxml2's own limits on depth, node size and amplification as a
second line.

The file is then read one top-level element (a record) at a time: the stream is split at the
root's children here, and a few records at a time are parsed, behind the checked prolog, by
a fresh libxml2 parse. What a parse builds is dropped before the next, so memory stays flat
whatever the file holds; and when a parse fails its records are parsed one by one, so an
error in record N names its line after records 1 … N-1 have been delivered. That promise
does not depend on the libxml2 version: since 2.14 a streaming parse raises on an
undeclared entity before it delivers the elements ahead of it in the same chunk.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO

from lxml import etree

from moot.core.errors import FileRejected

MAX_FILE_BYTES = 512 * 1024 * 1024
# The prolog (declaration, DTD, root start tag) must be over within this many bytes.
MAX_PROLOG_BYTES = 256 * 1024
MAX_ENTITIES = 2000
MAX_ENTITY_VALUE_CHARS = 200
# One record (a question, a reply) may not hold more elements than this.
MAX_ELEMENTS_PER_RECORD = 50_000
# Nor be longer than this: it is held whole while it is parsed. ParlParse's longest
# replies (tables) are tens of kilobytes.
MAX_RECORD_BYTES = 8 * 1024 * 1024
READ_BYTES = 1024 * 1024
# Records are parsed this many bytes at a time: each parse reads the DTD again, so one
# record a parse would spend more on the DTD than on the records.
BATCH_BYTES = 128 * 1024

_NAME = re.compile(r"[A-Za-z_:][-A-Za-z0-9._:]*")
_CHARACTER_REFERENCE = re.compile(r"&#(?:[0-9]{1,7}|x[0-9A-Fa-f]{1,6});")
# A start tag: attribute values may hold ">" but never "<". Possessive quantifiers keep a
# malformed tag from backtracking.
_START_TAG = re.compile(
    rb"""<([A-Za-z_:\x80-\xff][^\s/>"'<=]*+)((?:[^>"'<]++|"[^"<]*+"|'[^'<]*+')*+)>"""
)
_ENCODING = re.compile(rb"""(\bencoding\s*=\s*)(["'])([^"']*)\2""")


class UnsafeXML(FileRejected):
    """XML that moot refuses to parse: an entity bomb, external entities, or too large."""


@dataclass(frozen=True, slots=True)
class RefusedRecord:
    """A top-level element refused without being parsed; the rest of the file is read."""

    line: int
    message: str


def check_file_size(path: Path) -> int:
    size = path.stat().st_size
    limit = MAX_FILE_BYTES
    if size > limit:
        raise UnsafeXML(
            f"{path.name} is {size:,} bytes; moot reads XML files of up to {limit:,} bytes"
        )
    return size


def check_prolog(head: bytes) -> dict[str, str]:
    """Refuse a dangerous or unreadable prolog; return the entities its DTD declares.

    ``head`` is the start of the file (at least ``MAX_PROLOG_BYTES`` of it when the file is
    that long); the root element's start tag must begin within it.
    """
    return _prolog(head)[0].entities


# Encodings ------------------------------------------------------------------------------


def _wide_encoding(head: bytes) -> tuple[str | None, int]:
    """The codec of a file in UTF-16 or UTF-32, and the length of its byte order mark;
    ``(None, 0)`` for an encoding in which markup is ASCII.

    As in appendix F of the XML specification: a byte order mark, or else the pattern of
    zero bytes around the first character, which is always ``<`` (or, laxly, white space).
    """
    for mark, codec in (
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"\xff\xfe", "utf-16-le"),
    ):
        if head.startswith(mark):
            return codec, len(mark)
    first = head[:4]
    if b"\x00" not in first:
        if first == b"\x4c\x6f\xa7\x94":
            raise UnsafeXML("line 1: the file is in EBCDIC, which moot does not read")
        return None, 0
    zeros = "".join("0" if byte == 0 else "x" for byte in first)
    wide = {"x000": "utf-32-le", "000x": "utf-32-be"}.get(zeros) or {
        "x0": "utf-16-le",
        "0x": "utf-16-be",
    }.get(zeros[:2])
    if wide is None:
        raise UnsafeXML("line 1: the file's encoding is not one moot recognises")
    return wide, 0


def _as_ascii_compatible(head: bytes, codec: str | None, mark: int) -> bytes:
    """The head in bytes whose markup is ASCII: UTF-16 and UTF-32 become UTF-8."""
    if codec is None:
        return head
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        # A head cut part way through a character leaves that character out.
        text = decoder.decode(head[mark:], final=len(head) < MAX_PROLOG_BYTES)
    except UnicodeDecodeError as error:
        raise UnsafeXML(f"the file is not valid {codec.upper()}: {error.reason}") from None
    return text.encode("utf-8")


def _check_declared_encoding(name: str) -> None:
    """The declared encoding must keep every ASCII byte as that character: the prolog is
    checked in that form, and an encoding that writes markup otherwise would hide a DTD
    (UTF-7 writes "<" as "+ADw-"; in a multi-byte encoding "]" can end a character)."""
    try:
        codec = codecs.lookup(name).name
    except (LookupError, ValueError):  # ValueError: a name with a NUL in it
        raise UnsafeXML(
            f"line 1: the file declares an encoding moot does not know ({name[:40]!r})"
        ) from None
    if codec == "utf-8":
        return
    ascii_bytes = bytes(range(0x80))
    try:
        kept = ascii_bytes.decode(codec) == ascii_bytes.decode("ascii")
        single_byte = len(bytes(range(0x100)).decode(codec, errors="replace")) == 0x100
    except (LookupError, UnicodeError):  # LookupError: not a text encoding (rot13, base64)
        kept = single_byte = False
    if not (kept and single_byte):
        raise UnsafeXML(
            f"line 1: the file declares the encoding {name[:40]}; moot reads UTF-8, UTF-16, "
            "UTF-32 and single-byte encodings that keep ASCII as it is"
        )


# The prolog -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Prolog:
    entities: dict[str, str]
    root_name: bytes
    end: int  # just past the root element's start tag
    self_closing: bool
    encoding: str  # as declared; "" when not


def _prolog(raw_head: bytes) -> tuple[_Prolog, bytes]:
    """The checked prolog, and the head in bytes whose markup is ASCII."""
    codec, mark = _wide_encoding(raw_head)
    head = _as_ascii_compatible(raw_head, codec, mark)
    prolog = _PrologReader(head).read()
    # A UTF-16 or UTF-32 file was recognised by its bytes and is decoded as that; any other
    # is checked as ASCII, so it must be in an encoding that keeps markup ASCII.
    if prolog.encoding and codec is None:
        _check_declared_encoding(prolog.encoding)
    return prolog, head


class _PrologReader:
    """A small scanner for what comes before the root element: declaration, comments,
    processing instructions and ``<!DOCTYPE name [ … ]>``; just enough to judge them."""

    def __init__(self, head: bytes) -> None:
        self.head = head
        # Latin-1 maps every byte to one character, so positions are byte offsets.
        self.text = head.decode("latin-1")
        self.position = 0

    def fail(self, reason: str) -> UnsafeXML:
        line = self.text.count("\n", 0, self.position) + 1
        return UnsafeXML(f"line {line}: {reason}")

    def unfinished(self, what: str) -> UnsafeXML:
        return self.fail(f"{what} does not end within the first {MAX_PROLOG_BYTES:,} bytes")

    def skip_space(self) -> None:
        while self.position < len(self.text) and self.text[self.position] in " \t\r\n":
            self.position += 1

    def at(self, token: str) -> bool:
        return self.text.startswith(token, self.position)

    def name(self) -> str:
        match = _NAME.match(self.text, self.position)
        if not match:
            raise self.fail("the DTD has a declaration without a name")
        self.position = match.end()
        return match.group()

    def quoted(self) -> str:
        quote = self.text[self.position : self.position + 1]
        if quote not in ("'", '"'):
            raise self.fail("the DTD has an unquoted value")
        end = self.text.find(quote, self.position + 1)
        if end < 0:
            raise self.unfinished("the DTD")
        value = self.text[self.position + 1 : end]
        self.position = end + 1
        return value

    def skip_past(self, token: str, what: str) -> None:
        end = self.text.find(token, self.position)
        if end < 0:
            raise self.unfinished(what)
        self.position = end + len(token)

    def skip_declaration(self) -> None:
        """Past the ``>`` that ends an ELEMENT, ATTLIST or NOTATION declaration."""
        while self.position < len(self.text):
            char = self.text[self.position]
            if char in ("'", '"'):
                self.quoted()
            elif char == ">":
                self.position += 1
                return
            else:
                self.position += 1
        raise self.unfinished("the DTD")

    def read(self) -> _Prolog:
        if self.at("\xef\xbb\xbf"):  # a UTF-8 byte order mark
            self.position = 3
        encoding = ""
        if self.at("<?xml") and self.text[self.position + 5 : self.position + 6] in " \t\r\n":
            start = self.position
            self.skip_past("?>", "the XML declaration")
            declared = _ENCODING.search(self.head, start, self.position)
            encoding = declared.group(3).decode("latin-1") if declared else ""
        entities: dict[str, str] = {}
        doctype_seen = False
        while True:
            self.skip_space()
            if self.position >= len(self.text):
                raise self.fail(
                    f"no root element begins within the first {MAX_PROLOG_BYTES:,} bytes"
                )
            if self.at("<!--"):
                self.position += 4
                self.skip_past("-->", "a comment")
            elif self.at("<?"):
                self.skip_past("?>", "a processing instruction")
            elif self.at("<!DOCTYPE"):
                if doctype_seen:
                    raise self.fail("the file has two DOCTYPE declarations")
                doctype_seen = True
                self.position += len("<!DOCTYPE")
                entities = self.doctype()
            elif _NAME.match(self.text, self.position + 1) and self.at("<"):
                tag = _START_TAG.match(self.head, self.position)
                if tag is None:
                    raise self.fail(
                        "the root element's start tag is malformed or does not end within "
                        f"the first {MAX_PROLOG_BYTES:,} bytes"
                    )
                return _Prolog(
                    entities=entities,
                    root_name=tag.group(1),
                    end=tag.end(),
                    self_closing=tag.group(2).endswith(b"/"),
                    encoding=encoding,
                )
            else:
                raise self.fail(
                    "something other than comments, processing instructions and a DOCTYPE "
                    "comes before the root element"
                )

    def doctype(self) -> dict[str, str]:
        self.skip_space()
        self.name()
        self.skip_space()
        if self.at("SYSTEM") or self.at("PUBLIC"):
            raise self.fail("the file refers to an external DTD, which moot never fetches")
        if self.at(">"):
            self.position += 1
            return {}
        if not self.at("["):
            raise self.fail("the DOCTYPE declaration is malformed")
        self.position += 1
        entities: dict[str, str] = {}
        while True:
            self.skip_space()
            if self.position >= len(self.text):
                raise self.unfinished("the DTD")
            if self.at("]"):
                self.position += 1
                self.skip_space()
                if not self.at(">"):
                    raise self.fail("the DOCTYPE declaration is malformed")
                self.position += 1
                return entities
            if self.at("<!--"):
                self.position += 4
                self.skip_past("-->", "the DTD")
            elif self.at("<?"):
                self.skip_past("?>", "the DTD")
            elif self.at("<!ENTITY"):
                self.position += len("<!ENTITY")
                name, value = self.entity()
                entities[name] = value
                if len(entities) > MAX_ENTITIES:
                    raise self.fail(f"the DTD declares more than {MAX_ENTITIES} entities")
            elif self.at("<!ELEMENT") or self.at("<!ATTLIST") or self.at("<!NOTATION"):
                self.skip_declaration()
            elif self.at("%"):
                raise self.fail("the DTD uses parameter entities, which moot refuses")
            else:
                raise self.fail("the DTD holds something other than declarations")

    def entity(self) -> tuple[str, str]:
        self.skip_space()
        if self.at("%"):
            raise self.fail("the DTD declares a parameter entity, which moot refuses")
        name = self.name()
        self.skip_space()
        if self.at("SYSTEM") or self.at("PUBLIC"):
            raise self.fail(
                f"entity {name} refers to an external file or URL, which moot never fetches"
            )
        value = self.quoted()
        self.skip_space()
        if not self.at(">"):
            raise self.fail(f"entity {name} is malformed")
        self.position += 1
        if len(value) > MAX_ENTITY_VALUE_CHARS:
            raise self.fail(
                f"entity {name} is {len(value):,} characters long; moot accepts up to "
                f"{MAX_ENTITY_VALUE_CHARS} (an entity-expansion attack?)"
            )
        # Character references are expanded when the entity is declared, so "&#38;lol;"
        # would become a reference to another entity: judge the value after expanding them.
        expanded = _CHARACTER_REFERENCE.sub(_character, value)
        if "&" in expanded or "%" in expanded:
            raise self.fail(
                f"entity {name} refers to another entity; moot refuses nested entities "
                "(the shape of an entity-expansion bomb)"
            )
        if "<" in expanded:
            raise self.fail(f"entity {name} contains markup, which moot refuses")
        return name, expanded


def _character(match: re.Match[str]) -> str:
    reference = match.group()[2:-1]
    code = int(reference[1:], 16) if reference.startswith("x") else int(reference)
    try:
        return chr(code)
    except (ValueError, OverflowError):
        return "&"  # not a character: refused with the nested-entity check


# Reading records ------------------------------------------------------------------------


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        # Entities of the checked internal DTD only (lxml 5+; the stubs know only bool).
        resolve_entities="internal",  # type: ignore[arg-type]
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


class CheckedXML:
    """A file whose size and prolog have been checked, read one top-level element at a time.

    Opening it reads only the prolog: ``UnsafeXML`` is raised then for a file too large, a
    dangerous DTD, an encoding that could hide one, or a prolog libxml2 cannot parse.
    """

    def __init__(self, path: Path) -> None:
        check_file_size(path)
        self.path = path
        with path.open("rb") as handle:
            raw_head = handle.read(MAX_PROLOG_BYTES)
        self.codec, self.mark = _wide_encoding(raw_head)
        self.prolog, head = _prolog(raw_head)
        prefix = head[: self.prolog.end]
        if self.codec is not None:
            # The records reach libxml2 as UTF-8: say so in the declaration it reads.
            prefix = _ENCODING.sub(rb'\1"UTF-8"', prefix, count=1)
        self.prefix = prefix
        self.close = b"</" + self.prolog.root_name + b">"
        # The line of the mini-document on which the first record parsed behind the prefix
        # begins: the difference from the record's line in the file maps lines back.
        self.prefix_line = prefix.count(b"\n") + 1
        self.parser = _parser()
        try:
            self.root = etree.fromstring(
                prefix if self.prolog.self_closing else prefix + self.close, self.parser
            )
        except etree.XMLSyntaxError as error:
            raise UnsafeXML(describe_syntax_error(error)) from None

    def _chunks(self, handle: IO[bytes]) -> Iterator[bytes]:
        if self.codec is None:
            while chunk := handle.read(READ_BYTES):
                yield chunk
            return
        decoder = codecs.getincrementaldecoder(self.codec)()
        handle.read(self.mark)
        try:
            while chunk := handle.read(READ_BYTES):
                yield decoder.decode(chunk).encode("utf-8")
            yield decoder.decode(b"", final=True).encode("utf-8")
        except UnicodeDecodeError as error:
            raise UnsafeXML(f"the file is not valid {self.codec.upper()}: {error.reason}") from None

    def elements(self) -> Iterator[tuple[etree._Element, int] | RefusedRecord]:
        """The root's child elements in order, each with its line in the file, and the
        elements refused unparsed (``RefusedRecord``).

        Each element is the caller's until the next few are parsed. A syntax error raises
        ``UnsafeXML`` naming its line, after every element before it has been delivered.
        """
        with self.path.open("rb") as handle:
            stream = _Stream(self._chunks(handle), self.prolog.end)
            yield from self._read(stream)

    def _read(self, stream: _Stream) -> Iterator[tuple[etree._Element, int] | RefusedRecord]:
        batch: list[tuple[bytes, int]] = []
        size = 0
        kind = _CLOSE if self.prolog.self_closing else _MORE
        while not self.prolog.self_closing:
            kind, start, end = _scan(stream.buffer, stream.position, eof=stream.eof)
            if kind == _MORE and not stream.eof:
                if stream.pending > MAX_RECORD_BYTES:
                    yield from self._parse(batch)
                    raise UnsafeXML(
                        f"line {stream.line_at(start)}: a record is over "
                        f"{MAX_RECORD_BYTES:,} bytes; moot reads records of up to that"
                    )
                stream.read_more()
                continue
            if kind != _ELEMENT:
                break
            segment = stream.take(end)
            line = stream.line
            if len(segment) >= 4 * MAX_ELEMENTS_PER_RECORD:  # shorter cannot be too many
                elements = (
                    segment.count(b"<")
                    - segment.count(b"</")
                    - segment.count(b"<!")
                    - segment.count(b"<?")
                )
                if elements > MAX_ELEMENTS_PER_RECORD:
                    yield from self._parse(batch)
                    batch, size = [], 0
                    record_line = line + segment.count(b"\n", 0, start - stream.position)
                    yield RefusedRecord(
                        record_line,
                        f"a record holds {elements:,} elements; moot accepts up to "
                        f"{MAX_ELEMENTS_PER_RECORD:,} (an oversized tree)",
                    )
                    stream.advance(segment)
                    continue
            batch.append((segment, line))
            size += len(segment)
            stream.advance(segment)
            if size >= BATCH_BYTES:
                yield from self._parse(batch)
                batch, size = [], 0
        yield from self._parse(batch)
        self._finish(stream, kind)

    def _finish(self, stream: _Stream, kind: int) -> None:
        """The rest of the file after the last child: the root's end tag and whatever
        follows it, or the broken markup that stopped the split. libxml2 judges it."""
        if kind != _JUNK:
            while not stream.eof:
                if stream.pending > MAX_RECORD_BYTES:
                    raise UnsafeXML(
                        f"line {stream.line}: more than {MAX_RECORD_BYTES:,} bytes follow the "
                        "last element of the root"
                    )
                stream.read_more()
        rest = stream.buffer[stream.position :]
        offset = stream.line - self.prefix_line
        try:
            etree.fromstring(self.prefix + rest, self.parser)
        except etree.XMLSyntaxError as error:
            raise UnsafeXML(describe_syntax_error(error, line_offset=offset)) from None
        if kind != _CLOSE:
            raise UnsafeXML(f"line {stream.line}: the markup here is malformed")

    def _parse(
        self, batch: list[tuple[bytes, int]]
    ) -> Iterator[tuple[etree._Element, int] | RefusedRecord]:
        if not batch:
            return
        try:
            root = etree.fromstring(
                b"".join((self.prefix, *(segment for segment, _ in batch), self.close)),
                self.parser,
            )
        except etree.XMLSyntaxError:
            # One at a time, to deliver the records before the broken one and name its line.
            for segment, line in batch:
                offset = line - self.prefix_line
                try:
                    root = etree.fromstring(self.prefix + segment + self.close, self.parser)
                except etree.XMLSyntaxError as error:
                    raise UnsafeXML(describe_syntax_error(error, line_offset=offset)) from None
                yield from _children(root, offset)
            return
        yield from _children(root, batch[0][1] - self.prefix_line)


def _children(root: etree._Element, offset: int) -> Iterator[tuple[etree._Element, int]]:
    for child in root:
        line = child.sourceline
        if isinstance(child.tag, str):
            yield child, (line if isinstance(line, int) else 0) + offset


class _Stream:
    """The file's bytes from the end of the root's start tag, read as far as needed."""

    def __init__(self, chunks: Iterator[bytes], start: int) -> None:
        self.chunks = chunks
        self.buffer = b""
        self.position = 0
        self.eof = False
        while len(self.buffer) < start and not self.eof:
            self._append()
        self.line = self.buffer.count(b"\n", 0, start) + 1
        self.position = start

    @property
    def pending(self) -> int:
        return len(self.buffer) - self.position

    def _append(self) -> None:
        chunk = next(self.chunks, None)
        if chunk is None:
            self.eof = True
        else:
            self.buffer += chunk

    def read_more(self) -> None:
        """At least as much again as is pending, so re-scanning a long record stays linear."""
        self.buffer = self.buffer[self.position :]
        self.position = 0
        wanted = max(READ_BYTES, len(self.buffer))
        grown = len(self.buffer)
        while len(self.buffer) - grown < wanted and not self.eof:
            self._append()

    def line_at(self, index: int) -> int:
        return self.line + self.buffer.count(b"\n", self.position, max(index, self.position))

    def take(self, end: int) -> bytes:
        return self.buffer[self.position : end]

    def advance(self, segment: bytes) -> None:
        self.line += segment.count(b"\n")
        self.position += len(segment)
        if self.position > READ_BYTES:
            self.buffer = self.buffer[self.position :]
            self.position = 0


# What _scan found after a position at the root's top level.
_ELEMENT = 0  # a whole child element (and the text, comments … before it)
_MORE = 1  # not enough of the file read to tell
_CLOSE = 2  # the root's end tag
_JUNK = 3  # markup that is not well formed


@lru_cache(maxsize=64)
def _tag_patterns(name: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    escaped = re.escape(name)
    return re.compile(b"<" + escaped + rb"[\s/>]"), re.compile(b"</" + escaped + rb"\s*>")


def _scan(buffer: bytes, position: int, *, eof: bool) -> tuple[int, int, int]:
    """(what, where its ``<`` is, where it ends) for the next child of the root.

    Only well-formed XML needs splitting right: anything else is handed to libxml2, which
    names the error.
    """
    index = position
    while True:
        start = buffer.find(b"<", index)
        if start < 0:
            return _MORE, len(buffer), len(buffer)
        following = buffer[start + 1 : start + 2]
        if following == b"/":
            return _CLOSE, start, start
        if following in (b"!", b"?", b""):
            end = _skip_markup(buffer, start, eof=eof)
            if end < 0:
                return (_MORE if end == -1 else _JUNK), start, start
            index = end
            continue
        tag = _START_TAG.match(buffer, start)
        if tag is None:
            if not eof and buffer.find(b"<", start + 1) < 0:
                return _MORE, start, start
            return _JUNK, start, start
        if tag.group(2).endswith(b"/"):
            return _ELEMENT, start, tag.end()
        end = _element_end(buffer, tag.end(), tag.group(1), eof=eof)
        if end < 0:
            return (_MORE if end == -1 else _JUNK), start, start
        return _ELEMENT, start, end


def _skip_markup(buffer: bytes, start: int, *, eof: bool) -> int:
    """Past a comment, CDATA section or processing instruction at ``start``; -1 when more
    must be read, -2 when it is none of them."""
    for opening, closing in ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>")):
        if buffer.startswith(opening, start):
            end = buffer.find(closing, start + len(opening))
            if end < 0:
                return -2 if eof else -1
            return end + len(closing)
    if not eof and len(buffer) - start < len(b"<![CDATA["):
        return -1
    return -2


def _element_end(buffer: bytes, body: int, name: bytes, *, eof: bool) -> int:
    """Just past the end tag of the element whose content begins at ``body``; -1 when more
    must be read, -2 when the markup is broken."""
    opening, closing = _tag_patterns(name)
    close = closing.search(buffer, body)
    if close is None:
        return -2 if eof else -1
    # In well-formed XML every "<" in content starts markup, and "</name>" cannot hide in
    # an attribute value; so unless a comment, CDATA section, processing instruction or an
    # element of the same name comes first, the first "</name>" is this element's end.
    if (
        buffer.find(b"<!", body, close.start()) < 0
        and buffer.find(b"<?", body, close.start()) < 0
        and opening.search(buffer, body, close.start()) is None
    ):
        return close.end()
    depth, index = 1, body
    while True:
        start = buffer.find(b"<", index)
        if start < 0:
            return -2 if eof else -1
        following = buffer[start + 1 : start + 2]
        if following == b"/":
            end = buffer.find(b">", start)
            if end < 0:
                return -2 if eof else -1
            depth -= 1
            if depth == 0:
                return end + 1
            index = end + 1
        elif following in (b"!", b"?", b""):
            index = _skip_markup(buffer, start, eof=eof)
            if index < 0:
                return index
        else:
            tag = _START_TAG.match(buffer, start)
            if tag is None:
                if not eof and buffer.find(b"<", start + 1) < 0:
                    return -1
                return -2
            if not tag.group(2).endswith(b"/"):
                depth += 1
            index = tag.end()


def describe_syntax_error(error: etree.XMLSyntaxError, *, line_offset: int = 0) -> str:
    """libxml2's message in words a person running an import can act on.

    ``line_offset`` maps a line of the document parsed to the line of the file.
    """
    message = re.sub(r", line \d+, column \d+$", "", str(error.msg or error))
    line = error.lineno or (error.position[0] if error.position else 0)
    if line:
        line = max(line + line_offset, 1)
    if "Excessive depth" in message:
        message = "elements are nested more than 256 deep (an oversized tree)"
    elif "amplification" in message or "entity reference loop" in message.lower():
        message = "entity expansion is too large (an entity-expansion bomb)"
    elif "huge" in message.lower():
        message = "a single text node or name is too large (an oversized tree)"
    return f"line {line}: {message}" if line else message

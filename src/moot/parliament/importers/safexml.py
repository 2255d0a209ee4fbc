"""Opening XML from outside without trusting it.

Parliamentary XML declares its named character entities (``&pound;``, ``&ndash;`` …) in an
internal DTD, so entities must be resolved; but a DTD is also how entity-expansion bombs and
external-entity attacks arrive. Before the real parser sees a file, its internal DTD is read
here and refused unless every entity is a short, flat, internal value: no entity may refer to
another entity (the nesting that makes expansion exponential), to a file or to a URL. The
parser itself is then told never to load a DTD or touch the network, and keeps libxml2's own
limits on depth, node size and amplification as a second line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from lxml import etree

from moot.core.errors import FileRejected

MAX_FILE_BYTES = 512 * 1024 * 1024
# The internal DTD must be over within this many bytes of the start.
MAX_PROLOG_BYTES = 256 * 1024
MAX_ENTITIES = 2000
MAX_ENTITY_VALUE_CHARS = 200
# One record (a question, a reply) may not hold more elements than this.
MAX_ELEMENTS_PER_RECORD = 50_000

_NAME = re.compile(r"[A-Za-z_:][-A-Za-z0-9._:]*")
_CHARACTER_REFERENCE = re.compile(r"&#(?:[0-9]{1,7}|x[0-9A-Fa-f]{1,6});")


class UnsafeXML(FileRejected):
    """XML that moot refuses to parse: an entity bomb, external entities, or too large."""


def check_file_size(path: Path) -> int:
    size = path.stat().st_size
    limit = MAX_FILE_BYTES
    if size > limit:
        raise UnsafeXML(
            f"{path.name} is {size:,} bytes; moot reads XML files of up to {limit:,} bytes"
        )
    return size


def check_prolog(head: bytes) -> dict[str, str]:
    """Refuse a dangerous internal DTD; return the entities it declares (name to value).

    ``head`` is the start of the file (at least ``MAX_PROLOG_BYTES`` of it when the file is
    that long).
    """
    text = _decode_head(head)
    doctype_at = text.find("<!DOCTYPE")
    if doctype_at < 0:
        return {}
    root_at = _first_element_at(text)
    if root_at is not None and root_at < doctype_at:
        return {}
    return _DoctypeReader(text, doctype_at + len("<!DOCTYPE")).read()


def _decode_head(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    # Markup is ASCII in every encoding moot accepts; Latin-1 maps every byte to a character.
    return head.decode("latin-1")


def _first_element_at(text: str) -> int | None:
    for match in re.finditer(r"<([A-Za-z_])", text):
        return match.start()
    return None


class _DoctypeReader:
    """A small scanner for ``<!DOCTYPE name [ … ]>``: just enough to judge the declarations."""

    def __init__(self, text: str, position: int) -> None:
        self.text = text
        self.position = position

    def fail(self, reason: str) -> UnsafeXML:
        line = self.text.count("\n", 0, self.position) + 1
        return UnsafeXML(f"line {line}: {reason}")

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
            raise self.fail(f"the DTD does not end within the first {MAX_PROLOG_BYTES:,} bytes")
        value = self.text[self.position + 1 : end]
        self.position = end + 1
        return value

    def skip_past(self, token: str) -> None:
        end = self.text.find(token, self.position)
        if end < 0:
            raise self.fail(f"the DTD does not end within the first {MAX_PROLOG_BYTES:,} bytes")
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
        raise self.fail(f"the DTD does not end within the first {MAX_PROLOG_BYTES:,} bytes")

    def read(self) -> dict[str, str]:
        self.skip_space()
        self.name()
        self.skip_space()
        if self.at("SYSTEM") or self.at("PUBLIC"):
            raise self.fail("the file refers to an external DTD, which moot never fetches")
        if self.at(">"):
            return {}
        if not self.at("["):
            raise self.fail("the DOCTYPE declaration is malformed")
        self.position += 1
        entities: dict[str, str] = {}
        while True:
            self.skip_space()
            if self.position >= len(self.text):
                raise self.fail(f"the DTD does not end within the first {MAX_PROLOG_BYTES:,} bytes")
            if self.at("]"):
                return entities
            if self.at("<!--"):
                self.skip_past("-->")
            elif self.at("<?"):
                self.skip_past("?>")
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


def iterparse_checked(
    source: Path | IO[bytes], *, tags: tuple[str, ...]
) -> Iterator[etree._Element]:
    """Elements named ``tags`` as each one ends, from a file whose DTD has been checked.

    Each element is the caller's until the next is yielded; then it and everything before it
    is freed, so memory stays flat however long the file.
    """
    events = etree.iterparse(
        source,
        events=("end",),
        tag=tags,
        resolve_entities="internal",
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    for _event, element in events:
        yield element
        element.clear(keep_tail=False)
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]


def describe_syntax_error(error: etree.XMLSyntaxError) -> str:
    """libxml2's message in words a person running an import can act on."""
    message = re.sub(r", line \d+, column \d+$", "", str(error.msg or error))
    line = error.lineno or (error.position[0] if error.position else 0)
    if "Excessive depth" in message:
        message = "elements are nested more than 256 deep (an oversized tree)"
    elif "amplification" in message or "entity reference loop" in message.lower():
        message = "entity expansion is too large (an entity-expansion bomb)"
    elif "huge" in message.lower():
        message = "a single text node or name is too large (an oversized tree)"
    return f"line {line}: {message}" if line else message

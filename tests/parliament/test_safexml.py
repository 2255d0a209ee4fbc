"""Hostile XML is refused with a clear error before anything is read from it."""

from __future__ import annotations

import contextlib
import socket
import threading
from pathlib import Path

import pytest

from moot.parliament.importers import safexml
from moot.parliament.importers.parlparse import QuestionGroup, read_file, source_file
from moot.parliament.importers.safexml import UnsafeXML, check_prolog

HEADER = '<?xml version="1.0"?>\n'
RECORD = (
    '<publicwhip scrapeversion="a" latest="yes">\n'
    '<ques id="uk.org.publicwhip/wrans/2009-11-06a.1.q0" speakername="X">'
    '<p qnum="1">{}</p></ques>\n'
    "</publicwhip>\n"
)


def read_all(path: Path) -> list[object]:
    _header, records = read_file(source_file(path))
    return list(records)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("billion-laughs.xml", "refers to another entity"),
        ("character-reference-nesting.xml", "refers to another entity"),
        ("external-entity.xml", "refers to an external file or URL"),
        ("network-entity.xml", "refers to an external file or URL"),
        ("external-dtd.xml", "external DTD"),
        ("parameter-entity.xml", "parameter entit"),
    ],
)
def test_hostile_files_are_refused_before_parsing(fixtures: Path, name: str, reason: str) -> None:
    with pytest.raises(UnsafeXML, match=reason):
        read_file(source_file(fixtures / "hostile" / name))


def test_a_long_entity_is_refused_as_a_quadratic_blowup(tmp_path: Path) -> None:
    path = tmp_path / "quadratic.xml"
    doctype = f'<!DOCTYPE publicwhip [\n <!ENTITY big "{"x" * 50_000}">\n]>\n'
    path.write_text(HEADER + doctype + RECORD.format("&big;" * 1000))
    with pytest.raises(UnsafeXML, match="entity big is 50,000 characters long"):
        read_file(source_file(path))


def test_the_parser_never_touches_the_network(fixtures: Path) -> None:
    """A listener on the port the hostile files name sees no connection."""
    connections: list[object] = []
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            server.bind(("127.0.0.1", 9))
        except OSError:
            pytest.skip("cannot listen on 127.0.0.1:9 here")
        server.listen()
        server.settimeout(0.5)

        def accept() -> None:
            with contextlib.suppress(OSError):
                connections.append(server.accept())

        thread = threading.Thread(target=accept)
        thread.start()
        for name in ("network-entity.xml", "external-dtd.xml", "parameter-entity.xml"):
            with pytest.raises(UnsafeXML):
                read_all(fixtures / "hostile" / name)
        thread.join()
    assert connections == []


def test_a_tree_nested_too_deep_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "answers2009-11-06a.xml"
    deep = "<i>" * 5000 + "deep" + "</i>" * 5000
    path.write_text(HEADER + RECORD.format(deep))
    with pytest.raises(UnsafeXML, match=r"line 3: elements are nested more than 256 deep"):
        read_all(path)


def test_a_record_with_too_many_elements_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("moot.parliament.importers.parlparse.MAX_ELEMENTS_PER_RECORD", 1000)
    path = tmp_path / "answers2009-11-06a.xml"
    path.write_text(HEADER + RECORD.format("<i>x</i>" * 2000))
    records = read_all(path)
    assert [type(r).__name__ for r in records] == ["RecordProblem"]
    assert "2,002 elements" in records[0].message  # type: ignore[attr-defined]
    assert "oversized tree" in records[0].message  # type: ignore[attr-defined]


def test_an_oversized_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safexml, "MAX_FILE_BYTES", 100)
    path = tmp_path / "answers2009-11-06a.xml"
    path.write_text(HEADER + RECORD.format("A question"))
    with pytest.raises(UnsafeXML, match="moot reads XML files of up to 100 bytes"):
        read_file(source_file(path))


def test_an_undeclared_entity_is_a_syntax_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "answers2009-11-06a.xml"
    path.write_text(HEADER + RECORD.format("&nowhere;"))
    with pytest.raises(UnsafeXML, match="line 3: Entity 'nowhere' not defined"):
        read_all(path)


def test_declared_entities_resolve_to_their_characters(tmp_path: Path) -> None:
    path = tmp_path / "answers2009-11-06a.xml"
    doctype = (
        '<!DOCTYPE publicwhip [\n <!ENTITY pound "&#163;">\n <!ENTITY ndash "&#8211;">\n'
        ' <!ENTITY eacute "&#xE9;">\n <!-- a comment -->\n]>\n'
    )
    path.write_text(HEADER + doctype + RECORD.format("&pound;5 &ndash; caf&eacute; &amp; more"))
    (group,) = read_all(path)
    assert isinstance(group, QuestionGroup)
    assert group.questions[0].text == "£5 – café & more"


def test_check_prolog_reports_the_entities_it_allows() -> None:
    head = b'<?xml version="1.0"?>\n<!DOCTYPE p [\n<!ENTITY pound "&#163;">\n]>\n<p/>'
    assert check_prolog(head) == {"pound": "£"}
    assert check_prolog(b"<p>no doctype</p>") == {}
    with pytest.raises(UnsafeXML, match="does not end within"):
        check_prolog(b'<!DOCTYPE p [\n<!ENTITY pound "&#163;">\n')


BOMB_DTD = (
    "<!DOCTYPE publicwhip [\n"
    ' <!ENTITY lol "lol">\n'
    ' <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    "]>\n"
)
POUND_DTD = '<!DOCTYPE publicwhip [\n <!ENTITY pound "&#163;">\n]>\n'


def test_a_comment_holding_markup_before_the_doctype_does_not_hide_it(tmp_path: Path) -> None:
    text = HEADER + "<!-- see <x> below -->\n<?pi <y?>\n" + BOMB_DTD + RECORD.format("&lol1;")
    with pytest.raises(UnsafeXML, match="line 6: entity lol1 refers to another entity"):
        check_prolog(text.encode())
    path = tmp_path / "answers2009-11-06a.xml"
    path.write_text(text)
    with pytest.raises(UnsafeXML, match="refers to another entity"):
        read_file(source_file(path))


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-16", "utf-32-le", "utf-32"])
def test_a_utf16_or_utf32_file_with_or_without_bom_is_checked_as_what_it_is(
    tmp_path: Path, codec: str
) -> None:
    declaration = '<?xml version="1.0" encoding="UTF-16"?>\n'
    bomb = (declaration + BOMB_DTD + RECORD.format("&lol1;")).encode(codec)
    with pytest.raises(UnsafeXML, match="line 4: entity lol1 refers to another entity"):
        check_prolog(bomb)
    path = tmp_path / "answers2009-11-06a.xml"
    path.write_bytes((declaration + POUND_DTD + RECORD.format("&pound;5 to Zoë")).encode(codec))
    (group,) = read_all(path)
    assert isinstance(group, QuestionGroup)
    assert group.questions[0].text == "£5 to Zoë"
    assert group.questions[0].line == 6


def test_a_declared_encoding_that_hides_markup_is_refused() -> None:
    # Read as ASCII this is one comment; read as UTF-7 the comment ends and a DTD follows.
    hidden = ("-->" + BOMB_DTD + "<!--").encode()
    for char, encoded in ((b"<", b"+ADw-"), (b">", b"+AD4-"), (b"&", b"+ACY-")):
        hidden = hidden.replace(char, encoded)
    assert hidden.decode("utf-7") == "-->" + BOMB_DTD + "<!--"
    head = b'<?xml version="1.0" encoding="UTF-7"?>\n<!-- ' + hidden + b" -->\n<p/>"
    assert b"<!DOCTYPE" not in head
    with pytest.raises(UnsafeXML, match="declares the encoding UTF-7; moot reads UTF-8"):
        check_prolog(head)
    for unknown in (b"no-such-thing", b"nul\x00inside"):
        with pytest.raises(UnsafeXML, match="does not know"):
            check_prolog(b'<?xml version="1.0" encoding="' + unknown + b'"?>\n<p/>')
    with pytest.raises(UnsafeXML, match="declares the encoding rot13"):
        check_prolog(b'<?xml version="1.0" encoding="rot13"?>\n<p/>')
    assert check_prolog(b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<p/>') == {}
    assert check_prolog(b'<?xml version="1.0" encoding="windows-1252"?>\n<p/>') == {}
    with pytest.raises(UnsafeXML, match="Shift_JIS"):
        check_prolog(b'<?xml version="1.0" encoding="Shift_JIS"?>\n<p/>')


def test_a_doctype_beyond_the_prolog_limit_is_refused_not_skipped() -> None:
    padding = "<!--" + "x" * safexml.MAX_PROLOG_BYTES + "-->\n"
    head = (HEADER + padding + BOMB_DTD + RECORD.format("&lol1;")).encode()
    with pytest.raises(UnsafeXML, match="a comment does not end within the first 262,144"):
        check_prolog(head[: safexml.MAX_PROLOG_BYTES])
    with pytest.raises(UnsafeXML, match="before the root element"):
        check_prolog(b"junk <!DOCTYPE p [\n]>\n<p/>")

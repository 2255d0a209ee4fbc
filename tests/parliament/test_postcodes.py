"""Who is my MP: importing the ONS Postcode Directory, and looking a postcode up."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from moot.parliament.importers.onspd import postcode_normalised
from moot.parliament.models import Constituency, Postcode
from moot.parliament.selectors import (
    PostcodeNotFound,
    PostcodeNotValid,
    member_for_postcode,
)
from moot.parliament.services.postcodes import postcodes_import
from tests.factories import ConstituencyFactory, MembershipFactory, PersonFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

HEADER = "pcd,pcd2,pcds,dointr,doterm,usertype,ctry,pcon,lat,long\n"
DIRECTORY = HEADER + (
    "SW1A0AA,SW1A 0AA,SW1A 0AA,198001,,1,E92000001,E14000639,51.49,-0.12\n"
    "WA4 6AA,WA4  6AA,WA4 6AA,198001,,0,E92000001,E14001017,53.37,-2.57\n"
    "WA4 6AB,WA4  6AB,WA4 6AB,198001,200501,0,E92000001,,53.37,-2.57\n"
)
NAMES = (
    "PCON24CD,PCON24NM,PCON24NMW\n"
    "E14000639,Cities of London and Westminster,\n"
    "E14001017,Warrington South,\n"
    "E14009999,Nowhere Held,\n"
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def seat() -> Constituency:
    warrington = ConstituencyFactory(name="Warrington South", slug="warrington-south")
    MembershipFactory(
        person=PersonFactory(name="Helen Southworth", slug="helen-southworth"),
        constituency=warrington,
        house="commons",
        start_date=dt.date(1997, 5, 1),
        end_date=dt.date(2010, 4, 12),
    )
    MembershipFactory(
        person=PersonFactory(name="David Mowat", slug="david-mowat"),
        constituency=warrington,
        house="commons",
        start_date=dt.date(2010, 5, 6),
        end_date=None,
    )
    return warrington


@pytest.fixture
def imported(tmp_path: Path, seat: Constituency) -> None:
    summary = postcodes_import(
        paths=[write(tmp_path, "ONSPD.csv", DIRECTORY), write(tmp_path, "names.csv", NAMES)]
    )
    assert summary.errors == 0


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("sw1a 0aa", "SW1A0AA"),
        (" SW1A  0AA ", "SW1A0AA"),
        ("wa46aa", "WA46AA"),
        ("M1 1AE", "M11AE"),
    ],
)
def test_postcodes_are_normalised(typed: str, normalised: str) -> None:
    assert postcode_normalised(typed) == normalised


@pytest.mark.parametrize(
    "typed", ["", "SW1A", "12345", "SW1A 0AAA", "Q1 1AA0", "<script>", "SW1A_0AA"]
)
def test_what_is_not_a_postcode_is_refused(typed: str) -> None:
    assert postcode_normalised(typed) is None


def test_the_directory_and_names_import(imported: None, seat: Constituency) -> None:
    assert sorted(Postcode.objects.values_list("postcode", "constituency_code")) == [
        ("SW1A0AA", "E14000639"),
        ("WA46AA", "E14001017"),
    ]
    seat.refresh_from_db()
    assert seat.ons_code == "E14001017"


def test_importing_again_changes_nothing_and_a_newer_directory_moves_and_removes(
    tmp_path: Path, imported: None
) -> None:
    again = postcodes_import(paths=[tmp_path / "ONSPD.csv", tmp_path / "names.csv"])
    assert again.get("postcodes", "created") == again.get("postcodes", "updated") == 0
    assert again.get("postcodes", "unchanged") == 2
    assert again.get("constituencies", "unchanged") == 1
    assert again.get("constituencies", "not held") == 2
    newer = write(
        tmp_path,
        "ONSPD-newer.csv",
        HEADER
        + "SW1A 0AA,,SW1A 0AA,198001,202401,1,E92000001,,51.49,-0.12\n"
        + "WA4 6AA,,WA4 6AA,198001,,0,E92000001,E14001018,53.37,-2.57\n",
    )
    summary = postcodes_import(paths=[newer])
    assert summary.get("postcodes", "removed") == 1
    assert summary.get("postcodes", "updated") == 1
    assert list(Postcode.objects.values_list("postcode", "constituency_code")) == [
        ("WA46AA", "E14001018")
    ]


def test_bad_rows_are_reported_by_line_and_the_rest_imported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ONSPD.csv",
        HEADER
        + "NOT A POSTCODE,,NOT A POSTCODE,198001,,0,E92000001,E14000639,0,0\n"
        + "SW1A 0AA,,SW1A 0AA,198001,,1,E92000001,DROP TABLE,0,0\n"
        + "SW1A 1AA,,SW1A 1AA,198001,,1,E92000001,E14000639,0,0\n"
        + "SW1A 2AA\n",
    )
    summary = postcodes_import(paths=[path])
    problems = "\n".join(summary.lines())
    assert summary.errors == 3
    assert "line 2: 'NOT A POSTCODE' is not a postcode" in problems
    assert "line 3: 'DROP TABLE' is not a constituency code" in problems
    assert "line 5:" in problems
    assert list(Postcode.objects.values_list("postcode", flat=True)) == ["SW1A1AA"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "is not an ONS Postcode Directory file"),
        (b"name,address\nAlice,1 High Street\n", "is not an ONS Postcode Directory file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "is not a CSV file"),
        (
            HEADER.encode() + b"SW1A 0AA,,SW1A 0AA,198001,,1,E92000001,E14000639,0,\xff\xfe\n",
            "UTF-8 text",
        ),
        (b"pcds,pcon\n" + b'"' + b"x" * 200_000 + b'"\n', "line 2: is not a CSV row"),
    ],
)
def test_malformed_files_are_refused_with_their_reason(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = write(tmp_path, "bad.csv", content)
    summary = postcodes_import(paths=[path])
    assert summary.errors == 1
    assert reason in "\n".join(summary.lines())
    assert Postcode.objects.count() == 0


def test_a_huge_field_is_refused_whatever_another_importer_did_to_the_csv_limit(
    tmp_path: Path,
) -> None:
    import csv

    path = write(tmp_path, "bad.csv", b"pcds,pcon\n" + b'"' + b"x" * 200_000 + b'"\n')
    before = csv.field_size_limit(10_000_000)  # as the response importer may leave it
    try:
        summary = postcodes_import(paths=[path])
    finally:
        csv.field_size_limit(before)
    assert "line 2: is not a CSV row: a field is over 10,000 characters" in "\n".join(
        summary.lines()
    )
    assert Postcode.objects.count() == 0


def test_the_command_imports_and_exits_with_an_error_when_something_was_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "ONSPD.csv", DIRECTORY)
    call_command("import_postcodes", str(good))
    out = capsys.readouterr().out
    assert "Read 1 file in" in out
    assert "postcodes: 2 created, 0 updated, 0 unchanged, 1 terminated" in out
    bad = write(tmp_path, "bad.csv", "name\nAlice\n")
    with pytest.raises(CommandError, match="could not be imported"):
        call_command("import_postcodes", str(bad), str(tmp_path / "missing.csv"))
    out = capsys.readouterr().out
    assert "no such file" in out
    assert "is not an ONS Postcode Directory file" in out


def test_the_member_on_a_day(imported: None) -> None:
    then = member_for_postcode(postcode="wa4 6aa", date=dt.date(2007, 12, 3))
    assert then.postcode == "WA4 6AA"
    assert then.constituency is not None
    assert then.constituency.name == "Warrington South"
    assert then.member is not None
    assert then.member.person.name == "Helen Southworth"
    now = member_for_postcode(postcode="WA46AA", date=dt.date(2024, 1, 1))
    assert now.member is not None
    assert now.member.person.name == "David Mowat"
    between = member_for_postcode(postcode="WA4 6AA", date=dt.date(2010, 4, 20))
    assert between.member is None  # the dissolution: no member
    assert [m.person.name for m in between.members] == ["David Mowat", "Helen Southworth"]


def test_unknown_and_malformed_postcodes(imported: None) -> None:
    with pytest.raises(PostcodeNotValid):
        member_for_postcode(postcode="not one", date=dt.date(2007, 1, 1))
    with pytest.raises(PostcodeNotFound, match="WA4 6AB is not in the postcode directory"):
        member_for_postcode(postcode="WA4 6AB", date=dt.date(2007, 1, 1))  # terminated
    elsewhere = member_for_postcode(postcode="SW1A 0AA", date=dt.date(2007, 1, 1))
    assert elsewhere.constituency is None  # a seat moot does not hold
    assert elsewhere.constituency_code == "E14000639"


def test_the_page_answers_a_posted_postcode(client: Client, imported: None) -> None:
    response = client.post(
        "/members/find/", {"postcode": "wa4 6aa", "day": "3", "month": "12", "year": "2007"}
    )
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "WA4 6AA is in Warrington South" in text
    assert "On 3 December 2007 its member of Parliament was Helen Southworth" in text
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response


def test_the_page_refuses_bad_input_with_an_error(client: Client, imported: None) -> None:
    empty = client.post("/members/find/", {"postcode": ""})
    assert empty.status_code == 400
    assert "Enter a postcode" in text_of(empty.content.decode())
    bad = client.post("/members/find/", {"postcode": "<b>x</b>"})
    assert bad.status_code == 400
    assert "<b>x</b>" not in bad.content.decode()
    assert "Enter a full UK postcode" in text_of(bad.content.decode())
    unknown = client.post("/members/find/", {"postcode": "ZZ9 9ZZ"})
    assert unknown.status_code == 404
    assert "ZZ9 9ZZ is not in the postcode directory" in text_of(unknown.content.decode())
    half = client.post("/members/find/", {"postcode": "WA4 6AA", "day": "3"})
    assert half.status_code == 400
    assert "Enter the day, month and year" in text_of(half.content.decode())
    unreal = client.post(
        "/members/find/", {"postcode": "WA4 6AA", "day": "31", "month": "2", "year": "2007"}
    )
    assert unreal.status_code == 400
    assert "Enter a real date" in text_of(unreal.content.decode())


def test_a_postcode_looked_up_is_never_stored_or_logged(
    client: Client, imported: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/members/find/", {"postcode": "WA4 6AA"})
        missing = client.post("/members/find/", {"postcode": "ZZ9 9ZZ"})
    assert (response.status_code, missing.status_code) == (200, 404)
    statements = [q["sql"].lstrip().split()[0].upper() for q in queries.captured_queries]
    assert set(statements) <= {"SELECT"}, statements
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for written in ("WA4 6AA", "WA46AA", "ZZ9 9ZZ", "ZZ99ZZ"):
        assert written not in logged
    # The form posts: the postcode is never in a URL.
    form = client.get("/members/find/").content.decode()
    assert 'method="post" action="/members/find/"' in form


def test_home_and_member_pages_have_the_postcode_box(client: Client, seat: Constituency) -> None:
    for url in ("/", "/members/helen-southworth/"):
        html = client.get(url).content.decode()
        assert 'data-testid="postcode-form"' in html, url
        assert 'method="post" action="/members/find/"' in html, url


def test_the_demo_finds_its_members(client: Client, demo: None) -> None:
    response = client.post(
        "/members/find/", {"postcode": "ZZ1 1AA", "day": "3", "month": "12", "year": "2007"}
    )
    text = text_of(response.content.decode())
    assert "ZZ1 1AA is in Warrington South" in text
    assert "its member of Parliament was Helen Southworth" in text

"""Written statements through the API: shape, links, every filter, and bad filter values."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from moot.api.opendata.export import open_data_export
from moot.core.models import Department
from moot.parliament.models import (
    House,
    Person,
    StatementLinkKind,
    WrittenStatement,
    WrittenStatementAttachment,
    WrittenStatementLink,
)
from moot.search.services import search_index_rebuild
from tests.api.conftest import SITE, get_json
from tests.factories import DepartmentFactory, MembershipFactory, PartyFactory, PersonFactory
from tests.statement_factories import WrittenStatementFactory

pytestmark = pytest.mark.django_db

STATEMENTS = "/api/v1/statements/"


@dataclass
class Statements:
    dcsf: Department
    minister: Person
    guidance: WrittenStatement
    lords: WrittenStatement
    pensions: WrittenStatement


@pytest.fixture
def statements(db: None) -> Statements:
    dcsf = DepartmentFactory(slug="dcsf", name="Department for Children, Schools and Families")
    dwp = DepartmentFactory(slug="dwp", name="Department for Work and Pensions")
    labour = PartyFactory(name="Labour", slug="labour")
    minister = PersonFactory(name="Beverley Hughes", slug="beverley-hughes")
    MembershipFactory(
        person=minister, party=labour, constituency=None, start_date=dt.date(2005, 5, 5)
    )
    guidance = WrittenStatementFactory(
        date=dt.date(2008, 12, 15),
        identifier="safeguarding-guidance-hcws100",
        uin="HCWS100",
        title="Safeguarding Guidance",
        department=dcsf,
        person=minister,
        member_role="Minister for Children, Young People and Families",
        body_html="<p>Draft guidance on <em>trafficked</em> children.</p>",
        source_id="parliament.uk/written-statement/100",
    )
    WrittenStatementAttachment.objects.create(
        statement=guidance, title="Draft guidance", url="https://example.org/g.pdf", file_type="PDF"
    )
    lords = WrittenStatementFactory(
        date=dt.date(2008, 12, 15),
        identifier="safeguarding-guidance-hlws50",
        house=House.LORDS,
        uin="HLWS50",
        title="Safeguarding Guidance",
        department=dcsf,
        person=None,
        speaker_name="Baroness Morgan of Drefelin",
        source_id="parliament.uk/written-statement/101",
    )
    WrittenStatementLink.objects.create(
        statement=guidance,
        kind=StatementLinkKind.JOINT_STATEMENT,
        linked_source_id=lords.source_id,
        link_date=dt.date(2008, 12, 15),
    )
    WrittenStatementLink.objects.create(
        statement=guidance,
        kind=StatementLinkKind.CORRECTED_STATEMENT,
        linked_source_id="parliament.uk/written-statement/999",
    )
    pensions = WrittenStatementFactory(
        date=dt.date(2009, 10, 27),
        identifier="pensions-11ws-1",
        title="Pensions",
        department=dwp,
        person=PersonFactory(name="Helen Goodman", slug="helen-goodman"),
    )
    return Statements(dcsf, minister, guidance, lords, pensions)


def identifiers(body: dict[str, Any]) -> list[str]:
    return [statement["identifier"] for statement in body["results"]]


def test_list_is_newest_first_with_links_minister_and_attachments(
    client: Client, statements: Statements
) -> None:
    status, body = get_json(client, STATEMENTS)
    assert status == 200
    assert identifiers(body) == [
        "pensions-11ws-1",
        "safeguarding-guidance-hlws50",
        "safeguarding-guidance-hcws100",
    ]
    guidance = body["results"][2]
    assert guidance["url"] == f"{SITE}/api/v1/statements/2008-12-15/safeguarding-guidance-hcws100/"
    assert guidance["html_url"] == (
        f"{SITE}/written-statements/2008-12-15/safeguarding-guidance-hcws100/"
    )
    assert guidance["house"] == "commons"
    assert guidance["uin"] == "HCWS100"
    assert guidance["department"]["slug"] == "dcsf"
    assert guidance["made_by"] == {
        "name": "Beverley Hughes",
        "member": {
            "slug": "beverley-hughes",
            "name": "Beverley Hughes",
            "url": f"{SITE}/api/v1/members/beverley-hughes/",
            "html_url": f"{SITE}/members/beverley-hughes/",
        },
        "party": "Labour",
        "constituency": "",
        "position": "Minister for Children, Young People and Families",
    }
    assert guidance["body_text"] == "Draft guidance on trafficked children."
    assert guidance["attachments"] == [
        {
            "title": "Draft guidance",
            "url": "https://example.org/g.pdf",
            "file_type": "PDF",
            "file_size": None,
        }
    ]
    joint, correction = guidance["linked_statements"]
    assert joint["kind"] == "JointStatement"
    assert joint["url"] == f"{SITE}/api/v1/statements/2008-12-15/safeguarding-guidance-hlws50/"
    assert correction["kind"] == "CorrectedStatement"
    assert correction["url"] is None  # not imported
    assert correction["source_id"] == "parliament.uk/written-statement/999"
    lords = body["results"][1]
    assert lords["made_by"]["member"] is None
    assert lords["made_by"]["name"] == "Baroness Morgan of Drefelin"


def test_a_statement_and_a_missing_one(client: Client, statements: Statements) -> None:
    status, body = get_json(client, f"{STATEMENTS}2009-10-27/pensions-11ws-1/")
    assert status == 200
    assert body["title"] == "Pensions"
    status, problem = get_json(client, f"{STATEMENTS}2009-10-27/nothing/")
    assert status == 404
    assert problem["detail"] == "No written statement has that date and identifier."


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("department=dcsf", ["safeguarding-guidance-hlws50", "safeguarding-guidance-hcws100"]),
        ("member=beverley-hughes", ["safeguarding-guidance-hcws100"]),
        ("house=lords", ["safeguarding-guidance-hlws50"]),
        ("date_from=2009-01-01", ["pensions-11ws-1"]),
        ("date_to=2008-12-31&house=commons", ["safeguarding-guidance-hcws100"]),
    ],
)
def test_filters(client: Client, statements: Statements, query: str, expected: list[str]) -> None:
    status, body = get_json(client, f"{STATEMENTS}?{query}")
    assert status == 200
    assert identifiers(body) == expected


def test_search_words_filter_statements(client: Client, statements: Statements) -> None:
    search_index_rebuild()
    status, body = get_json(client, f"{STATEMENTS}?q=trafficked")
    assert status == 200
    assert identifiers(body) == ["safeguarding-guidance-hcws100"]
    status, body = get_json(client, "/api/v1/search/?q=trafficked")
    [hit] = body["results"]
    assert hit["url"] == f"{SITE}/api/v1/statements/2008-12-15/safeguarding-guidance-hcws100/"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("department=nowhere", "department"),
        ("member=nobody", "member"),
        ("house=scotland", "house"),
        ("date_from=yesterday", "date_from"),
        ("date_from=2010-01-01&date_to=2009-01-01", "date_to"),
        ("q=%22unclosed", "q"),
        ("answered=true", "answered"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(
    client: Client, statements: Statements, query: str, parameter: str
) -> None:
    status, problem = get_json(client, f"{STATEMENTS}?{query}")
    assert status == 400
    assert parameter in problem["errors"]


def test_members_and_departments_link_to_their_statements(
    client: Client, statements: Statements
) -> None:
    _, member = get_json(client, "/api/v1/members/beverley-hughes/")
    assert member["statements_url"] == f"{SITE}/api/v1/statements/?member=beverley-hughes"
    _, department = get_json(client, "/api/v1/departments/dcsf/")
    assert department["statements_url"] == f"{SITE}/api/v1/statements/?department=dcsf"
    _, index = get_json(client, "/api/v1/")
    assert index["statements"] == f"{SITE}/api/v1/statements/"


def test_the_description_lists_the_statement_endpoints(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/statements/", "/api/v1/statements/{date}/{identifier}/"} <= set(paths)
    parameters = {p["name"] for p in paths["/api/v1/statements/"]["get"]["parameters"]}
    assert parameters >= {"date_from", "date_to", "department", "member", "house", "q", "cursor"}


def test_the_open_data_has_every_statement(
    statements: Statements, settings: Any, tmp_path: Any
) -> None:
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    manifest = open_data_export()
    entry = next(e for e in manifest["files"] if e["name"] == "statements.jsonl.gz")
    assert entry["rows"] == 3
    assert entry["licence"]["name"] == "Open Parliament Licence v3.0"
    folder = settings.OPEN_DATA_DIR / "exports" / (settings.OPEN_DATA_DIR / "CURRENT").read_text()
    with gzip.open(folder / "statements.jsonl.gz", "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    assert [row["key"] for row in rows] == [
        "2008-12-15/safeguarding-guidance-hcws100",
        "2008-12-15/safeguarding-guidance-hlws50",
        "2009-10-27/pensions-11ws-1",
    ]
    guidance = rows[0]
    assert guidance["made_by_slug"] == "beverley-hughes"
    assert guidance["department_slug"] == "dcsf"
    assert guidance["body_text"] == "Draft guidance on trafficked children."
    assert guidance["attachment_urls"] == ["https://example.org/g.pdf"]
    assert guidance["linked_statements"] == [
        "JointStatement parliament.uk/written-statement/101",
        "CorrectedStatement parliament.uk/written-statement/999",
    ]
    assert guidance["api_url"] == (
        f"{SITE}/api/v1/statements/2008-12-15/safeguarding-guidance-hcws100/"
    )
    with gzip.open(folder / "statements.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        csv_rows = list(csv.DictReader(handle))
    assert list(csv_rows[0]) == list(guidance)
    assert csv_rows[1]["speaker_name"] == "Baroness Morgan of Drefelin"

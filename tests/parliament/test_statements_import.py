"""Importing ParlParse written ministerial statements: what is stored, versions and redirects,
doing it again changes nothing, and bad or hostile files lose nothing."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.apps import apps

from moot.parliament.models import (
    ImportedFile,
    Importer,
    ImportStatus,
    RedirectKind,
    WrittenQuestion,
    WrittenStatement,
    WrittenStatementRedirect,
    WrittenStatementRevision,
)
from moot.parliament.services import parlparse_statements
from moot.parliament.services.members import members_import
from moot.parliament.services.parlparse import parlparse_import

pytestmark = pytest.mark.django_db

DAY = dt.date(2009, 10, 27)
STATEMENTS = "statements"


def table_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"core", "parliament"}
        and model._meta.label != "parliament.ImportedFile"
    }


def statement(title: str) -> WrittenStatement:
    return WrittenStatement.objects.get(title=title)


def test_a_day_of_statements_is_imported_with_departments_speakers_and_text(
    fixtures: Path,
) -> None:
    summary = parlparse_import(paths=[fixtures / STATEMENTS / "v1"])
    assert summary.errors == 0
    assert summary.get("statements", "created") == 3
    benefits = statement("Social Security Benefits: Up-rating")
    assert benefits.date == DAY
    assert benefits.house == "commons"
    assert benefits.identifier == "social-security-benefits-up-rating-11ws-1"
    assert benefits.department.name == "Department for Work and Pensions"
    assert benefits.speaker_name == "Helen Goodman"
    assert benefits.speaker_id == "uk.org.publicwhip/member/1421"
    assert benefits.source_id == "uk.org.publicwhip/wms/2009-10-27a.11WS.1"
    assert benefits.column == "11WS"
    assert benefits.source_version == "a"
    assert benefits.uin == ""
    # Entities of the internal DTD resolved, the table kept.
    assert "£97.65" in benefits.body_html
    assert "2010–11" in benefits.body_html
    assert "<table>" in benefits.body_html
    safeguarding = statement("Safeguarding Children")
    assert safeguarding.department.name == "Department for Children, Schools and Families"
    assert safeguarding.get_absolute_url() == (
        "/written-statements/2009-10-27/safeguarding-children-13ws-1/"
    )


def test_statement_html_is_sanitised_and_every_speech_kept(fixtures: Path) -> None:
    parlparse_import(paths=[fixtures / STATEMENTS / "v1"])
    body = statement("Safeguarding Children").body_html
    assert "<script" not in body
    assert "onclick" not in body
    assert "javascript:" not in body
    assert "‘Safeguarding Children and Young People from Sexual Exploitation’" in body
    # The second speech under the same heading is part of the same statement.
    assert "supplements ‘Working Together to Safeguard Children’ (2006)" in body


def test_importing_the_same_statements_again_changes_nothing(fixtures: Path) -> None:
    paths = [fixtures / STATEMENTS / "v1", fixtures / STATEMENTS / "lordswms2009-10-26a.xml"]
    parlparse_import(paths=paths)
    before = table_counts()
    rows = list(WrittenStatement.objects.values().order_by("id"))
    again = parlparse_import(paths=paths)
    assert again.files_unchanged == 2
    assert again.get("statements", "unchanged") == 5
    assert again.get("statements", "created") == again.get("statements", "updated") == 0
    forced = parlparse_import(paths=paths, force=True)
    assert forced.get("statements", "unchanged") == 5
    assert forced.get("statements", "updated") == 0
    assert table_counts() == before
    assert list(WrittenStatement.objects.values().order_by("id")) == rows


def test_a_newer_version_updates_in_place_keeps_history_and_redirects(fixtures: Path) -> None:
    parlparse_import(paths=[fixtures / STATEMENTS / "v1"])
    benefits = statement("Social Security Benefits: Up-rating")
    safeguarding = statement("Safeguarding Children")
    removed = statement("Jobcentre Plus: Performance")
    summary = parlparse_import(paths=[fixtures / STATEMENTS / "v2"])
    assert summary.errors == 0
    # The benefits statement's text changed; the safeguarding one moved column.
    assert summary.get("statements", "updated") == 2
    assert summary.get("statements", "removed") == 1
    assert summary.get("statements", "created") == 1  # Children's Trusts
    assert summary.get("statement redirects", "created") == 9

    # Changed text: the same row and permalink, the old text kept as a revision.
    updated = WrittenStatement.objects.get(pk=benefits.pk)
    assert updated.identifier == benefits.identifier
    assert "pension credit to £132.60" in updated.body_html
    assert updated.source_version == "b"
    revision = WrittenStatementRevision.objects.get(statement=updated)
    assert revision.source_id == "uk.org.publicwhip/wms/2009-10-27a.11WS.1"
    assert "pension credit" not in revision.content["body_html"]

    # Moved to another column: matched through the redirect, not duplicated.
    moved = WrittenStatement.objects.get(pk=safeguarding.pk)
    assert moved.source_id == "uk.org.publicwhip/wms/2009-10-27b.12WS.1"
    assert moved.identifier == safeguarding.identifier
    assert moved.column == "12WS"
    assert moved.body_html == safeguarding.body_html
    assert WrittenStatementRevision.objects.get(statement=moved).content["column"] == "13WS"
    assert WrittenStatement.objects.filter(title="Safeguarding Children").count() == 1

    # Removed: the page goes and its permalink leads on.
    assert not WrittenStatement.objects.filter(pk=removed.pk).exists()
    permalink = WrittenStatementRedirect.objects.get(kind=RedirectKind.PERMALINK)
    assert (permalink.date, permalink.identifier) == (DAY, removed.identifier)
    assert permalink.new_source_id == "uk.org.publicwhip/wms/2009-10-27b.11WS.1"
    old = WrittenStatementRedirect.objects.get(
        old_source_id="uk.org.publicwhip/wms/2009-10-27a.13WS.1"
    )
    assert old.new_source_id == "uk.org.publicwhip/wms/2009-10-27b.12WS.1"
    assert old.kind == RedirectKind.PERFECT_MATCH
    assert statement("Children’s Trusts").department.name == (
        "Department for Children, Schools and Families"
    )


def test_the_newest_version_alone_gives_the_same_statements(fixtures: Path) -> None:
    parlparse_import(paths=[fixtures / STATEMENTS / "v2"])
    assert sorted(WrittenStatement.objects.values_list("title", flat=True)) == [
        "Children’s Trusts",
        "Safeguarding Children",
        "Social Security Benefits: Up-rating",
    ]


def test_an_older_version_read_after_a_newer_one_does_not_overwrite_it(fixtures: Path) -> None:
    parlparse_import(paths=[fixtures / STATEMENTS / "v2" / "ministerial2009-10-27b.xml"])
    rows = list(WrittenStatement.objects.values().order_by("id"))
    summary = parlparse_import(paths=[fixtures / STATEMENTS / "v1"])
    # "Jobcentre Plus" is not in the newer record, and without the redirects nothing says
    # the old "Safeguarding Children" (13WS) is the newer one's (12WS): both stay out.
    assert summary.get("statements", "superseded") == 2
    assert summary.get("statements", "unchanged") == 1
    assert summary.get("statements", "updated") == 0
    assert list(WrittenStatement.objects.values().order_by("id")) == rows


def test_lords_statements_take_the_department_their_minister_held_a_post_in(
    fixtures: Path,
) -> None:
    members_import(paths=[fixtures / "people.json", fixtures / "ministers.json"])
    parlparse_import(paths=[fixtures / STATEMENTS / "lordswms2009-10-26a.xml"])
    deployment = statement("Armed Forces: Deployment")
    assert deployment.house == "lords"
    assert deployment.person is not None
    assert deployment.person.name == "Baroness Taylor of Bolton"
    assert deployment.department.name == "Ministry of Defence"
    assert deployment.column == "WS1"
    vetting = statement("Safeguarding: Vetting and Barring Scheme")
    assert vetting.person is None
    assert vetting.speaker_display_name == "Baroness Morgan of Drefelin"
    assert vetting.department is None


def test_people_imported_after_the_statements_are_linked_to_them(fixtures: Path) -> None:
    parlparse_import(paths=[fixtures / STATEMENTS / "lordswms2009-10-26a.xml"])
    assert statement("Armed Forces: Deployment").person is None
    summary = members_import(paths=[fixtures / "people.json", fixtures / "ministers.json"])
    deployment = statement("Armed Forces: Deployment")
    assert deployment.person is not None
    assert deployment.department.name == "Ministry of Defence"
    assert any("1 statements to their ministers" in note for note in summary.notes)


def test_newer_files_name_the_statement_number_and_the_person(fixtures: Path) -> None:
    members_import(paths=[fixtures / "people.json"])
    summary = parlparse_import(paths=[fixtures / STATEMENTS / "ministerial2016-03-01.xml"])
    assert summary.errors == 0
    care = statement("Children’s Social Care")
    assert care.uin == "HCWS563"
    assert care.identifier == "childrens-social-care-hcws563"
    assert care.person is not None
    assert care.person.name == "Helen Goodman"
    assert care.department.name == "Department for Education"
    assert care.source_url.endswith("/written-statements/detail/2016-03-01/hcws563")


def test_malformed_records_are_reported_and_a_broken_file_keeps_what_came_first(
    fixtures: Path,
) -> None:
    summary = parlparse_import(paths=[fixtures / STATEMENTS / "broken", fixtures / "v1"])
    problems = [str(p) for p in summary.problems]
    assert problems[:2] == [
        "ministerial2009-11-04a.xml line 16: speech uk.org.publicwhip/wms/2009-11-04a.1WS.0 "
        "has no heading before it",
        "ministerial2009-11-04a.xml line 36: <speech> has no usable id (not-a-parlparse-id)",
    ]
    assert len(problems) == 3
    assert problems[2].startswith("ministerial2009-11-04a.xml: line ")
    assert sorted(WrittenStatement.objects.values_list("title", flat=True)) == [
        "Pensions Regulator",
        "Winter Fuel Payments",
    ]
    record = ImportedFile.objects.get(importer=Importer.PARLPARSE_STATEMENTS)
    assert record.status == ImportStatus.FAILED
    # The written answers named beside it were imported all the same.
    assert WrittenQuestion.objects.filter(uin="100001").exists()


def test_hostile_statement_files_are_refused_and_nothing_of_them_imported(
    fixtures: Path, tmp_path: Path
) -> None:
    for n, hostile in enumerate(sorted((fixtures / "hostile").glob("*.xml"))):
        shutil.copy(hostile, tmp_path / f"ministerial2009-10-2{n}a.xml")
    summary = parlparse_import(paths=[tmp_path])
    assert summary.errors == 6
    assert all("refuse" in p.message or "never fetches" in p.message for p in summary.problems)
    assert all(p.where.startswith("ministerial") for p in summary.problems)
    assert WrittenStatement.objects.count() == 0


class Crash(Exception):
    pass


def test_an_import_that_crashes_resumes_after_its_last_committed_batch(
    fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_flush = parlparse_statements._FileImport.flush
    calls = {"n": 0}

    def crash_on_second_batch(
        self: parlparse_statements._FileImport,
        records: list[object],
        done: int,
        *,
        last: bool = False,
    ) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise Crash
        real_flush(self, records, done, last=last)  # type: ignore[arg-type]

    path = fixtures / STATEMENTS / "v1"
    monkeypatch.setattr(parlparse_statements._FileImport, "flush", crash_on_second_batch)
    with pytest.raises(Crash):
        parlparse_statements.parlparse_statements_import(paths=[path], batch_size=2)
    record = ImportedFile.objects.get()
    assert record.status == ImportStatus.RUNNING
    assert record.records_done == 2
    assert WrittenStatement.objects.count() == 2
    monkeypatch.setattr(parlparse_statements._FileImport, "flush", real_flush)
    resumed = parlparse_statements.parlparse_statements_import(paths=[path], batch_size=2)
    assert resumed.get("statements", "created") == 1
    assert resumed.get("statements", "unchanged") == 0  # the committed batch was not re-read
    assert WrittenStatement.objects.count() == 3
    assert ImportedFile.objects.get().status == ImportStatus.COMPLETE

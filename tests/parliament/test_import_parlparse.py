"""Importing ParlParse written answers: what is stored, and that doing it again changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.apps import apps

from moot.core.models import Department
from moot.parliament.models import (
    ImportedFile,
    ImportStatus,
    RedirectKind,
    WrittenAnswer,
    WrittenAnswerRevision,
    WrittenQuestion,
    WrittenQuestionRedirect,
)
from moot.parliament.services import parlparse
from moot.parliament.services.members import members_import
from moot.parliament.services.parlparse import parlparse_import

pytestmark = pytest.mark.django_db

DAY = dt.date(2009, 11, 2)


def table_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"core", "parliament"}
        and model._meta.label != "parliament.ImportedFile"
    }


def question(uin: str) -> WrittenQuestion:
    return WrittenQuestion.objects.get(uin=uin)


def test_a_day_is_imported_with_headings_groups_and_departments(fixtures: Path) -> None:
    summary = parlparse_import(paths=[fixtures / "v1"])
    assert summary.errors == 0
    assert summary.get("questions", "created") == 6
    assert summary.get("answers", "created") == 5
    pensions = question("100001")
    assert pensions.date == DAY
    assert pensions.identifier == "pensions-uprating-100001"
    assert pensions.heading == "Pensions: Uprating"
    assert pensions.department.name == "Department for Work and Pensions"
    assert pensions.house == "commons"
    assert pensions.column == "1W"
    assert pensions.asking_name == "Steve Webb"
    assert pensions.asking_speaker_id == "uk.org.publicwhip/member/1743"
    assert pensions.source_id == "uk.org.publicwhip/wrans/2009-11-02a.100001.q0"
    answer = pensions.answers.get()
    assert answer.holding_answer_date == dt.date(2009, 10, 28)
    assert answer.answering_name == "Helen Goodman"
    assert answer.date_answered == DAY
    assert question("100004").department.name == "Home Office"
    assert question("100004").other_uins == "100005"
    # ParlParse says neither when a question was tabled nor whether a day was named.
    assert (pensions.date_tabled, pensions.is_named_day) == (None, None)


def test_questions_answered_together_share_one_answer(fixtures: Path) -> None:
    parlparse_import(paths=[fixtures / "v1"])
    first, second = question("100002"), question("100003")
    assert first.answers.get() == second.answers.get()
    assert first.position == second.position
    assert "<table>" in first.answers.get().body_html


def test_importing_the_same_files_again_changes_nothing(fixtures: Path) -> None:
    parlparse_import(paths=[fixtures / "v1", fixtures / "lordswrans2009-11-03a.xml"])
    before = table_counts()
    rows = list(WrittenQuestion.objects.values().order_by("id"))
    again = parlparse_import(paths=[fixtures / "v1", fixtures / "lordswrans2009-11-03a.xml"])
    assert again.files_unchanged == 2
    assert again.get("questions", "created") == again.get("questions", "updated") == 0
    assert again.get("questions", "unchanged") == 8
    assert table_counts() == before
    assert list(WrittenQuestion.objects.values().order_by("id")) == rows


def test_forcing_a_reread_compares_every_record_and_still_changes_nothing(
    fixtures: Path,
) -> None:
    parlparse_import(paths=[fixtures / "v1"])
    rows = list(WrittenQuestion.objects.values().order_by("id"))
    answers = list(WrittenAnswer.objects.values().order_by("id"))
    forced = parlparse_import(paths=[fixtures / "v1"], force=True)
    assert forced.files_read == 1
    assert forced.get("questions", "unchanged") == 6
    assert forced.get("answers", "unchanged") == 5
    assert list(WrittenQuestion.objects.values().order_by("id")) == rows
    assert list(WrittenAnswer.objects.values().order_by("id")) == answers


def test_a_newer_version_updates_in_place_keeps_history_and_redirects(fixtures: Path) -> None:
    parlparse_import(paths=[fixtures / "v1"])
    pensions = question("100001")
    old_answer = pensions.answers.get()
    removed = question("100007")
    summary = parlparse_import(paths=[fixtures / "v2"])
    assert summary.errors == 0
    # Updated in place: the same rows, with the new text and ids.
    pensions.refresh_from_db()
    answer = pensions.answers.get()
    assert answer.pk == old_answer.pk
    assert "an increase of 2.5&nbsp;per cent" in answer.body_html
    assert answer.source_id == "uk.org.publicwhip/wrans/2009-11-02b.100001.r0"
    assert pensions.source_id == "uk.org.publicwhip/wrans/2009-11-02b.100001.q0"
    # The old text is kept as a revision.
    revision = WrittenAnswerRevision.objects.get(answer=answer)
    assert revision.source_version == "a"
    assert revision.content["body_html"] == old_answer.body_html
    assert summary.get("answers", "updated") == 1
    # Unchanged questions are not rewritten, and the permalink never changes.
    assert pensions.identifier == "pensions-uprating-100001"
    assert summary.get("questions", "created") == 1  # Police: Dogs
    # A question the newer version removed is gone, and its permalink redirects.
    assert not WrittenQuestion.objects.filter(pk=removed.pk).exists()
    assert summary.get("questions", "removed") == 1
    permalink = WrittenQuestionRedirect.objects.get(kind=RedirectKind.PERMALINK)
    assert (permalink.date, permalink.identifier) == (DAY, removed.identifier)
    # Every gidredirect is kept.
    assert summary.get("redirects", "created") == 19
    assert (
        WrittenQuestionRedirect.objects.filter(kind=RedirectKind.ALTERNATIVE_QUESTION).count() == 1
    )


def test_an_older_version_read_after_a_newer_one_does_not_overwrite_it(fixtures: Path) -> None:
    parlparse_import(paths=[fixtures / "v2" / "answers2009-11-02b.xml"])
    answer = question("100001").answers.get()
    summary = parlparse_import(paths=[fixtures / "v1"])
    answer.refresh_from_db()
    assert "2.5&nbsp;per cent" in answer.body_html
    assert summary.get("questions", "created") == 0
    assert summary.get("questions", "superseded") == 1  # Identity Cards, removed in b
    assert not WrittenQuestion.objects.filter(uin="100007").exists()


def test_speakers_resolve_to_people_with_their_party_seat_and_post(fixtures: Path) -> None:
    members_import(paths=[fixtures / "people.json", fixtures / "ministers.json"])
    parlparse_import(paths=[fixtures / "v1"])
    pensions = question("100001")
    assert pensions.asking_person.name == "Steve Webb"
    answer = pensions.answers.get()
    assert answer.answering_person.name == "Helen Goodman"
    # A speaker no one knows keeps the name in the record.
    asylum = question("100006")
    assert asylum.asking_person is None
    assert asylum.asking_name == "Jo Unrecorded"


def test_people_imported_after_the_answers_are_linked_to_them(fixtures: Path) -> None:
    parlparse_import(paths=[fixtures / "v1", fixtures / "lordswrans2009-11-03a.xml"])
    helicopters = question("HL5901")
    assert helicopters.asking_person is None
    assert helicopters.department is None  # the Lords record names no department
    members_import(paths=[fixtures / "people.json", fixtures / "ministers.json"])
    helicopters.refresh_from_db()
    assert helicopters.asking_person.name == "Lord Moonie"
    answer = helicopters.answers.get()
    assert answer.answering_person.name == "Baroness Taylor of Bolton"
    # Her post that day was in the Ministry of Defence: the answer and question are its.
    assert answer.department.name == "Ministry of Defence"
    assert helicopters.department.name == "Ministry of Defence"
    assert question("100001").asking_person.name == "Steve Webb"


def test_lords_questions_get_their_hl_numbers_and_column_ids(fixtures: Path) -> None:
    parlparse_import(paths=[fixtures / "lordswrans2009-11-03a.xml"])
    helicopters = question("HL5901")
    assert helicopters.house == "lords"
    assert helicopters.identifier == "armed-forces-helicopters-hl5901"
    noise = WrittenQuestion.objects.get(heading="Aviation: Noise")
    assert noise.uin == ""
    assert noise.identifier == "aviation-noise-101-4"


def test_malformed_records_are_reported_and_skipped_and_the_rest_imported(
    fixtures: Path,
) -> None:
    summary = parlparse_import(paths=[fixtures / "broken" / "answers2009-11-04a.xml"])
    assert [str(p) for p in summary.problems] == [
        "answers2009-11-04a.xml line 18: reply uk.org.publicwhip/wrans/2009-11-04a.200000.r0 "
        "has no question before it",
        "answers2009-11-04a.xml line 22: <ques> has no usable id (none)",
        "answers2009-11-04a.xml line 26: gidredirect without oldgid or newgid",
    ]
    assert question("200001").department.name == "Department for Transport"


def test_a_file_broken_part_way_keeps_what_came_before_and_names_the_line(
    fixtures: Path,
) -> None:
    summary = parlparse_import(paths=[fixtures / "broken", fixtures / "v1"])
    assert [str(p) for p in summary.problems if "05a" in p.where] == [
        "answers2009-11-05a.xml: line 35: Entity 'undeclared' not defined"
    ]
    assert question("300001").heading == "Hospitals: Parking"
    assert not WrittenQuestion.objects.filter(uin="300002").exists()
    assert question("100001")  # the files after it were imported
    record = ImportedFile.objects.get(path__endswith="answers2009-11-05a.xml")
    assert record.status == ImportStatus.FAILED
    assert "line 35" in record.error


def test_hostile_files_are_refused_and_nothing_of_them_imported(fixtures: Path) -> None:
    summary = parlparse_import(paths=sorted((fixtures / "hostile").glob("*.xml")))
    assert summary.errors == 6
    assert all("refuse" in p.message or "never fetches" in p.message for p in summary.problems)
    assert WrittenQuestion.objects.count() == 0


def test_missing_paths_and_empty_folders_are_reported(tmp_path: Path) -> None:
    summary = parlparse_import(paths=[tmp_path / "nowhere"])
    assert [p.message for p in summary.problems] == ["no such file or folder"]
    summary = parlparse_import(paths=[tmp_path])
    assert [p.message for p in summary.problems] == ["no ParlParse written-answer files here"]


class Crash(Exception):
    pass


def test_an_import_that_crashes_resumes_after_its_last_committed_batch(
    fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_flush = parlparse._FileImport.flush
    calls = {"n": 0}

    def crash_on_third_batch(
        self: parlparse._FileImport, records: list[object], done: int, *, last: bool = False
    ) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise Crash
        real_flush(self, records, done, last=last)

    monkeypatch.setattr(parlparse._FileImport, "flush", crash_on_third_batch)
    with pytest.raises(Crash):
        parlparse_import(paths=[fixtures / "v1"], batch_size=2)
    record = ImportedFile.objects.get()
    assert record.status == ImportStatus.RUNNING
    assert record.records_done == 4  # two batches of two groups (five questions) were committed
    assert WrittenQuestion.objects.count() == 5
    monkeypatch.setattr(parlparse._FileImport, "flush", real_flush)
    resumed = parlparse_import(paths=[fixtures / "v1"], batch_size=2)
    assert resumed.get("questions", "created") == 1
    assert resumed.get("questions", "unchanged") == 0  # the committed batches were not re-read
    assert WrittenQuestion.objects.count() == 6
    assert ImportedFile.objects.get().status == ImportStatus.COMPLETE


def test_departments_are_created_once_under_their_full_names(fixtures: Path) -> None:
    parlparse_import(paths=[fixtures / "v1", fixtures / "v2"])
    assert set(Department.objects.values_list("name", flat=True)) == {
        "Department for Work and Pensions",
        "Home Office",
    }
    home = Department.objects.get(name="Home Office")
    assert home.foi_site_slug == "home_office"


def test_the_real_files_import_completely(shared_data: Path) -> None:
    wrans = shared_data / "parlparse" / "scrapedxml"
    summary = parlparse_import(paths=[wrans])
    assert summary.errors == 0
    latest = WrittenQuestion.objects.filter(source_id__contains="/2009-10-27c.")
    assert latest.count() == 311  # every question of the latest version
    assert WrittenQuestion.objects.filter(date=dt.date(2009, 10, 27)).count() == 311
    assert WrittenQuestion.objects.filter(house="lords").count() == 31
    assert WrittenQuestion.objects.filter(uin__startswith="HL").count() >= 30
    # The two questions of version b became version c's, keeping b's text as history.
    assert summary.get("questions", "updated") == 2
    # Every gidredirect of the superseded versions and the latest is kept.
    assert WrittenQuestionRedirect.objects.exclude(old_source_id=None).count() == 970 + 967 + 18
    # Named entities came out as characters.
    child_poverty = WrittenQuestion.objects.get(uin="295019")
    assert "£158 per week" in child_poverty.answers.get().body_html
    assert child_poverty.answers.get().holding_answer_date == dt.date(2009, 10, 22)
    # Questions answered together share their answer.
    equitable = WrittenQuestion.objects.get(uin="293965")
    assert set(equitable.answers.get().questions.values_list("uin", flat=True)) == {
        "293965",
        "294928",
    }
    # Tables survive sanitising.
    assert WrittenAnswer.objects.filter(body_html__contains="<table>").count() == 63
    again = parlparse_import(paths=[wrans])
    assert again.files_unchanged == 4
    assert WrittenQuestion.objects.filter(date=dt.date(2009, 10, 27)).count() == 311


@pytest.mark.parametrize("background", [False, True])
def test_reading_in_a_background_process_imports_the_same(fixtures: Path, background: bool) -> None:
    """Large imports parse in a second process; what they store and report is the same."""
    summary = parlparse_import(
        paths=[
            fixtures / "v1",
            fixtures / "lordswrans2009-11-03a.xml",
            fixtures / "broken",
            fixtures / "hostile" / "billion-laughs.xml",
        ],
        background=background,
    )
    assert summary.get("questions", "created") == 10
    assert [str(p).split(":")[0] for p in summary.problems] == [
        "billion-laughs.xml",
        "answers2009-11-04a.xml line 18",
        "answers2009-11-04a.xml line 22",
        "answers2009-11-04a.xml line 26",
        "answers2009-11-05a.xml",
    ]
    assert sorted(WrittenQuestion.objects.values_list("identifier", flat=True)) == [
        "armed-forces-helicopters-hl5901",
        "asylum-appeals-100006",
        "aviation-noise-101-4",
        "hospitals-parking-300001",
        "identity-cards-100007",
        "pensions-uprating-100001",
        "police-overtime-100004",
        "railways-electrification-200001",
        "winter-fuel-payments-100002",
        "winter-fuel-payments-100003",
    ]

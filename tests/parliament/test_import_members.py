"""Importing Popolo members: people, parties, seats and posts, and departments from posts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from moot.core.models import Department
from moot.parliament import selectors
from moot.parliament.models import Constituency, Membership, Party, Person, Post
from moot.parliament.services.departments import department_key, is_government_department
from moot.parliament.services.members import members_import, person_name, split_role
from tests.factories import PartyFactory, PersonFactory

pytestmark = pytest.mark.django_db

ON = dt.date(2009, 10, 27)


def test_people_json_gives_people_with_party_and_seat_on_a_date(fixtures: Path) -> None:
    summary = members_import(paths=[fixtures / "people.json"])
    assert summary.get("people", "created") == 6
    assert summary.get("memberships", "created") == 6
    assert summary.get("memberships", "not at Westminster") == 1
    webb = Person.objects.get(parlparse_id="uk.org.publicwhip/person/90001")
    assert webb.name == "Steve Webb"
    assert webb.parliament_member_id == 99001
    seat = selectors.membership_on(person=webb, date=ON)
    assert (seat.party.name, seat.constituency.name) == ("Liberal Democrat", "Northavon")
    later = selectors.membership_on(person=webb, date=dt.date(2012, 1, 1))
    assert later.constituency.name == "Thornbury and Yate"
    # ParlParse's 9999-12-31 means "still sits".
    goodman = Membership.objects.get(parlparse_id="uk.org.publicwhip/member/1421")
    assert goodman.end_date is None


def test_peers_are_named_by_title_and_redirected_people_merge(fixtures: Path) -> None:
    members_import(paths=[fixtures / "people.json"])
    taylor = Person.objects.get(parlparse_id="uk.org.publicwhip/person/90004")
    assert taylor.name == "Baroness Taylor of Bolton"
    assert taylor.memberships.get().house == "lords"
    # Membership 1397 names person 90006, which redirects to 90003.
    dorries = Membership.objects.get(parlparse_id="uk.org.publicwhip/member/1397").person
    assert dorries.parlparse_id == "uk.org.publicwhip/person/90003"
    assert not Person.objects.filter(parlparse_id="uk.org.publicwhip/person/90006").exists()


def test_bad_records_are_reported_by_id_and_skipped(fixtures: Path) -> None:
    summary = members_import(paths=[fixtures / "people.json", fixtures / "ministers.json"])
    assert [str(p) for p in summary.problems] == [
        "people.json persons[7]: record without an id",
        "people.json uk.org.publicwhip/member/1999: ends (2005-01-01) before it starts "
        "(2010-05-06)",
        "ministers.json uk.org.publicwhip/moffice/9108: not a date: 'not a date'",
    ]


def test_ministers_json_gives_posts_in_departments(fixtures: Path) -> None:
    members_import(paths=[fixtures / "people.json", fixtures / "ministers.json"])
    goodman = Person.objects.get(name="Helen Goodman")
    post = selectors.post_on(person=goodman, date=ON)
    assert post.title == (
        "Parliamentary Under-Secretary (Department for Work and Pensions) (Welfare Reform)"
    )
    # "Department for Work & Pensions" is the same department.
    assert Department.objects.filter(name__contains="Work").count() == 1
    pps = Post.objects.get(parlparse_id="uk.org.publicwhip/moffice/9102")
    assert pps.department == post.department
    # A shadow team and a committee are not departments: their names stay on the post.
    shadow = Post.objects.get(parlparse_id="uk.org.publicwhip/moffice/9104")
    assert (shadow.department, shadow.organisation_name) == (None, "Work and Pensions")
    committee = Post.objects.get(parlparse_id="uk.org.publicwhip/moffice/9105")
    assert committee.role == "Member"
    assert committee.organisation_name == "Work and Pensions Committee"


def test_posts_of_people_not_yet_imported_are_skipped_then_imported_later(
    fixtures: Path,
) -> None:
    first = members_import(paths=[fixtures / "ministers.json"])
    assert first.get("posts", "skipped") == 7
    assert Post.objects.count() == 0
    assert "import people.json, then this file again" in first.notes[0]
    members_import(paths=[fixtures / "people.json"])
    # The ministers file is read again, though unchanged, because it skipped records.
    again = members_import(paths=[fixtures / "ministers.json"])
    assert again.files_read == 1
    assert again.get("posts", "created") == 6


def test_importing_members_twice_changes_nothing(fixtures: Path) -> None:
    paths = [fixtures / "people.json", fixtures / "ministers.json"]
    members_import(paths=paths)
    before = [
        list(model.objects.values().order_by("id"))
        for model in (Person, Party, Constituency, Membership, Post, Department)
    ]
    forced = members_import(paths=paths, force=True)
    assert forced.get("people", "unchanged") == 6
    assert forced.get("posts", "unchanged") == 6
    assert forced.get("people", "updated") == forced.get("posts", "updated") == 0
    after = [
        list(model.objects.values().order_by("id"))
        for model in (Person, Party, Constituency, Membership, Post, Department)
    ]
    assert after == before


def test_a_changed_name_updates_the_person_in_place(fixtures: Path, tmp_path: Path) -> None:
    members_import(paths=[fixtures / "people.json"])
    data = json.loads((fixtures / "people.json").read_text())
    data["persons"][0]["other_names"][0]["given_name"] = "Stephen"
    changed = tmp_path / "people.json"
    changed.write_text(json.dumps(data))
    summary = members_import(paths=[changed])
    assert summary.get("people", "updated") == 1
    assert Person.objects.get(parlparse_id="uk.org.publicwhip/person/90001").name == "Stephen Webb"


def test_existing_parties_and_people_without_ids_are_adopted_not_duplicated(
    fixtures: Path,
) -> None:
    labour = PartyFactory(slug="labour", name="Labour")
    goodman = PersonFactory(slug="helen-goodman", name="Helen Goodman")
    members_import(paths=[fixtures / "people.json"])
    labour.refresh_from_db()
    goodman.refresh_from_db()
    assert labour.parlparse_id == "labour"
    assert goodman.parlparse_id == "uk.org.publicwhip/person/90002"
    assert Person.objects.filter(name="Helen Goodman").count() == 1


@pytest.mark.parametrize(
    "content",
    [b"not json", b'{"something": "else"}', b"\xff\xfe\x00garbage", b"[1, 2, 3]"],
)
def test_files_that_are_not_popolo_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "people.json"
    path.write_bytes(content)
    summary = members_import(paths=[path])
    assert summary.errors == 1
    assert summary.problems[0].where == "people.json"


def test_the_real_ministers_file_maps_organisations_to_departments(shared_data: Path) -> None:
    for person_id in ("13480", "13057", "10533"):
        PersonFactory(parlparse_id=f"uk.org.publicwhip/person/{person_id}")
    summary = members_import(paths=[shared_data / "parlparse" / "members" / "ministers.json"])
    assert summary.errors == 0
    names = set(Department.objects.values_list("name", flat=True))
    assert {
        "Department for Work and Pensions",
        "Department for Children, Schools and Families",
        "HM Treasury",
        "Home Office",
        "Ministry of Defence",
    } <= names
    assert not any("Committee" in name or name.startswith("Shadow") for name in names)
    assert "Department for Business, Innovation & Skills" not in names
    assert Post.objects.count() > 0
    assert Post.objects.filter(department__isnull=False).exists()
    assert summary.get("posts", "skipped") > 2000


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Department for Business, Innovation & Skills", "business innovation and skills"),
        ("BUSINESS, INNOVATION AND SKILLS", "business innovation and skills"),
        ("HOME DEPARTMENT", "home"),
        ("Home Office", "home"),
        ("HM Treasury", "treasury"),
        ("Office of the Deputy Prime Minister", "deputy prime minister"),
        ("Attorney General's Office", "attorney generals"),
    ],
)
def test_department_names_reduce_to_one_key(name: str, key: str) -> None:
    assert department_key(name) == key


def test_which_organisations_are_government_departments() -> None:
    assert is_government_department("Department for Work and Pensions")
    assert is_government_department("Foreign & Commonwealth Office")
    assert is_government_department("HM Treasury")
    assert not is_government_department("Work and Pensions Committee")
    assert not is_government_department("Work and Pensions")
    assert not is_government_department("HM Household")


def test_names_and_roles() -> None:
    assert person_name({"other_names": [{"given_name": "Ann", "family_name": "Taylor"}]})[0] == (
        "Ann Taylor"
    )
    assert person_name({"name": "Plain Popolo"})[0] == "Plain Popolo"
    assert split_role("Minister of State (Pensions Reform)") == (
        "Minister of State",
        "Pensions Reform",
    )
    assert split_role("Whip") == ("Whip", "")


def test_a_members_import_that_crashes_resumes_at_the_section_it_stopped_in(
    fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moot.parliament.services import members

    real = members._MembersFile._memberships

    def crash(self: members._MembersFile) -> None:
        raise RuntimeError("the machine went down")

    monkeypatch.setattr(members._MembersFile, "_memberships", crash)
    with pytest.raises(RuntimeError):
        members_import(paths=[fixtures / "people.json"])
    # Parties, constituencies and people were committed; seats were not.
    assert Person.objects.count() == 6
    assert Membership.objects.count() == 0
    monkeypatch.setattr(members._MembersFile, "_memberships", real)
    resumed = members_import(paths=[fixtures / "people.json"])
    assert resumed.get("people", "created") == resumed.get("people", "unchanged") == 0
    assert resumed.get("memberships", "created") == 6


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"persons": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested more than 64 deep"),
        (b'{"persons": ' + b"[" * 500 + b"]" * 500 + b"}", "nested more than 64 deep"),
        (b'{"persons": [{"id": "p", "n": ' + b"9" * 5000 + b"}]}", "more than 4,300 digits"),
    ],
)
def test_hostile_json_is_refused_with_its_reason_and_the_other_files_imported(
    fixtures: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    (tmp_path / "a-hostile.json").write_bytes(content)
    (tmp_path / "people.json").write_bytes((fixtures / "people.json").read_bytes())
    summary = members_import(paths=[tmp_path])
    assert summary.problems[0].where == "a-hostile.json"
    assert message in summary.problems[0].message
    assert summary.get("people", "created") == Person.objects.count() == 6


def test_digits_that_are_not_ascii_and_out_of_range_dates_are_reported_not_raised(
    fixtures: Path, tmp_path: Path
) -> None:
    data = json.loads((fixtures / "people.json").read_text())
    data["persons"][0]["identifiers"][0]["identifier"] = "²"
    data["memberships"][0]["start_date"] = "²⁰⁰⁵-05-05"
    data["memberships"][1]["start_date"] = "99999999999-01-01"
    path = tmp_path / "people.json"
    path.write_text(json.dumps(data))
    summary = members_import(paths=[path])
    assert [str(p) for p in summary.problems][1:3] == [
        "people.json uk.org.publicwhip/member/1743: not a date: '²⁰⁰⁵-05-05'",
        f"people.json {data['memberships'][1]['id']}: not a date: '99999999999-01-01'",
    ]
    webb = Person.objects.get(parlparse_id="uk.org.publicwhip/person/90001")
    assert webb.parliament_member_id is None
    assert summary.get("people", "created") == 6

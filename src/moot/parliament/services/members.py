"""Importing people, parties, seats and posts from Popolo JSON: ``moot import-members``.

Reads both ParlParse shapes: ``people.json`` (persons, organizations — parties and chambers —,
posts — constituencies — and memberships — seats in the Commons or the Lords, by ids such as
``uk.org.publicwhip/member/1421`` that records name their speakers by) and ``ministers.json``
(memberships of organisations with a role: ministerial, shadow and committee posts). A
ministers.json organisation that is a government department becomes (or is matched to) a
Department; other organisations are kept by name on the Post.

A file is read in sections (organisations, constituencies, people, seats, posts), each in
one transaction recorded in the file's progress record, so a crash resumes at the section
it stopped in. Rows are matched by their ParlParse id and only written when they differ.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from moot.core.errors import FileRejected
from moot.parliament.importers.safejson import load_json
from moot.parliament.models import (
    Constituency,
    House,
    Importer,
    Membership,
    Party,
    Person,
    Post,
)
from moot.parliament.services.departments import DepartmentDirectory
from moot.parliament.services.imports import (
    FileJob,
    ImportSummary,
    count_unchanged_file,
    file_counts,
    json_files,
    snapshot,
)
from moot.parliament.services.records import unique_slug
from moot.parliament.services.speakers import speakers_link

MAX_MEMBERS_FILE_BYTES = 256 * 1024 * 1024
CHAMBERS: dict[str, str] = {"house-of-commons": House.COMMONS, "house-of-lords": House.LORDS}
KINDS = ("parties", "constituencies", "people", "memberships", "posts")
# ParlParse writes "9999-12-31" for "still holds it".
OPEN_ENDED = dt.date(9999, 12, 31)
_TRAILING_REMIT = re.compile(r"^(?P<role>[^()]+?)\s*\((?P<remit>[^()]*)\)\s*$")


class MembersFileError(ValueError):
    """A members file moot cannot read, with the reason."""


def members_import(
    *, paths: list[Path], force: bool = False, write: Callable[[str], None] | None = None
) -> ImportSummary:
    """Import Popolo people.json- or ministers.json-shaped files.

    Idempotent (unchanged rows are not written; an unchanged file is skipped by its hash),
    resumable by section, and never raises for bad input: unreadable files and records are
    reported in the summary. Afterwards, questions and answers whose speakers were unknown
    are linked to the people now known.
    """
    summary = ImportSummary()
    for path in json_files(paths, summary):
        job = FileJob(importer=Importer.MEMBERS, path=path, force=force)
        if job.skip:
            count_unchanged_file(summary, job, kinds=KINDS)
            continue
        before = snapshot(summary)
        try:
            data = _load(path)
        except MembersFileError as error:
            summary.problem(path.name, str(error))
            summary.files_read += 1
            job.fail(str(error), file_counts(before, summary))
            continue
        _MembersFile(path.name, data, summary).run(job)
        summary.files_read += 1
        job.complete(file_counts(before, summary))
        if write:
            write(f"… read {path.name}")
    linked = speakers_link()
    if any(linked.values()):
        summary.notes.append(
            f"linked {linked['questions']:,} questions and {linked['answers']:,} answers to "
            f"the people who spoke them, and {linked['departments']:,} answers to their "
            f"departments; {linked['statements']:,} statements to their ministers or "
            "departments"
        )
    return summary


def _load(path: Path) -> dict[str, Any]:
    try:
        data = load_json(path, max_bytes=MAX_MEMBERS_FILE_BYTES)
    except FileRejected as error:
        raise MembersFileError(str(error)) from None
    if not isinstance(data, dict) or not any(
        isinstance(data.get(key), list) for key in ("persons", "memberships", "organizations")
    ):
        raise MembersFileError(
            "not Popolo JSON: expected an object with persons, memberships or organizations"
        )
    return data


def parse_date(value: Any) -> dt.date | None:
    """``2009-10-27``, ``2009-10`` or ``2009``; None for empty or open-ended dates."""
    if not value:
        return None
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    parts = value.strip().split("-")
    # ASCII digits of a year, a month and a day: "²" is a digit to isdigit but not to int.
    if not 1 <= len(parts) <= 3 or not all(
        p.isascii() and p.isdigit() and len(p) <= (4 if n == 0 else 2) for n, p in enumerate(parts)
    ):
        raise ValueError(f"not a date: {value[:40]!r}")
    numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
    try:
        date = dt.date(numbers[0], numbers[1], numbers[2])
    except ValueError:
        raise ValueError(f"not a date: {value[:40]!r}") from None
    return None if date == OPEN_ENDED else date


def person_name(record: dict[str, Any]) -> tuple[str, str, str, str]:
    """(name, given name, family name, honorific) from a Popolo person.

    ParlParse keeps names in ``other_names`` (the current one has note "Main" and no end
    date); peers are "Baroness Taylor of Bolton", from honorific, lordname and lordofname.
    """
    names = [n for n in record.get("other_names") or [] if isinstance(n, dict)]
    main = [n for n in names if n.get("note", "Main") == "Main"] or names
    if main:
        chosen = max(main, key=lambda n: (not n.get("end_date"), str(n.get("end_date", ""))))
        given = str(chosen.get("given_name", "")).strip()
        family = str(chosen.get("family_name", "")).strip()
        honorific = str(chosen.get("honorific_prefix", "")).strip()
        lordname = str(chosen.get("lordname", "")).strip()
        if lordname:
            of = str(chosen.get("lordofname", "")).strip()
            name = " ".join(p for p in (honorific, lordname) if p) + (f" of {of}" if of else "")
            return name, given, family or lordname, honorific
        name = str(chosen.get("name", "")).strip() or " ".join(p for p in (given, family) if p)
        if name:
            return name, given, family, honorific
    name = str(record.get("name", "")).strip()
    return name, str(record.get("given_name", "")), str(record.get("family_name", "")), ""


def split_role(role: str) -> tuple[str, str]:
    """``Parliamentary Under-Secretary (Children, Young People and Families)`` to the role and
    its remit, so a post reads "Role (Department) (Remit)"."""
    match = _TRAILING_REMIT.match(role.strip())
    if not match:
        return role.strip(), ""
    return match["role"].strip(), match["remit"].strip()


@dataclass
class _Rows:
    """Rows of one model by ParlParse id, what to create and what to update."""

    existing: dict[str, Any]
    new: list[Any] = field(default_factory=list)
    changed: list[Any] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)


def _diff(row: Model, values: dict[str, Any], rows: _Rows) -> bool:
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(row, name, value)
        rows.changed.append(row)
        rows.fields.update(changed)
    return bool(changed)


class _MembersFile:
    def __init__(self, name: str, data: dict[str, Any], summary: ImportSummary) -> None:
        self.name = name
        self.data = data
        self.summary = summary
        self.organisations: dict[str, str] = {}
        self.person_redirects: dict[str, str] = {}
        self.reported: set[tuple[str, int]] = set()

    def run(self, job: FileJob) -> None:
        sections = [self._organisations, self._constituencies, self._people, self._memberships]
        # Organisation names and person redirects are needed by later sections, including
        # when a resumed run skips the ones that read them; reading them writes nothing.
        for record in self._records("organizations"):
            self.organisations[str(record["id"])] = str(record.get("name", record["id"]))
        for record in self.data.get("persons") or []:
            if isinstance(record, dict) and record.get("id") and record.get("redirect"):
                self.person_redirects[str(record["id"])[:120]] = str(record["redirect"])
        for done, section in enumerate(sections, start=1):
            if done <= job.resume_from:
                continue
            with transaction.atomic():
                section()
                job.checkpoint(done)

    def _records(self, key: str) -> Iterable[dict[str, Any]]:
        records = self.data.get(key) or []
        if not isinstance(records, list):
            self.summary.problem(self.name, f"{key} is not a list")
            return
        for index, record in enumerate(records):
            if not isinstance(record, dict) or not record.get("id"):
                # Sections read some lists twice: report each bad record once.
                if (key, index) not in self.reported:
                    self.reported.add((key, index))
                    self.summary.problem(f"{self.name} {key}[{index}]", "record without an id")
                continue
            yield record

    def _problem(self, record: dict[str, Any], message: str) -> None:
        self.summary.problem(f"{self.name} {record.get('id')}", message)

    # Parties and departments -------------------------------------------------------------

    def _organisations(self) -> None:
        """Parties, and the organisations of ministers.json that are government departments."""
        departments = DepartmentDirectory()
        for record in self._records("organizations"):
            if record.get("classification") != "party":
                departments.for_organisation(str(record.get("name", "")))
        self.summary.add("departments", "created", len(departments.created))
        self._parties()

    def _parties(self) -> None:
        rows = _Rows(
            existing={str(p.parlparse_id): p for p in Party.objects.exclude(parlparse_id=None)}
        )
        unclaimed = {p.slug: p for p in Party.objects.filter(parlparse_id=None)}
        slugs = set(Party.objects.values_list("slug", flat=True))
        for record in self._records("organizations"):
            if record.get("classification") != "party":
                continue
            key = str(record["id"])[:120]
            name = str(record.get("name", "")).strip()[:120]
            if not name:
                self._problem(record, "party without a name")
                continue
            row = rows.existing.get(key) or unclaimed.pop(slugify(name), None)
            if row is None:
                rows.new.append(
                    Party(parlparse_id=key, name=name, slug=_free(slugify(name), slugs))
                )
                self.summary.add("parties", "created")
            elif _diff(row, {"parlparse_id": key, "name": name}, rows):
                self.summary.add("parties", "updated")
            else:
                self.summary.add("parties", "unchanged")
        _write(Party, rows)

    # Constituencies --------------------------------------------------------------------

    def _constituencies(self) -> None:
        rows = _Rows(
            existing={
                str(c.parlparse_id): c for c in Constituency.objects.exclude(parlparse_id=None)
            }
        )
        unclaimed = {c.slug: c for c in Constituency.objects.filter(parlparse_id=None)}
        slugs = set(Constituency.objects.values_list("slug", flat=True))
        for record in self._records("posts"):
            if record.get("organization_id") != "house-of-commons":
                continue
            key = str(record["id"])[:120]
            area = record.get("area")
            area_name = area.get("name") if isinstance(area, dict) else None
            name = str(area_name or record.get("label") or "").strip()[:200]
            try:
                values = {
                    "parlparse_id": key,
                    "name": name,
                    "start_date": parse_date(record.get("start_date")),
                    "end_date": parse_date(record.get("end_date")),
                }
            except ValueError as error:
                self._problem(record, str(error))
                continue
            if not name:
                self._problem(record, "constituency without a name")
                continue
            row = rows.existing.get(key) or unclaimed.pop(slugify(name), None)
            if row is None:
                rows.new.append(Constituency(slug=_free(slugify(name), slugs), **values))
                self.summary.add("constituencies", "created")
            elif _diff(row, values, rows):
                self.summary.add("constituencies", "updated")
            else:
                self.summary.add("constituencies", "unchanged")
        _write(Constituency, rows)

    # People ----------------------------------------------------------------------------

    def _people(self) -> None:
        rows = _Rows(
            existing={str(p.parlparse_id): p for p in Person.objects.exclude(parlparse_id=None)}
        )
        unclaimed = {p.slug: p for p in Person.objects.filter(parlparse_id=None)}
        slugs = set(Person.objects.values_list("slug", flat=True))
        member_ids = set(
            Person.objects.exclude(parliament_member_id=None).values_list(
                "parliament_member_id", flat=True
            )
        )
        for record in self._records("persons"):
            key = str(record["id"])[:120]
            if record.get("redirect"):
                continue
            name, given, family, honorific = person_name(record)
            if not name:
                self._problem(record, "person without a name")
                continue
            values: dict[str, Any] = {
                "parlparse_id": key,
                "name": name[:200],
                "given_name": given[:100],
                "family_name": family[:100],
                "honorific_prefix": honorific[:60],
            }
            member_id = _parliament_member_id(record)
            row = rows.existing.get(key)
            if row is None:
                candidate = unclaimed.get(slugify(name))
                if candidate is not None and candidate.name == name:
                    row = unclaimed.pop(slugify(name))
            # Another person may hold the id already (a duplicate in the source): first wins.
            if (
                member_id is not None
                and (row is None or row.parliament_member_id != member_id)
                and member_id not in member_ids
            ):
                values["parliament_member_id"] = member_id
                member_ids.add(member_id)
            if row is None:
                rows.new.append(Person(slug=_free(slugify(name) or "member", slugs), **values))
                self.summary.add("people", "created")
            elif _diff(row, values, rows):
                self.summary.add("people", "updated")
            else:
                self.summary.add("people", "unchanged")
        _write(Person, rows)

    # Seats and posts -------------------------------------------------------------------

    def _memberships(self) -> None:
        people = dict(Person.objects.exclude(parlparse_id=None).values_list("parlparse_id", "id"))
        parties = dict(Party.objects.exclude(parlparse_id=None).values_list("parlparse_id", "id"))
        seats = dict(
            Constituency.objects.exclude(parlparse_id=None).values_list("parlparse_id", "id")
        )
        posts_by_chamber = {
            str(p["id"]): CHAMBERS.get(str(p.get("organization_id")))
            for p in self._records("posts")
        }
        departments = DepartmentDirectory()
        memberships = _Rows(
            existing={str(m.parlparse_id): m for m in Membership.objects.exclude(parlparse_id=None)}
        )
        posts = _Rows(
            existing={str(p.parlparse_id): p for p in Post.objects.exclude(parlparse_id=None)}
        )
        unknown_people = 0
        for record in self._records("memberships"):
            person_key = str(record.get("person_id", ""))
            person_key = self.person_redirects.get(person_key, person_key)
            person_id = people.get(person_key)
            try:
                start = parse_date(record.get("start_date"))
                end = parse_date(record.get("end_date"))
            except ValueError as error:
                self._problem(record, str(error))
                continue
            house = self._house(record, posts_by_chamber)
            if house is None and record.get("post_id"):
                # A seat in another legislature (Holyrood, Stormont, the Senedd).
                self.summary.add("memberships", "not at Westminster")
                continue
            kind = "memberships" if house else "posts"
            if person_id is None:
                unknown_people += 1
                self.summary.add(kind, "skipped")
                continue
            if start is None:
                self._problem(record, "no start date")
                continue
            if end is not None and end < start:
                self._problem(record, f"ends ({end}) before it starts ({start})")
                continue
            key = str(record["id"])[:120]
            if house:
                values: dict[str, Any] = {
                    "person_id": person_id,
                    "house": house,
                    "party_id": parties.get(str(record.get("on_behalf_of_id", ""))),
                    "constituency_id": seats.get(str(record.get("post_id", ""))),
                    "start_date": start,
                    "end_date": end,
                    "start_reason": str(record.get("start_reason", ""))[:60],
                    "end_reason": str(record.get("end_reason", ""))[:60],
                }
                self._upsert(Membership, memberships, key, values, kind)
            elif record.get("organization_id"):
                organisation = self.organisations.get(str(record["organization_id"]), "")
                role, remit = split_role(str(record.get("role") or "Member"))
                department_id = departments.for_organisation(organisation)
                values = {
                    "person_id": person_id,
                    "role": role[:200],
                    "responsibilities": remit[:300],
                    "department_id": department_id,
                    "organisation_name": "" if department_id else organisation[:200],
                    "start_date": start,
                    "end_date": end,
                }
                self._upsert(Post, posts, key, values, kind)
        if unknown_people:
            self.summary.notes.append(
                f"{self.name}: {unknown_people:,} memberships name people who are not imported "
                "yet and were skipped; import people.json, then this file again"
            )
        _write(Membership, memberships)
        _write(Post, posts)

    def _house(self, record: dict[str, Any], posts_by_chamber: dict[str, str | None]) -> str | None:
        """The House a seat is in; None for a membership that is an office (a Post)."""
        if record.get("post_id"):
            return posts_by_chamber.get(str(record["post_id"]))
        key = str(record.get("id", ""))
        if "/member/" in key:
            return House.COMMONS
        if "/lord/" in key:
            return House.LORDS
        organisation = str(record.get("organization_id", ""))
        if organisation in CHAMBERS and not record.get("role"):
            return CHAMBERS[organisation]
        return None

    def _upsert(
        self, model: type[Model], rows: _Rows, key: str, values: dict[str, Any], kind: str
    ) -> None:
        row = rows.existing.get(key)
        if row is None:
            rows.new.append(model(parlparse_id=key, **values))
            rows.existing[key] = rows.new[-1]
            self.summary.add(kind, "created")
        elif row.pk is None:
            self.summary.problem(f"{self.name} {key}", "appears twice; the first was kept")
        elif _diff(row, values, rows):
            self.summary.add(kind, "updated")
        else:
            self.summary.add(kind, "unchanged")


def _parliament_member_id(record: dict[str, Any]) -> int | None:
    for identifier in record.get("identifiers") or []:
        if isinstance(identifier, dict) and identifier.get("scheme") == "datadotparl_id":
            value = str(identifier.get("identifier", ""))
            # ASCII digits that fit the column ("²" is a digit to isdigit but not to int).
            if value.isascii() and value.isdigit() and len(value) <= 9:
                return int(value)
            return None
    return None


def _free(slug: str, taken: set[str]) -> str:
    return unique_slug(slug[:110] or "item", taken)


def _write(model: type[Model], rows: _Rows) -> None:
    model.objects.bulk_create(rows.new, batch_size=1000)  # type: ignore[attr-defined]
    if rows.changed:
        now = timezone.now()
        for row in rows.changed:
            row.updated_at = now
        model.objects.bulk_update(  # type: ignore[attr-defined]
            rows.changed, [*sorted(rows.fields), "updated_at"], batch_size=1000
        )

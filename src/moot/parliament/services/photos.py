"""Importing members' photos: ``moot import-member-photos``.

Sources, as TheyWorkForYou keeps them:

- a folder of images named by ParlParse person id number (``10001.jpg``), in any subfolders;
  TheyWorkForYou keeps small ones in ``mps/`` and large ones in ``mpsL/`` (and ``lords/``,
  ``lordsL/``): where a person has several, the one in a folder whose name ends in ``L`` is
  taken, else the largest file;
- a CSV with the columns ``person_id`` and ``image`` (a path relative to the CSV's folder),
  and optionally ``credit`` and ``licence`` for each photo.

A person id is a ParlParse one (``uk.org.publicwhip/person/10001`` or just ``10001``) or a
member's slug here. Each image is checked and redrawn by ``importers.images`` (type from its
content, size, decompression bombs, truncation; metadata stripped). Idempotent: an image
whose content and credit are those stored already changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from moot.parliament.importers.images import (
    MAX_FILE_BYTES,
    ImageRefused,
    portrait_from_bytes,
)
from moot.parliament.models import MemberPhoto, Person
from moot.parliament.services.imports import ImportSummary

PERSON_PREFIX = "uk.org.publicwhip/person/"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}
MAX_CSV_BYTES = 5 * 1024 * 1024
KIND = "photos"


@dataclass(frozen=True)
class PhotoSource:
    person: str  # as given: an id, its number, or a slug
    path: Path
    credit: str
    licence: str
    where: str  # for messages: the file, or the CSV and its line


def _folder_sources(folder: Path, credit: str, licence: str) -> list[PhotoSource]:
    chosen: dict[str, Path] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        if not path.stem.isdigit():
            continue
        held = chosen.get(path.stem)
        if held is None or _preferred(path, held):
            chosen[path.stem] = path
    return [
        PhotoSource(number, path, credit, licence, str(path))
        for number, path in sorted(chosen.items())
    ]


def _preferred(candidate: Path, held: Path) -> bool:
    large = candidate.parent.name.endswith("L"), held.parent.name.endswith("L")
    if large[0] != large[1]:
        return large[0]
    return candidate.stat().st_size > held.stat().st_size


def _csv_sources(
    path: Path, credit: str, licence: str, summary: ImportSummary
) -> list[PhotoSource]:
    if path.stat().st_size > MAX_CSV_BYTES:
        summary.problem(str(path), f"the CSV is over {MAX_CSV_BYTES:,} bytes")
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        summary.problem(str(path), "the CSV is not UTF-8 text")
        return []
    reader = csv.DictReader(io.StringIO(text))
    columns = {name.strip().lower() for name in reader.fieldnames or []}
    if not {"person_id", "image"} <= columns:
        summary.problem(str(path), "the CSV needs the columns person_id and image")
        return []
    root = path.parent.resolve()
    sources = []
    try:
        for number, row in enumerate(reader, start=2):
            row = {(key or "").strip().lower(): (value or "").strip() for key, value in row.items()}
            where = f"{path} line {number}"
            image = root / row["image"]
            # Paths come from the file: one may not reach outside the CSV's folder.
            if not row["image"] or not image.resolve().is_relative_to(root):
                summary.problem(where, f"the image {row['image']!r} is not in the CSV's folder")
                continue
            sources.append(
                PhotoSource(
                    row["person_id"],
                    image,
                    (row.get("credit") or credit)[:300],
                    (row.get("licence") or licence)[:200],
                    where,
                )
            )
    except csv.Error as error:
        summary.problem(str(path), f"the CSV cannot be read: {error}")
    return sources


def _person_for(key: str, people: dict[str, Person]) -> Person | None:
    key = key.strip()
    if key.isdigit():
        key = f"{PERSON_PREFIX}{key}"
    return people.get(key)


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise ImageRefused("no such file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImageRefused(
            f"the file is {path.stat().st_size:,} bytes; moot takes photos of up to "
            f"{MAX_FILE_BYTES:,}"
        )
    with path.open("rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)


def member_photos_import(
    *,
    paths: list[Path],
    credit: str = "",
    licence: str = "",
    force: bool = False,
    write: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Import members' photos from folders, CSVs or single images named by person id.

    Each photo is saved in its own transaction, so a bad image loses nothing else; an image
    that is refused is reported with the reason. Idempotent (``force`` redraws anyway).
    """
    summary = ImportSummary()
    sources: list[PhotoSource] = []
    for path in paths:
        if not path.exists():
            summary.problem(str(path), "no such file or folder")
        elif path.is_dir():
            sources += _folder_sources(path, credit, licence)
        elif path.suffix.lower() == ".csv":
            sources += _csv_sources(path, credit, licence, summary)
        elif path.suffix.lower() in IMAGE_SUFFIXES and path.stem.isdigit():
            sources.append(PhotoSource(path.stem, path, credit, licence, str(path)))
        else:
            summary.problem(
                str(path), "not a folder of photos, a CSV, or an image named by person id"
            )
    summary.files_read = len(sources)
    people: dict[str, Person] = {}
    for member in Person.objects.all():
        people[member.slug] = member
        if member.parlparse_id:
            people[member.parlparse_id] = member
    stored = {photo.person_id: photo for photo in MemberPhoto.objects.all()}
    for source in sources:
        person = _person_for(source.person, people)
        if person is None:
            summary.problem(source.where, f"no member has the person id {source.person!r}")
            summary.add(KIND, "skipped")
            continue
        try:
            data = _read(source.path)
            digest = hashlib.sha256(data).hexdigest()
            current = stored.get(person.pk)
            if (
                current is not None
                and not force
                and (current.source_hash, current.credit, current.licence)
                == (digest, source.credit, source.licence)
            ):
                summary.add(KIND, "unchanged")
                continue
            portrait = portrait_from_bytes(data)
        except ImageRefused as refusal:
            summary.problem(source.where, str(refusal))
            summary.add(KIND, "skipped")
            continue
        stored[person.pk] = _save(
            person=person,
            current=current,
            photo=portrait.photo,
            thumbnail=portrait.thumbnail,
            source=source,
            digest=digest,
        )
        summary.add(KIND, "created" if current is None else "updated")
        if write and summary.get(KIND, "created") % 100 == 0:
            write(f"… {summary.get(KIND, 'created'):,} photos so far")
    return summary


def member_photo_set(
    *, person: Person, data: bytes, source_name: str, credit: str = "", licence: str = ""
) -> MemberPhoto:
    """Give ``person`` the photo in ``data`` (checked and redrawn as an import does);
    ``ImageRefused`` if it is not one moot will show."""
    portrait = portrait_from_bytes(data)
    return _save(
        person=person,
        current=MemberPhoto.objects.filter(person=person).first(),
        photo=portrait.photo,
        thumbnail=portrait.thumbnail,
        source=PhotoSource(person.slug, Path(source_name), credit[:300], licence[:200], ""),
        digest=hashlib.sha256(data).hexdigest(),
    )


def _save(
    *,
    person: Person,
    current: MemberPhoto | None,
    photo: bytes,
    thumbnail: bytes,
    source: PhotoSource,
    digest: str,
) -> MemberPhoto:
    old_files = [current.photo, current.thumbnail] if current is not None else []
    old_names = [file.name for file in old_files]
    with transaction.atomic():
        record = current or MemberPhoto(person=person)
        record.credit = source.credit
        record.licence = source.licence
        record.source_name = source.path.name[:300]
        record.source_hash = digest
        # Names carry the content's hash: a new photo is a new address, so no cache or
        # browser keeps showing the old one.
        record.photo.save(f"photo-{digest[:12]}.jpg", ContentFile(photo), save=False)
        record.thumbnail.save(f"thumbnail-{digest[:12]}.jpg", ContentFile(thumbnail), save=False)
        record.save()
        Person.objects.filter(pk=person.pk).update(photo=record.photo.name)
        kept = {record.photo.name, record.thumbnail.name}
        storage = record.photo.storage
        gone = [name for name in old_names if name and name not in kept]

        def delete_old_files() -> None:
            for name in gone:
                storage.delete(name)

        transaction.on_commit(delete_old_files)
    return record

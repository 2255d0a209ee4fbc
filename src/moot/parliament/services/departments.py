"""Matching the names sources give departments to moot's Department records.

ParlParse heads a department's answers "WORK AND PENSIONS" or "HOME DEPARTMENT"; ministers.json
says "Department for Work and Pensions" or "Department for Business, Innovation & Skills"; the
UK Parliament API gives an answering body id and name. All are reduced to one key (lower case,
"&" as "and", without "Department for", "Ministry of", "Office" …) and matched on it; a
department seen for the first time is created.
"""

from __future__ import annotations

import re

from django.utils.text import slugify

from moot.core.models import Department

_PREFIXES = ("department for ", "department of ", "ministry of ", "ministry for ", "hm ", "the ")
_PREFIX_PHRASES = ("office of the ", "office of ")
_SUFFIXES = (" office", " department")
_WORDS = re.compile(r"[^a-z0-9]+")
_SMALL_WORDS = {"and", "of", "for", "the", "on", "in", "to"}

# Departments under their usual full names, so that a heading such as "TREASURY" creates
# "HM Treasury" rather than "Treasury".
KNOWN_DEPARTMENTS = (
    "Attorney General's Office",
    "Cabinet Office",
    "Department for Business, Enterprise and Regulatory Reform",
    "Department for Business, Innovation and Skills",
    "Department for Children, Schools and Families",
    "Department for Communities and Local Government",
    "Department for Constitutional Affairs",
    "Department for Culture, Media and Sport",
    "Department for Education",
    "Department for Education and Skills",
    "Department for Environment, Food and Rural Affairs",
    "Department for Innovation, Universities and Skills",
    "Department for International Development",
    "Department for Transport",
    "Department for Work and Pensions",
    "Department of Energy and Climate Change",
    "Department of Health",
    "Department of Trade and Industry",
    "Foreign and Commonwealth Office",
    "Government Equalities Office",
    "HM Treasury",
    "Home Office",
    "Ministry of Defence",
    "Ministry of Justice",
    "Northern Ireland Office",
    "Office of the Deputy Prime Minister",
    "Office of the Leader of the House of Commons",
    "Prime Minister's Office",
    "Scotland Office",
    "Wales Office",
)

# ParlParse headings whose words are not the department's own.
HEADING_ALIASES = {
    "foreign and commonwealth affairs": "Foreign and Commonwealth Office",
    "prime minister": "Prime Minister's Office",
    "solicitor general": "Attorney General's Office",
    "attorney general": "Attorney General's Office",
    "advocate general": "Office of the Advocate General for Scotland",
    "leader of the house": "Office of the Leader of the House of Commons",
    "women and equality": "Government Equalities Office",
    "minister for women and equality": "Government Equalities Office",
    "equalities": "Government Equalities Office",
}

_GOVERNMENT_DEPARTMENT = re.compile(
    r"^(?:(?:Department|Ministry) (?:for|of) |Office of |HM Treasury$)|"
    r" Office$|^Law Officers' Department$|^Lord Chancellor's Department$"
)


def department_key(name: str) -> str:
    """``Department for Business, Innovation & Skills`` and ``BUSINESS, INNOVATION AND
    SKILLS`` both become ``business innovation and skills``."""
    key = name.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    key = _WORDS.sub(" ", key).strip()
    changed = True
    while changed:
        changed = False
        for prefix in (*_PREFIX_PHRASES, *_PREFIXES):
            if key.startswith(prefix) and len(key) > len(prefix):
                key = key[len(prefix) :]
                changed = True
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                changed = True
    return key


def is_government_department(name: str) -> bool:
    """Whether an organisation in ministers.json is a department (not a committee, a shadow
    team or a party)."""
    return bool(_GOVERNMENT_DEPARTMENT.search(name.strip())) and "Committee" not in name


def display_name(heading: str) -> str:
    """A heading in capitals as a name: ``HOUSE OF COMMONS COMMISSION`` to ``House of Commons
    Commission``."""
    words = heading.strip().split()
    if not heading.isupper():
        return " ".join(words)
    return " ".join(
        word.lower() if i and word.lower() in _SMALL_WORDS else word.capitalize()
        for i, word in enumerate(words)
    )


_KNOWN_BY_KEY = {department_key(name): name for name in KNOWN_DEPARTMENTS}


class DepartmentDirectory:
    """Departments by key for one import run; creates those it has not seen.

    Loaded once, so an import asks the database about departments only when it meets a new
    one.
    """

    def __init__(self) -> None:
        self.by_key: dict[str, int] = {}
        self.by_answering_body: dict[int, int] = {}
        self.by_heading: dict[str, int | None] = {}
        for pk, name, body_id in Department.objects.values_list(
            "id", "name", "parliament_answering_body_id"
        ):
            self.by_key.setdefault(department_key(name), pk)
            if body_id is not None:
                self.by_answering_body[body_id] = pk
        self.created: list[str] = []

    def for_heading(self, heading: str) -> int | None:
        """The department a ParlParse major heading names (created if new)."""
        if heading in self.by_heading:
            return self.by_heading[heading]
        found = None
        if heading.strip():
            key = department_key(heading)
            name = HEADING_ALIASES.get(key) or _KNOWN_BY_KEY.get(key) or display_name(heading)
            found = self._find_or_create(department_key(name), name)
        self.by_heading[heading] = found
        return found

    def for_organisation(self, name: str) -> int | None:
        """The department a ministers.json organisation is, or None when it is not one."""
        if not is_government_department(name):
            return None
        key = department_key(name)
        full_name = _KNOWN_BY_KEY.get(key) or re.sub(r"\s*&\s*", " and ", name.strip())
        return self._find_or_create(key, full_name)

    def for_answering_body(self, body_id: int | None, name: str) -> int | None:
        """The department a UK Parliament answering body is (matched by id, then name)."""
        if body_id is not None and body_id in self.by_answering_body:
            return self.by_answering_body[body_id]
        if not name.strip():
            return None
        key = department_key(name)
        pk = self._find_or_create(key, _KNOWN_BY_KEY.get(key) or name.strip())
        if body_id is not None:
            claimed = Department.objects.filter(parliament_answering_body_id=body_id).exists()
            if not claimed:
                Department.objects.filter(pk=pk, parliament_answering_body_id__isnull=True).update(
                    parliament_answering_body_id=body_id
                )
            self.by_answering_body[body_id] = pk
        return pk

    def _find_or_create(self, key: str, name: str) -> int:
        if key in self.by_key:
            return self.by_key[key]
        existing = Department.objects.filter(name=name).values_list("id", flat=True).first()
        if existing is None:
            department = Department.objects.create(
                name=name,
                slug=_free_slug(name),
                foi_site_slug=slugify(name).replace("-", "_")[:200],
            )
            existing = department.pk
            self.created.append(name)
        self.by_key[key] = existing
        return existing


def _free_slug(name: str) -> str:
    base = slugify(name)[:90] or "department"
    slug, n = base, 1
    while Department.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug

"""The locks that `make run`, `make test` and CI install from agree with pyproject.toml.

A dependency added to pyproject.toml without `make lock` would otherwise go unnoticed until
a fresh install, and a lock line without hashes would make `pip install --require-hashes` fail.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
DEV_LOCK = ROOT / "requirements" / "lock-dev.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def _pins(path: Path) -> dict[str, str]:
    return {
        canonicalize_name(match[1]): match[2]
        for line in path.read_text().splitlines()
        if (match := PIN.match(line))
    }


def _pyproject() -> dict:  # type: ignore[type-arg]
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def _unlocked(requirements: list[str], pins: dict[str, str]) -> list[str]:
    return [
        requirement
        for requirement in requirements
        if (name := canonicalize_name(Requirement(requirement).name)) not in pins
        or not Requirement(requirement).specifier.contains(pins[name], prereleases=True)
    ]


def test_every_runtime_dependency_is_locked_within_its_range() -> None:
    project = _pyproject()
    requirements = project["project"]["dependencies"] + project["build-system"]["requires"]
    assert _unlocked(requirements, _pins(LOCK)) == []


def test_every_development_dependency_is_locked_within_its_range() -> None:
    project = _pyproject()
    requirements = (
        project["project"]["dependencies"]
        + project["project"]["optional-dependencies"]["dev"]
        + project["build-system"]["requires"]
    )
    assert _unlocked(requirements, _pins(DEV_LOCK)) == []


def test_make_run_and_make_test_install_the_same_versions() -> None:
    runtime, development = _pins(LOCK), _pins(DEV_LOCK)
    assert runtime, "requirements/lock.txt pins nothing"
    assert {name: development.get(name) for name in runtime} == runtime


@pytest.mark.parametrize("lock", [LOCK, DEV_LOCK], ids=["lock", "lock-dev"])
def test_every_pin_carries_a_sha256(lock: Path) -> None:
    # Each pin is followed by its `--hash=sha256:...` continuation lines.
    blocks = re.split(r"\n(?=[A-Za-z0-9])", lock.read_text())
    pinned = [block for block in blocks if PIN.match(block)]
    without_hash = [
        block.split()[0] for block in pinned if not re.search(r"--hash=sha256:[0-9a-f]{64}", block)
    ]
    assert pinned
    assert without_hash == []

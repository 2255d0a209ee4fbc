"""Each app imports only what boundaries.toml allows (scripts/check-boundaries, run by
`make lint`), and the check itself catches every kind of crossing it promises to."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _checker() -> ModuleType:
    path = ROOT / "scripts" / "check-boundaries"
    loader = importlib.machinery.SourceFileLoader("check_boundaries", str(path))
    spec = importlib.util.spec_from_loader("check_boundaries", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_boundaries"] = module  # dataclasses look their module up by name
    loader.exec_module(module)
    return module


CONTRACTS = """
[apps.core]
may_import = []
[apps.consultations]
may_import = ["core"]
[apps.analysis]
may_import = ["core", "consultations.selectors"]
[standalone."analysis.engine"]
"""


def _write(root: Path, files: dict[str, str]) -> Path:
    source = root / "moot"
    for name, text in files.items():
        path = source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for app in ("core", "consultations", "analysis", "analysis/engine"):
        (source / app).mkdir(parents=True, exist_ok=True)
        (source / app / "__init__.py").touch()
    return source


def _crossings(tmp_path: Path, files: dict[str, str], contracts: str = CONTRACTS) -> list[str]:
    checker = _checker()
    source = _write(tmp_path, files)
    found = checker.check(source=source, contracts=tomllib.loads(contracts))
    return [f"{crossing.importer} -> {crossing.imported}" for crossing in found]


def test_the_apps_of_moot_keep_to_their_boundaries(capsys: pytest.CaptureFixture[str]) -> None:
    assert _checker().main([]) == 0, capsys.readouterr().out


def test_allowed_imports_pass(tmp_path: Path) -> None:
    files = {
        "consultations/views.py": "from moot.core.models import User\nimport moot.core.html\n",
        "analysis/views.py": "from moot.consultations.selectors import responses\n",
        "analysis/engine/text.py": "from moot.analysis.engine import minhash\nimport re\n",
        "urls.py": "from moot.analysis import views\n",  # the project package composes apps
    }
    assert _crossings(tmp_path, files) == []


def test_forbidden_imports_are_caught_at_any_depth_and_under_type_checking(
    tmp_path: Path,
) -> None:
    files = {
        "core/views.py": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from moot.consultations.models import Consultation\n"
            "def home():\n    from moot.analysis import engine\n"
        ),
        "consultations/tags.py": "from ..analysis.views import panel\n",
        "analysis/views.py": "from moot.consultations import models\n",
    }
    assert sorted(_crossings(tmp_path, files)) == [
        "moot.analysis.views -> moot.consultations.models",
        "moot.consultations.tags -> moot.analysis.views.panel",
        "moot.core.views -> moot.analysis.engine",
        "moot.core.views -> moot.consultations.models.Consultation",
    ]


def test_a_standalone_package_may_not_import_django_or_the_rest_of_moot(tmp_path: Path) -> None:
    files = {
        "analysis/engine/pipeline.py": (
            "from django.db import models\nfrom moot.analysis.selectors import runs\n"
        ),
    }
    assert sorted(_crossings(tmp_path, files)) == [
        "moot.analysis.engine.pipeline -> django.db.models",
        "moot.analysis.engine.pipeline -> moot.analysis.selectors.runs",
    ]


def test_a_template_loading_another_apps_tags_is_caught(tmp_path: Path) -> None:
    files = {
        "analysis/templatetags/analysis.py": "",
        "analysis/templatetags/__init__.py": "",
        "consultations/templates/consultations/page.html": "<p>\n{% load humanize analysis %}",
        "analysis/templates/analysis/page.html": "{% load analysis %}",
    }
    assert _crossings(tmp_path, files) == [
        "moot.consultations template -> {% load analysis %} (moot.analysis)"
    ]


def test_an_app_with_no_contract_fails(tmp_path: Path) -> None:
    files = {"policy/__init__.py": "", "policy/views.py": "from moot.core import html\n"}
    assert _crossings(tmp_path, files) == ["moot.policy -> "]

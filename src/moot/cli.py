"""The ``moot`` command: a thin wrapper over Django's management commands.

``moot load-demo`` runs the management command ``load_demo``; any Django command works the
same way (``moot migrate``, ``moot shell``). ``moot --help`` lists moot's own commands and
the Django commands an operator needs.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from pathlib import Path

# Django's own commands worth listing for an operator; the rest still work.
DJANGO_COMMANDS = (
    "migrate",
    "createsuperuser",
    "changepassword",
    "shell",
    "check",
    "collectstatic",
    "dbshell",
    "showmigrations",
)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "moot.settings")
    import django

    django.setup()


def command_summaries() -> list[tuple[str, str]]:
    """Each listed command as it is typed after ``moot``, with the first line of its help."""
    from django.core.management import get_commands, load_command_class

    summaries = []
    for name, app in sorted(get_commands().items()):
        if not (app.startswith("moot.") or name in DJANGO_COMMANDS):
            continue
        command = load_command_class(app, name)
        summary = (command.help or "").strip().splitlines()[0] if command.help else ""
        summaries.append((name.replace("_", "-"), summary))
    return summaries


def usage() -> str:
    lines = [
        "usage: moot COMMAND [options]",
        "",
        "moot: consultations, their responses and analysis, and parliamentary written",
        "questions. Configuration comes from environment variables (see the README).",
        "",
        "commands:",
    ]
    summaries = command_summaries()
    width = max(len(name) for name, _ in summaries) + 2
    for name, summary in summaries:
        wrapped = textwrap.wrap(summary, 78 - width - 2) or [""]
        lines.append(f"  {name.ljust(width)}{wrapped[0]}")
        lines.extend(f"  {' ' * width}{more}" for more in wrapped[1:])
    lines += ["", "`moot COMMAND --help` describes a command's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    _setup()
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return
    from django.core.management import execute_from_command_line

    command = args[0].replace("-", "_")
    execute_from_command_line(["moot", command, *args[1:]])


if __name__ == "__main__":
    main()


def moot_command() -> str:
    """How to run moot again from here, for hints printed to the operator: ``moot`` if that
    is the command on their PATH, else the path to this one (``.venv/bin/moot``)."""
    running = Path(sys.argv[0]).resolve()
    on_path = shutil.which("moot")
    if running.name != "moot" or (on_path and Path(on_path).resolve() == running):
        return "moot"
    try:
        return str(running.relative_to(Path.cwd()))
    except ValueError:
        return str(running)

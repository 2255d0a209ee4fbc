"""The embedded default's settings file (``var/settings.env``): what `moot serve` ran with,
for every command run by hand to read (see ``settings.SHARED_SETTINGS``)."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def served_site_url(*, host: str, port: int) -> str:
    """The address `moot serve` is reached at: SITE_URL when the operator set it, else the
    host and port it serves on (not an address a previous run recorded)."""
    if os.environ.get("SITE_URL") and "SITE_URL" not in settings.FROM_SETTINGS_FILE:
        return str(settings.SITE_URL)
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104 - naming the wildcard, not binding to it
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def shared_settings_record(*, site_url: str) -> Path:
    """Write the shared settings this server runs with, replacing the file atomically.

    Readable by its owner only: EMAIL_URL and CACHE_URL may hold passwords.
    """
    values = {name: os.environ[name] for name in settings.SHARED_SETTINGS if name in os.environ}
    values["SITE_URL"] = site_url
    path = Path(settings.SETTINGS_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Written by `moot serve` each time it starts: the settings every moot command",
        "# on this machine reads. Variables set in a command's environment still win.",
        *(f"{name}={value}" for name, value in values.items() if "\n" not in value),
    ]
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    os.replace(partial, path)
    return path

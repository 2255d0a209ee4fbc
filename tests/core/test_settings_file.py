"""The embedded default's shared settings: the address `make run PORT=…` is really on, and
one settings file under var/ that every command reads, so a command run by hand mails and
links as the server does."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from moot.alerts.models import Digest, DigestState, Subscriber
from moot.cli import moot_command
from moot.core.settings_file import served_site_url, shared_settings_record

MOOT_VARIABLES = {"SITE_URL", "EMAIL_URL", "HOST", "PORT", "DATABASE_URL", "SECRET_KEY"}


def settings_of(var_dir: Path, *names: str, **env: str) -> list[str]:
    """Settings as a command started afresh with ``env`` would see them."""
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'moot.settings'\n"
        "from django.conf import settings\n"
        f"for name in {list(names)!r}: print(getattr(settings, name))\n"
    )
    clean = {k: v for k, v in os.environ.items() if k not in MOOT_VARIABLES}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**clean, "MOOT_VAR_DIR": str(var_dir), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


def test_site_url_follows_host_and_port(tmp_path: Path) -> None:
    assert settings_of(tmp_path, "SITE_URL", PORT="8872") == ["http://127.0.0.1:8872"]
    assert settings_of(tmp_path, "SITE_URL", HOST="localhost", PORT="9000") == [
        "http://localhost:9000"
    ]
    everywhere = "0.0.0.0"  # noqa: S104 - a HOST value, nothing binds to it here
    assert settings_of(tmp_path, "SITE_URL", HOST=everywhere) == ["http://127.0.0.1:8000"]
    assert settings_of(tmp_path, "SITE_URL", SITE_URL="https://moot.example/", PORT="1") == [
        "https://moot.example"
    ]


def test_commands_read_the_servers_settings_and_their_own_environment_wins(
    tmp_path: Path,
) -> None:
    (tmp_path / "settings.env").write_text(
        "# written by moot serve\n"
        "SITE_URL=http://127.0.0.1:8872\n"
        "EMAIL_URL=smtp://mail.example.org:2525\n"
        "SECRET_KEY=never-taken-from-this-file\n"
    )
    assert settings_of(tmp_path, "SITE_URL", "EMAIL_HOST", "EMAIL_PORT") == [
        "http://127.0.0.1:8872",
        "mail.example.org",
        "2525",
    ]
    assert settings_of(tmp_path, "EMAIL_HOST", EMAIL_URL="smtp://other.example.org") == [
        "other.example.org"
    ]
    # Only the shared settings are read from it.
    assert settings_of(tmp_path, "SECRET_KEY") != ["never-taken-from-this-file"]


def test_serve_records_its_address_and_settings_for_owner_eyes_only(
    settings: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SETTINGS_FILE = tmp_path / "settings.env"  # type: ignore[attr-defined]
    settings.FROM_SETTINGS_FILE = {"SITE_URL": "http://127.0.0.1:8000"}  # type: ignore[attr-defined]
    monkeypatch.setenv("SITE_URL", "http://127.0.0.1:8000")  # what an earlier run recorded
    monkeypatch.setenv("EMAIL_URL", "smtp://user:secret@mail.example.org")
    site_url = served_site_url(host="0.0.0.0", port=8872)  # noqa: S104
    assert site_url == "http://127.0.0.1:8872"
    path = shared_settings_record(site_url=site_url)
    text = path.read_text()
    assert "SITE_URL=http://127.0.0.1:8872" in text
    assert "EMAIL_URL=smtp://user:secret@mail.example.org" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # An address the operator set is kept, whatever the port.
    settings.FROM_SETTINGS_FILE = {}  # type: ignore[attr-defined]
    settings.SITE_URL = "https://moot.example"  # type: ignore[attr-defined]
    monkeypatch.setenv("SITE_URL", "https://moot.example")
    assert served_site_url(host="127.0.0.1", port=8872) == "https://moot.example"


def test_digests_are_not_recorded_as_sent_when_mail_would_only_be_printed(
    db: None, settings: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # type: ignore[attr-defined]
    settings.DEBUG = False  # type: ignore[attr-defined]
    from django.utils import timezone

    subscriber = Subscriber.objects.create(email="reader@example.org", daily_sent_at=timezone.now())
    digest = Digest.objects.create(subscriber=subscriber, message_id="<d1@moot.example>")
    call_command("send_alerts")
    digest.refresh_from_db()
    assert digest.state == DigestState.PENDING
    assert "Email is not set up: EMAIL_URL is console://" in capsys.readouterr().out


def test_printed_hints_name_the_command_that_runs_here(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    script = tmp_path / ".venv" / "bin" / "moot"
    script.parent.mkdir(parents=True)
    script.write_text("")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(script), "load-demo"])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert moot_command() == ".venv/bin/moot"
    monkeypatch.setenv("PATH", str(script.parent))
    script.chmod(0o755)
    assert moot_command() == "moot"

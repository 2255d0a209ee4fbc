import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from moot.settings import _email


def test_email_urls() -> None:
    assert _email("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    smtp = _email("smtp://user:p%40ss@mail.example.org:2525")
    assert smtp["EMAIL_HOST"] == "mail.example.org"
    assert smtp["EMAIL_PORT"] == 2525
    assert smtp["EMAIL_HOST_USER"] == "user"
    assert smtp["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert smtp["EMAIL_USE_TLS"] is False
    assert _email("submission://mail.example.org")["EMAIL_USE_TLS"] is True
    assert _email("smtps://mail.example.org")["EMAIL_PORT"] == 465
    assert _email("file:///tmp/mail")["EMAIL_FILE_PATH"] == "/tmp/mail"
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL scheme"):
        _email("carrier-pigeon://loft")


def _settings_in_subprocess(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='moot.settings'; "
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE']); "
        "print(settings.DATABASES['default']['OPTIONS'].get('transaction_mode')); "
        "print(len(settings.SECRET_KEY)); "
        "print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_embedded_default_is_sqlite_with_a_persisted_secret_key(tmp_path: Path) -> None:
    result = _settings_in_subprocess({"MOOT_VAR_DIR": str(tmp_path / "var")}, tmp_path)
    assert result.returncode == 0, result.stderr
    engine, mode, key_length, conn_max_age = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert mode == "IMMEDIATE"
    assert int(key_length) >= 50
    # Connections are kept between requests, on SQLite too.
    assert conn_max_age == "60"
    key = (tmp_path / "var" / "secret_key").read_text()
    again = _settings_in_subprocess({"MOOT_VAR_DIR": str(tmp_path / "var")}, tmp_path)
    assert again.returncode == 0
    assert (tmp_path / "var" / "secret_key").read_text() == key
    fresh = _settings_in_subprocess(
        {"MOOT_VAR_DIR": str(tmp_path / "var"), "DATABASE_CONN_MAX_AGE": "0"}, tmp_path
    )
    assert fresh.stdout.split()[-1] == "0"


def test_production_database_requires_a_secret_key(tmp_path: Path) -> None:
    result = _settings_in_subprocess(
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test"}, tmp_path
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_media_goes_to_an_s3_compatible_bucket_when_configured(tmp_path: Path) -> None:
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='moot.settings'; "
        "from django.conf import settings; import json; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_S3_")}
    env.update(
        MOOT_VAR_DIR=str(tmp_path / "var"),
        MEDIA_S3_BUCKET="moot-media",
        MEDIA_S3_ENDPOINT_URL="https://s3.example.org",
        MEDIA_S3_ACCESS_KEY_ID="key",
        MEDIA_S3_SECRET_ACCESS_KEY="secret",
    )
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    storage = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "moot-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert storage["OPTIONS"]["default_acl"] == "private"


def _setting_in_subprocess(expression: str, env: dict[str, str], cwd: Path) -> str:
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='moot.settings'; "
        f"from django.conf import settings; print({expression})"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "CACHE_URL", "METRICS_PUBLIC"}
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**clean, "MOOT_VAR_DIR": str(cwd / "var"), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_counts_are_shared_by_every_process_unless_redis_is_given(tmp_path: Path) -> None:
    """Without CACHE_URL, rate limits and lockouts are counted in the database, embedded or
    not (`moot serve --workers 3` runs three processes on SQLite too)."""
    store = "settings.RATE_LIMIT_STORE"
    assert _setting_in_subprocess(store, {}, tmp_path) == "database"
    production = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/moot", "SECRET_KEY": "x"}
    assert _setting_in_subprocess(store, production, tmp_path) == "database"
    with_redis = {**production, "CACHE_URL": "redis://127.0.0.1:6379/0"}
    assert _setting_in_subprocess(store, with_redis, tmp_path) == "cache"


def test_metrics_are_private_unless_made_public(tmp_path: Path) -> None:
    assert _setting_in_subprocess("settings.METRICS_PUBLIC", {}, tmp_path) == "False"
    public = {"METRICS_PUBLIC": "true"}
    assert _setting_in_subprocess("settings.METRICS_PUBLIC", public, tmp_path) == "True"


def test_the_proxy_https_header_is_trusted_only_behind_trusted_proxies(tmp_path: Path) -> None:
    https = {"SITE_URL": "https://moot.example.org"}
    header = "settings.SECURE_PROXY_SSL_HEADER"
    assert _setting_in_subprocess(header, https, tmp_path) == "None"
    assert _setting_in_subprocess(header, {**https, "TRUSTED_PROXY_COUNT": "0"}, tmp_path) == "None"
    assert (
        _setting_in_subprocess(header, {**https, "TRUSTED_PROXY_COUNT": "2"}, tmp_path)
        == "('HTTP_X_FORWARDED_PROTO', 'https')"
    )

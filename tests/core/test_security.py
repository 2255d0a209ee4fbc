import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "moot"

pytestmark = pytest.mark.django_db


def test_pages_send_a_strict_content_security_policy(client: Client) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_session_and_csrf_cookies_are_http_only(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.CSRF_COOKIE_HTTPONLY is True


def test_hsts_is_sent_over_https_when_configured(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_template_has_inline_scripts_or_styles() -> None:
    """The policy forbids inline code, so templates must not contain any."""
    offenders = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        if "email" in template.relative_to(TEMPLATES).parts:
            continue  # email bodies are not web pages: mail clients need inline styles
        text = template.read_text()
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match.group(0):
                offenders.append(f"{template}: {match.group(0)}")
        if re.search(r"\sstyle=\"", text) or "<style" in text:
            offenders.append(f"{template}: inline style")
        if re.search(r"\son[a-z]+=\"", text):
            offenders.append(f"{template}: inline event handler")
    assert offenders == []


# /metrics: per-route counts of staff activity, so never public unless the operator says so.


def test_metrics_are_not_served_without_a_token(client: Client) -> None:
    client.get("/staff/login/")
    response = client.get("/metrics")
    assert response.status_code == 404
    assert b"moot_http_requests_total" not in response.content


def test_metrics_are_public_only_when_configured(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.METRICS_PUBLIC = True
    client.get("/staff/login/")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert b'route="core:staff_login"' in response.content


def test_metrics_with_a_token_need_that_token(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.METRICS_TOKEN = "s3cret"
    settings.METRICS_PUBLIC = True  # a token set wins over "public"
    assert b"moot_http" not in client.get("/metrics").content
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    # A token that is not ASCII is refused like any wrong one, not a server error.
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3crét").status_code == 403
    allowed = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret")
    assert b"moot_http_requests_total" in allowed.content


# X-Forwarded-Proto is anyone's to send unless a trusted proxy sets it.

FORWARDED_HTTPS = """
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "moot.settings"
import django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/healthz", HTTP_X_FORWARDED_PROTO="https")
print(settings.SECURE_PROXY_SSL_HEADER)
print("Strict-Transport-Security" in response.headers)
"""


def _forwarded_https(tmp_path: Path, proxies: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}}
    env.update(
        SITE_URL="https://moot.example.org",
        ALLOWED_HOSTS="testserver",
        TRUSTED_PROXY_COUNT=proxies,
        MOOT_VAR_DIR=str(tmp_path / "var"),
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", FORWARDED_HTTPS],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split("\n")[:2]


def test_forwarded_https_is_ignored_without_a_trusted_proxy(tmp_path: Path) -> None:
    """With no proxy in front, a client saying X-Forwarded-Proto: https is not secure: no
    HSTS, no secure-only behaviour on its word."""
    assert _forwarded_https(tmp_path, "0") == ["None", "False"]


def test_forwarded_https_is_trusted_behind_a_trusted_proxy(tmp_path: Path) -> None:
    assert _forwarded_https(tmp_path, "1") == ["('HTTP_X_FORWARDED_PROTO', 'https')", "True"]

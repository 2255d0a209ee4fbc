"""Fixtures shared by the whole suite."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import policy as email_policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Every test writes uploaded files to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    """Tests check what passwords do, not how slowly they are hashed."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _search_index_dir(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Every test keeps any search index it builds in its own folder."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _small_demo_analysis(settings: pytest.FixtureRequest) -> None:
    """The demo's consultation of generated responses has none in tests (thousands in a real
    demo): tests that load the demo stay quick and see only the illustrative responses. The
    analysis tests ask for some."""
    settings.DEMO_ANALYSIS_RESPONSES = 0  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _no_shared_page_cache(settings: pytest.FixtureRequest) -> None:
    """Each test sees pages rendered from its own data; the cache's tests turn it on."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # type: ignore[attr-defined]


@pytest.fixture
def demo(db: None) -> None:
    from moot.demo import load_demo

    load_demo()


class ReceivedMail:
    """Messages delivered to the test SMTP server, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    def clear(self) -> None:
        self.messages.clear()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m.get("To", ""))]


class _Collector:
    def __init__(self, received: ReceivedMail) -> None:
        self.received = received

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        message = BytesParser(policy=email_policy.default).parsebytes(envelope.content)  # type: ignore[attr-defined]
        self.received.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings: pytest.FixtureRequest) -> Iterator[ReceivedMail]:
    """A real SMTP server on loopback; Django's SMTP backend delivers to it."""
    from aiosmtpd.controller import Controller

    received = ReceivedMail()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(_Collector(received), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST = "127.0.0.1"  # type: ignore[attr-defined]
    settings.EMAIL_PORT = port  # type: ignore[attr-defined]
    settings.EMAIL_USE_TLS = False  # type: ignore[attr-defined]
    settings.EMAIL_USE_SSL = False  # type: ignore[attr-defined]
    settings.EMAIL_HOST_USER = ""  # type: ignore[attr-defined]
    settings.EMAIL_HOST_PASSWORD = ""  # type: ignore[attr-defined]
    try:
        yield received
    finally:
        controller.stop()

"""Whether email really leaves this machine."""

from __future__ import annotations

from django.conf import settings

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
NOT_CONFIGURED = (
    "Email is not set up: EMAIL_URL is console://, so messages would only be printed here. "
    "Set EMAIL_URL to the mail server (see the README), or DEBUG=true to print them anyway."
)


def email_delivers() -> bool:
    """False where mail would only be printed to a terminal (the console backend) outside
    DEBUG: nothing may then be recorded as sent, or it is never sent for real."""
    return settings.DEBUG or settings.EMAIL_BACKEND != CONSOLE_BACKEND

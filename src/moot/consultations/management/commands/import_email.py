from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from moot.consultations.models import Consultation
from moot.consultations.services.email_import import (
    MailboxUnavailable,
    email_import,
    messages_from_imap,
    messages_from_path,
)


class Command(BaseCommand):
    help = (
        "Import responses sent by email from .eml files, mbox files, Maildir and MH folders, "
        "folders of .eml files, or an IMAP mailbox (imaps://user:password@host/INBOX). "
        "Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sources", nargs="+", help="Files, folders or imap(s):// URLs.")
        parser.add_argument(
            "--consultation",
            help="The consultation's slug. Without it, each message goes to the consultation "
            "whose response email address it was sent to.",
        )
        parser.add_argument(
            "--max-attachment-mb",
            type=int,
            default=None,
            help="Larger attachments are recorded as refused (default RESPONSE_MAX_UPLOAD_MB).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        consultation = None
        if options["consultation"]:
            consultation = Consultation.objects.filter(slug=options["consultation"]).first()
            if consultation is None:
                raise CommandError(f"There is no consultation {options['consultation']!r}.")
        limit = (
            options["max_attachment_mb"] * 1024 * 1024
            if options["max_attachment_mb"] is not None
            else settings.RESPONSE_MAX_UPLOAD_BYTES
        )
        totals = [0, 0, 0, 0, 0]
        for source in options["sources"]:
            if source.startswith(("imap://", "imaps://")):
                messages = messages_from_imap(source)
            else:
                path = Path(source)
                if not path.exists():
                    raise CommandError(f"{source} does not exist.")
                messages = messages_from_path(path)
            try:
                report = email_import(
                    messages=messages, consultation=consultation, max_attachment_bytes=limit
                )
            except MailboxUnavailable as error:
                raise CommandError(str(error)) from error
            for response in report.unreadable:
                self.stdout.write(
                    f"Stored as unreadable, for staff to check: {response.reference} "
                    f"({response.error_message})"
                )
            for origin in report.unmatched:
                self.stdout.write(f"Not imported, no consultation for it: {origin}")
            for skipped in report.skipped:
                self.stdout.write(f"Skipped {skipped}")
            totals[0] += len(report.created)
            totals[1] += report.duplicates
            totals[2] += len(report.unreadable)
            totals[3] += len(report.unmatched)
            totals[4] += len(report.skipped)
        self.stdout.write(
            f"Imported {totals[0]} messages; {totals[1]} already imported; {totals[2]} "
            f"unreadable (stored); {totals[3]} not matched to a consultation; {totals[4]} "
            "files skipped."
        )
        if totals[3]:
            raise CommandError(
                "Some messages were not sent to any consultation's response address: "
                "import them again with --consultation."
            )

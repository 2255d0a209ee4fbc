"""Responses that arrive by email: from .eml files, an mbox file, or an IMAP mailbox.

Each message becomes one response (channel email) with its sender, subject, plain-text body
and attachments. It counts as received when the department's mail received it (IMAP's
INTERNALDATE, else the topmost Received: header, else the import): the sender's own Date: is
kept and shown, never used to judge lateness. Importing the same message again adds nothing
(its Message-ID, or a hash of its bytes when it has none). A message that cannot be read is
still stored, with an error status and the original attached, for staff to deal with:
nothing is dropped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import imaplib
import logging
import mailbox
import re
import ssl
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.db import transaction
from django.utils import timezone

from moot.consultations import tasks
from moot.consultations.models import (
    Channel,
    Consultation,
    Response,
    ResponseAttachmentKind,
    ResponseStatus,
)
from moot.consultations.services.responses import (
    RespondentDetails,
    response_attachment_add,
    response_record,
)
from moot.core.errors import MootError
from moot.core.html import html_to_text

logger = logging.getLogger(__name__)

# Bigger messages are stored as unreadable, with the reason, rather than parsed.
MAX_MESSAGE_BYTES = 100 * 1024 * 1024
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")


class MailboxUnavailable(MootError):
    """The mailbox could not be opened or read."""


@dataclass(frozen=True)
class IncomingMessage:
    """One message as read from its source, with where it came from (for the report) and,
    where the source records it, when the mail server received it (IMAP's INTERNALDATE)."""

    origin: str
    raw: bytes
    delivered_at: dt.datetime | None = None
    # Why a file found at the source is not a message to import (then ``raw`` is empty).
    skipped: str = ""


@dataclass
class EmailImportReport:
    created: list[Response] = field(default_factory=list)
    duplicates: int = 0
    unreadable: list[Response] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def message_source_key(raw: bytes, message: EmailMessage | None) -> str:
    message_id = ""
    if message is not None:
        try:
            message_id = str(message.get("Message-ID") or "").strip().strip("<>").strip()
        except Exception:  # a malformed header: fall back to the content hash
            message_id = ""
    if message_id and len(message_id) <= 250:
        return f"message-id:{message_id.lower()}"
    return f"sha256:{hashlib.sha256(raw).hexdigest()}"


def _recipients(message: EmailMessage) -> set[str]:
    values: list[str] = []
    for header in RECIPIENT_HEADERS:
        values.extend(str(value) for value in message.get_all(header) or [])
    return {address.lower() for _, address in email.utils.getaddresses(values) if address}


def _consultation_for(message: EmailMessage | None) -> Consultation | None:
    if message is None:
        return None
    try:
        recipients = _recipients(message)
    except Exception:
        return None
    if not recipients:
        return None
    candidates = Consultation.objects.exclude(response_email="").filter(published_at__isnull=False)
    matches = [c for c in candidates if c.response_email.lower() in recipients]
    # Several consultations can share an address; the one open (or most recently closed)
    # when the message arrived is meant.
    matches.sort(key=lambda c: c.closes_at, reverse=True)
    return matches[0] if matches else None


# Senders an acknowledgement must never go back to: mail robots and bounce addresses.
ROBOT_SENDERS = re.compile(
    r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|auto-?reply)([+-].*)?@",
    re.IGNORECASE,
)


def message_is_automatic(message: EmailMessage) -> bool:
    """Whether a message was sent by a program, not a person (RFC 3834 and common practice):
    an out-of-office reply, a bounce, a mailing list. Such messages are stored like any
    other, but never acknowledged, so two robots cannot mail each other for ever."""
    auto_submitted = str(message.get("Auto-Submitted") or "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if str(message.get("Precedence") or "").strip().lower() in {"bulk", "junk", "list"}:
        return True
    if any(message.get(name) for name in ("List-Id", "X-Autoreply", "X-Autorespond")):
        return True
    if message.get("X-Auto-Response-Suppress") or message.get_content_type() == "multipart/report":
        return True
    if str(message.get("Return-Path") or "").strip() == "<>":
        return True
    _, sender = email.utils.parseaddr(str(message.get("From") or ""))
    return not sender or bool(ROBOT_SENDERS.match(sender))


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, dt.UTC)
    return value


def _sender_date(message: EmailMessage) -> dt.datetime | None:
    """What the message's Date: header says, if it can be read."""
    try:
        header = message["Date"]
        return _aware(header.datetime if header is not None else None)
    except Exception:
        return None


def _topmost_received(message: EmailMessage) -> dt.datetime | None:
    """The date the last mail server to handle the message wrote in its Received: header
    (servers add theirs on top), which the sender does not control."""
    try:
        headers = message.get_all("Received") or []
        if not headers:
            return None
        _, _, stamp = str(headers[0]).rpartition(";")
        return _aware(email.utils.parsedate_to_datetime(stamp.strip()))
    except (TypeError, ValueError, IndexError):
        return None


def _received_at(message: EmailMessage, delivered_at: dt.datetime | None) -> dt.datetime:
    """When the message reached the department's mail: the mailbox's own record (IMAP
    INTERNALDATE), else the topmost Received: header, else now — never the sender's Date:,
    which a sender can backdate to slip past the closing date."""
    now = timezone.now()
    value = _aware(delivered_at) or _topmost_received(message) or now
    # A wrong clock on a mail server must not put a message in the future.
    return min(value, now)


def _body_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        # A multipart message whose boundary never appears: keep whatever text it carries.
        payload = message.get_payload()
        text = payload if isinstance(payload, str) else (message.preamble or "")
        return text.strip()
    content = body.get_content()
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    if body.get_content_subtype() == "html":
        return html_to_text(content)
    return str(content).strip()


def _parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def _store_unreadable(
    *, consultation: Consultation, raw: bytes, source_key: str, reason: str
) -> tuple[Response, bool]:
    with transaction.atomic():
        response, created = response_record(
            consultation=consultation,
            channel=Channel.EMAIL,
            received_at=timezone.now(),
            source_key=source_key,
            status=ResponseStatus.ERROR,
            error_message=reason,
            body_text=raw[:20000].decode("utf-8", "replace"),
        )
        if created:
            response_attachment_add(
                response=response,
                filename="original-message.eml",
                data=raw,
                kind=ResponseAttachmentKind.ORIGINAL,
            )
    return response, created


def _store(
    *,
    consultation: Consultation,
    message: EmailMessage,
    source_key: str,
    max_attachment_bytes: int,
    delivered_at: dt.datetime | None,
) -> tuple[Response, bool]:
    sender_name, sender_address = email.utils.parseaddr(str(message.get("From") or ""))
    with transaction.atomic():
        response, created = response_record(
            consultation=consultation,
            channel=Channel.EMAIL,
            received_at=_received_at(message, delivered_at),
            sender_dated_at=_sender_date(message),
            respondent=RespondentDetails(name=sender_name[:200], email=sender_address[:254]),
            subject=str(message.get("Subject") or ""),
            body_text=_body_text(message),
            source_key=source_key,
        )
        if not created:
            return response, False
        if consultation.acknowledge_emailed_responses and not message_is_automatic(message):
            transaction.on_commit(
                lambda: tasks.send_email_acknowledgement.enqueue(response_id=response.pk)
            )
        for part in message.iter_attachments():
            filename = part.get_filename() or "attachment"
            if part.get_content_type() == "message/rfc822":
                data = part.as_bytes()
                kind = ResponseAttachmentKind.ORIGINAL
            else:
                payload = part.get_payload(decode=True)
                data = payload if isinstance(payload, bytes) else b""
                kind = ResponseAttachmentKind.DOCUMENT
            response_attachment_add(
                response=response,
                filename=filename,
                data=data,
                kind=kind,
                max_bytes=max_attachment_bytes,
                keep_refused=True,
            )
    return response, True


def email_message_import(
    *,
    raw: bytes,
    consultation: Consultation | None = None,
    max_attachment_bytes: int,
    report: EmailImportReport,
    origin: str = "",
    delivered_at: dt.datetime | None = None,
) -> Response | None:
    """Import one message; idempotent. Returns the response, or None if no consultation
    could be found for it (it is then listed in ``report.unmatched`` and nothing is stored).
    """
    message: EmailMessage | None = None
    error = ""
    if len(raw) > MAX_MESSAGE_BYTES:
        error = f"The message is larger than {MAX_MESSAGE_BYTES // (1024 * 1024)} MB."
    else:
        try:
            message = _parse(raw)
        except Exception as exc:
            error = f"The message could not be parsed ({exc.__class__.__name__})."
    target = consultation or _consultation_for(message)
    if target is None:
        report.unmatched.append(origin or message_source_key(raw, message))
        return None
    source_key = message_source_key(raw, message)
    if message is not None and not error:
        try:
            response, created = _store(
                consultation=target,
                message=message,
                source_key=source_key,
                max_attachment_bytes=max_attachment_bytes,
                delivered_at=delivered_at,
            )
        except Exception as exc:
            # Malformed MIME shows up only when the parts are read: keep the message anyway.
            logger.warning("unreadable message %s: %r", origin, exc)
            error = f"The message could not be read ({exc.__class__.__name__}: {exc})."[:1000]
    if error:
        response, created = _store_unreadable(
            consultation=target, raw=raw, source_key=source_key, reason=error
        )
        if created:
            report.unreadable.append(response)
        else:
            report.duplicates += 1
        return response
    if created:
        report.created.append(response)
    else:
        report.duplicates += 1
    return response


MAILDIR_PARTS = ("cur", "new", "tmp")


def _is_maildir(path: Path) -> bool:
    return all((path / part).is_dir() for part in MAILDIR_PARTS)


def _is_mh(path: Path) -> bool:
    """An MH folder: a ``.mh_sequences`` file, or messages in files named by number."""
    if (path / ".mh_sequences").exists():
        return True
    names = [child.name for child in path.iterdir() if child.is_file()]
    return bool(names) and all(name.isdigit() for name in names)


def _from_mailbox(box: mailbox.Mailbox, label: str) -> Iterator[IncomingMessage]:
    for key in sorted(box.keys()):
        message = box.get_message(key)
        delivered = None
        if isinstance(message, mailbox.MaildirMessage):
            # A Maildir file's time is when the mail server delivered it.
            delivered = dt.datetime.fromtimestamp(message.get_date(), tz=dt.UTC)
        yield IncomingMessage(
            origin=f"{label} message {key}", raw=box.get_bytes(key), delivered_at=delivered
        )


def _from_folder(path: Path) -> Iterator[IncomingMessage]:
    for child in sorted(path.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            yield IncomingMessage(
                origin=str(child), raw=b"", skipped="a folder: give it on its own to import it"
            )
        elif child.suffix.lower() != ".eml":
            yield IncomingMessage(origin=str(child), raw=b"", skipped="not an .eml file")
        elif child.stat().st_size == 0:
            yield IncomingMessage(origin=str(child), raw=b"", skipped="empty")
        else:
            yield IncomingMessage(origin=str(child), raw=child.read_bytes())


def messages_from_path(path: Path) -> Iterator[IncomingMessage]:
    """Messages from an .eml file, an mbox file, a Maildir (the folder, or its ``new`` or
    ``cur``, as mail servers and Dovecot write them), an MH folder, or a folder of .eml
    files. Files that are not messages are listed as skipped, with the reason."""
    if path.is_dir():
        if path.name in MAILDIR_PARTS and _is_maildir(path.parent):
            path = path.parent
        if _is_maildir(path):
            yield from _from_mailbox(mailbox.Maildir(path, factory=None, create=False), str(path))
        elif _is_mh(path):
            yield from _from_mailbox(mailbox.MH(path, create=False), str(path))
        else:
            yield from _from_folder(path)
        return
    with path.open("rb") as handle:
        is_mbox = handle.read(5) == b"From "
    if not is_mbox:
        yield IncomingMessage(origin=str(path), raw=path.read_bytes())
        return
    box = mailbox.mbox(path, create=False)
    try:
        for index, key in enumerate(box.keys(), start=1):
            yield IncomingMessage(origin=f"{path} message {index}", raw=box.get_bytes(key))
    finally:
        box.close()


def messages_from_imap(
    url: str, *, timeout: float = 60, ssl_context: ssl.SSLContext | None = None
) -> Iterator[IncomingMessage]:
    """Every message in an IMAP mailbox, given as imap[s]://user:password@host[:port]/MAILBOX.

    The mailbox is opened read-only and messages are fetched with BODY.PEEK, so nothing is
    marked as read or deleted: running the import again relies on moot's own de-duplication.
    imaps:// verifies the server's certificate (against the system's authorities unless
    ``ssl_context`` says otherwise).
    """
    parts = urlsplit(url)
    if parts.scheme not in {"imap", "imaps"} or not parts.hostname:
        raise MailboxUnavailable("Give the mailbox as imap://user:password@host/INBOX or imaps://…")
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    try:
        if parts.scheme == "imaps":
            client: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                parts.hostname,
                parts.port or 993,
                ssl_context=ssl_context or ssl.create_default_context(),
                timeout=timeout,
            )
        else:
            client = imaplib.IMAP4(parts.hostname, parts.port or 143, timeout=timeout)
    except OSError as error:
        raise MailboxUnavailable(f"Could not connect to {parts.hostname}: {error}") from error
    try:
        try:
            client.login(unquote(parts.username or ""), unquote(parts.password or ""))
            status, _ = client.select(_quoted(folder), readonly=True)
            if status != "OK":
                raise MailboxUnavailable(f"There is no mailbox called {folder}.")
            status, data = client.uid("SEARCH", "ALL")
        except imaplib.IMAP4.error as error:
            reason = error.args[0] if error.args else error
            if isinstance(reason, bytes):
                reason = reason.decode("utf-8", "replace")
            raise MailboxUnavailable(f"The mail server refused: {reason}") from error
        uids = (data[0] or b"").split() if status == "OK" else []
        for uid in uids:
            status, fetched = client.uid("FETCH", uid.decode(), "(INTERNALDATE BODY.PEEK[])")
            item = next((item for item in fetched or [] if isinstance(item, tuple)), None)
            if status != "OK" or item is None:
                raise MailboxUnavailable(f"Could not fetch message {uid.decode()}.")
            yield IncomingMessage(
                origin=f"{folder} UID {uid.decode()}",
                raw=item[1],
                delivered_at=_internaldate(item[0]),
            )
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            client.logout()


def _internaldate(fetch_line: bytes) -> dt.datetime | None:
    """The INTERNALDATE in a FETCH response: when the server received the message."""
    found = imaplib.Internaldate2tuple(fetch_line)
    if found is None:
        return None
    return dt.datetime.fromtimestamp(time.mktime(found), tz=dt.UTC)


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def email_import(
    *,
    messages: Iterable[IncomingMessage],
    consultation: Consultation | None,
    max_attachment_bytes: int,
) -> EmailImportReport:
    """Import each message in turn; each is its own transaction, so a failure part-way
    through keeps what was imported, and a second run picks up the rest."""
    report = EmailImportReport()
    for incoming in messages:
        if incoming.skipped:
            report.skipped.append(f"{incoming.origin}: {incoming.skipped}")
            continue
        email_message_import(
            raw=incoming.raw,
            consultation=consultation,
            max_attachment_bytes=max_attachment_bytes,
            report=report,
            origin=incoming.origin,
            delivered_at=incoming.delivered_at,
        )
    return report

"""Responses by email: real .eml and mbox files (hostile ones too), and a real IMAP server."""

from __future__ import annotations

import datetime as dt
import io
import mailbox
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from moot.consultations.models import Consultation, Response, ResponseStatus
from moot.consultations.services.email_import import (
    EmailImportReport,
    email_import,
    email_message_import,
    messages_from_imap,
    messages_from_path,
)
from tests.consultations.imap_server import imap_server
from tests.factories import ConsultationFactory, UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LIMIT = 64 * 1024


def import_file(name: str, consultation: Consultation | None = None) -> EmailImportReport:
    return email_import(
        messages=messages_from_path(FIXTURES / name),
        consultation=consultation,
        max_attachment_bytes=LIMIT,
    )


@pytest.fixture
def consultation(db: None) -> Consultation:
    return ConsultationFactory(slug="by-email", response_email="Responses@Example.org")


def test_a_plain_message_becomes_a_response(consultation: Consultation) -> None:
    report = import_file("plain.eml")
    [response] = report.created
    assert response.consultation == consultation  # matched by its recipient, any case
    assert response.channel == "email"
    assert response.status == ResponseStatus.SUBMITTED
    assert response.respondent_name == "Jane Smith"
    assert response.respondent_email == "jane.smith@example.net"
    assert response.subject == "Response to the draft guidance"
    assert response.received_at == dt.datetime(2008, 6, 2, 9, 15, tzinfo=dt.UTC)
    assert "more about exploitation online" in response.body_text
    assert response.reference.startswith("MOOT-")
    assert response.source_key == "message-id:plain-1@example.net"


def test_html_is_turned_into_text_without_its_scripts(consultation: Consultation) -> None:
    [response] = import_file("html-with-script.eml").created
    assert "We support the guidance." in response.body_text
    assert "Point one" in response.body_text
    for hostile in ["alert", "steal", "<script", "color:red", "javascript:", "onerror"]:
        assert hostile not in response.body_text
    assert response.respondent_name == "Harbour Trust"


def test_attachments_are_stored_with_searchable_text(
    consultation: Consultation, client: Client
) -> None:
    from tests.consultations.test_respond import run_tasks

    [response] = import_file("attachments.eml").created
    run_tasks()  # the worker reads each file's text, out of the import's transaction
    files = {a.filename: a for a in response.attachments.all()}
    assert set(files) == {"response.pdf", "response.docx", "response.odt", "notes.txt"}
    assert "taxis" in files["response.pdf"].extracted_text
    assert "schools" in files["response.docx"].extracted_text
    assert "health" in files["response.odt"].extracted_text
    assert "police" in files["notes.txt"].extracted_text
    assert all(not a.is_refused for a in files.values())
    client.force_login(UserFactory(department=consultation.department))
    listing = client.get(f"/staff/consultations/{consultation.slug}/responses/", {"q": "schools"})
    assert response.reference in listing.content.decode()


def test_hostile_attachments_are_refused_with_reasons_and_nothing_is_lost(
    consultation: Consultation, client: Client
) -> None:
    [response] = import_file("hostile-attachments.eml").created
    files = {a.filename: a for a in response.attachments.all()}
    assert "expands to far more data" in files["bomb.docx"].rejected_reason
    assert "protected with a password" in files["locked.pdf"].rejected_reason
    assert "not a type moot accepts" in files["passwd.pdf"].rejected_reason
    assert "larger than" in files["huge.txt"].rejected_reason
    assert all(not a.file for a in files.values())
    assert response.body_text.startswith("See attached.")
    client.force_login(UserFactory(department=consultation.department))
    page = text_of(
        client.get(
            f"/staff/consultations/{consultation.slug}/responses/{response.pk}/"
        ).content.decode()
    )
    assert "Refused" in page
    assert "protected with a password" in page


def test_an_unreadable_message_is_stored_for_staff_with_the_original(
    consultation: Consultation, client: Client
) -> None:
    report = import_file("unknown-charset.eml")
    [response] = report.unreadable
    assert response.status == ResponseStatus.ERROR
    assert "LookupError" in response.error_message
    [original] = response.attachments.all()
    assert original.kind == "original"
    assert original.file.read() == (FIXTURES / "unknown-charset.eml").read_bytes()
    client.force_login(UserFactory(department=consultation.department))
    listing = client.get(
        f"/staff/consultations/{consultation.slug}/responses/", {"status": "error"}
    )
    assert response.reference in listing.content.decode()
    detail = text_of(
        client.get(
            f"/staff/consultations/{consultation.slug}/responses/{response.pk}/"
        ).content.decode()
    )
    assert "could not be read" in detail
    # And it is not imported twice either.
    again = import_file("unknown-charset.eml")
    assert again.duplicates == 1
    assert Response.objects.count() == 1


def test_broken_mime_is_kept(consultation: Consultation) -> None:
    report = import_file("broken-mime.eml")
    stored = report.created + report.unreadable
    assert len(stored) == 1
    assert stored[0].source_key.startswith("sha256:")  # it has no Message-ID
    assert "parts were lost" in stored[0].body_text


def test_an_mbox_and_its_duplicates(consultation: Consultation) -> None:
    first = import_file("plain.eml")
    report = import_file("responses.mbox")
    assert len(first.created) == 1
    assert len(report.created) == 2
    assert report.duplicates == 1  # plain.eml, again, inside the mbox
    subjects = {r.subject for r in report.created}
    assert subjects == {"First mbox response", "Second mbox response"}
    alan = next(r for r in report.created if r.respondent_name == "Alan Adams")
    assert "From the start of the line" in alan.body_text
    beth = next(r for r in report.created if r.respondent_name == "Beth Brown")
    assert beth.source_key.startswith("sha256:")
    again = import_file("responses.mbox")
    assert again.created == []
    assert again.duplicates == 3
    assert Response.objects.count() == 3


def test_a_message_to_no_consultation_is_reported_not_stored(db: None) -> None:
    ConsultationFactory(response_email="other@example.org")
    report = import_file("plain.eml")
    assert report.unmatched == [str(FIXTURES / "plain.eml")]
    assert Response.objects.count() == 0


def test_consultation_given_explicitly_wins(consultation: Consultation) -> None:
    chosen = ConsultationFactory(response_email="")
    [response] = import_file("plain.eml", consultation=chosen).created
    assert response.consultation == chosen


def test_a_message_after_the_closing_date_is_late(db: None) -> None:
    from django.utils import timezone

    consultation = ConsultationFactory(
        opens_at=dt.datetime(2008, 3, 14, tzinfo=dt.UTC),
        closes_at=dt.datetime(2008, 6, 1, tzinfo=dt.UTC),
        published_at=dt.datetime(2008, 3, 1, tzinfo=dt.UTC),
    )
    [response] = import_file("plain.eml", consultation=consultation).created
    assert response.status == ResponseStatus.LATE
    assert response.late_accepted_at is None
    assert response.received_at < timezone.now()


def test_an_oversized_message_is_stored_as_unreadable(
    consultation: Consultation, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from moot.consultations.services import email_import as module

    monkeypatch.setattr(module, "MAX_MESSAGE_BYTES", 100)
    report = EmailImportReport()
    email_message_import(
        raw=(FIXTURES / "plain.eml").read_bytes(),
        consultation=consultation,
        max_attachment_bytes=LIMIT,
        report=report,
    )
    [response] = report.unreadable
    assert "larger than" in response.error_message


def test_import_email_command(consultation: Consultation) -> None:
    out = io.StringIO()
    call_command(
        "import_email",
        str(FIXTURES / "plain.eml"),
        str(FIXTURES / "responses.mbox"),
        str(FIXTURES / "unknown-charset.eml"),
        "--max-attachment-mb",
        "1",
        stdout=out,
    )
    text = out.getvalue()
    assert "Imported 3 messages; 1 already imported; 1 unreadable (stored)" in text
    assert "Stored as unreadable, for staff to check: MOOT-" in text


def test_import_email_command_fails_on_unmatched_messages(db: None) -> None:
    ConsultationFactory(response_email="other@example.org")
    out = io.StringIO()
    with pytest.raises(CommandError, match="--consultation"):
        call_command("import_email", str(FIXTURES / "plain.eml"), stdout=out)
    assert "Not imported, no consultation for it" in out.getvalue()
    with pytest.raises(CommandError, match="no consultation"):
        call_command("import_email", str(FIXTURES / "plain.eml"), "--consultation", "nope")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_email", "/no/such/file.eml")


def test_a_folder_of_eml_files(consultation: Consultation) -> None:
    report = import_file(".")
    assert len(report.created) + len(report.unreadable) == 6
    assert report.duplicates == 0


def test_imap_mailbox_over_a_real_socket(consultation: Consultation) -> None:
    messages = [(FIXTURES / name).read_bytes() for name in ["plain.eml", "attachments.eml"]]
    with imap_server(messages) as address:
        url = f"imap://consult:{quote('s3cret pass')}@{address}/INBOX"
        fetched = list(messages_from_imap(url))
        assert [m.raw for m in fetched] == messages
        out = io.StringIO()
        call_command("import_email", url, stdout=out)
        assert "Imported 2 messages" in out.getvalue()
        call_command("import_email", url, stdout=out)
        assert "Imported 0 messages; 2 already imported" in out.getvalue()
    assert Response.objects.count() == 2


def test_imap_errors_are_reported_clearly(consultation: Consultation) -> None:
    with imap_server([]) as address:
        with pytest.raises(CommandError, match="refused"):
            call_command("import_email", f"imap://consult:wrong@{address}/INBOX")
        with pytest.raises(CommandError, match="no mailbox called Archive"):
            call_command("import_email", f"imap://consult:{quote('s3cret pass')}@{address}/Archive")
    with pytest.raises(CommandError, match="Could not connect"):
        call_command("import_email", "imap://u:p@127.0.0.1:1/INBOX")


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    import shutil
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("the openssl command is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    arguments = "req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1"
    san = "subjectAltName=IP:127.0.0.1"
    subprocess.run(  # noqa: S603 - fixed arguments
        ["openssl", *arguments.split(), "-addext", san, "-keyout", str(key), "-out", str(cert)],  # noqa: S607
        check=True,
        capture_output=True,
        timeout=60,
    )
    return str(cert), str(key)


def test_imaps_verifies_the_server_certificate(
    consultation: Consultation, certificate: tuple[str, str]
) -> None:
    import ssl

    messages = [(FIXTURES / "plain.eml").read_bytes()]
    with imap_server(messages, certificate=certificate) as address:
        url = f"imaps://consult:{quote('s3cret pass')}@{address}/INBOX"
        trusting = ssl.create_default_context(cafile=certificate[0])
        fetched = list(messages_from_imap(url, ssl_context=trusting))
        assert [m.raw for m in fetched] == messages
        # The system's authorities do not know this certificate: refused, clearly.
        with pytest.raises(CommandError, match="Could not connect"):
            call_command("import_email", url)
    assert Response.objects.count() == 0


BACKDATED = b"""From: Late Sender <late@example.net>
To: responses@example.org
Subject: My response
Date: Fri, 30 May 2008 09:00:00 +0000
Message-ID: <backdated-1@example.net>
Received: from mx.example.org by inbox.example.org; Wed, 04 Jun 2008 18:30:00 +0000
Received: from laptop.example.net by mx.example.org; Wed, 04 Jun 2008 18:29:58 +0000
Content-Type: text/plain; charset="utf-8"

Sent after the closing date, dated before it.
"""


def closing_on_1_june() -> Consultation:
    return ConsultationFactory(
        slug="closes-1-june",
        response_email="responses@example.org",
        opens_at=dt.datetime(2008, 3, 14, tzinfo=dt.UTC),
        closes_at=dt.datetime(2008, 6, 1, tzinfo=dt.UTC),
        published_at=dt.datetime(2008, 3, 1, tzinfo=dt.UTC),
    )


def import_raw(raw: bytes, **extra: object) -> Response | None:
    return email_message_import(
        raw=raw,
        max_attachment_bytes=LIMIT,
        report=EmailImportReport(),
        **extra,  # type: ignore[arg-type]
    )


def test_a_backdated_message_is_late_by_its_mail_servers_stamp(db: None) -> None:
    closing_on_1_june()
    response = import_raw(BACKDATED)
    assert response is not None
    # The topmost Received: header (the last server to handle it), not the sender's Date:.
    assert response.received_at == dt.datetime(2008, 6, 4, 18, 30, tzinfo=dt.UTC)
    assert response.sender_dated_at == dt.datetime(2008, 5, 30, 9, 0, tzinfo=dt.UTC)
    assert response.status == ResponseStatus.LATE


def test_without_a_servers_stamp_a_message_counts_as_received_when_imported(db: None) -> None:
    from django.utils import timezone

    closing_on_1_june()
    bare = b"\n".join(line for line in BACKDATED.split(b"\n") if not line.startswith(b"Received"))
    before = timezone.now()
    response = import_raw(bare)
    assert response is not None
    assert response.received_at >= before
    assert response.status == ResponseStatus.LATE
    assert response.sender_dated_at == dt.datetime(2008, 5, 30, 9, 0, tzinfo=dt.UTC)


def test_imap_internaldate_is_the_time_received(db: None) -> None:
    closing_on_1_june()
    with imap_server([BACKDATED], internal_dates={1: "31-May-2008 23:59:00 +0000"}) as address:
        url = f"imap://consult:{quote('s3cret pass')}@{address}/INBOX"
        [incoming] = list(messages_from_imap(url))
        assert incoming.delivered_at == dt.datetime(2008, 5, 31, 23, 59, tzinfo=dt.UTC)
        call_command("import_email", url, stdout=io.StringIO())
    response = Response.objects.get()
    # The mailbox's own record beats every header: it arrived before the closing date.
    assert response.received_at == dt.datetime(2008, 5, 31, 23, 59, tzinfo=dt.UTC)
    assert response.status == ResponseStatus.SUBMITTED


def test_staff_see_when_it_was_received_and_what_the_sender_claims(
    db: None, client: Client
) -> None:
    consultation = closing_on_1_june()
    response = import_raw(BACKDATED)
    assert response is not None
    client.force_login(UserFactory(department=consultation.department))
    page = text_of(
        client.get(
            f"/staff/consultations/{consultation.slug}/responses/{response.pk}/"
        ).content.decode()
    )
    assert "Received 7:30pm on 4 June 2008" in page
    assert "Dated by the sender 10:00am on 30 May 2008" in page
    assert "It is not used to judge lateness" in page


def write_maildir(root: Path) -> mailbox.Maildir:
    box = mailbox.Maildir(root, create=True)
    for name in ("plain.eml", "attachments.eml"):
        box.add(mailbox.MaildirMessage((FIXTURES / name).read_bytes()))
    # One read already, as a mail program leaves it: moved to cur/.
    key = next(iter(box.keys()))
    seen = box.get_message(key)
    seen.set_subdir("cur")
    box[key] = seen
    return box


@pytest.mark.parametrize("given", ["", "new", "cur"])
def test_a_maildir_is_read_from_its_root_or_its_new_and_cur_folders(
    consultation: Consultation, tmp_path: Path, given: str
) -> None:
    write_maildir(tmp_path / "Maildir")
    out = io.StringIO()
    call_command("import_email", str(tmp_path / "Maildir" / given), stdout=out)
    assert "Imported 2 messages" in out.getvalue()
    assert Response.objects.count() == 2


def test_a_maildir_messages_delivery_time_is_when_it_was_received(db: None, tmp_path: Path) -> None:
    import os

    ConsultationFactory(slug="by-email", response_email="responses@example.org")
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    key = box.add(mailbox.MaildirMessage((FIXTURES / "plain.eml").read_bytes()))
    delivered = dt.datetime(2008, 6, 3, 8, 0, tzinfo=dt.UTC)
    os.utime(tmp_path / "Maildir" / "new" / key, (delivered.timestamp(),) * 2)
    [incoming] = list(messages_from_path(tmp_path / "Maildir"))
    assert incoming.delivered_at == delivered


def test_an_mh_folder_is_read(consultation: Consultation, tmp_path: Path) -> None:
    box = mailbox.MH(tmp_path / "responses", create=True)
    for name in ("plain.eml", "attachments.eml"):
        box.add((FIXTURES / name).read_bytes())
    out = io.StringIO()
    call_command("import_email", str(tmp_path / "responses"), stdout=out)
    assert "Imported 2 messages" in out.getvalue()


def test_files_that_are_not_messages_are_listed_with_the_reason(
    consultation: Consultation, tmp_path: Path
) -> None:
    (tmp_path / "plain.eml").write_bytes((FIXTURES / "plain.eml").read_bytes())
    (tmp_path / "notes.txt").write_text("not a message")
    (tmp_path / "blank.eml").write_bytes(b"")
    (tmp_path / "archive").mkdir()
    out = io.StringIO()
    call_command("import_email", str(tmp_path), stdout=out)
    text = out.getvalue()
    assert "Imported 1 messages" in text
    assert f"Skipped {tmp_path / 'notes.txt'}: not an .eml file" in text
    assert f"Skipped {tmp_path / 'blank.eml'}: empty" in text
    assert f"Skipped {tmp_path / 'archive'}: a folder: give it on its own to import it" in text
    assert "3 files skipped" in text


def message(**headers: str) -> bytes:
    lines = {
        "From": "Jane Smith <jane.smith@example.net>",
        "To": "responses@example.org",
        "Subject": "My response",
        "Message-ID": "<ack-1@example.net>",
        **headers,
    }
    head = "".join(f"{name}: {value}\n" for name, value in lines.items() if value)
    return (head + "Content-Type: text/plain\n\nI agree with the proposals.\n").encode()


def import_and_send(raw: bytes, capture) -> Response | None:  # type: ignore[no-untyped-def]
    from tests.consultations.test_respond import run_tasks

    with capture(execute=True):
        response = import_raw(raw)
    run_tasks()
    return response


def test_an_emailed_response_is_acknowledged_once_with_its_reference(
    consultation: Consultation, smtp_server, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    response = import_and_send(message(), django_capture_on_commit_callbacks)
    assert response is not None
    import_and_send(message(), django_capture_on_commit_callbacks)  # the same message again
    [ack] = smtp_server.to("jane.smith@example.net")
    assert response.reference in ack["Subject"]
    assert response.reference in ack.get_body(("plain",)).get_content()
    assert ack["Auto-Submitted"] == "auto-replied"
    assert ack["In-Reply-To"] == "<ack-1@example.net>"


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"List-Id": "<safeguarding.lists.example.net>"},
        {"X-Autoreply": "yes"},
        {"From": "MAILER-DAEMON@mx.example.net"},
        {"From": "no-reply@example.net"},
        {"Return-Path": "<>"},
    ],
    ids=["auto-submitted", "precedence", "list", "x-autoreply", "bounce", "noreply", "null-path"],
)
def test_automatic_messages_are_stored_but_never_acknowledged(
    consultation: Consultation, smtp_server, django_capture_on_commit_callbacks, headers
) -> None:  # type: ignore[no-untyped-def]
    response = import_and_send(message(**headers), django_capture_on_commit_callbacks)
    assert response is not None  # nothing is lost
    assert smtp_server.messages == []


def test_a_consultation_can_turn_acknowledgements_off(
    consultation: Consultation, smtp_server, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    consultation.acknowledge_emailed_responses = False
    consultation.save()
    assert import_and_send(message(), django_capture_on_commit_callbacks) is not None
    assert smtp_server.messages == []

"""A document's text is read after the upload, by a task, in a bounded child process: a
hostile upload neither holds up its request nor locks the database, and it is kept, marked
"Text not extracted", for the sender and staff to see."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from moot.consultations.models import Response, ResponseAttachment, TextStatus
from moot.consultations.services.attachments import response_attachment_text_extract
from tests.consultations.conftest import Respondent
from tests.core.hostile_files import hostile_docx, hostile_odt
from tests.pages import text_of
from tests.samples import make_docx


@pytest.fixture
def tight_bounds(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EXTRACTION_CPU_SECONDS = 2
    settings.EXTRACTION_MEMORY_MB = 384
    settings.EXTRACTION_WALL_SECONDS = 20
    settings.RESPONSE_MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _run_queued_extractions() -> list[str | None]:
    results = []
    for queued in DBTaskResult.objects.ready():
        queued.claim("test")
        outcome = queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
        queued.set_successful(outcome)
        results.append(outcome)
    return results


def _upload(respondent: Respondent, name: str, data: bytes) -> object:
    return respondent.client.post(
        f"{respondent.base}documents/", {"document": SimpleUploadedFile(name, data), "upload": "1"}
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "make"), [("big.docx", hostile_docx), ("big.odt", hostile_odt)])
def test_a_hostile_upload_is_stored_quickly_and_marked_text_not_extracted(
    respondent: Respondent,
    staff_client: Client,
    tight_bounds: None,
    name: str,
    make,  # type: ignore[no-untyped-def]
) -> None:
    data = make()
    respondent.start()
    cpu, wall = time.process_time(), time.monotonic()
    added = _upload(respondent, name, data)
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    assert added.status_code == 302  # type: ignore[attr-defined]
    # Unbounded, reading this file in the request took 14 s of CPU and 444 MB.
    assert wall < 3
    assert cpu < 3
    [document] = Response.objects.get().attachments.all()
    assert document.text_status == TextStatus.PENDING
    assert document.file.size == len(data)
    assert DBTaskResult.objects.ready().count() == 1

    started = time.monotonic()
    assert _run_queued_extractions() == [TextStatus.NOT_EXTRACTED]
    assert time.monotonic() - started < 10
    document.refresh_from_db()
    assert document.text_status == TextStatus.NOT_EXTRACTED
    assert document.extracted_text == ""
    assert (
        document.text_not_extracted_reason
        == ("Text not extracted: reading the file took too long.")
        or "too much memory" in document.text_not_extracted_reason
    )
    assert document.file.size == len(data)

    page = text_of(respondent.client.get(f"{respondent.base}documents/").content.decode())
    assert document.text_not_extracted_reason in page
    assert "The file is kept with your response" in page
    respondent.fill_everything()
    respondent.submit()
    response = Response.objects.get()
    staff_page = staff_client.get(
        f"/staff/consultations/{response.consultation.slug}/responses/{response.pk}/"
    ).content.decode()
    assert "Text not extracted" in text_of(staff_page)
    assert document.text_not_extracted_reason in text_of(staff_page)


@pytest.mark.django_db
def test_an_ordinary_upload_gets_its_text_from_the_task(respondent: Respondent) -> None:
    respondent.start()
    _upload(respondent, "response.docx", make_docx("Our view on school transport"))
    [document] = Response.objects.get().attachments.all()
    assert document.text_status == TextStatus.PENDING
    assert _run_queued_extractions() == [TextStatus.EXTRACTED]
    document.refresh_from_db()
    assert "school transport" in document.extracted_text
    # Running the task again (a retry after a worker died) changes nothing.
    assert response_attachment_text_extract(attachment_id=document.pk) is None


@pytest.mark.django_db(transaction=True)
def test_other_writes_succeed_while_a_hostile_file_is_being_read(
    respondent: Respondent, tight_bounds: None
) -> None:
    respondent.start()
    _upload(respondent, "big.docx", hostile_docx())
    document = ResponseAttachment.objects.get()
    outcome: list[object] = []

    def extract() -> None:
        try:
            outcome.append(response_attachment_text_extract(attachment_id=document.pk))
        finally:
            connection.close()

    reader = threading.Thread(target=extract)
    reader.start()
    time.sleep(0.5)  # the child process is reading the file now
    started = time.monotonic()
    Response.objects.filter(pk=document.response_id).update(organisation_name="Written meanwhile")
    write_took = time.monotonic() - started
    assert reader.is_alive()
    reader.join(timeout=30)
    assert write_took < 1
    assert outcome == [TextStatus.NOT_EXTRACTED]
    assert Response.objects.get().organisation_name == "Written meanwhile"

"""Background tasks of the consultations app: they take ids and call a service."""

from __future__ import annotations

from django_tasks import task

from moot.consultations.services import emails


@task()
def send_response_receipt(*, response_id: int) -> None:
    emails.response_receipt_send(response_id=response_id)


@task()
def send_email_acknowledgement(*, response_id: int) -> None:
    emails.email_acknowledgement_send(response_id=response_id)


@task()
def send_resume_link(*, response_id: int) -> None:
    emails.resume_link_send(response_id=response_id)


@task()
def extract_response_attachment_text(*, attachment_id: int) -> str | None:
    from moot.consultations.services.attachments import response_attachment_text_extract

    return response_attachment_text_extract(attachment_id=attachment_id)

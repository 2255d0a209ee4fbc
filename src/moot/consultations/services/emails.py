"""Emails to respondents: the receipt with a copy of the answers, and the resume link."""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from moot.consultations.forms.respond import steps_for
from moot.consultations.models import Channel, Response, ResponseStatus
from moot.consultations.selectors.responses import response_check_rows
from moot.consultations.services.responses import response_resume_token
from moot.core.ratelimit import email_address_allows

logger = logging.getLogger(__name__)

# Receipts and resume links one address may be sent an hour. Anyone can type any address
# into the form, so without a limit moot could be made to flood someone's inbox.
EMAILS_PER_ADDRESS_PER_HOUR = 5
# A Message-ID fit to repeat in In-Reply-To: the sender wrote it, so nothing else.
SAFE_MESSAGE_ID = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.@-]{1,250}")


def _send(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict[str, object],
    headers: dict[str, str] | None = None,
) -> bool:
    """Send the email, unless the address has had its hour's share (then say so in the log)."""
    if not email_address_allows(
        email=to, scope="respondent-email", limit=EMAILS_PER_ADDRESS_PER_HOUR
    ):
        logger.warning(
            "not sending a %s email: its address had %d this hour",
            template,
            EMAILS_PER_ADDRESS_PER_HOUR,
        )
        return False
    text = render_to_string(f"consultations/email/{template}.txt", context)
    html = render_to_string(f"consultations/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    message.send()
    return True


def response_receipt_send(*, response_id: int) -> bool:
    """Email the respondent their reference and a copy of their answers.

    Does nothing (and returns False) if the response has no email address or was never
    submitted, so a retried task cannot send a receipt for a draft, or if the address has
    been sent its hourly share of receipts and resume links.
    """
    response = Response.objects.select_related("consultation").get(pk=response_id)
    if not response.respondent_email or response.status == ResponseStatus.DRAFT:
        return False
    consultation = response.consultation
    steps = steps_for(consultation, list(consultation.questions.prefetch_related("options")))
    context = {
        "response": response,
        "consultation": consultation,
        "rows": response_check_rows(response=response, steps=steps),
        "consultation_url": settings.SITE_URL + consultation.get_absolute_url(),
    }
    return _send(
        to=response.respondent_email,
        subject=f"Your response to {consultation.title}: {response.reference}",
        template="receipt",
        context=context,
    )


def resume_link_send(*, response_id: int) -> bool:
    """Email the private link to carry on with a draft; nothing once it has been sent."""
    response = Response.objects.select_related("consultation").get(pk=response_id)
    if not response.respondent_email or response.status != ResponseStatus.DRAFT:
        return False
    consultation = response.consultation
    path = reverse(
        "consultations:respond_resume",
        kwargs={"slug": consultation.slug, "token": response_resume_token(response=response)},
    )
    context = {
        "response": response,
        "consultation": consultation,
        "resume_url": settings.SITE_URL + path,
    }
    return _send(
        to=response.respondent_email,
        subject=f"Continue your response to {consultation.title}",
        template="resume",
        context=context,
    )


def email_acknowledgement_send(*, response_id: int) -> bool:
    """Tell someone who responded by email that it arrived, with their reference.

    Marked ``Auto-Submitted: auto-replied`` (RFC 3834) so that their mail program's own
    automatic replies are not sent back. Nothing (False) for a response that is not an
    email, has no sender, or whose consultation turned acknowledgements off.
    """
    response = Response.objects.select_related("consultation").get(pk=response_id)
    consultation = response.consultation
    if (
        response.channel != Channel.EMAIL
        or not response.respondent_email
        or not consultation.acknowledge_emailed_responses
        or response.status not in (ResponseStatus.SUBMITTED, ResponseStatus.LATE)
    ):
        return False
    headers = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}
    _, _, message_id = response.source_key.partition("message-id:")
    if SAFE_MESSAGE_ID.fullmatch(message_id):
        headers["In-Reply-To"] = headers["References"] = f"<{message_id}>"
    return _send(
        to=response.respondent_email,
        subject=f"We received your response to {consultation.title}: {response.reference}",
        template="acknowledgement",
        context={
            "response": response,
            "consultation": consultation,
            "consultation_url": settings.SITE_URL + consultation.get_absolute_url(),
        },
        headers=headers,
    )

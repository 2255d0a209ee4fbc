"""Writes to the response store: online drafts and submission, and responses recorded by
staff or importers on the other channels."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import get_valid_filename

from moot.consultations.models import (
    RESPONDENT_REQUIRED_FIELDS,
    Answer,
    Channel,
    Consultation,
    ConsultationStatus,
    Question,
    QuestionOption,
    Response,
    ResponseAttachment,
    ResponseAttachmentKind,
    ResponseStatus,
)
from moot.consultations.services import routing
from moot.consultations.services.attachments import (
    response_attachment_text_fields,
    response_attachment_text_queue,
)
from moot.consultations.services.moderation import response_publication_refresh
from moot.core import files
from moot.core.errors import FileRejected, InvalidTransition, MootError
from moot.core.models import User
from moot.core.rows import model_columns, quoted_column

logger = logging.getLogger(__name__)

# Letters and digits that cannot be mistaken for one another when read aloud or written
# down: no 0/O, 1/I/L, U/V.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
RESPONSE_FILE_TYPES = {files.PDF, files.DOCX, files.ODT, files.TEXT}
SCAN_FILE_TYPES = {files.PDF, files.PNG, files.JPEG, files.TIFF}


class ConsultationNotAcceptingResponses(MootError):
    """The consultation is not open (yet, or any more) for this response."""


class ResponseIncomplete(MootError):
    """A required question, or a required answer about the sender, has no answer."""

    def __init__(
        self, message: str, *, questions: Sequence[Question], fields: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.questions = list(questions)
        self.fields = list(fields)


@dataclass(frozen=True)
class AnswerValue:
    """What a respondent answered to one question: text, chosen options, or both."""

    text: str = ""
    option_ids: tuple[int, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and not self.option_ids


def reference_generate() -> str:
    """A new reference such as ``MOOT-7K3Q-9XWD`` (the database keeps them unique)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"MOOT-{chars[:4]}-{chars[4:]}"


def _draft_token(response: Response, nonce: str) -> str:
    key = hashlib.sha256(f"moot-resume:{settings.SECRET_KEY}".encode()).digest()
    mac = hmac.new(key, f"{response.pk}:{nonce}".encode(), hashlib.sha256)
    return f"{response.pk}-{mac.hexdigest()[:40]}"


def response_resume_token(*, response: Response) -> str:
    """The secret in a draft's emailed resume link: a keyed hash of its id and nonce.

    Nothing secret is stored: a new nonce invalidates every earlier link.
    """
    return _draft_token(response, response.resume_nonce)


def response_browser_token(*, response: Response) -> str:
    """The secret in the cookie of the browser writing a draft. Never the same as the emailed
    link's: a browser that typed an address never holds the link sent to it."""
    return _draft_token(response, response.browser_nonce)


def _online_response_with_consultation(*, pk: int, slug: str) -> Response | None:
    """An online response to a published consultation, with that consultation, in one query.

    Every step of the response form starts here, and sending a response is the busiest
    write on a closing day, so the query is written once rather than compiled each time.
    """
    response_columns = model_columns(Response, alias="r", using=connection.alias)
    consultation_columns = model_columns(Consultation, alias="c", using=connection.alias)
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {response_columns.select_list}, {consultation_columns.select_list} "  # noqa: S608 - names from the models
        f"FROM {quote(Response._meta.db_table)} r "
        f"JOIN {quote(Consultation._meta.db_table)} c ON c.id = r.consultation_id "
        "WHERE r.id = %s AND r.channel = %s AND c.slug = %s AND c.published_at IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, Channel.ONLINE.value, slug])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(response_columns.attnames)
    response = response_columns.instance(row[:split])
    response.consultation = consultation_columns.instance(row[split:])
    return response


def _response_for_token(*, consultation_slug: str, token: str, nonce_field: str) -> Response | None:
    pk_text, _, _ = token.partition("-")
    if not pk_text.isdigit() or len(token) > 80:
        return None
    response = _online_response_with_consultation(pk=int(pk_text), slug=consultation_slug)
    if response is None:
        return None
    nonce = getattr(response, nonce_field)
    if not nonce or not hmac.compare_digest(_draft_token(response, nonce), token):
        return None
    return response


def response_for_resume_token(*, consultation_slug: str, token: str) -> Response | None:
    """The online response to a published consultation that an emailed resume link belongs
    to (with its consultation, in one query), or None if the link is not valid."""
    return _response_for_token(
        consultation_slug=consultation_slug, token=token, nonce_field="resume_nonce"
    )


def response_for_browser_token(*, consultation_slug: str, token: str) -> Response | None:
    """The online response whose writing browser holds this cookie, or None."""
    return _response_for_token(
        consultation_slug=consultation_slug, token=token, nonce_field="browser_nonce"
    )


def response_resume_claim(*, response: Response) -> Response:
    """The emailed link was followed: its browser becomes the one writing the draft, with a
    new secret, and every other browser (whoever typed the address, too) is shut out."""
    response.browser_nonce = secrets.token_hex(16)
    Response.objects.filter(pk=response.pk).update(
        browser_nonce=response.browser_nonce, updated_at=timezone.now()
    )
    return response


def consultation_accepts_online(
    *, consultation: Consultation, now: dt.datetime, late_allowed: bool = False
) -> None:
    """Raise ``ConsultationNotAcceptingResponses`` unless the online form may be used now."""
    if consultation.is_held_elsewhere or not consultation.respond_online:
        raise ConsultationNotAcceptingResponses(
            "This consultation does not take responses on this website."
        )
    status = consultation.status_at(now)
    if status == ConsultationStatus.OPEN:
        return
    if late_allowed and status != ConsultationStatus.DRAFT and now >= consultation.opens_at:
        return
    if status in (ConsultationStatus.DRAFT, ConsultationStatus.UPCOMING):
        raise ConsultationNotAcceptingResponses("This consultation is not open for responses yet.")
    raise ConsultationNotAcceptingResponses("This consultation has closed.")


def response_draft_start(
    *,
    consultation: Consultation,
    client_hash: str = "",
    now: dt.datetime | None = None,
) -> Response:
    """Start an online draft. Raises ``ConsultationNotAcceptingResponses`` if not open."""
    consultation_accepts_online(consultation=consultation, now=now or timezone.now())
    return Response.objects.create(
        consultation=consultation,
        channel=Channel.ONLINE,
        status=ResponseStatus.DRAFT,
        browser_nonce=secrets.token_hex(16),
        client_hash=client_hash,
    )


def response_draft_update(*, response: Response, **values: object) -> Response:
    """Save "About you", confidentiality or consent answers on a draft."""
    if response.status != ResponseStatus.DRAFT:
        raise InvalidTransition("This response has already been sent.")
    for name, value in values.items():
        setattr(response, name, value)
    response.save(update_fields=[*values.keys(), "updated_at"])
    return response


def _answers_write(*, response: Response, answers: Mapping[Question, AnswerValue]) -> None:
    """Replace the given questions' answers; an empty value removes the answer."""
    questions = list(answers)
    Answer.objects.filter(response=response, question__in=questions).delete()
    kept = [(question, value) for question, value in answers.items() if not value.is_empty]
    created = Answer.objects.bulk_create(
        [Answer(response=response, question=question, text=value.text) for question, value in kept]
    )
    through = Answer.selected_options.through
    through.objects.bulk_create(
        [
            through(answer_id=answer.pk, questionoption_id=option_id)
            for answer, (_, value) in zip(created, kept, strict=True)
            for option_id in value.option_ids
        ]
    )


def _draft_locked(*, response: Response) -> None:
    """Lock a draft's row until the transaction ends; raise if it has been sent.

    Answer saves and sending both take this lock where routing applies, so which questions a
    response was asked is decided on the answers it is sent with, never on half of a change
    made in another tab.
    """
    statuses = list(
        Response.objects.select_for_update().filter(pk=response.pk).values_list("status", flat=True)
    )
    if statuses != [ResponseStatus.DRAFT]:
        raise InvalidTransition("This response has already been sent.")


@transaction.atomic
def response_answer_save(*, response: Response, question: Question, value: AnswerValue) -> None:
    """Save a draft's answer to one question (atomic: the old answer or the new, never half).

    Answers to questions that the new answer skips (routing) are removed with it.
    """
    if response.status != ResponseStatus.DRAFT:
        raise InvalidTransition("This response has already been sent.")
    routed = routing.routed_questions(consultation_id=response.consultation_id)
    if routed:
        _draft_locked(response=response)
    _answers_write(response=response, answers={question: value})
    if routed:
        routing.response_hidden_answers_drop(response=response)
    Response.objects.filter(pk=response.pk).update(updated_at=timezone.now())


def _required_unanswered(*, response: Response, hidden: Collection[int] = ()) -> list[Question]:
    """The required questions the response was asked and has not answered, in order. Sending
    checks this inside its UPDATE; this names them when that finds some missing."""
    answered = Answer.objects.filter(question=OuterRef("pk"), response=response)
    return list(
        Question.objects.filter(consultation_id=response.consultation_id, required=True)
        .exclude(pk__in=list(hidden))
        .exclude(Exists(answered))
        .order_by("position")
    )


def _required_fields_unanswered(*, response: Response) -> list[str]:
    """The required answers about the sender (``RESPONDENT_REQUIRED_FIELDS``) still empty."""
    stored = Response.objects.filter(pk=response.pk).values(*RESPONDENT_REQUIRED_FIELDS).first()
    return [name for name in RESPONDENT_REQUIRED_FIELDS if stored and stored[name] in ("", None)]


def response_submit(
    *, response: Response, submission_token: str, now: dt.datetime | None = None
) -> Response:
    """Submit an online draft: atomic and idempotent.

    The token is the one the check-your-answers page was rendered with. A second submission
    with it (a double click, a retry, a replayed request) returns the response already
    submitted instead of creating another; a token that does not match raises
    ``InvalidTransition``. Either the whole response is submitted, with its reference and its
    receipt queued, or nothing changes.
    """
    now = now or timezone.now()
    if str(response.submission_token) != submission_token:
        raise InvalidTransition("This form has expired. Check your answers and send them again.")
    if response.status != ResponseStatus.DRAFT:
        return response
    consultation = response.consultation
    consultation_accepts_online(
        consultation=consultation, now=now, late_allowed=response.allows_late_submission
    )
    is_late = now >= consultation.closes_at
    values: dict[str, object] = {
        "status": ResponseStatus.LATE if is_late else ResponseStatus.SUBMITTED,
        "late_accepted_at": now if is_late else None,
        "received_at": now,
        "updated_at": now,
    }
    for _attempt in range(5):
        values["reference"] = reference_generate()
        hidden: set[int] = set()
        try:
            with transaction.atomic():
                # Required answers are enforced here, for the questions the response's own
                # answers lead to, whichever pages were visited or skipped on the way.
                if routing.routed_questions(consultation_id=response.consultation_id):
                    _draft_locked(response=response)
                    hidden = routing.response_hidden_answers_drop(response=response)
                updated = _draft_submitted_if_complete(
                    response=response, values=values, hidden=hidden
                )
                if updated:
                    response.questions_not_asked.set(sorted(hidden))
                if updated and response.respondent_email:
                    _queue_receipt(response_id=response.pk)
        except IntegrityError:
            continue  # the reference was taken: draw another
        except InvalidTransition:
            # Sent meanwhile by a concurrent request with the same token.
            response.refresh_from_db()
            return response
        if not updated:
            missing = _required_unanswered(response=response, hidden=hidden)
            missing_fields = _required_fields_unanswered(response=response)
            if missing or missing_fields:
                raise ResponseIncomplete(
                    "Answer every question marked as required before you send your response.",
                    questions=missing,
                    fields=missing_fields,
                )
            # Submitted meanwhile by a concurrent request with the same token.
            response.refresh_from_db()
            return response
        for name, value in values.items():
            setattr(response, name, value)
        return response
    raise RuntimeError("Could not draw an unused response reference")


def _draft_submitted_if_complete(
    *, response: Response, values: Mapping[str, object], hidden: Collection[int] = ()
) -> bool:
    """Give a draft ``values`` in one statement, if it is still a draft and every required
    question it was asked (all but ``hidden``) has an answer; whether it did.

    Checking the answers in the same statement means an answer removed in another tab
    cannot slip between the check and the update. The statement is written out rather than
    compiled by the ORM each time: this is the busiest write on a closing day.
    """
    quote = connection.ops.quote_name
    by_name = {field.name: field for field in Response._meta.concrete_fields}
    fields = [by_name[name] for name in values]
    assignments = ", ".join(
        f"{quoted_column(field, using=connection.alias)} = %s" for field in fields
    )
    question, answer = Question._meta.db_table, Answer._meta.db_table
    # Unanswered is NULL for a yes/no, empty for a choice.
    answered_about_sender = "".join(
        f" AND {quoted_column(by_name[name], using=connection.alias)} "
        + ("IS NOT NULL" if by_name[name].null else "<> ''")
        for name in RESPONDENT_REQUIRED_FIELDS
    )
    hidden_ids = sorted(hidden)
    skipped = f"AND q.id NOT IN ({', '.join(['%s'] * len(hidden_ids))}) " if hidden_ids else ""
    sql = (
        f"UPDATE {quote(Response._meta.db_table)} SET {assignments} "  # noqa: S608 - names from the models
        f"WHERE id = %s AND status = %s{answered_about_sender} AND NOT EXISTS ("
        f"SELECT 1 FROM {quote(question)} q WHERE q.consultation_id = %s AND q.required "
        f"{skipped}AND NOT EXISTS (SELECT 1 FROM {quote(answer)} a WHERE a.question_id = q.id "
        "AND a.response_id = %s))"
    )
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values.values(), strict=True)
    ]
    params += [response.pk, ResponseStatus.DRAFT.value, response.consultation_id]
    params += [*hidden_ids, response.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def _queue_receipt(*, response_id: int) -> None:
    """Queue the receipt so that it is sent only once the response is committed.

    With the database task backend on the same database the task row is written in the
    submission's own transaction: it commits with the response or not at all, so a crash
    between the two cannot lose a receipt (and the workers cannot see it before the
    commit). Any other backend is given the task after the commit.
    """
    from django_tasks import task_backends

    from moot.consultations.tasks import send_response_receipt

    backend = task_backends[send_response_receipt.backend]
    if backend.__class__.__module__.startswith("django_tasks_db"):
        send_response_receipt.enqueue(response_id=response_id)
    else:
        transaction.on_commit(lambda: send_response_receipt.enqueue(response_id=response_id))


def response_resume_link_send(*, response: Response, email: str) -> Response:
    """Email a private link to carry on with a draft later. Earlier links stop working."""
    from moot.consultations.tasks import send_resume_link

    if response.status != ResponseStatus.DRAFT:
        raise InvalidTransition("This response has already been sent.")
    with transaction.atomic():
        response.respondent_email = email
        response.resume_nonce = secrets.token_hex(16)
        response.save(update_fields=["respondent_email", "resume_nonce", "updated_at"])
        transaction.on_commit(lambda: send_resume_link.enqueue(response_id=response.pk))
    return response


def response_late_invitation_create(
    *, consultation: Consultation, by: User, email: str
) -> Response:
    """Let one person respond online after the closing date, by a private link sent to them."""
    from moot.consultations.tasks import send_resume_link

    if consultation.status_at(timezone.now()) == ConsultationStatus.DRAFT:
        raise InvalidTransition("The consultation has not been published.")
    with transaction.atomic():
        response = Response.objects.create(
            consultation=consultation,
            channel=Channel.ONLINE,
            status=ResponseStatus.DRAFT,
            resume_nonce=secrets.token_hex(16),
            respondent_email=email,
            allows_late_submission=True,
        )
        transaction.on_commit(lambda: send_resume_link.enqueue(response_id=response.pk))
    logger.info("%s invited a late response to %s", by, consultation.slug)
    return response


@dataclass(frozen=True)
class RespondentDetails:
    name: str = ""
    email: str = ""
    respondent_type: str = ""
    organisation_name: str = ""
    role_id: int | None = None
    region: str = ""
    wants_confidentiality: bool | None = None
    confidentiality_reason: str = ""
    publication_consent: str = ""

    def as_fields(self) -> dict[str, object]:
        return {
            "respondent_name": self.name,
            "respondent_email": self.email,
            "respondent_type": self.respondent_type,
            "organisation_name": self.organisation_name,
            "role_id": self.role_id,
            "region": self.region,
            "wants_confidentiality": self.wants_confidentiality,
            "confidentiality_reason": self.confidentiality_reason,
            "publication_consent": self.publication_consent,
        }


def response_record(
    *,
    consultation: Consultation,
    channel: Channel,
    received_at: dt.datetime,
    respondent: RespondentDetails | None = None,
    answers: Mapping[Question, AnswerValue] | None = None,
    subject: str = "",
    body_text: str = "",
    source_key: str = "",
    status: ResponseStatus | None = None,
    error_message: str = "",
    entered_by: User | None = None,
    sender_dated_at: dt.datetime | None = None,
) -> tuple[Response, bool]:
    """Record a response that arrived by email, by post or from an import.

    Atomic, and idempotent on ``source_key``: recording the same message or row again
    returns the response already stored, with False. A response received after the closing
    date is stored as late, for staff to accept.
    """
    if source_key:
        existing = Response.objects.filter(consultation=consultation, source_key=source_key).first()
        if existing is not None:
            return existing, False
    if status is None:
        late = received_at >= consultation.closes_at
        status = ResponseStatus.LATE if late else ResponseStatus.SUBMITTED
    fields = (respondent or RespondentDetails()).as_fields()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    consultation=consultation,
                    channel=channel,
                    status=status,
                    reference=reference_generate(),
                    received_at=received_at,
                    sender_dated_at=sender_dated_at,
                    subject=subject[:500],
                    body_text=body_text,
                    source_key=source_key,
                    error_message=error_message,
                    entered_by=entered_by,
                    **fields,
                )
                if answers:
                    _answers_write(response=response, answers=answers)
        except IntegrityError:
            if source_key:
                existing = Response.objects.filter(
                    consultation=consultation, source_key=source_key
                ).first()
                if existing is not None:
                    return existing, False  # stored by a concurrent import meanwhile
            continue
        return response, True
    raise RuntimeError("Could not draw an unused response reference")


def response_attachment_add(
    *,
    response: Response,
    filename: str,
    data: bytes,
    kind: ResponseAttachmentKind = ResponseAttachmentKind.DOCUMENT,
    max_bytes: int | None = None,
    keep_refused: bool = False,
    extract_later: bool = True,
) -> ResponseAttachment:
    """Store a file with a response, its type sniffed from its bytes; its text is read by a
    task (``attachments``), out of the request and of the caller's transaction, in the
    bounded child process. ``extract_later=False`` reads it here (the demo's own files).

    A file that is too large, of a type not accepted, a zip bomb or an encrypted PDF raises
    ``FileRejected`` — or, with ``keep_refused`` (imports, where nothing may be dropped
    silently), is recorded without its content and with the reason, for staff to see.
    """
    safe_name = get_valid_filename(filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])[:200]
    safe_name = safe_name or "attachment"
    limit = max_bytes if max_bytes is not None else settings.RESPONSE_MAX_UPLOAD_BYTES
    allowed = SCAN_FILE_TYPES if kind == ResponseAttachmentKind.SCAN else RESPONSE_FILE_TYPES
    try:
        if kind == ResponseAttachmentKind.ORIGINAL:
            sniffed_type, extension, text_fields = "message/rfc822", "eml", {}
        else:
            if len(data) > limit:
                raise FileRejected(
                    f"The file is larger than {limit // (1024 * 1024)} MB, the most moot accepts."
                )
            sniffed = files.sniff(data, allowed=allowed)
            sniffed_type, extension = sniffed.content_type, sniffed.extension
            text_fields = response_attachment_text_fields(
                data=data, content_type=sniffed_type, later=extract_later
            )
    except FileRejected as error:
        if not keep_refused:
            raise
        return ResponseAttachment.objects.create(
            response=response,
            kind=kind,
            filename=safe_name,
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            rejected_reason=str(error),
        )
    attachment = ResponseAttachment(
        response=response,
        kind=kind,
        filename=safe_name,
        content_type=sniffed_type,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        **text_fields,
    )
    stem = safe_name.rsplit(".", 1)[0] if "." in safe_name else safe_name
    attachment.file.save(f"{stem[:80]}.{extension}", ContentFile(data), save=False)
    attachment.save()
    response_attachment_text_queue(attachment=attachment)
    return attachment


@transaction.atomic
def response_details_update(
    *,
    response: Response,
    by: User,
    respondent: RespondentDetails,
    answers: Mapping[Question, AnswerValue],
) -> Response:
    """Record what a letter, email or imported row says: who sent it, what they agreed to
    about confidentiality and publication, and their answers to the questionnaire.

    Online responses stay as their senders sent them. Once personal data has been removed,
    names and email addresses are not put back.
    """
    if response.channel == Channel.ONLINE:
        raise InvalidTransition("An online response stays as its sender sent it.")
    fields = respondent.as_fields()
    if response.personal_data_purged_at is not None:
        fields.update(respondent_name="", respondent_email="", confidentiality_reason="")
    for name, value in fields.items():
        setattr(response, name, value)
    response.save(update_fields=[*fields.keys(), "updated_at"])
    _answers_write(response=response, answers=answers)
    # Recoded answers have no moderation yet: the published page keeps only what was approved.
    response_publication_refresh(response=response)
    logger.info("%s recorded the details of response %s", by, response.reference)
    return response


MAX_DOCUMENTS_PER_RESPONSE = 5


@transaction.atomic
def response_document_add(*, response: Response, upload: UploadedFile) -> ResponseAttachment:
    """Add a document to an online draft. Refuses (``FileRejected``, nothing stored) a sixth
    document, one over the size limit, or one whose content is not an accepted type."""
    if response.status != ResponseStatus.DRAFT:
        raise InvalidTransition("This response has already been sent.")
    if response.attachments.count() >= MAX_DOCUMENTS_PER_RESPONSE:
        raise FileRejected(f"You can add up to {MAX_DOCUMENTS_PER_RESPONSE} documents.")
    limit = settings.RESPONSE_MAX_UPLOAD_BYTES
    if (upload.size or 0) > limit:
        raise FileRejected(
            f"The file is larger than {limit // (1024 * 1024)} MB, the most moot accepts."
        )
    return response_attachment_add(
        response=response,
        filename=upload.name or "document",
        data=upload.read(),
    )


def response_document_remove(*, response: Response, attachment_id: int) -> None:
    """Remove a document from an online draft (and its file)."""
    if response.status != ResponseStatus.DRAFT:
        raise InvalidTransition("This response has already been sent.")
    attachment = response.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        return
    if attachment.file:
        attachment.file.delete(save=False)
    attachment.delete()


def response_accept_late(*, response: Response, by: User) -> Response:
    """Count a late response in the analysis. Only late responses can be accepted."""
    if response.status != ResponseStatus.LATE:
        raise InvalidTransition("Only a late response can be accepted as late.")
    if response.late_accepted_at is None:
        response.late_accepted_at = timezone.now()
        response.late_accepted_by = by
        response.save(update_fields=["late_accepted_at", "late_accepted_by", "updated_at"])
    return response


def response_withdraw(*, response: Response, by: User) -> Response:
    """Withdraw a response at the respondent's request: kept, but no longer counted."""
    if response.status not in (ResponseStatus.SUBMITTED, ResponseStatus.LATE):
        raise InvalidTransition("Only a received response can be withdrawn.")
    response.status = ResponseStatus.WITHDRAWN
    response.withdrawn_at = timezone.now()
    response.late_accepted_at = None
    response.save(update_fields=["status", "withdrawn_at", "late_accepted_at", "updated_at"])
    logger.info("%s withdrew response %s", by, response.reference)
    return response


def options_by_label(*, question: Question) -> dict[str, QuestionOption]:
    return {option.label.casefold(): option for option in question.options.all()}


def response_record_postal(
    *,
    consultation: Consultation,
    by: User,
    received_at: dt.datetime,
    respondent: RespondentDetails,
    answers: Mapping[Question, AnswerValue],
    body_text: str = "",
    scan: UploadedFile | None = None,
) -> Response:
    """Store a letter keyed in by staff, with its scan if given. Atomic: a refused scan
    raises ``FileRejected`` and nothing is stored."""
    scan_data = b""
    if scan is not None:
        limit = settings.RESPONSE_MAX_UPLOAD_BYTES
        if (scan.size or 0) > limit:
            raise FileRejected(
                f"The file is larger than {limit // (1024 * 1024)} MB, the most moot accepts."
            )
        scan_data = scan.read()
    with transaction.atomic():
        response, _ = response_record(
            consultation=consultation,
            channel=Channel.POST,
            received_at=received_at,
            respondent=respondent,
            answers=answers,
            body_text=body_text,
            entered_by=by,
        )
        if scan is not None:
            response_attachment_add(
                response=response,
                filename=scan.name or "scan",
                data=scan_data,
                kind=ResponseAttachmentKind.SCAN,
            )
    return response

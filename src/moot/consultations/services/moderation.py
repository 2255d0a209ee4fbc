"""Publishing individual responses with care.

Only a counted response whose sender consented to publication and did not ask for
confidentiality may be published. Staff approve or withhold each of its texts (answers, and
the text of a letter or email), redact passages with a reason, then publish: the approved
texts are written, redacted, to ``PublishedText``, which is all the public ever reads. A change
to a published response's decisions or redactions rewrites that snapshot in the same
transaction; withdrawing removes it. Every decision is written to the audit log with who made
it and why, here rather than in the views, so no route can skip it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from moot.consultations.models import (
    Answer,
    ModerationDecision,
    PublicationConsent,
    PublishedText,
    QuestionKind,
    Redaction,
    RedactionReason,
    RespondentType,
    Response,
    ResponsePublication,
    TextModeration,
)
from moot.core.errors import MootError
from moot.core.models import AuditAction, AuditEvent, User


class PublicationRefused(MootError):
    """The response may not be published (no consent, confidential, not counted, undecided)."""


class RedactionRefused(MootError):
    """A passage that cannot be redacted as asked."""


def _digest(passage: str) -> str:
    return hashlib.sha256(passage.encode("utf-8")).hexdigest()


def _audit(*, by: User, action: AuditAction, response: Response, detail: dict[str, object]) -> None:
    AuditEvent.objects.create(
        user=by,
        username=by.get_username(),
        action=action,
        consultation_slug=response.consultation.slug,
        record_ids=[response.pk],
        detail=detail,
    )


def moderation_text(moderation: TextModeration) -> str:
    """The text a moderation decides on: the answer's (its chosen options, then any text),
    or the response's own text."""
    answer = moderation.answer
    if answer is None:
        return moderation.response.body_text
    labels = [option.label for option in answer.selected_options.all()]
    return "\n".join([*labels, answer.text] if answer.text else labels)


def _label(moderation: TextModeration) -> str:
    return moderation.answer.question.key if moderation.answer else "text"


def publication_refusal(*, response: Response) -> str:
    """Why this response may not be published, or "" if it may."""
    if response.publication_consent not in (
        PublicationConsent.WITH_NAME,
        PublicationConsent.ANONYMOUSLY,
    ):
        return "Its sender did not consent to its publication."
    if response.wants_confidentiality:
        return "Its sender asked for it to be kept confidential."
    if not response.is_counted:
        return "Only responses that are counted (sent on time, or late and accepted) are published."
    return ""


@transaction.atomic
def response_moderations_ensure(*, response: Response) -> list[TextModeration]:
    """One moderation per text of the response (every answer, and its own text if it has
    any), created undecided where missing. Idempotent; in question order."""
    answers = list(
        Answer.objects.filter(response=response)
        .select_related("question")
        .order_by("question__position")
    )
    existing = {m.answer_id: m for m in TextModeration.objects.filter(response=response)}
    wanted: list[int | None] = [answer.pk for answer in answers]
    if response.body_text.strip():
        wanted.append(None)
    missing = [
        TextModeration(response=response, answer_id=answer_id)
        for answer_id in wanted
        if answer_id not in existing
    ]
    TextModeration.objects.bulk_create(missing)
    return list(
        TextModeration.objects.filter(response=response)
        .select_related("answer__question", "response__consultation")
        .prefetch_related("answer__selected_options", "redactions")
        .order_by("answer__question__position", "id")
    )


def _moderation_locked(moderation: TextModeration) -> TextModeration:
    return (
        TextModeration.objects.select_for_update(of=("self",))
        .select_related("answer__question", "response__consultation")
        .prefetch_related("answer__selected_options")
        .get(pk=moderation.pk)
    )


@transaction.atomic
def text_moderation_decide(
    *, moderation: TextModeration, decision: ModerationDecision, by: User, note: str = ""
) -> TextModeration:
    """Approve or withhold one text (atomic, audited; a published response's page follows)."""
    if decision not in (ModerationDecision.APPROVED, ModerationDecision.WITHHELD):
        raise PublicationRefused("Choose whether to approve or withhold it.")
    moderation = _moderation_locked(moderation)
    moderation.decision = decision
    moderation.decided_by = by
    moderation.decided_at = timezone.now()
    moderation.note = note.strip()
    moderation.save(update_fields=["decision", "decided_by", "decided_at", "note", "updated_at"])
    _audit(
        by=by,
        action=AuditAction.MODERATE_RESPONSE,
        response=moderation.response,
        detail={"text": _label(moderation), "decision": decision.value, "why": moderation.note},
    )
    _snapshot_refresh(response=moderation.response)
    return moderation


@transaction.atomic
def redaction_add(
    *,
    moderation: TextModeration,
    start: int,
    end: int,
    reason: RedactionReason,
    by: User,
    note: str = "",
) -> Redaction:
    """Redact ``text[start:end]`` of one text. Refused outside the text, for an empty passage
    or one that overlaps a passage already redacted. Atomic and audited."""
    moderation = _moderation_locked(moderation)
    text = moderation_text(moderation)
    if not 0 <= start < end <= len(text) or not text[start:end].strip():
        raise RedactionRefused("That passage is not in the text.")
    for other in moderation.redactions.all():
        if start < other.end and other.start < end:
            raise RedactionRefused("That passage overlaps one already redacted.")
    redaction = Redaction.objects.create(
        moderation=moderation,
        start=start,
        end=end,
        digest=_digest(text[start:end]),
        reason=reason,
        note=note.strip(),
        created_by=by,
    )
    # The passage itself is not written to the log: it is what is being kept private.
    _audit(
        by=by,
        action=AuditAction.MODERATE_RESPONSE,
        response=moderation.response,
        detail={
            "text": _label(moderation),
            "redacted": [start, end],
            "reason": RedactionReason(reason).value,
            "why": redaction.note,
        },
    )
    _snapshot_refresh(response=moderation.response)
    return redaction


def redaction_add_passage(
    *,
    moderation: TextModeration,
    passage: str,
    reason: RedactionReason,
    by: User,
    note: str = "",
) -> list[Redaction]:
    """Redact every occurrence of ``passage`` in one text (what a moderator types or pastes,
    without JavaScript to select it). Atomic: every occurrence or none."""
    passage = passage.strip()
    text = moderation_text(moderation)
    starts = []
    index = text.find(passage) if passage else -1
    while index != -1:
        starts.append(index)
        index = text.find(passage, index + len(passage))
    if not starts:
        raise RedactionRefused("That passage is not in the text: copy it exactly as it is written.")
    with transaction.atomic():
        return [
            redaction_add(
                moderation=moderation,
                start=start,
                end=start + len(passage),
                reason=reason,
                by=by,
                note=note,
            )
            for start in starts
        ]


@transaction.atomic
def redaction_remove(*, redaction: Redaction, by: User, note: str = "") -> None:
    """Put a redacted passage back (audited)."""
    moderation = _moderation_locked(redaction.moderation)
    _audit(
        by=by,
        action=AuditAction.MODERATE_RESPONSE,
        response=moderation.response,
        detail={
            "text": _label(moderation),
            "unredacted": [redaction.start, redaction.end],
            "why": note.strip(),
        },
    )
    redaction.delete()
    _snapshot_refresh(response=moderation.response)


def text_redacted(*, text: str, redactions: Sequence[Redaction]) -> str:
    """``text`` with each redacted passage replaced by "[redacted: reason]".

    Raises ``RedactionRefused`` if a passage is no longer what was redacted (the text changed
    since): publishing it then could show what was meant to be hidden.
    """
    pieces = []
    at = 0
    for redaction in sorted(redactions, key=lambda r: r.start):
        passage = text[redaction.start : redaction.end]
        if redaction.end > len(text) or _digest(passage) != redaction.digest:
            raise RedactionRefused(
                "The text changed after it was redacted: check its redactions again."
            )
        pieces += [text[at : redaction.start], f"[redacted: {redaction.get_reason_display()}]"]
        at = redaction.end
    pieces.append(text[at:])
    return "".join(pieces)


def _published_as(response: Response) -> str:
    if response.publication_consent != PublicationConsent.WITH_NAME:
        return "Anonymous"
    if response.respondent_type == RespondentType.ORGANISATION and response.organisation_name:
        return response.organisation_name
    return response.respondent_name or "Anonymous"


def _snapshot_write(*, publication: ResponsePublication, moderations: list[TextModeration]) -> None:
    """Replace the published texts with the approved ones, redacted."""
    PublishedText.objects.filter(publication=publication).delete()
    texts = []
    for moderation in moderations:
        if moderation.decision != ModerationDecision.APPROVED:
            continue
        redacted = text_redacted(
            text=moderation_text(moderation), redactions=list(moderation.redactions.all())
        )
        question = moderation.answer.question if moderation.answer else None
        texts.append(PublishedText(publication=publication, question=question, text=redacted))
    PublishedText.objects.bulk_create(texts)


def _snapshot_refresh(*, response: Response) -> None:
    """Rewrite a live publication's texts after a decision or redaction changed."""
    publication = ResponsePublication.objects.filter(
        response=response, withdrawn_at__isnull=True
    ).first()
    if publication is not None:
        _snapshot_write(
            publication=publication, moderations=response_moderations_ensure(response=response)
        )


def response_publication_refresh(*, response: Response) -> None:
    """After staff recoded a response's answers: rewrite what is published from the decisions
    still standing (recoded answers are undecided, so they are not shown until moderated);
    if a text changed under its redactions, nothing of it stays published."""
    try:
        with transaction.atomic():
            _snapshot_refresh(response=response)
    except RedactionRefused:
        PublishedText.objects.filter(publication__response=response).delete()


@transaction.atomic
def response_publish(
    *, response: Response, by: User, now: dt.datetime | None = None
) -> ResponsePublication:
    """Publish a response's approved, redacted texts on the consultation's page.

    Refused (``PublicationRefused``) without its sender's consent, for a confidential or
    uncounted response, and while any of its texts is undecided. Atomic; publishing again
    after a withdrawal publishes it anew. Audited.
    """
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("consultation")
        .get(pk=response.pk)
    )
    refusal = publication_refusal(response=response)
    if refusal:
        raise PublicationRefused(f"This response cannot be published. {refusal}")
    moderations = response_moderations_ensure(response=response)
    undecided = [m for m in moderations if m.decision == ModerationDecision.PENDING]
    if undecided:
        raise PublicationRefused(
            f"Approve or withhold every answer first: {len(undecided)} not yet decided."
        )
    publication, _ = ResponsePublication.objects.update_or_create(
        response=response,
        defaults={
            "published_as": _published_as(response),
            "published_at": now or timezone.now(),
            "published_by": by,
            "withdrawn_at": None,
            "withdrawn_by": None,
            "withdrawn_reason": "",
        },
    )
    _snapshot_write(publication=publication, moderations=moderations)
    _audit(
        by=by,
        action=AuditAction.PUBLISH_RESPONSE,
        response=response,
        detail={
            "approved": [
                _label(m) for m in moderations if m.decision == ModerationDecision.APPROVED
            ],
            "withheld": [
                _label(m) for m in moderations if m.decision == ModerationDecision.WITHHELD
            ],
        },
    )
    return publication


@transaction.atomic
def response_publication_withdraw(
    *, response: Response, by: User, reason: str, now: dt.datetime | None = None
) -> ResponsePublication:
    """Take a published response off the consultation's page, with the reason. Atomic,
    audited; its published texts are deleted."""
    reason = reason.strip()
    if not reason:
        raise PublicationRefused("Enter why the response is being withdrawn.")
    publication = (
        ResponsePublication.objects.select_for_update()
        .filter(response=response, withdrawn_at__isnull=True)
        .first()
    )
    if publication is None:
        raise PublicationRefused("This response is not published.")
    publication.withdrawn_at = now or timezone.now()
    publication.withdrawn_by = by
    publication.withdrawn_reason = reason
    publication.save(
        update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason", "updated_at"]
    )
    PublishedText.objects.filter(publication=publication).delete()
    _audit(
        by=by,
        action=AuditAction.WITHDRAW_PUBLISHED_RESPONSE,
        response=response,
        detail={"why": reason},
    )
    return publication


def multiple_choice_value(*, kind: str, text: str) -> str | list[str]:
    """A published text as the public page shows it: a list for a multiple-choice answer."""
    return text.split("\n") if kind == QuestionKind.MULTIPLE_CHOICE else text

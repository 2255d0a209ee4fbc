"""Writes to a consultation's questionnaire (staff build it in the admin)."""

from __future__ import annotations

from django.db import transaction

from moot.consultations.models import AGREE_SCALE_LABELS, Question, QuestionKind, QuestionOption


@transaction.atomic
def question_scale_options_ensure(*, question: Question) -> None:
    """Give an agree/disagree question the standard five options, in order. Idempotent;
    options already answered are never removed."""
    if question.kind != QuestionKind.AGREE_SCALE:
        return
    existing = {option.label: option for option in question.options.all()}
    if list(existing) == list(AGREE_SCALE_LABELS):
        return
    unused = question.options.exclude(label__in=AGREE_SCALE_LABELS).filter(answers__isnull=True)
    unused.delete()
    # Move kept options out of the way first: positions are unique per question.
    offset = 1000
    for option in question.options.all():
        option.position += offset
        option.save(update_fields=["position"])
    for position, label in enumerate(AGREE_SCALE_LABELS, start=1):
        QuestionOption.objects.update_or_create(
            question=question, label=label, defaults={"position": position}
        )

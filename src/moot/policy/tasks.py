"""Background tasks of the policy app: they take ids and call a service."""

from __future__ import annotations

from django_tasks import task


@task()
def find_mentions(
    *, question_ids: list[int], answer_ids: list[int], statement_ids: list[int] | None = None
) -> int:
    from moot.policy.services import mentions_refresh

    return mentions_refresh(
        question_ids=question_ids, answer_ids=answer_ids, statement_ids=statement_ids or []
    ).created


@task()
def find_mentions_of(*, document_ids: list[int], consultation_ids: list[int]) -> int:
    from moot.policy.services import mentions_refresh_for_targets

    return mentions_refresh_for_targets(
        document_ids=document_ids, consultation_ids=consultation_ids
    ).created

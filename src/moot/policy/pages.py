"""What the policy app adds to other apps' pages, through ``moot.core.extensions``."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from moot.consultations.models import Consultation, Document
from moot.core.extensions import Panel
from moot.parliament.models import WrittenAnswer, WrittenQuestion, WrittenStatement
from moot.policy import selectors
from moot.policy.models import Mention
from moot.policy.text import Link, html_with_links
from moot.policy.threads import thread_url


def _link(mention: Mention) -> Link | None:
    target = mention.target
    if target is None:
        return None
    return Link(
        start=mention.start, end=mention.end, href=target.get_absolute_url(), title=str(target)
    )


def _linked(html: SafeString, mentions: list[Mention]) -> SafeString:
    links = [link for mention in mentions if (link := _link(mention)) is not None]
    # html_with_links writes the clean HTML back as it read it, adding only escaped links.
    return mark_safe(html_with_links(str(html), links))  # noqa: S308


def _page_mentions(
    cache: MutableMapping[str, Any], *, question: WrittenQuestion | None, page: Any = None
) -> dict[tuple[str, int], list[Mention]]:
    """Every shown mention of a question page, read once for the page's panel and links."""
    if "policy.mentions" not in cache:
        if page is not None:
            questions = [asked.question for asked in page.questions]
            answers = [given.answer for given in page.answers]
        else:
            questions, answers = [question] if question is not None else [], []
        grouped: dict[tuple[str, int], list[Mention]] = {}
        for mention in selectors.mentions_in(
            question_ids=[q.pk for q in questions], answer_ids=[a.pk for a in answers]
        ):
            source = (
                ("answer", mention.answer_id)
                if mention.answer_id
                else (
                    "question",
                    mention.question_id,
                )
            )
            grouped.setdefault(source, []).append(mention)  # type: ignore[arg-type]
        cache["policy.mentions"] = grouped
        cache["policy.answered"] = bool(answers)
    return cache["policy.mentions"]


def answer_body_links(
    html: SafeString,
    answer: WrittenAnswer,
    *,
    cache: MutableMapping[str, Any],
    page: Any = None,
    **_: Any,
) -> SafeString:
    if page is None:  # an answer shown on its own
        return _linked(html, selectors.mentions_in(answer_ids=[answer.pk]))
    mentions = _page_mentions(cache, question=None, page=page)
    return _linked(html, mentions.get(("answer", answer.pk), []))


def question_text_links(
    html: SafeString,
    question: WrittenQuestion,
    *,
    cache: MutableMapping[str, Any],
    page: Any = None,
    **_: Any,
) -> SafeString:
    if page is None:
        return _linked(html, selectors.mentions_in(question_ids=[question.pk]))
    mentions = _page_mentions(cache, question=question, page=page)
    return _linked(html, mentions.get(("question", question.pk), []))


def question_panel(
    *,
    cache: MutableMapping[str, Any],
    question: WrittenQuestion,
    page: Any = None,
    **_: Any,
) -> Panel | None:
    """ "This answer mentions": what the question's page names, linked."""
    grouped = _page_mentions(cache, question=question, page=page)
    mentions = sorted(
        (mention for found in grouped.values() for mention in found),
        key=lambda mention: (mention.answer_id is None, mention.start),
    )
    targets = selectors.targets_of(mentions)
    if not targets:
        return None
    return Panel(
        template="policy/includes/mentions_panel.html",
        context={
            "targets": [target_summary(target) for target in targets],
            "heading": "This answer mentions"
            if cache.get("policy.answered", False)
            else "This question mentions",
        },
    )


def statement_body_links(
    html: SafeString, statement: WrittenStatement, *, cache: MutableMapping[str, Any], **_: Any
) -> SafeString:
    if "policy.statement" not in cache:
        cache["policy.statement"] = selectors.mentions_in(statement_ids=[statement.pk])
    return _linked(html, cache["policy.statement"])


def statement_panel(
    *, cache: MutableMapping[str, Any], statement: WrittenStatement, **_: Any
) -> Panel | None:
    """ "This statement mentions": what the statement names, linked."""
    if "policy.statement" not in cache:
        cache["policy.statement"] = selectors.mentions_in(statement_ids=[statement.pk])
    targets = selectors.targets_of(cache["policy.statement"])
    if not targets:
        return None
    return Panel(
        template="policy/includes/mentions_panel.html",
        context={
            "targets": [target_summary(target) for target in targets],
            "heading": "This statement mentions",
        },
    )


def in_parliament(
    *,
    cache: MutableMapping[str, Any],
    consultation: Consultation | None = None,
    document: Document | None = None,
    **_: Any,
) -> Panel | None:
    """ "In Parliament": the written questions that mention this, and its policy thread."""
    target = consultation or document
    if target is None:
        return None
    records = selectors.mentioning_records(
        documents=[document] if document is not None else [],
        consultations=[consultation] if consultation is not None else [],
    )
    return Panel(
        template="policy/includes/in_parliament.html",
        context={"records": records, "target": target, "thread_url": thread_url(target)},
    )


def target_summary(target: Document | Consultation) -> dict[str, str]:
    """A mentioned document or consultation as a list shows it."""
    if isinstance(target, Consultation):
        label = f"Consultation, {target.opens_at:%Y}"
    else:
        label = target.get_kind_display()
        if target.published_on:
            label += f", {target.published_on:%Y}"
    return {
        "title": target.title,
        "url": target.get_absolute_url(),
        "label": label,
        "thread_url": thread_url(target),
    }

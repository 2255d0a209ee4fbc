"""The summary of responses as Markdown, written from its figures.

The text is what the public page shows and what staff may edit before publishing; it is
written so that every figure is in a table and every quote says who it is from. Text that
came from people (labels, questions, quotes) is escaped, so it can never become Markdown
structure or a link.
"""

from __future__ import annotations

import re
from typing import Any

_SPECIAL = re.compile(r"([\\`*_\[\]|#])")
_BULLET = re.compile(r"^([-+>])")
_NUMBERED = re.compile(r"^(\d+)([.)])")


def escape(text: object) -> str:
    """``text`` on one line, with Markdown's special characters escaped."""
    flat = " ".join(str(text).split())
    flat = _SPECIAL.sub(r"\\\1", flat).replace("<", "&lt;")
    flat = _BULLET.sub(r"\\\1", flat)
    return _NUMBERED.sub(r"\1\\\2", flat)


def number(value: int) -> str:
    return f"{value:,}"


def percent(value: float) -> str:
    return f"{value:.1f}%"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _responses(figures: dict[str, Any]) -> list[str]:
    totals = figures["totals"]
    lines = [
        "## The responses",
        "",
        f"We received {number(totals['responses'])} responses that are counted in this "
        "summary (responses that were withdrawn, or that arrived late and were not "
        "accepted, are not).",
        "",
    ]
    for key, heading in (
        ("by_channel", "How people responded"),
        ("by_respondent_type", "Responding as"),
        ("by_role", "Role"),
    ):
        rows = [
            [escape(r["label"]), number(r["count"]), percent(r["percent"])] for r in totals[key]
        ]
        lines += _table([heading, "Responses", "Share"], rows)
    return lines


def _campaigns(figures: dict[str, Any]) -> list[str]:
    campaigns = figures["campaigns"]
    lines = ["## Campaigns", ""]
    if not campaigns["count"]:
        return [
            *lines,
            "We found no organised campaigns: no group of responses shared the same text.",
            "",
        ]
    lines += [
        f"{number(campaigns['responses'])} responses ({percent(campaigns['share'])}) came from "
        f"{number(campaigns['count'])} organised campaigns, in which people sent the same text "
        "or the same text with edits of their own.",
        "",
        "Every response is counted in the figures that follow. A campaign's shared text is "
        "analysed once for its themes, and what each person added to it is analysed as their "
        "own. Figures marked “excluding campaigns” leave campaign responses out; "
        "“distinct texts” count each campaign's text once. Counting each campaign once, there "
        f"were {number(campaigns['distinct_submissions'])} distinct submissions.",
        "",
    ]
    rows = [
        [
            c.get("name") or f"Campaign {c['number']}",
            number(c["size"]),
            percent(c["share"]),
            number(c["distinct_texts"]),
        ]
        for c in campaigns["list"]
    ]
    return lines + _table(
        ["Campaign", "Responses", "Share of all responses", "Versions of its text"], rows
    )


def _closed(closed: dict[str, Any]) -> list[str]:
    lines = [
        f"{number(closed['answered'])} people answered this question "
        f"({number(closed['answered_excluding_campaigns'])} excluding campaign responses).",
        "",
    ]
    if closed["multiple"]:
        lines += ["People could choose more than one answer.", ""]
    rows = [
        [
            escape(o["label"]),
            number(o["all_submissions"]),
            percent(o["all_submissions_percent"]),
            number(o["excluding_campaigns"]),
            percent(o["excluding_campaigns_percent"]),
        ]
        for o in closed["options"]
    ]
    return lines + _table(
        ["Answer", "All responses", "Share", "Excluding campaigns", "Share"], rows
    )


def _free(free: dict[str, Any]) -> list[str]:
    lines = [
        f"{number(free['answered'])} people answered this question "
        f"({number(free['answered_excluding_campaigns'])} excluding campaign responses, "
        f"{number(free['distinct_texts'])} distinct texts).",
        "",
    ]
    if free["stance"]:
        stance = free["stance"]
        rows = [
            [
                label,
                number(stance["all_submissions"].get(key, 0)),
                number(stance["excluding_campaigns"].get(key, 0)),
                number(stance["distinct_texts"].get(key, 0)),
            ]
            for key, label in (("agree", "Agree"), ("disagree", "Disagree"), ("unclear", "Unclear"))
        ]
        lines += _table(
            ["Position", "All responses", "Excluding campaigns", "Distinct texts"], rows
        )
    if not free["themes"]:
        return [*lines, "We found no common themes in the answers.", ""]
    lines += ["The themes in the answers (one answer can have several):", ""]
    rows = [
        [
            escape(t["label"]),
            number(t["all_submissions"]),
            percent(t["all_submissions_percent"]),
            number(t["excluding_campaigns"]),
            number(t["distinct_texts"]),
        ]
        for t in free["themes"]
    ]
    lines += _table(
        ["Theme", "All responses", "Share", "Excluding campaigns", "Distinct texts"], rows
    )
    for theme in free["themes"]:
        lines += [f"### {escape(theme['label'])}", ""]
        if theme["description"]:
            lines += [escape(theme["description"]), ""]
        for quote in theme["quotes"]:
            lines += [
                f"> “{escape(quote['text'])}”",
                ">",
                f"> — {escape(quote['attribution'])}",
                "",
            ]
    return lines


def _method(figures: dict[str, Any]) -> list[str]:
    run = figures["run"]
    params = figures["method_parameters"]
    lines = [
        "## How we analysed the responses",
        "",
        f"The responses were analysed with moot's analysis engine, version "
        f"{escape(run['engine_version'])} (analysis run {run['number']}).",
        "",
        "Campaigns were found by comparing the words of every response's answers: responses "
        f"sharing at least {percent(100 * params['campaign_min_overlap'])} of their word "
        "sequences with a campaign's text (and at least "
        f"{percent(100 * params['campaign_min_jaccard'])} overall similarity) belong to it; a "
        f"campaign has at least {params['min_campaign_size']} responses, and texts shorter than "
        f"{params['campaign_min_words']} words are never campaign texts.",
        "",
        "For each free-text question the engine proposed themes from the words the answers "
        "share. Analysts reviewed them: they renamed, merged, split, deleted and added themes "
        f"({number(run['theme_edits'])} changes) and coded {number(run['coded_answers'])} "
        "answers by hand. Every answer was then given the themes that fit it: by classifiers "
        "trained on the analysts' coding where a theme had enough coded examples, otherwise "
        "by similarity to the theme's words.",
        "",
        "Where a question asked whether people agree, the position comes from their answer to "
        "the agree/disagree question where they gave one, and otherwise from what they wrote.",
        "",
        "Quotes come only from people who agreed that their response could be published. "
        "Individuals are not named, and organisations are named only where they agreed to it.",
        "",
    ]
    rows = [[escape(key.replace("_", " ")), escape(value)] for key, value in params.items()]
    lines += _table(["Parameter", "Value"], rows)
    lines += [
        f"The analysis can be reproduced from the same responses with the same parameters "
        f"(fingerprint of its input: {escape(run['input_fingerprint'][:16])}).",
        "",
    ]
    return lines


def summary_markdown(*, figures: dict[str, Any]) -> str:
    """The whole summary of responses, as Markdown."""
    lines = [*_responses(figures), *_campaigns(figures)]
    for question in figures["questions"]:
        lines += [f"## Question {question['position']}: {escape(question['text'])}", ""]
        if question["closed"]:
            lines += _closed(question["closed"])
        elif question["free"]:
            lines += _free(question["free"])
    lines += _method(figures)
    return "\n".join(lines).strip() + "\n"

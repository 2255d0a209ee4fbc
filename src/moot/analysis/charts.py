"""SVG bar charts for the analysis pages, drawn on the server.

Readable without colour: each series has its own fill pattern (solid, hatched, dotted), shown
in a legend, and every bar carries its figure as text. No ``style`` attributes (the Content
Security Policy forbids inline styles): only presentation attributes. Each chart has a title
and a description for assistive technology, and the page puts a table of the same figures
beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 440
LABEL_HEIGHT = 20
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 14
LEGEND_ROW = 20
VALUE_SPACE = 120
LABEL_CHARACTERS = 48
INK = "#0b0c0c"
BLUE = "#1d70b8"


@dataclass(frozen=True, kw_only=True)
class Series:
    name: str
    values: Sequence[tuple[int, float]]  # (count, percentage) per category


def _pattern_defs(chart_id: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{chart_id}-p1" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="{BLUE}"/>'
        "</pattern>"
        f'<pattern id="{chart_id}-p2" width="5" height="5" patternUnits="userSpaceOnUse">'
        f'<rect width="5" height="5" fill="#ffffff"/><circle cx="2.5" cy="2.5" r="1.4" '
        f'fill="{BLUE}"/></pattern>'
        "</defs>"
    )


def _fill(chart_id: str, index: int) -> str:
    return BLUE if index == 0 else f"url(#{chart_id}-p{min(index, 2)})"


def bar_chart(
    *, chart_id: str, title: str, categories: Sequence[str], series: Sequence[Series]
) -> SafeString:
    """A horizontal bar chart of percentages, one group of bars per category."""
    bar_area = WIDTH - VALUE_SPACE
    group_height = LABEL_HEIGHT + len(series) * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    legend = len(series) * LEGEND_ROW + 10
    height = legend + len(categories) * group_height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="moot-chart" viewBox="0 0 {WIDTH} '
        f'{height}" width="100%" role="img" aria-labelledby="{chart_id}-title '
        f'{chart_id}-desc" font-size="14" fill="{INK}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">Bar chart of the percentages in the table beside it. '
        f"{escape(_describe(series))}</desc>",
        _pattern_defs(chart_id),
    ]
    for index, one in enumerate(series):
        y = 4 + index * LEGEND_ROW
        parts.append(
            f'<rect x="0" y="{y}" width="18" height="14" fill="{_fill(chart_id, index)}" '
            f'stroke="{BLUE}"/><text x="26" y="{y + 12}">{escape(one.name)}</text>'
        )
    for row, category in enumerate(categories):
        top = legend + row * group_height
        parts.append(
            f'<text x="0" y="{top + 15}" font-weight="bold">{escape(_short(category))}'
            f"<title>{escape(category)}</title></text>"
        )
        for index, one in enumerate(series):
            count, percentage = one.values[row]
            y = top + LABEL_HEIGHT + index * (BAR_HEIGHT + BAR_GAP)
            width = round(bar_area * max(0.0, min(percentage, 100.0)) / 100, 1)
            figure = f"{count:,} ({percentage:.1f}%)"
            parts.append(
                f'<rect x="0" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
                f'fill="{_fill(chart_id, index)}" stroke="{BLUE}">'
                f"<title>{escape(one.name)}: {escape(figure)}</title></rect>"
                f'<text x="{width + 6}" y="{y + 13}">{escape(figure)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


def _short(label: str, limit: int = LABEL_CHARACTERS) -> str:
    """A category label that fits the chart (the table beside it has it whole)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _describe(series: Sequence[Series]) -> str:
    if len(series) < 2:
        return ""
    names = ", ".join(s.name for s in series)
    return f"Each category has one bar per series ({names}), each with its own fill pattern."

"""Markdown written by staff, rendered to HTML that is safe to show the public.

Raw HTML in the source is never passed through: Python-Markdown's HTML handling is switched
off so that tags come out as text, and the result is cleaned with an allowlist as a second
line of defence (which also removes ``javascript:`` links).
"""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}

# GOV.UK Design System classes for the elements Markdown produces.
GOVUK_CLASSES = {
    "p": "govuk-body",
    "h2": "govuk-heading-m",
    "h3": "govuk-heading-s",
    "h4": "govuk-heading-s",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "table": "govuk-table",
    "thead": "govuk-table__head",
    "tbody": "govuk-table__body",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
    "blockquote": "govuk-inset-text",
}


class _NoRawHtml(markdown_lib.extensions.Extension):
    def extendMarkdown(self, md: markdown_lib.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


class _GovukClasses(markdown_lib.treeprocessors.Treeprocessor):
    def run(self, root):  # type: ignore[no-untyped-def]
        for element in root.iter():
            css_class = GOVUK_CLASSES.get(element.tag)
            if css_class:
                element.set("class", css_class)


class _GovukExtension(markdown_lib.extensions.Extension):
    def extendMarkdown(self, md: markdown_lib.Markdown) -> None:
        md.treeprocessors.register(_GovukClasses(md), "govuk_classes", 0)


def render_markdown(text: str, *, govuk_classes: bool = True) -> SafeString:
    """Render staff-written Markdown to sanitised HTML, with GOV.UK classes by default."""
    extensions: list[markdown_lib.extensions.Extension | str] = [
        _NoRawHtml(),
        "markdown.extensions.tables",
        "markdown.extensions.sane_lists",
        "markdown.extensions.abbr",
    ]
    if govuk_classes:
        extensions.append(_GovukExtension())
    html = markdown_lib.markdown(text, extensions=extensions, output_format="html")
    attributes = {tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()}
    if govuk_classes:
        for tag in GOVUK_CLASSES:
            attributes.setdefault(tag, set()).add("class")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=attributes,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 with an allowlist just above

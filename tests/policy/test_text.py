"""Reading a record's text, and writing its words back as links at the same places."""

from __future__ import annotations

from moot.core.html import sanitise_html
from moot.parliament.templatetags.parliament import answer_html
from moot.policy.text import Link, html_text, html_with_links, question_html, question_text


def _link_words(html: str, words: str) -> str:
    text = html_text(html)
    start = text.index(words)
    return html_with_links(html, [Link(start, start + len(words), "/documents/x/", "X (2006)")])


def test_text_has_a_line_per_block_so_names_do_not_run_across_paragraphs() -> None:
    assert html_text("<p>One</p><p>Two &amp; three</p>") == "One\nTwo & three\n"


def test_the_words_found_in_the_text_are_the_words_linked() -> None:
    html = "<p>The updated &#39;Working Together&#39; guide.</p><p>Other &amp; more.</p>"
    linked = _link_words(html, "Working Together")
    assert linked == (
        "<p>The updated 'Working Together' guide.</p><p>Other &amp; more.</p>".replace(
            "Working Together",
            '<a class="govuk-link moot-mention" href="/documents/x/" title="X (2006)">'
            "Working Together</a>",
        )
    )


def test_a_page_with_tables_keeps_the_same_positions() -> None:
    body = sanitise_html("<p>Before</p><table><tr><td>A</td></tr></table><p>After 'Name'</p>")
    shown = str(answer_html(body))
    assert html_text(shown) == html_text(body)
    assert "Name</a>" in _link_words(shown, "Name")


def test_words_already_inside_a_link_are_not_linked_again() -> None:
    html = '<p><a href="https://example.org/" rel="noopener noreferrer">Working Together</a></p>'
    assert _link_words(html, "Working Together") == html


def test_a_link_is_escaped_and_nothing_else_changes() -> None:
    html = "<p>x &lt;script&gt; y</p>"
    text = html_text(html)
    start = text.index("y")
    linked = html_with_links(html, [Link(start, start + 1, '/a"><script>', "<b>")])
    assert "<script>" not in linked
    assert "x &lt;script&gt; " in linked
    assert 'href="/a&quot;&gt;&lt;script&gt;"' in linked


def test_question_text_counts_what_the_page_shows() -> None:
    text = "To ask about 'Working Together'\nand <b> bold & more."
    assert question_text(text) == html_text(question_html(text))
    assert question_text(text).index("Working") == text.index("Working")

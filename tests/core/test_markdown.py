from moot.core.markdown import render_markdown


def test_renders_markdown_with_govuk_classes() -> None:
    html = render_markdown(
        "## Heading\n\nSome *emphasis* and a [link](https://example.org).\n\n- a\n- b"
    )
    assert '<h2 class="govuk-heading-m">Heading</h2>' in html
    assert '<p class="govuk-body">Some <em>emphasis</em>' in html
    assert 'class="govuk-link"' in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer"' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html


def test_raw_html_is_shown_as_text_not_passed_through() -> None:
    html = render_markdown(
        'Hello <script>alert("x")</script> <b onclick="x()">bold</b>\n\n<div>block</div>'
    )
    assert "<script" not in html
    assert "<b" not in html
    assert "<div" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;div&gt;block&lt;/div&gt;" in html


def test_javascript_links_are_removed() -> None:
    html = render_markdown("[click](javascript:alert(1)) and ![img](javascript:alert(2))")
    assert "javascript:" not in html
    assert "<img" not in html


def test_tables_render_with_govuk_classes() -> None:
    html = render_markdown("| Year | Count |\n|---|---|\n| 2007 | 12 |")
    assert '<table class="govuk-table">' in html
    assert '<td class="govuk-table__cell">12</td>' in html

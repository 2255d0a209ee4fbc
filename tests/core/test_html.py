from moot.core.html import html_to_text, sanitise_html


def test_sanitise_keeps_structure_and_drops_scripts() -> None:
    dirty = (
        '<p onclick="steal()">Answer with <a href="javascript:x()">bad</a> and '
        '<a href="https://example.org" target="_blank">good</a> links.</p>'
        "<script>alert(1)</script><style>p{}</style>"
        '<table><tr><th colspan="2">Year</th></tr>'
        "<tr><td>2007</td><td>£4.5 million</td></tr></table>"
    )
    clean = sanitise_html(dirty)
    assert "onclick" not in clean
    assert "javascript" not in clean
    assert "<script" not in clean
    assert "alert(1)" not in clean
    assert "<style" not in clean
    assert 'href="https://example.org"' in clean
    assert 'rel="noopener noreferrer"' in clean
    assert '<th colspan="2">Year</th>' in clean
    assert "£4.5 million" in clean


def test_html_to_text_keeps_one_line_per_block() -> None:
    text = html_to_text(
        "<p>First&nbsp;para.</p><p> </p><p>Second <b>para</b>.</p><ul><li>one</li><li>two</li></ul>"
    )
    assert text == "First para.\n\nSecond para.\none\ntwo"

from moot.alerts.snippets import SnippetMaker, wanted_terms


def test_wanted_terms_are_what_the_query_looks_for_not_what_it_excludes() -> None:
    assert wanted_terms('exploited "young people" -trafficking member:x') == frozenset(
        {"exploit", "young", "peopl"}
    )
    assert wanted_terms('"unclosed') == frozenset()


def test_snippet_starts_a_little_before_the_first_wanted_word() -> None:
    text = " ".join(f"w{n}" for n in range(100)) + " Exploitation of children " + "tail " * 50
    snippet = SnippetMaker().snippet(key="q:1", text=text, terms=wanted_terms("exploited"))
    assert snippet.startswith("…w88 ")
    assert "Exploitation of children" in snippet
    assert snippet.endswith("…")
    assert len(snippet.split()) == 40


def test_snippet_without_a_wanted_word_is_the_opening() -> None:
    maker = SnippetMaker()
    assert maker.snippet(key="q:2", text="Short text.", terms=frozenset({"x"})) == "Short text."
    assert maker.snippet(key="q:3", text="", terms=frozenset()) == ""

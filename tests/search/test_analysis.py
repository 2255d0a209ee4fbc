from moot.search.analysis import MAX_TERM_LENGTH, analyze


def test_words_are_lowercased_folded_and_stemmed() -> None:
    assert analyze("Exploited EXPLOITATION café Naïve") == ["exploit", "exploit", "cafe", "naiv"]


def test_punctuation_splits_words_and_numbers_are_kept() -> None:
    assert analyze("child's e-mail, 2007-12-03") == ["child", "s", "e", "mail", "2007", "12", "03"]


def test_stop_words_are_kept_so_phrases_match_exactly() -> None:
    assert analyze("to ask the Secretary of State") == [
        "to",
        "ask",
        "the",
        "secretari",
        "of",
        "state",
    ]


def test_overlong_tokens_are_dropped() -> None:
    assert analyze("a" * (MAX_TERM_LENGTH + 1) + " policy") == ["polici"]


def test_empty_text_has_no_terms() -> None:
    assert analyze("") == []
    assert analyze(" -- ") == []


def test_names_typed_without_their_accents_match() -> None:
    assert analyze("Siân James") == analyze("Sian James") == ["sian", "jame"]

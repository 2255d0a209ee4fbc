"""What the index holds beside a page's text: acronyms both ways, postcodes, telephone
numbers. Pure functions, no database."""

from __future__ import annotations

from moot.search.acronyms import known_acronyms
from moot.search.aliases import MAX_ALIASES, aliases, definitions, expansions


def test_a_known_acronym_is_spelt_out_in_the_words_around_it() -> None:
    found = aliases("Each LSCB should agree a protocol with its partners.")
    assert found == (
        "Each Local Safeguarding Children Board should agree a protocol with its",
        "LSCB LSCBs",
    )


def test_a_spelt_out_name_is_written_as_its_acronym_whatever_its_case_or_plural() -> None:
    assert aliases("aimed at Local Safeguarding Children Board partners") == (
        "aimed at LSCB partners",
        "LSCB LSCBs",
    )
    assert aliases("for Local Safeguarding Children Boards.") == ("for LSCBs.", "LSCB LSCBs")
    assert aliases("THE LOCAL SAFEGUARDING CHILDREN BOARD") == ("THE LSCB", "LSCB LSCBs")
    # Only as a name is written, with a capital: the pattern can then skip small letters.
    assert aliases("for local safeguarding children boards.") == ()
    assert aliases("the Department for Children, Schools and Families said") == (
        "the DCSF said",
        "DCSF DCSFs",
    )


def test_acronyms_match_only_as_written_and_only_whole() -> None:
    assert aliases("the nhs and the NHSX programme") == ()
    assert aliases("two LSCBs met") == ("two Local Safeguarding Children Board met", "LSCB LSCBs")
    assert aliases("the NHS's plans") == ("the National Health Service plans", "NHS")


def test_plural_acronyms_also_stand_for_the_singular() -> None:
    # Stemming leaves "pcts" as it is: the singular is held beside it.
    assert aliases("all PCTs and GPs") == ("all Primary Care Trust and GPs", "PCT PCTs", "GP")


def test_the_longest_known_name_wins() -> None:
    assert aliases("the Department for Education and Skills") == ("the DfES", "DfES")
    assert aliases("DfES and DfE") == (
        "Department for Education and Skills and DfE",
        "DfES",
        "DfES and Department for Education",
        "DfE DfEs",
    )


def test_ambiguous_acronyms_are_not_in_the_list() -> None:
    known = known_acronyms()
    for ambiguous in ("LA", "ISA", "CSE", "MP", "UK", "EU"):
        assert ambiguous not in known
    assert aliases("The LA must consult.") == ()


def test_definitions_in_the_text_are_found() -> None:
    text = (
        "The Widget Assessment Panel (WAP) meets monthly. The Department for Education and "
        "Skills (DfES), Her Majesty's Government (HMG), Freedom of Information (FOI) and "
        "Local Safeguarding Children Boards (LSCBs). Not these: Ofsted (Ofsted), Working "
        "Together (HMG 2006), the panel (WP), Something Else (ABC)."
    )
    assert definitions(text) == {
        "WAP": "Widget Assessment Panel",
        "DfES": "Department for Education and Skills",
        "HMG": "Her Majesty's Government",
        "FOI": "Freedom of Information",
        "LSCB": "Local Safeguarding Children Boards",
    }


def test_a_pages_own_definition_is_used_for_the_rest_of_it() -> None:
    text = "The Widget Assessment Panel (WAP) meets. Appeals go to the WAP within a week."
    found = aliases(text)
    assert "(WAP) meets. Appeals go to the Widget Assessment Panel within a week." in found
    assert "The WAP (WAP) meets. Appeals go to the" in found


def test_a_pages_own_definition_wins_over_the_list() -> None:
    text = "The Common Prosecution Scheme (CPS) says the CPS decides."
    found = aliases(text)
    assert any("the Common Prosecution Scheme decides" in alias for alias in found)
    assert not any("Crown Prosecution Service" in alias for alias in found)


def test_postcodes_are_held_with_and_without_their_space() -> None:
    assert aliases("Darlington DL3 9BG") == ("DL3 9BG DL39BG",)
    assert aliases("London SW1P3BT") == ("SW1P 3BT SW1P3BT",)
    assert aliases("dl3 9bg in small letters, and 2007 12") == ()


def test_telephone_numbers_are_held_with_their_digits_together() -> None:
    assert aliases("Telephone: 01325 392105 or 020 7925 0918") == ("01325392105", "02079250918")
    assert aliases("on 2007 12 03, page 01 23") == ()


def test_a_page_holds_a_bounded_number_of_aliases() -> None:
    text = " ".join(f"The NHS trust number {n} said so." for n in range(1000))
    assert len(aliases(text)) == MAX_ALIASES


def test_expansions_of_what_is_typed_in_a_search() -> None:
    assert expansions("lscb") == ("Local Safeguarding Children Board",)
    assert expansions("LSCBs") == ("Local Safeguarding Children Board",)
    assert expansions("Local Safeguarding Children Boards") == ("LSCBs",)
    assert expansions("children") == ()

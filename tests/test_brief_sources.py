"""Every brief sentence cites the translation sentences that support it (issue 14)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from translate.faithful.brief import brief_sources, guard_brief

TRANSLATION = [
    "Russian President Vladimir Putin met the Pakistani ambassador in Moscow on Friday.",
    "Trade between the two countries grew by about 50 percent in 2023.",
    "It is now worth more than $1 billion, a Russian official said.",
    "The 11th session of the commission will be held in Russia in 2026.",
    "Both sides agreed to build a steel mill in Karachi.",
    "Both sides agreed to build a steel mill in Karachi.",  # a repeated paragraph: cited once
]


def test_an_extractive_brief_cites_exactly_its_own_sentences():
    assert brief_sources(" ".join(TRANSLATION[:5]), TRANSLATION) == [[0], [1], [2], [3], [4]]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=1, max_size=5, unique=True))
def test_any_extractive_selection_cites_its_sentences_in_order(picked):
    assert brief_sources(" ".join(TRANSLATION[i] for i in picked), TRANSLATION) == [[i] for i in picked]


def test_a_sentence_built_from_two_cites_both_in_text_order():
    brief = "Putin met the Pakistani ambassador in Moscow as trade grew by 50 percent in 2023."
    assert brief_sources(brief, TRANSLATION) == [[0, 1]]  # both, in text order (the trade one shares more)
    brief = "Putin met the Pakistani ambassador in Moscow and agreed to build a steel mill in Karachi."
    assert brief_sources(brief, TRANSLATION) == [[0, 4]]


def test_a_number_alone_is_support_and_a_common_word_is_not():
    assert brief_sources("Something happened in 2026.", TRANSLATION) == [[3]]
    assert brief_sources("It is now what they said.", TRANSLATION) == [[]]  # only the commonest words


def test_a_sentence_sharing_nothing_cites_none():
    brief = "Putin met the ambassador in Moscow. The weather in Lahore was pleasant."
    assert brief_sources(brief, TRANSLATION) == [[0], []]
    assert brief_sources("", TRANSLATION) == []
    assert brief_sources("Putin met the ambassador.", []) == [[]]


def test_the_guarded_brief_cites_a_source_for_every_sentence():
    brief = ("Putin met the Pakistani ambassador in Moscow. Trade grew by 70 percent in 2023. "
             "A steel mill will be built by Surya.")
    guarded, warnings = guard_brief(brief, TRANSLATION)
    assert len(warnings) == 2  # the invented 70% and Surya: replaced by sentences 1 and 4
    assert brief_sources(guarded, TRANSLATION) == [[0], [1], [4]]

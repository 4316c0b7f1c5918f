"""The guarded brief: sentences stating what the translation does not say are replaced."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from translate.faithful.brief import guard_brief
from translate.faithful.checks import check_brief
from translate.faithful.protect import english_numbers, number_values
from translate.options import BRIEF_MODES

TRANSLATION = [
    "Russian President Vladimir Putin met the Pakistani ambassador in Moscow on Friday.",
    "Trade between the two countries grew by about 50 percent in 2023.",
    "It is now worth more than $1 billion, a Russian official said.",
    "The 11th session of the commission will be held in Russia in 2026.",
    "Both sides agreed to build a steel mill in Karachi.",
]


def test_modes_and_default():
    assert BRIEF_MODES[0] == "guarded" and set(BRIEF_MODES) == {"guarded", "abstractive", "extractive"}


def test_a_faithful_brief_is_kept_verbatim():
    brief = "Putin met the Pakistani ambassador in Moscow. Trade grew by 50 percent in 2023."
    assert guard_brief(brief, TRANSLATION) == (brief, [])


def test_an_invented_number_is_replaced_by_the_closest_translation_sentence():
    brief = "Putin met the Pakistani ambassador in Moscow. Trade grew by 70 percent in 2023."
    guarded, warnings = guard_brief(brief, TRANSLATION)
    assert guarded == "Putin met the Pakistani ambassador in Moscow. " + TRANSLATION[1]
    (w,) = warnings
    assert w["code"] == "brief-sentence-replaced" and w["segment"] is None
    assert "70" in w["message"] and w["detail"]["by"] == TRANSLATION[1]


def test_an_invented_name_is_replaced_and_no_sentence_is_used_twice():
    brief = "Trade grew by about 50 percent in 2023. Trade with Surya grew by about 50 percent."
    guarded, warnings = guard_brief(brief, TRANSLATION)
    assert guarded.count(TRANSLATION[1]) == 1 and "Surya" not in guarded
    assert [w["detail"]["replaced"] for w in warnings] == ["Trade with Surya grew by about 50 percent."]


def test_with_no_sentence_left_the_failing_sentence_is_dropped():
    guarded, warnings = guard_brief("Putin met Surya.", ["Putin met Sharif."])
    assert guarded == "Putin met Sharif."
    guarded, warnings = guard_brief("Putin met Sharif. Putin met Surya.", ["Putin met Sharif."])
    assert guarded == "Putin met Sharif." and "dropped" in warnings[0]["message"]


_numbers = st.one_of(
    st.integers(0, 3000).map(str),
    st.integers(1, 999).map(lambda n: f"{n}%"),
    st.integers(1, 99).map(lambda n: f"{n}th"),
    st.floats(0.1, 99, allow_nan=False).map(lambda f: f"{f:.1f}"),
    st.integers(1, 9).map(lambda n: f"${n} billion"),
    st.integers(1000, 999999).map(lambda n: f"{n:,}"),
)


@st.composite
def briefs(draw):
    """Brief sentences: translation sentences, some cut short, some with a number put in."""
    sentences = []
    for _ in range(draw(st.integers(1, 5))):
        sentence = draw(st.sampled_from(TRANSLATION))
        words = sentence.rstrip(".").split()
        if draw(st.booleans()):
            words = words[: draw(st.integers(1, len(words)))]
        for _ in range(draw(st.integers(0, 2))):
            words.insert(draw(st.integers(0, len(words))), draw(_numbers))
        sentences.append(" ".join(words) + draw(st.sampled_from([".", "!", "?", ""])))
    return " ".join(sentences)


@settings(max_examples=200, deadline=None)
@given(briefs())
def test_guarded_brief_never_holds_a_number_absent_from_the_translation(brief):
    guarded, _ = guard_brief(brief, TRANSLATION)
    present = number_values(" ".join(TRANSLATION))
    for mention in english_numbers(guarded, words=False):
        assert mention.values & present, (brief, guarded, mention)
    assert not [w for w in check_brief(guarded, " ".join(TRANSLATION)) if w["code"] == "brief-unsupported-number"]

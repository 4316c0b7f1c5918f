"""Each check on hand-made (Hindi, English) pairs: a lie gets its warning, an honest pair none."""

from __future__ import annotations

import pytest

from translate.faithful.checks import check_brief, check_segment
from translate.faithful.glossary import Glossary

GLOSSARY = Glossary({"शंघाई सहयोग संगठन": "Shanghai Cooperation Organisation", "सूर्य": "Surya"})
HI = "बैठक के समापन के दौरान दोनों पक्षों ने फैसला लिया कि आईजीसी का 11वां सत्र साल 2026 में आयोजित किया जाएगा।"
EN = "At the end of the meeting both sides decided that the 11th session of the IGC will be held in 2026."


def codes(warnings):
    return [w["code"] for w in warnings]


@pytest.mark.parametrize(
    ("hi", "en"),
    [
        (HI, EN),
        ("लगभग 50 फीसदी की बढ़ोत्तरी हुई है, जो कि 1 बिलियन डॉलर से अधिक हो गई है।",
         "Trade grew by about 50 percent, to more than $1 billion."),
        ("शुक्रवार (११ जुलाई, २०२५) को पाकिस्तान ने कहा कि 5 लाख लोग आए।",
         "On Friday (July 11, 2025) Pakistan said that 500,000 people came."),
        ("हम शंघाई सहयोग संगठन के पूर्ण सदस्य पाकिस्तान के साथ घनिष्ठ सहयोग बनाए रखते हैं।",
         "We maintain close cooperation with Pakistan, a full member of the Shanghai Cooperation Organisation."),
        ("दोनों देशों के बीच तीन अहम एमओयू पर हस्ताक्षर हुए।", "Three important MoUs were signed between the two countries."),
        ("उन्होंने कहा कि सहयोग बहुत, बहुत अहम है और आगे भी जारी रहेगा।", "He said that cooperation is very, very important and will continue."),
    ],
)
def test_honest_pairs_raise_no_warning(hi, en):
    assert check_segment(0, hi, en, GLOSSARY) == []


def test_a_changed_number_is_named():
    warnings = check_segment(4, HI, EN.replace("11th", "12th"), GLOSSARY)
    assert codes(warnings) == ["number-changed"]
    (w,) = warnings
    assert w["segment"] == 4 and "11वां" in w["message"] and "12th" in w["message"]
    assert w["detail"]["expected"] == ["11"] and w["detail"]["found"] == ["12th"]


def test_a_dropped_number_is_named():
    warnings = check_segment(0, HI, EN.replace(" in 2026", ""), GLOSSARY)
    assert codes(warnings) == ["number-missing"]
    assert "2026" in warnings[0]["message"]


def test_a_missed_glossary_term_is_named():
    hi = "सूर्य ने कहा कि वह कल दिल्ली आएंगे और बैठक में शामिल होंगे।"
    warnings = check_segment(0, hi, "The Sun said that he will come to Delhi tomorrow and join the meeting.", GLOSSARY)
    assert codes(warnings) == ["glossary-missed"]
    assert "Surya" in warnings[0]["message"] and "सूर्य" in warnings[0]["message"]
    assert check_segment(0, hi, "Surya said that he will come to Delhi tomorrow and join the meeting.", GLOSSARY) == []


def test_a_decoding_loop_is_caught_but_a_repeated_name_is_not():
    looped = "At the end of the meeting the meeting the meeting the meeting both sides decided on 11th and 2026."
    assert "repetition" in codes(check_segment(0, HI, looped))
    hi = "बोरा बोरा और वाला वाला में 11वां सत्र साल 2026 में आयोजित किया जाएगा, दोनों पक्षों ने कहा।"
    assert check_segment(0, hi, "The 11th session will be held in Bora Bora and Walla Walla in 2026, both sides said.") == []


def test_devanagari_left_in_the_english_is_named():
    warnings = check_segment(0, HI, EN.replace("meeting", "बैठक"))
    assert codes(warnings) == ["devanagari-left"] and "बैठक" in warnings[0]["message"]


def test_far_too_short_and_far_too_long_translations():
    short = check_segment(0, HI, "The 11th session is in 2026.")
    assert codes(short) == ["length-ratio"] and "dropped" in short[0]["message"]
    long = check_segment(0, HI, EN + " It will also discuss trade, energy, defence, space and the weather in great detail.")
    assert codes(long) == ["length-ratio"] and "invented" in long[0]["message"]


def test_an_empty_translation_names_what_was_lost():
    warnings = check_segment(2, HI, "   ", GLOSSARY)
    assert codes(warnings) == ["empty-translation"]
    assert "11वां" in warnings[0]["message"] and "2026" in warnings[0]["message"]
    assert check_segment(2, "।", "", GLOSSARY) == []


def test_a_lost_url_is_named():
    warnings = check_segment(0, "Read More at www.abplive.com", "Read more at abplive")
    assert codes(warnings) == ["span-missing"] and "www.abplive.com" in warnings[0]["message"]


TRANSLATION = "Putin met Sharif in Moscow on July 11. Trade grew by 50 percent to $1 billion. Three deals were signed."


def test_brief_supported_by_the_translation_has_no_warning():
    assert check_brief("Putin and Sharif met in Moscow. Trade rose 50% to 1 billion dollars; 3 deals were signed.", TRANSLATION) == []


def test_brief_numbers_and_names_the_translation_lacks_are_named():
    warnings = check_brief("Putin met Surya in Moscow on July 12. Trade grew by 50 percent.", TRANSLATION)
    assert codes(warnings) == ["brief-unsupported-number", "brief-unsupported-name"]
    assert "12" in warnings[0]["message"] and "Surya" in warnings[1]["message"]
    assert all(w["segment"] is None for w in warnings)


def test_the_first_word_of_a_brief_sentence_is_not_a_name():
    assert check_brief("Meanwhile trade grew. Officially, Putin met Sharif.", TRANSLATION) == []


def test_a_warning_reads_as_one_short_line_naming_its_place():
    """What the page's problem list and a reader see: where, then what, in a few words."""
    from translate.faithful import problem_line, warning

    changed = warning("number-changed", 16, "The source's '5' (5) is not in the translation, which has '7' instead: ...",
                      source="5", value=5, found=["7"])
    assert problem_line(changed) == "Sentence 17: 5 became 7"
    name = warning("name-missing", 2, "The name 'फ़ैसल नियाज़ तिर्मिज़ी' (something like ...) is not in the translation: ...",
                   source="फ़ैसल नियाज़ तिर्मिज़ी", expected=["Faisal Niaz Tirmizi", "Faisal Niyaz Tirmizi"])
    assert problem_line(name) == "Sentence 3: the name Faisal Niaz Tirmizi (फ़ैसल नियाज़ तिर्मिज़ी) is missing"
    brief = warning("brief-unsupported-number", None, "The brief says '40', a number the translation does not contain.",
                    value="40")
    assert problem_line(brief) == "The brief: 40 is not in the translation"
    bare = warning("low-confidence", 0, "The model gave this translation a confidence of 0.21, below 0.5.")
    assert problem_line(bare) == "Sentence 1: the model gave this translation a confidence of 0.21, below 0.5."

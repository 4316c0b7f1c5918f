"""Normalization, the rules table and the cleaning steps (translate.article.cleaning)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.article.cleaning import clean_units, load_rules, normalize_line, normalize_text, text_units
from translate.errors import UsageError

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
PARAGRAPH = ("भारत और रूस के बीच रणनीतिक साझेदारी को और मजबूत करने के उद्देश्य से विदेश मंत्री ने मॉस्को में "
             "अपने रूसी समकक्ष से मुलाकात की। दोनों देशों के बीच यह उच्चस्तरीय बैठक हुई।")
OTHER = ("रक्षा क्षेत्र में भी दोनों देशों के बीच सहयोग को नए स्तर पर ले जाने पर सहमति बनी। संयुक्त उत्पादन "
         "और स्पेयर पार्ट्स की उपलब्धता पर भी चर्चा हुई।")


def clean(text: str, **kwargs):
    return clean_units(text_units(text), **kwargs)


# --- normalization ------------------------------------------------------------------------------


def test_nukta_spellings_become_one() -> None:
    composed, decomposed = "\u095b\u093c\u0930\u0942\u0930", "\u091c\u093c\u0930\u0942\u0930"  # ज़रूर both ways
    assert normalize_line("\u095bरूर") == normalize_line("\u091c\u093cरूर")
    assert normalize_line(composed[0] + composed[2:]) == unicodedata.normalize("NFC", decomposed[0:2] + decomposed[2:])


def test_zero_width_joiners_kept_only_inside_devanagari() -> None:
    conjunct = "क्\u200dष"  # ZWJ between virama and letter selects a half form: meaningful
    assert normalize_line(conjunct) == conjunct
    assert normalize_line("रूस\u200d ने") == "रूस ने"  # stray, before a space
    assert normalize_line("\u200cPSM\u200d") == "PSM"
    assert normalize_line("रू\u200bस") == "रूस"  # ZWSP always goes


def test_invisible_and_control_characters_go() -> None:
    text = "\ufeff\u202eरूस\u200f ने\x07 \x1b[31mसमझौता\x1b[0m\u00ad किया\ud800।"
    assert normalize_line(text) == "रूस ने समझौता किया।"


def test_whitespace_is_collapsed_but_line_breaks_are_kept() -> None:
    assert normalize_text("रूस\u00a0\u00a0ने \t समझौता\r\nकिया\u2028अंत") == "रूस ने समझौता\nकिया\nअंत"


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.text(alphabet=st.sampled_from(
    list("कषरूसनेज़ड़ं्ािीु।. \n\t") + ["\u093c", "\u095b", "\u200b", "\u200c", "\u200d", "\u202e", "\u00a0",
                                       "\x1b", "[", "m", "3", "\ud800", "\r", "\u2028", "a", "\u0301"]), max_size=80))
def test_normalization_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert normalize_line(normalize_line(text)) == normalize_line(text)


# --- rules and cleaning ---------------------------------------------------------------------------


def test_every_line_is_kept_or_removed_with_a_reason() -> None:
    text = "\n".join(["Spread the love", PARAGRAPH, "विज्ञापन", "यह भी पढ़ें: कुछ और", OTHER, "Latest News", "दूसरी खबर।"])
    result = clean(text)
    assert [text for _, text in result.blocks] == [PARAGRAPH, OTHER]
    assert result.removed == [
        {"line": "Spread the love", "reason": "share label"},
        {"line": "विज्ञापन", "reason": "advertisement marker"},
        {"line": "यह भी पढ़ें: कुछ और", "reason": "cross-link"},
        {"line": "Latest News", "reason": "trailing block: Latest News"},
        {"line": "दूसरी खबर।", "reason": "after Latest News"},
    ]


def test_a_trailing_block_marker_before_the_story_is_only_a_widget_heading() -> None:
    result = clean("\n".join(["Top 5 This Week", "Related Posts", "मॉस्को में जयशंकर", PARAGRAPH, "Popular Articles", "x"]))
    assert result.title == "मॉस्को में जयशंकर"
    assert [text for _, text in result.blocks] == [PARAGRAPH]
    assert [r["reason"] for r in result.removed] == [
        "widget heading", "widget heading", "trailing block: Popular Articles", "after Popular Articles"]


def test_photo_caption_goes_with_its_credit_but_a_long_paragraph_stays() -> None:
    result = clean("\n".join([PARAGRAPH, "पाकिस्तान-रूस।", "- फोटो : Adobe Stock", OTHER, "फोटो: PTI"]))
    assert [text for _, text in result.blocks] == [PARAGRAPH, OTHER]
    assert [(r["line"], r["reason"]) for r in result.removed] == [
        ("पाकिस्तान-रूस।", "photo caption"), ("- फोटो : Adobe Stock", "photo credit"), ("फोटो: PTI", "photo credit")]


def test_metadata_lines_fill_metadata() -> None:
    text = "\n".join(["वर्ल्ड डेस्क, अमर उजाला, इस्लामाबाद", "Published by: कीर्तिवर्धन मिश्र",
                      "Updated Fri, 28 Nov 2025 11:11 AM IST", "सार", "सारांश का वाक्य।", "Aarti Kushwaha",
                      "Reporter The Printlines", PARAGRAPH])
    result = clean(text)
    assert result.metadata == {
        "site": "वर्ल्ड डेस्क, अमर उजाला, इस्लामाबाद",
        "author": "कीर्तिवर्धन मिश्र",
        "dateline": "Fri, 28 Nov 2025 11:11 AM IST",
        "summary": "सारांश का वाक्य।",
    }
    assert [text for _, text in result.blocks] == [PARAGRAPH]
    assert {"line": "Aarti Kushwaha", "reason": "metadata: author"} in result.removed  # the first author wins


def test_exact_and_near_duplicate_paragraphs_keep_the_first_copy() -> None:
    near = PARAGRAPH.replace("उच्चस्तरीय", "अहम")  # one word changed
    result = clean("\n".join([PARAGRAPH, OTHER, PARAGRAPH + " ", near, "  " + OTHER.upper()]))
    assert [text for _, text in result.blocks] == [PARAGRAPH, OTHER]
    assert [r["reason"] for r in result.removed] == [
        "duplicate paragraph", "near-duplicate paragraph", "duplicate paragraph"]


def test_different_paragraphs_on_the_same_topic_are_both_kept() -> None:
    second = "भारत और रूस के बीच व्यापार को अगले कुछ वर्षों में कई गुना बढ़ाने की आवश्यकता पर सहमति जताई गई।"
    assert len(clean(PARAGRAPH + "\n" + second).blocks) == 2


def test_headings_need_a_paragraph_after_them() -> None:
    text = "\n".join(["शीर्षक पंक्ति", PARAGRAPH, "सचिव ने क्या कहा?", OTHER, "छोटी पंक्ति", "दूसरी छोटी",
                      "मुलाकात के दौरान यूक्रेन संकट और आतंकवाद जैसे वैश्विक मुद्दों पर भी विचार-विमर्श किया गया।",
                      "अंतिम छोटी पंक्ति"])
    result = clean(text)
    assert result.title == "शीर्षक पंक्ति"
    assert [kind for kind, _ in result.blocks] == ["paragraph", "heading", "paragraph", "paragraph", "heading",
                                                   "paragraph", "paragraph"]


def test_no_title_when_the_page_starts_with_a_paragraph() -> None:
    result = clean(PARAGRAPH + "\n" + OTHER)
    assert result.title == ""
    assert len(result.blocks) == 2


def test_a_known_title_takes_its_line_out_of_the_body() -> None:
    result = clean("रूस की करीबी?: दोनों देशों में सहमति\n" + PARAGRAPH + "\nरूस की करीबी?: दोनों देशों में सहमति",
                   title="रूस की करीबी?: दोनों देशों में सहमति")
    assert result.title == "रूस की करीबी?: दोनों देशों में सहमति"
    assert [text for _, text in result.blocks] == [PARAGRAPH]


def test_user_rules_extend_the_table(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[[drop]]\nreason = "newsletter box"\nprefix = ["Subscribe to our newsletter"]\n'
                     '[[cut]]\nreason = "trailing block: Comments"\nexact = ["टिप्पणियां"]\n'
                     '[settings]\nheading_max_chars = 10\n', encoding="utf-8")
    rules = load_rules(extra)
    text = "\n".join([PARAGRAPH, "Subscribe to our newsletter today", "सचिव ने क्या कहा?", OTHER, "टिप्पणियां", "बढ़िया!"])
    result = clean(text, rules=rules)
    assert [r["reason"] for r in result.removed] == ["newsletter box", "trailing block: Comments", "after टिप्पणियां"]
    assert [kind for kind, _ in result.blocks] == ["paragraph", "paragraph", "paragraph"]  # heading limit now 10
    assert [r["reason"] for r in clean(text).removed] == []  # the built-in table alone keeps those lines


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[drop]]\nreason = 'x'\nregex = ['(unclosed']\n", "bad regex"),
        ("[[drop]]\nexact = ['x']\n", "needs a 'reason'"),
        ("[[drop]]\nreason = 'x'\n", "needs at least one of"),
        ("[[remove]]\nreason = 'x'\nexact = ['x']\n", "unknown section"),
        ("[settings]\nheading_max_chars = -1\n", "positive number"),
        ("not toml = = =", "not a valid UTF-8 TOML"),
    ],
)
def test_bad_rules_files_are_usage_errors_naming_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad_rules.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=message) as info:
        load_rules(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_missing_rules_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read rules file"):
        load_rules(tmp_path / "nope.toml")


def test_rules_are_not_tried_on_long_story_lines() -> None:
    long_line = "Latest News " + "रूस और भारत के बीच बातचीत जारी रही " * 20
    assert [text for _, text in clean(PARAGRAPH + "\n" + long_line).blocks] == [PARAGRAPH, long_line.strip()]


# --- idempotence ------------------------------------------------------------------------------------

SEED_LINES = sorted({line.strip() for seed in sorted(SEEDS.glob("*.txt"))
                     for line in seed.read_text(encoding="utf-8").splitlines()[1:] if line.strip()})
NOISE = ["\u200b", "\u00a0", "\u202e", "\t", "  ", "\u200d", "\x07"]


@st.composite
def pages(draw) -> str:
    lines = draw(st.lists(st.one_of(st.sampled_from(SEED_LINES), st.text(max_size=40)), max_size=25))
    noisy = [line + draw(st.sampled_from(NOISE)) if draw(st.booleans()) else line for line in lines]
    return draw(st.sampled_from(["\n", "\n\n", "\r\n"])).join(noisy)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(pages())
def test_cleaning_is_idempotent(text: str) -> None:
    first = clean(text)
    second = clean_units(first.to_units())
    assert (second.title, second.blocks, second.removed) == (first.title, first.blocks, [])

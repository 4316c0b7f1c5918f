"""Sentence splitting of Hindi news text (translate.article.segment.split_sentences)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.article.segment import split_sentences


def nonspace(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("रूस ने समझौता किया। भारत चिंतित है।", ["रूस ने समझौता किया।", "भारत चिंतित है।"]),
        ("क्या यह सच है? हाँ, यह सच है! आगे देखें॥ अंत|", ["क्या यह सच है?", "हाँ, यह सच है!", "आगे देखें॥", "अंत|"]),
        ("बैठक हुई | फिर चर्चा हुई |", ["बैठक हुई |", "फिर चर्चा हुई |"]),
        ("नजदीकियां बढ़ाने में जुटा है. इसी कड़ी में दस्तखत किए हैं.", ["नजदीकियां बढ़ाने में जुटा है.", "इसी कड़ी में दस्तखत किए हैं."]),
        # seed 003: no space after the period
        ("पाकिस्तान यात्रा पर है.इस दौरान मुलाकात की.", ["पाकिस्तान यात्रा पर है.", "इस दौरान मुलाकात की."]),
        # closing quotes stay with their sentence, also across one space as FLORES writes them
        ('कहा कि "संबंध फायदेमंद हैं।" रूस ने कहा।', ['कहा कि "संबंध फायदेमंद हैं।"', "रूस ने कहा।"]),
        ("कहा, “प्रतिबद्धता को दिखाता है.” वहीं, रूस ने कहा.", ["कहा, “प्रतिबद्धता को दिखाता है.”", "वहीं, रूस ने कहा."]),
        ("रोगी थे। ” डॉ. उर ने कहा।", ["रोगी थे। ”", "डॉ. उर ने कहा।"]),
        ("चर्चा की गई है.’ वहीं, बात हुई.", ["चर्चा की गई है.’", "वहीं, बात हुई."]),
        ("(यह सही नहीं!). आगे बढ़े.", ["(यह सही नहीं!).", "आगे बढ़े."]),
        # abbreviations and initials
        ("विदेश मंत्री डॉ. एस. जयशंकर ने मुलाकात की। बात हुई।", ["विदेश मंत्री डॉ. एस. जयशंकर ने मुलाकात की।", "बात हुई।"]),
        ("जनरल अलेक्जेंडर वी. फोमिन पहुंचे. बैठक हुई.", ["जनरल अलेक्जेंडर वी. फोमिन पहुंचे.", "बैठक हुई."]),
        ("Mr. Smith and Dr. A. Rao met at St. Paul's etc. today. Then they left.",
         ["Mr. Smith and Dr. A. Rao met at St. Paul's etc. today.", "Then they left."]),
        ("प्रो. वर्मा और श्री. शर्मा आए। फिर गए।", ["प्रो. वर्मा और श्री. शर्मा आए।", "फिर गए।"]),
        # numbers
        ("विकास दर 1.5 रही. महंगाई 2.3 प्रतिशत बढ़ी.", ["विकास दर 1.5 रही.", "महंगाई 2.3 प्रतिशत बढ़ी."]),
        ("साल 2023. अगले साल 11.07.2025 को बैठक।", ["साल 2023.", "अगले साल 11.07.2025 को बैठक।"]),
        # URLs and e-mail addresses
        ("Read More at www.abplive.com. फिर पढ़ें.", ["Read More at www.abplive.com.", "फिर पढ़ें."]),
        ("लिखें news@amarujala.com पर! या https://x.in/a?b=1.2 देखें।",
         ["लिखें news@amarujala.com पर!", "या https://x.in/a?b=1.2 देखें।"]),
        # a terminator followed by more punctuation continues the sentence (seed 000's headline)
        ("रूस की करीबी?: दोनों देशों में सहमति", ["रूस की करीबी?: दोनों देशों में सहमति"]),
        # ellipses continue the sentence (measured on FLORES); at the end they end it
        ("बातें करता है ... मैं तैयार हो रहा था। अपने संबोधन...", ["बातें करता है ... मैं तैयार हो रहा था।", "अपने संबोधन..."]),
        ("उसकी याद आएगी…आशा है कि वह ठीक है।", ["उसकी याद आएगी…आशा है कि वह ठीक है।"]),
        # a doubled period is a period (newstest2014 writes "कहा..")
        ("श्री माझांग ने कहा.. किस प्रकार की क्षमता?", ["श्री माझांग ने कहा..", "किस प्रकार की क्षमता?"]),
        # a last sentence without terminator, and text without any
        ("पहला वाक्य। दोनों देशों ने संकल्प लिया", ["पहला वाक्य।", "दोनों देशों ने संकल्प लिया"]),
        ("ऊर्जा सहयोग रहा बैठक में चर्चा का केंद्र", ["ऊर्जा सहयोग रहा बैठक में चर्चा का केंद्र"]),
        # a blank line is a paragraph break; a single line break is not
        ("पहली पंक्ति\n\nदूसरी पंक्ति", ["पहली पंक्ति", "दूसरी पंक्ति"]),
        ("एक लंबा\nवाक्य।", ["एक लंबा\nवाक्य।"]),
        # punctuation-only pieces are glued to a neighbour, nothing is dropped
        ("... । रूस आया।", ["... । रूस आया।"]),
        ("", []),
        ("   \n ", []),
    ],
)
def test_split_examples(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_seed_004_sentences_around_initials() -> None:
    text = ("भारत और रूस के बीच रणनीतिक साझेदारी को और मजबूत करने के उद्देश्य से विदेश मंत्री डॉ. एस. जयशंकर ने "
            "मॉस्को में अपने रूसी समकक्ष सेर्गेई लावरोव से मुलाकात की। दोनों देशों के बीच यह उच्चस्तरीय बैठक हुई है।")
    pieces = split_sentences(text)
    assert len(pieces) == 2
    assert pieces[0].endswith("मुलाकात की।") and "डॉ. एस. जयशंकर" in pieces[0]


def test_long_line_without_terminator_is_one_sentence() -> None:
    line = " ".join(["रूस और पाकिस्तान के बीच ऊर्जा सहयोग पर बातचीत जारी रही"] * 400)[:20_000].rstrip()
    assert split_sentences(line) == [line]


@pytest.mark.parametrize("unit", ["a.", "डॉ.", "1.", "www.a", ".", "…", "a@b.", "?!", "\u201d.", "x" * 50 + "."])
def test_adversarial_repetitions_keep_every_character(unit: str) -> None:
    text = unit * 20_000  # 20k+ characters with no space: the scanner must stay linear
    pieces = split_sentences(text)
    assert "".join(nonspace(p) for p in pieces) == text


PIECES = ["रूस", "पाकिस्तान", "है", "डॉ", "एस", "वी", "A", "Mr", "1", "5", "www", "com", "a@b", "http://x.in/?q",
          "।", "॥", ".", "?", "!", "|", "...", "…", "\"", "”", "’", ")", ":", ",", "-", " ", " ", "\n", "\n\n", "\t",
          "\u00a0", "\u200b"]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.one_of(st.text(max_size=300), st.lists(st.sampled_from(PIECES), max_size=120).map("".join)))
def test_split_loses_and_invents_nothing(text: str) -> None:
    pieces = split_sentences(text)
    assert all(piece and piece == piece.strip() for piece in pieces)
    assert "".join(nonspace(piece) for piece in pieces) == nonspace(text)

"""Protected spans: what counts as a number in Hindi and in English, and check-and-repair."""

from __future__ import annotations

from decimal import Decimal

import pytest

from translate.faithful.glossary import Glossary
from translate.faithful.protect import Protector, find_spans, number_values, to_ascii_digits


def test_devanagari_digits_become_ascii():
    assert to_ascii_digits("साल २०२६ में १.५%") == "साल 2026 में 1.5%"


@pytest.mark.parametrize(
    ("hindi", "kind", "value", "numbers"),
    [
        ("आईजीसी की 10वीं बैठक", "ordinal", "10th", [{"10"}]),
        ("आईजीसी का 11वां सत्र", "ordinal", "11th", [{"11"}]),
        ("लगभग 50 फीसदी की बढ़ोत्तरी", "percent", "50%", [{"50"}]),
        ("20 प्रतिशत से अधिक", "percent", "20%", [{"20"}]),
        ("1 बिलियन डॉलर की", "amount", "1 billion dollars", [{"1", "1000000000"}]),
        ("कीमत ₹5,000 है", "amount", "₹5000", [{"5000"}]),
        ("5 लाख रुपये मिले", "amount", "5 lakh rupees", [{"5", "500000"}]),
        ("१.५ करोड़ लोग", "amount", "1.5 crore", [{"1.5", "15000000"}]),
        ("शुक्रवार (11 जुलाई, 2025) को", "date", "11 July 2025", [{"11"}, {"2025"}]),
        ("साल 2023-24 में", "range", "2023-24", [{"2023"}, {"24", "2024"}]),
        ("कुल 10,00,000 लोग", "number", "1000000", [{"1000000"}]),
        ("साल २०२६ में", "number", "2026", [{"2026"}]),
        ("Read More at www.abplive.com", "url", "www.abplive.com", []),
        ("लिखें news@example.org पर", "email", "news@example.org", []),
        ("पीएम ने @narendramodi से", "handle", "@narendramodi", []),
    ],
)
def test_find_spans_kinds_and_values(hindi, kind, value, numbers):
    (span,) = find_spans(hindi)
    assert (span.kind, span.value) == (kind, value)
    assert hindi[span.start : span.end] == span.source
    assert [set(choices) for choices in span.numbers] == [{Decimal(n) for n in group} for group in numbers]


def test_hindi_number_words_are_not_protected():
    assert find_spans("दो देशों ने तीन समझौते किए") == []


def test_glossary_terms_are_spans_and_go_into_the_model_input_in_english():
    glossary = Glossary({"शंघाई सहयोग संगठन": "Shanghai Cooperation Organisation"})
    sentence = "हम शंघाई सहयोग संगठन के सदस्य हैं, साल २०२३ से"
    prepared = Protector(glossary).prepare(sentence)
    assert prepared.source == sentence
    assert prepared.text == "हम Shanghai Cooperation Organisation के सदस्य हैं, साल 2023 से"
    assert [(s.kind, s.value) for s in prepared.spans] == [("term", "Shanghai Cooperation Organisation"), ("number", "2023")]


@pytest.mark.parametrize(
    ("english", "value"),
    [("the 10th meeting", 10), ("50 percent", 50), ("50 per cent", 50), ("50%", 50), ("2,000 people", 2000),
     ("five lakh", 500000), ("500,000", 500000), ("$1bn", 1000000000), ("three countries", 3), ("the first", 1)],
)
def test_english_numbers_are_read_by_value(english, value):
    assert Decimal(value) in number_values(english)


def test_finish_writes_devanagari_digits_and_danda_in_ascii():
    protector = Protector()
    prepared = protector.prepare("साल २०२६ में")
    assert protector.finish(prepared, "In २०२६।") == "In 2026."
    assert prepared.repairs == []


def test_finish_repairs_one_changed_percentage_and_says_so():
    protector = Protector()
    prepared = protector.prepare("व्यापार में 50 फीसदी और 2 समझौते")
    assert protector.finish(prepared, "Trade grew 15% and 2 deals.") == "Trade grew 50% and 2 deals."
    (repair,) = prepared.repairs
    assert repair["code"] == "number-repaired" and "15" in repair["message"] and "50" in repair["message"]


@pytest.mark.parametrize(
    ("hindi", "english"),
    [
        ("10 और 20 लोग", "11 and 21 people"),  # plain numbers: which is which is unknowable
        ("50 फीसदी और 20 फीसदी", "51% and 21%"),  # two percentages changed: ambiguous
        ("1 बिलियन डॉलर", "2 million dollars"),  # a different scale is not a typo
        ("दो देशों में 10 समझौते", "2 countries signed deals"),  # "2" comes from दो: no guessing
    ],
)
def test_finish_does_not_guess_when_ambiguous(hindi, english):
    protector = Protector()
    prepared = protector.prepare(hindi)
    assert protector.finish(prepared, english) == english
    assert prepared.repairs == []

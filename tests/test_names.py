"""Names and acronyms (issue 14): found in the Hindi, looked for in the English, made consistent.

The seeds' names are labelled by hand in seed_names.py; FLORES-200 devtest's human references stand
for honest translations (a false alarm there is a warning a reader would not need).
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import pytest
from faults import replace_name
from seed_names import SEED_NAMES, gold_spans
from stubs import HonestTranslator

from translate.article import load_article
from translate.faithful.glossary import Glossary
from translate.faithful.names import (
    article_names,
    check_names,
    find_names,
    harmonize_names,
    name_score,
    romanize,
)
from translate.faithful.protect import Protector

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data" / "hi-en"
GLOSSARY = Glossary.load()


@cache
def seed_sentences(name: str) -> list[str]:
    return [sentence for _, sentence in load_article(REPO / "seeds" / name).sentences()]


@cache
def honest_english(name: str, with_glossary: bool) -> list[str]:
    """The seed as the pipeline would translate it with the honest stub (glossary terms put in first)."""
    protector, stub = Protector(GLOSSARY if with_glossary else None), HonestTranslator()
    english = []
    for sentence in seed_sentences(name):
        prepared = protector.prepare(sentence)
        english.append(protector.finish(prepared, stub.translate_one(prepared.text)))
    return english


def codes(warnings):
    return [w["code"] for w in warnings]


# --- romanization and matching -------------------------------------------------------------------


@pytest.mark.parametrize(("hindi", "english"), [
    ("लावरोव", "Lavrov"), ("फोमिन", "Fomin"), ("वेलिच्को", "Velichko"), ("निकितिन", "Nikitin"),
    ("अवैस", "Avais"), ("लेघारी", "Leghari"), ("मुहम्मद", "Muhammad"), ("जयशंकर", "Jayshankar"),
])
def test_romanize_writes_names_as_news_does(hindi, english):
    assert romanize(hindi) == english


@pytest.mark.parametrize(("hindi", "english"), [
    ("तिर्मिजी", "Tirmizi"), ("फोमिन", "Fomin"), ("लावरोव", "Lavrov"), ("लावरोव", "Laavarova"),
    ("सिविलेव", "Tsivilev"), ("अवैस", "Awais"), ("औरंगजेब", "Aurangzeb"), ("मुहम्मद", "Mohammad"),
    ("नियाज", "Niaz"), ("सेर्गेई", "Sergey"), ("जॉर्ज", "George"), ("डेवी", "Davey"), ("डॉन", "Dawn"),
    ("इरदुगान", "Erdoğan"), ("तैयब", "Tayyip"), ("अहमद", "Ahmet"),  # the first vowel; a final stop unvoiced
    ("सीज़ियम", "cesium"),  # ज़ said s
])
def test_spellings_of_one_name_match(hindi, english):
    assert name_score(hindi, english) >= 78


@pytest.mark.parametrize(("hindi", "english"), [
    ("सूर्य", "Sun"), ("तिर्मिजी", "Zaidi"), ("लावरोव", "Lamb"), ("फोमिन", "Foreign"), ("डॉन", "donon"),
    ("अवैस", "Ahmed"), ("निकितिन", "Nixon"),
])
def test_other_words_do_not_match(hindi, english):
    assert name_score(hindi, english) < 78


# --- detection -----------------------------------------------------------------------------------


def test_names_after_titles_run_together_and_skip_the_title():
    names = find_names(seed_sentences("002_6d2f3309d51e9222.txt")[12], GLOSSARY)
    found = {n.source: (n.kind, n.why) for n in names}
    assert found["अब्दुल अलीम खान"] == ("name", "title")
    assert found["आंद्रेई सर्गेयेविच निकितिन"] == ("name", "title")
    assert found["SCO"] == ("acronym", "latin") and found["तियानजिन"] == ("glossary", "glossary")
    assert "स्तरीय सम्मेलन" not in found  # "मंत्री स्तरीय सम्मेलन": a ministerial conference, no name
    assert not any("मंत्री" in source for source in found)


def test_initials_belong_to_the_name_and_offices_and_nationalities_are_no_names():
    names = find_names(seed_sentences("003_9f78bb9ca59e6774.txt")[1], GLOSSARY)
    assert [(n.source, n.why) for n in names if n.kind == "name"] == [("अलेक्जेंडर वी. फोमिन", "title")]
    assert {n.source for n in names} == {"रूस", "अलेक्जेंडर वी. फोमिन", "पाकिस्तान"}  # not उप रक्षामंत्री, रूसी


def test_acronyms_in_either_script():
    names = {n.source: n for n in find_names(seed_sentences("000_0bcd3e424c44251c.txt")[9], GLOSSARY)}
    assert names["एलएनजी"].kind == "initialism" and names["एलएनजी"].forms[0] == "LNG"
    assert names["एलपीजी"].forms[0] == "LPG"
    names = {n.source: n for n in find_names("रूस ने G20 और PSM पर बात की।")}
    assert names["G20"].kind == names["PSM"].kind == "acronym"


def test_a_word_wordfreq_does_not_know_is_a_name_but_ordinary_words_are_not():
    names = find_names("बैठक में सिविलेव और रिफाइनरियों, भूराजनीतिक बर्फीला मजूबत पर बात हुई।")
    assert [(n.source, n.why, n.strong) for n in names] == [("सिविलेव", "rare", False)]
    names = find_names("बैठक में सर्गेई सिविलेव आए।")
    assert [(n.source, n.why, n.strong) for n in names] == [("सर्गेई सिविलेव", "rare", True)]


def test_ordinals_and_a_letter_typed_twice_are_no_names():
    """FLORES-200 devtest 201 and 865: "Gourley finished eleventh" was a name गौरले ग्यारहवें of two
    rare words, and अधिक्ततर (अधिकतर, "mostly", with त typed twice) made "reindeer mostly" one."""
    names = find_names("ऑस्ट्रेलिया के मिचेल गौरले ग्यारहवें और चौबीसवें स्थान पर रहे।")
    assert "ग्यारहवें" not in {w for n in names for w in n.source.split()}
    assert "चौबीसवें" not in {n.source for n in names}
    hi = "बारहसिंगा अधिक्ततर भार ढोने वाले पशु के रूप में रखे जाते थे।"
    assert not [n for n in find_names(hi) if n.strong]
    assert check_names(0, hi, "Reindeer were kept mostly as draught animals.") == []


def test_a_long_name_with_its_surname_may_spell_one_given_name_another_way():
    """FLORES-200 devtest 25: रजब तैयब इरदुगान is "Recep Tayyip Erdoğan" (Turkish spelling): the
    surname and all but one other word are there, so nothing is missing; two words gone still are."""
    hi = "ट्रंप की तुर्की के राष्ट्रपति रजब तैयब इरदुगान से फ़ोन पर बातचीत हुई।"
    assert check_names(0, hi, "Trump had a phone call with Turkish President Recep Tayyip Erdoğan.") == []
    (w,) = check_names(0, hi, "Trump had a phone call with Turkish President Recep Tayyip.")
    assert w["code"] == "name-missing" and "इरदुगान" in w["detail"]["missing"]
    (w,) = check_names(0, hi, "Trump had a phone call with the Turkish President Mr Erdoğan.")
    assert w["code"] == "name-missing" and w["detail"]["missing"] == ["रजब", "तैयब"]


def test_detection_precision_and_recall_on_the_hand_labelled_seeds():
    """Measured: precision 0.966 (198/205), recall 0.975 (199/204), a name overlapping a label counting;
    the 30 non-glossary names check_names warns on are all right."""
    true_found = false_found = labels_found = labels_missed = 0
    strong_right = strong_wrong = 0
    for name, table in SEED_NAMES.items():
        for index, sentence in enumerate(seed_sentences(name)):
            gold = gold_spans(sentence, table.get(index, []))
            found = find_names(sentence, GLOSSARY)
            for n in found:
                right = any(n.start < end and n.end > start for start, end in gold)
                true_found += right
                false_found += not right
                if n.strong and n.kind != "glossary":
                    strong_right += right
                    strong_wrong += not right
            for start, end in gold:
                hit = any(n.start < end and n.end > start for n in found)
                labels_found += hit
                labels_missed += not hit
    assert true_found / (true_found + false_found) >= 0.95
    assert labels_found / (labels_found + labels_missed) >= 0.95
    assert strong_wrong == 0 and strong_right >= 30  # what check_names warns on: no false name at all


# --- checks --------------------------------------------------------------------------------------


@pytest.mark.parametrize("with_glossary", [True, False])
def test_an_honest_translation_of_the_seeds_raises_no_name_warning(with_glossary):
    glossary = GLOSSARY if with_glossary else None
    for name in SEED_NAMES:
        hindi, english = seed_sentences(name), honest_english(name, with_glossary)
        known = article_names(hindi, glossary)
        assert [w for i, (hi, en) in enumerate(zip(hindi, english)) for w in check_names(i, hi, en, glossary, known)] == []
        assert harmonize_names(list(zip(hindi, english)), glossary) == (english, [])


HI = "पाकिस्तानी राजदूत फैसल नियाज तिर्मिजी से व्लादिमीर पुतिन ने मुलाकात की।"
EN = "Vladimir Putin met Pakistani ambassador Faisal Niaz Tirmizi."


def test_a_dropped_or_replaced_name_is_missing():
    assert check_names(3, HI, EN, GLOSSARY) == []
    for wrong in ("Vladimir Putin met the Pakistani ambassador.", "Vladimir Putin met Pakistani ambassador Faisal Niaz Zaidi.",
                  "Vladimir Putin met Pakistani ambassador Fazal Ahmed."):
        (w,) = check_names(3, HI, wrong, GLOSSARY)
        assert w["code"] == "name-missing" and w["segment"] == 3
        assert w["detail"]["source"] == "फैसल नियाज तिर्मिजी" and "तिर्मिजी" in w["detail"]["missing"]
        assert "Tirmiji" in w["message"]


def test_a_name_translated_as_a_word_is_missing():
    hi = "मंत्री सूर्य ने कहा कि बैठक कल होगी।"
    assert check_names(0, hi, "Minister Surya said that the meeting will be held tomorrow.") == []
    (w,) = check_names(0, hi, "The minister of the Sun said that the meeting will be held tomorrow.")
    assert w["code"] == "name-missing" and w["detail"]["source"] == "सूर्य"


def test_acronyms_latin_verbatim_devanagari_as_letters_or_expanded():
    hi = "पाकिस्तान स्टील मिल (PSM) को फिर से शुरू करने पर एलएनजी सप्लाई की बात हुई।"
    assert check_names(0, hi, "Restarting Pakistan Steel Mills (PSM) and LNG supply were discussed.") == []
    assert check_names(0, hi, "Restarting PSM's plant and liquefied natural gas supply were discussed.") == []
    (w,) = check_names(0, hi, "Restarting Pakistan Steel Mills (Psm) and LNG supply were discussed.")
    assert w["code"] == "acronym-missing" and w["detail"]["source"] == "PSM"
    (w,) = check_names(0, hi, "Restarting Pakistan Steel Mills (PSM) and gas supply were discussed.")
    assert w["code"] == "name-missing" and w["detail"]["expected"][0] == "LNG"
    hi = "यह लगभग 400 A.D. से 1100 A.D. तक विलासिता का केंद्र था।"  # FLORES-200 devtest 489
    assert check_names(0, hi, "It was a centre of luxury from about 400 AD to 1100 AD.") == []
    assert check_names(0, hi, "It was a centre of luxury from about 400 A.D. to 1100 A.D.") == []
    assert codes(check_names(0, hi, "It was a centre of luxury from about 400 BC to 1100 BC.")) == ["acronym-missing"] * 2


def test_a_bare_name_is_checked_when_the_article_named_it_with_a_title():
    hindi = [HI, "तिर्मिजी ने कहा कि संबंध मजबूत हैं।"]
    known = article_names(hindi, GLOSSARY)
    assert check_names(1, hindi[1], "He said that relations are strong.", GLOSSARY) == []  # alone: too weak to warn
    (w,) = check_names(1, hindi[1], "He said that relations are strong.", GLOSSARY, known)
    assert w["code"] == "name-missing" and w["detail"]["why"] == "known"
    assert check_names(1, hindi[1], "Tirmizi said that relations are strong.", GLOSSARY, known) == []


def test_injected_name_faults_in_the_seeds_are_caught():
    """Every name check_names would warn on, dropped, replaced by another name, or replaced by a word,
    in the honest translation: at least 95% are reported (measured 87 of 90, 96.7%: the three left are
    आईएसपीआर, whose expansion is still there, "intara-sarviseja pablika rileshnsa")."""
    rng = random.Random(14)
    caught = total = 0
    for name in SEED_NAMES:
        for hi, en in zip(seed_sentences(name), honest_english(name, True)):
            for found in find_names(hi, GLOSSARY):
                if found.kind == "glossary" or not found.strong:
                    continue
                for replacement in ("", rng.choice(["Smith", "Okafor", "Zaidi"]), rng.choice(["the sun", "a friend"])):
                    faulty = replace_name(found, en, lambda _, text=replacement: text)
                    total += 1
                    caught += any(w["detail"]["source"] == found.source for w in check_names(0, hi, faulty, GLOSSARY))
    assert total >= 80 and caught / total >= 0.95


@pytest.mark.skipif(not (SHARED / "flores200-devtest.hin_Deva").exists(), reason="shared/data not present")
def test_few_false_alarms_on_flores_references():
    """Human references are honest: measured 4 of 1012 sentences (0.4%) get a name warning, all of
    them where the reference itself differs (a name it leaves out or spells otherwise, FKP for
    एफकेएपी) or a chemical element (सीज़ियम "caesium"). The issue's bar is 2%."""
    hindi = (SHARED / "flores200-devtest.hin_Deva").read_text(encoding="utf-8").splitlines()
    english = (SHARED / "flores200-devtest.eng_Latn").read_text(encoding="utf-8").splitlines()
    flagged = [i for i, (hi, en) in enumerate(zip(hindi, english)) if check_names(i, hi, en, GLOSSARY)]
    assert len(hindi) == 1012 and len(flagged) / len(hindi) <= 0.01


# --- consistency ---------------------------------------------------------------------------------


ARTICLE = [
    (HI, EN),
    ("तिर्मिजी ने कहा कि संबंध मजबूत हैं।", "Tirmiji said that relations are strong."),
    ("राजदूत तिर्मिजी ने पुतिन को धन्यवाद दिया।", "Ambassador Tirmiji's thanks went to Putin."),
    ("राजदूत तिर्मिजी ने कहा कि व्यापार बढ़ेगा।", "Ambassador Tirmizi said trade will grow."),
]


def test_one_name_written_two_ways_is_made_consistent_by_the_majority():
    texts, warnings = harmonize_names(ARTICLE + [ARTICLE[1]], GLOSSARY)  # Tirmiji 3, Tirmizi 2
    assert texts == [EN.replace("Tirmizi", "Tirmiji"), ARTICLE[1][1], ARTICLE[2][1], "Ambassador Tirmiji said trade will grow.",
                     ARTICLE[1][1]]
    assert [(w["code"], w["segment"], w["detail"]["was"], w["detail"]["now"]) for w in warnings] == [
        ("name-inconsistent", 0, "Tirmizi", "Tirmiji"), ("name-inconsistent", 3, "Tirmizi", "Tirmiji")]
    assert warnings[0]["detail"]["source"] == "तिर्मिजी" and warnings[0]["detail"]["renderings"] == {"Tirmizi": 2, "Tirmiji": 3}


def test_a_tie_goes_to_the_first_rendering_and_a_possessive_is_kept():
    texts, warnings = harmonize_names(ARTICLE, GLOSSARY)  # Tirmizi 2 (first), Tirmiji 2
    assert texts == [EN, "Tirmizi said that relations are strong.", "Ambassador Tirmizi's thanks went to Putin.", ARTICLE[3][1]]
    assert [w["segment"] for w in warnings] == [1, 2]
    assert "'Tirmiji'" in warnings[0]["message"] and "'Tirmizi'" in warnings[0]["message"]


def test_case_and_plural_are_not_inconsistencies():
    article = [(HI, EN), ("राजदूत तिर्मिजी ने कहा।", "TIRMIZI said.")]
    assert harmonize_names(article, GLOSSARY) == ([EN, "TIRMIZI said."], [])

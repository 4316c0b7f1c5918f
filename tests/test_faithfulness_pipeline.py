"""Faithfulness end to end: lying stub engines get their warnings, honest ones none; tiny real models
keep every source number in the translation or name it, and honour the glossary or say so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from stubs import HonestSummarizer, HonestTranslator

from translate.export import to_markdown
from translate.faithful.glossary import Glossary
from translate.faithful.protect import find_spans, missing_numbers
from translate.pipeline import Pipeline

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
SCO_HI, SCO_EN = "शंघाई सहयोग संगठन", "Shanghai Cooperation Organisation"


class NumberChanger(HonestTranslator):
    """Writes every number ten times too big (no repair can tell what it was)."""

    def translate_one(self, sentence: str) -> str:
        return re.sub(r"\d+", lambda m: m.group() + "0", super().translate_one(sentence))


class NameDropper(HonestTranslator):
    """Drops the glossary's renderings that the pipeline put into the source."""

    def translate_one(self, sentence: str) -> str:
        return super().translate_one(sentence).replace(SCO_EN, "").replace("Putin", "")


class Looper(HonestTranslator):
    """Ends every sentence in a decoding loop."""

    def translate_one(self, sentence: str) -> str:
        return super().translate_one(sentence) + " and the" * 6


class InventingSummarizer(HonestSummarizer):
    """Adds a sentence with a number and a name that appear nowhere in the article."""

    def summarize(self, text: str, words: int = 60, sentences: list[str] | None = None) -> str:
        return "The deal was signed by Surya in 1999. " + super().summarize(text, words, sentences)


def pipeline(translator, summarizer=None, **options) -> Pipeline:
    summarizer = summarizer or HonestSummarizer()
    return Pipeline(translator, summarizer, extractive=HonestSummarizer(), **options)


def codes(result) -> set[str]:
    return {w["code"] for w in result.warnings}


def test_honest_engines_give_no_warning_on_any_seed():
    for result in pipeline(HonestTranslator()).run_many(SEEDS):
        assert result.warnings == [], (result.metadata.get("source"), result.warnings[:3])


def test_a_changed_number_is_named_at_its_segment_in_json_and_markdown():
    result = pipeline(NumberChanger())(SEEDS[3])
    changed = [w for w in result.warnings if w["code"] == "number-changed"]
    assert {w["detail"]["source"] for w in changed} >= {"50 फीसदी", "2023", "1 बिलियन डॉलर"}
    for w in changed:
        assert w["detail"]["source"] in result.segments[w["segment"]]["hi"]
        assert w["message"] in to_markdown(result) and w["message"] in result.to_json()


def test_a_dropped_name_is_named_as_a_missed_glossary_term():
    result = pipeline(NameDropper())(SEEDS[1])
    missed = {w["detail"]["source"] for w in result.warnings if w["code"] == "glossary-missed"}
    assert {SCO_HI, "पुतिन"} <= missed
    assert codes(result) == {"glossary-missed"}


def test_a_decoding_loop_is_named_on_every_segment():
    result = pipeline(Looper())(SEEDS[4])
    loops = [w for w in result.warnings if w["code"] == "repetition"]
    assert {w["segment"] for w in loops if w["segment"] is not None} == set(range(len(result.segments)))
    (title,) = [w for w in loops if w["segment"] is None and w["detail"].get("in") == "title"]
    assert f"- **Error:** the headline: {title['message']}" in to_markdown(result)


def test_guarded_brief_replaces_the_invented_sentence_and_abstractive_is_flagged():
    guarded = pipeline(HonestTranslator(), InventingSummarizer())(SEEDS[1])
    assert "1999" not in guarded.brief and "Surya" not in guarded.brief
    assert codes(guarded) == {"brief-sentence-replaced"}
    raw = pipeline(HonestTranslator(), InventingSummarizer(), brief_mode="abstractive")(SEEDS[1])
    assert "1999" in raw.brief
    assert codes(raw) == {"brief-unsupported-number", "brief-unsupported-name"}


def test_a_user_glossary_overrides_the_default(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text(f"{SCO_HI}\tSCO bloc\n", encoding="utf-8")
    translator = HonestTranslator()
    result = pipeline(translator, glossary=Glossary.load(path))(SEEDS[1])
    sent = " ".join(translator.calls[0])
    assert "SCO bloc" in sent and SCO_EN not in sent and SCO_HI not in sent
    assert result.warnings == []


@pytest.fixture(scope="module")
def tiny_results(tiny_models):
    from translate.engines.translator import Translator

    translator = Translator.from_pretrained(str(tiny_models / "translator"), device="cpu", beams=1)
    glossary = Glossary.load()
    return glossary, pipeline(translator, glossary=glossary).run_many(SEEDS)


def test_tiny_model_every_source_number_is_in_the_translation_or_named(tiny_results):
    glossary, results = tiny_results
    checked = 0
    for result in results:
        for index, segment in enumerate(result.segments):
            spans = find_spans(segment["hi"], glossary)
            named = " ".join(w["message"] for w in result.warnings if w["segment"] == index)
            for span, _ in missing_numbers(spans, segment["en"]):
                assert span.source in named, (result.metadata.get("source"), index, span.source, segment["en"])
            checked += sum(len(span.numbers) for span in spans)
    assert checked >= 10  # the cleaned seeds hold dates, ordinals, percentages, amounts and years


def test_tiny_model_glossary_term_in_a_seed_is_rendered_or_named(tiny_results):
    _, results = tiny_results
    seen = 0
    for result in results[1:3]:  # seeds 001 and 002 hold शंघाई सहयोग संगठन
        for index, segment in enumerate(result.segments):
            if SCO_HI in segment["hi"]:
                seen += 1
                named = [w for w in result.warnings if w["segment"] == index and w["code"] == "glossary-missed"
                         and w["detail"]["source"] == SCO_HI]
                assert SCO_EN.lower() in segment["en"].lower() or named
    assert seen >= 2


def test_the_hand_translation_of_seed_001_gets_its_two_faults_and_nothing_else():
    """Real English (tests/seed001_en.py, faithful but for a dropped name and a changed number): the
    article-level name checks add no false alarm to the two faults."""
    from seed001_en import CHANGED_NUMBER, DROPPED_NAME, SEED001_EN
    from stubs import DictTranslator

    translator = DictTranslator(SEED001_EN)
    result = pipeline(translator)(SEEDS[1])
    assert translator.missing == []
    found = sorted((w["code"], w["segment"] + 1) for w in result.warnings)
    assert found == sorted([("name-missing", DROPPED_NAME[0]), ("number-changed", CHANGED_NUMBER[0])])


class MartellyTranslator(HonestTranslator):
    """Hand English for a three-sentence article naming one man by one word (मार्टेली), which the
    second sentence drops unless ``faithful``."""

    def __init__(self, faithful: bool) -> None:
        super().__init__()
        self.english = {
            "शहर के नेता मार्टेली ने नया आयोग बनाया।": "The city's leader, Martelly, set up a new commission.",
            "आयोग का गठन मार्टेली की प्रतिक्रिया स्वरूप हुआ था।":
                "The commission was Martelly's response." if faithful else "The commission was formed as a response.",
            "विरोध प्रदर्शन अक्टूबर में शुरू हुए थे।": "The protests had begun in October.",
        }

    def translate_one(self, sentence: str) -> str:
        return self.english[sentence.strip()]


def test_a_one_word_name_the_article_writes_as_a_name_is_missed_where_a_sentence_drops_it():
    """FLORES-200 devtest 300: "Martelly" dropped. One rare word alone is not checked (most are
    ordinary Hindi), but once the article's English writes it as a name it is looked for everywhere."""
    text = "शहर के नेता मार्टेली ने नया आयोग बनाया। आयोग का गठन मार्टेली की प्रतिक्रिया स्वरूप हुआ था। विरोध प्रदर्शन अक्टूबर में शुरू हुए थे।"
    assert pipeline(MartellyTranslator(faithful=True))(text).warnings == []
    result = pipeline(MartellyTranslator(faithful=False))(text)
    (w,) = result.warnings
    assert (w["code"], w["segment"], w["detail"]["source"], w["detail"]["why"]) == ("name-missing", 1, "मार्टेली", "seen")
    assert "Martelly" in w["message"] and w["message"] in to_markdown(result)

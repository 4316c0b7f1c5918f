"""Self-healing translation (issue 14): a sentence failing a serious check is translated again and
the best candidate kept; honest sentences never change. Lying stubs (tests/faults.py) inject one
fault each; tiny real models show that both backends give the alternatives."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from faults import FAULTS, NAME_FAULTS, Liar
from stubs import HonestSummarizer, HonestTranslator

from translate.export import to_markdown
from translate.faithful.healing import SERIOUS
from translate.pipeline import Pipeline

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
# The retranslation that holds the honest translation: n-best for any fault, or the one a real
# model would need (a search that cannot loop; the sentence clause by clause).
NATURAL = {**{fault: "n-best" for fault in NAME_FAULTS}, "loop": "no-repeat", "clause-dropped": "clauses"}


def pipeline(translator) -> Pipeline:
    return Pipeline(translator, HonestSummarizer(), extractive=HonestSummarizer())


@cache
def honest_results() -> dict[Path, object]:
    pipe = pipeline(HonestTranslator())
    return {seed: pipe(seed) for seed in SEEDS}


def run_liar(liar: Liar):
    """Each seed through a pipeline with ``liar``: (result, honest result, {segment index: the lie}),
    the headline's index None."""
    pipe = pipeline(liar)
    for seed in SEEDS:
        result = pipe(seed)
        title, *inputs = [item.text for item in pipe.preprocess(seed).items]
        lied = {i: liar.faulty[text] for i, text in enumerate(inputs) if text in liar.faulty}
        if title in liar.faulty:
            lied[None] = liar.faulty[title]
        yield result, honest_results()[seed], lied


@pytest.mark.parametrize("fault", FAULTS)
def test_a_detected_fault_is_repaired_from_the_honest_candidate_and_nothing_else_changes(fault):
    liar = Liar(fault, 0.5, seed=1, honest_in=NATURAL[fault])
    injected = detected = 0
    for result, honest, lied in run_liar(liar):
        repaired = {r["segment"]: r for r in result.repairs}
        assert result.title == honest.title or (None in lied and None not in repaired)
        for index, (segment, truth) in enumerate(zip(result.segments, honest.segments)):
            if index not in lied:
                assert segment.en == truth.en  # honest sentences stay byte-identical
                assert index not in repaired
                continue
            injected += 1
            if index in repaired:
                detected += 1
                repair = repaired[index]
                assert segment.en == truth.en and repair["changed"] and repair["after"] == truth.en
                assert repair["before"] == lied[index]
                assert set(repair["problems_before"]) <= SERIOUS and repair["problems_after"] == []
                kept = next(t for t in repair["tried"] if t["text"] == truth.en)
                assert kept["how"].startswith(NATURAL[fault]) and kept["problems"] == []
            else:  # not detected: still the lie, and nothing claims otherwise
                assert segment.en != truth.en
        assert [w for w in result.warnings if w["code"] in SERIOUS] == []
    assert injected >= 20
    # Measured: every name and loop fault found but one misspelling; 21 of 39 dropped clauses
    # (a clause without a name or number is seen only through the length ratio).
    assert detected / injected >= (0.5 if fault == "clause-dropped" else 0.95)


@pytest.mark.parametrize("fault", FAULTS)
def test_without_an_honest_candidate_the_warning_stays_and_every_try_is_recorded(fault):
    liar = Liar(fault, 0.5, seed=1, honest_in=None)
    seen = 0
    for result, _, lied in run_liar(liar):
        for repair in result.repairs:
            seen += 1
            assert repair["segment"] in lied and not repair["changed"]
            index = repair["segment"]
            assert repair["after"] == repair["before"] == (result.title if index is None else result.segments[index].en)
            hows = [t["how"].split(" ")[0] for t in repair["tried"]]
            assert hows == sorted(hows, key=["n-best", "no-repeat", "clauses"].index) and "n-best" in hows
            assert {w["code"] for w in result.warnings if w["segment"] == index} >= set(repair["problems_after"])
            assert set(repair["problems_after"]) & SERIOUS
    assert seen >= 10


def test_an_honest_model_is_never_asked_again_and_its_output_is_byte_identical():
    never = Liar("loop", 0.0)  # never lies, but could be asked for alternatives (and gives scores)
    for seed in SEEDS:
        result, honest = pipeline(never)(seed), honest_results()[seed]
        assert result.translation_text == honest.translation_text and result.title == honest.title
        assert to_markdown(result).replace("stub-liar-loop", "stub-honest") == to_markdown(honest)
        assert (result.warnings, result.repairs, result.brief) == (honest.warnings, [], honest.brief)
        assert {segment.confidence for segment in result.segments} == {0.741}  # exp(-0.3)
    assert never.asked == [] and never.faulty == {}


def test_repairs_reach_json_and_markdown():
    liar = Liar("loop", 1.0, honest_in="no-repeat")
    result = pipeline(liar)(SEEDS[0])
    data = result.to_dict()
    assert data["repairs"] and all(r["changed"] for r in data["repairs"])
    markdown = to_markdown(result)
    assert "**Translated again**" in markdown
    headline, first = data["repairs"][:2]  # the headline first, then the sentences in order
    assert headline["segment"] is None and markdown.startswith(f"# {headline['after']}\n")
    assert "- the headline: repetition" in markdown
    assert f"- sentence {first['segment'] + 1}: repetition" in markdown and "(no-repeat)" in markdown
    assert not re.search(r"(\b\w+ \w+ \w+\b)( \1){3}", result.translation_text)  # no loop left


# --- the alternatives of the real backends (tiny random models) ------------------------------------

LOOPY = "रूस और पाकिस्तान के बीच व्यापार, ऊर्जा और शिक्षा में सहयोग बढ़ाने पर सहमति बनी, और बैठक अगले साल होगी।"


@pytest.fixture(scope="module", params=["transformers", "ctranslate2"])
def tiny_translator(request, tiny_models: Path, tmp_path_factory: pytest.TempPathFactory):
    from translate.engines.translator import Translator

    if request.param == "transformers":
        return Translator.from_pretrained(tiny_models / "translator", beams=3, cache=False)
    import shutil

    from translate.store.convert import convert

    root = tmp_path_factory.mktemp("healing-ct2")
    shutil.copytree(tiny_models / "translator", root / "translator")
    convert(root / "translator", "float32")
    return Translator.from_pretrained(root / "translator", backend="ctranslate2", beams=3, cache=False)


def test_both_backends_score_translations_and_offer_every_kind_of_alternative(tiny_translator):
    (text, score), = tiny_translator.translate_scored([LOOPY])
    assert text and score is not None and score <= 0
    n_best, = tiny_translator.candidates([LOOPY], "n-best")
    assert len(n_best) == 2 and all(s is not None and s <= 0 for _, s in n_best)  # the other 2 of 3 beams
    no_repeat, = tiny_translator.candidates([LOOPY], "no-repeat")
    (safe, _), = no_repeat
    words = safe.split()
    trigrams = [tuple(words[i:i + 3]) for i in range(len(words) - 2)]
    assert len(trigrams) == len(set(trigrams))  # a search that cannot repeat a 3-gram
    by_clause, = tiny_translator.candidates([LOOPY], "clauses")
    assert len(by_clause) == 1 and by_clause[0][0]
    single, = tiny_translator.candidates(["रूस ने समझौता किया।"], "clauses")
    assert single == []  # one clause: nothing to split

"""Sentences as they are done (issue 23, items 1 and 5): ``Pipeline.stream`` yields each sentence as the
model's batches end (headline and first paragraph first), then the Result, which is the same as the
one ``pipe(article)`` gives; a caller that stops early stops the work."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from stubs import HonestSummarizer, HonestTranslator, SlowTranslator

from translate import Pipeline
from translate.article import load_article
from translate.pipeline import Result, SentenceDone, StageStarted

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))


def events_of(pipe: Pipeline, item) -> tuple[list, Result]:
    events = list(pipe.stream(item))
    assert isinstance(events[-1], Result)
    return events[:-1], events[-1]


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_every_sentence_is_streamed_and_the_result_is_the_plain_one(seed: Path) -> None:
    pipe = Pipeline(SlowTranslator(delay=0, batch=4), HonestSummarizer())
    article = load_article(seed)
    events, result = events_of(pipe, article)
    done = [e for e in events if isinstance(e, SentenceDone)]
    pairs = article.sentences()
    assert sorted(e.segment for e in done if e.segment is not None) == list(range(len(pairs)))
    assert sum(e.segment is None for e in done) == 1  # the headline, once
    assert [e.done for e in done if e.segment is not None] == list(range(1, len(pairs) + 1))
    assert all(e.total == len(pairs) for e in done)
    # The headline and the first paragraph come first, in a model call of their own.
    first_block = {i for i, (block, _) in enumerate(pairs) if block == pairs[0][0]}
    assert {e.segment for e in done[:len(first_block) + 1]} == first_block | {None}
    assert [e.stage for e in events if isinstance(e, StageStarted)] == ["healing", "brief"]
    assert all(isinstance(e, SentenceDone) for e in events[:len(done)])  # sentences before the later stages
    plain = Pipeline(SlowTranslator(delay=0, batch=4), HonestSummarizer())(load_article(seed))
    assert result.to_json(timings=False) == plain.to_json(timings=False)
    for event in done:  # what was shown is what the result says, where nothing changed it later
        if event.segment is not None:
            assert event.hi == result.segments[event.segment].hi
            assert event.en == result.segments[event.segment].en


def test_the_first_sentence_comes_before_the_last_is_translated() -> None:
    slow = SlowTranslator(delay=0.3, batch=3)
    pipe = Pipeline(slow, HonestSummarizer())
    started = time.perf_counter()
    stream = pipe.stream(load_article(SEEDS[0]))
    first = next(stream)
    first_at = time.perf_counter() - started
    assert isinstance(first, SentenceDone)
    assert slow.batches_done < 4  # most of the article is still to translate
    *_, result = stream
    assert isinstance(result, Result) and time.perf_counter() - started > first_at + 1.0


def test_stopping_the_stream_stops_the_work() -> None:
    slow = SlowTranslator(delay=0.2, batch=2)
    stream = Pipeline(slow, HonestSummarizer()).stream(load_article(SEEDS[0]))
    next(stream)
    stream.close()
    time.sleep(1.0)  # the batch under way ends, and no other starts
    stopped_at = slow.batches_done
    time.sleep(1.0)
    assert slow.batches_done == stopped_at
    assert stopped_at < 1 + len(load_article(SEEDS[0]).sentences()) // 2


def test_an_error_in_the_model_reaches_the_consumer() -> None:
    class Broken(HonestTranslator):
        def translate(self, sentences):
            raise RuntimeError("the model fell over")

    with pytest.raises(RuntimeError, match="fell over"):
        list(Pipeline(Broken(), HonestSummarizer()).stream(load_article(SEEDS[1])))


def test_a_callback_sees_the_same_events_and_changes_nothing() -> None:
    seen: list = []
    pipe = Pipeline(SlowTranslator(delay=0, batch=5), HonestSummarizer())
    prepared = [pipe.preprocess(load_article(seed)) for seed in SEEDS[:2]]
    results = pipe.translate_prepared(prepared, on_event=seen.append)
    assert {e.article for e in seen if isinstance(e, SentenceDone)} == {0, 1}
    plain = Pipeline(SlowTranslator(delay=0, batch=5), HonestSummarizer()).run_many([load_article(s) for s in SEEDS[:2]])
    assert [r.to_json(timings=False) for r in results] == [r.to_json(timings=False) for r in plain]

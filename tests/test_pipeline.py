"""The Python API with injected stub engines: what a user of `from translate import Pipeline` sees."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from stubs import HonestSummarizer, HonestTranslator

from translate import Pipeline, Result
from translate.article import load_article
from translate.errors import InputError, UsageError
from translate.export import to_markdown

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))


def test_pasted_text_gives_a_result_with_one_segment_per_sentence():
    pipe = Pipeline(HonestTranslator(), HonestSummarizer())
    text = SEEDS[1].read_text(encoding="utf-8")
    result = pipe(text)
    assert isinstance(result, Result)
    article = load_article(SEEDS[1])
    assert [(s["block"], s["hi"]) for s in result.segments] == article.sentences()
    assert [b["kind"] for b in result.translation] == [b.kind for b in article.blocks]
    markdown = to_markdown(result)
    assert result.brief and result.brief_cited() in markdown  # each brief sentence followed by [s1]...
    last = len(result.segments)
    assert markdown.index(result.brief_cited()) < markdown.index(f"{result.segments[-1].en} [s{last}")
    data = result.to_dict()
    assert set(data) >= {"title", "translation", "segments", "brief", "metadata", "warnings", "models", "timings"}
    assert "timings" not in result.to_dict(timings=False)


def test_a_path_and_an_article_give_the_same_result_as_text():
    pipe = Pipeline(HonestTranslator(), HonestSummarizer())
    by_path = pipe(SEEDS[3]).to_dict(timings=False)
    by_str_path = pipe(str(SEEDS[3])).to_dict(timings=False)
    by_article = pipe(load_article(SEEDS[3])).to_dict(timings=False)
    assert by_path == by_str_path == by_article


def test_sentences_of_several_articles_share_one_model_call():
    translator = HonestTranslator()
    pipe = Pipeline(translator, HonestSummarizer())
    results = pipe.run_many(SEEDS)
    assert len(translator.calls) == 1
    assert len(translator.calls[0]) == sum(len(r.segments) + bool(r.title_hi) for r in results)  # + the title
    assert [r.metadata["source"] for r in results] == [str(p) for p in SEEDS]


def test_headings_are_kept_and_the_title_is_translated():
    pipe = Pipeline(HonestTranslator(), HonestSummarizer())
    result = pipe(SEEDS[0])
    assert result.title and result.title_hi
    headings = [b["text"] for b in result.translation if b["kind"] == "heading"]
    assert headings
    for heading in headings:
        assert f"## {heading}" in to_markdown(result)


def verbatim_pieces(brief: str, sentences: list[str]) -> list[str] | None:
    """The translation sentences, in source order, whose space-joined text is the brief; None if none.
    Searched with backtracking: a sentence may be a prefix of a later one (the tiny model repeats
    itself), so taking the first that fits could miss the real split."""

    @functools.cache
    def search(rest: str, start: int) -> list[str] | None:  # memoised: repeated sentences stay cheap
        if not rest:
            return []
        for k in range(start, len(sentences)):
            sentence = sentences[k]
            if sentence and rest.startswith(sentence):
                after = rest[len(sentence):]
                if after and not after.startswith(" "):
                    continue
                found = search(after.lstrip(" "), k + 1)
                if found is not None:
                    return [sentence, *found]
        return None

    return search(brief, 0) or None


def test_extractive_brief_is_verbatim_sentences_of_the_translation():
    pipe = Pipeline(HonestTranslator(), HonestSummarizer(), brief_mode="extractive")
    for seed in SEEDS:
        result = pipe(seed)
        pieces = verbatim_pieces(result.brief, [s["en"] for s in result.segments])
        assert pieces, f"{seed.name}: brief is not made of translation sentences: {result.brief!r}"
        assert len(" ".join(pieces[:-1]).split()) < 60


def test_bad_input_raises_input_error_naming_the_problem():
    pipe = Pipeline(HonestTranslator(), HonestSummarizer())
    with pytest.raises(InputError, match="Hindi"):
        pipe("This is an English article. It has two sentences.")
    with pytest.raises(InputError):
        pipe("")


def test_bad_options_are_usage_errors():
    with pytest.raises(UsageError):
        Pipeline(HonestTranslator(), HonestSummarizer(), brief_mode="poetic")
    with pytest.raises(UsageError):
        Pipeline(HonestTranslator(), HonestSummarizer(), brief_words=2)
    with pytest.raises(UsageError, match="at least 10 words"):
        Pipeline(HonestTranslator(), HonestSummarizer())(SEEDS[2], brief_words=0)


def test_a_title_less_article_is_headed_by_its_first_subheading_else_its_lede():
    from translate.pipeline import Result

    def result(title, translation):
        return Result(title=title, translation=translation, segments=[], brief="", metadata={}, warnings=[],
                      models={})

    assert result("Pakistan's new chief", [{"kind": "paragraph", "text": "A. B."}]).headline == "Pakistan's new chief"
    assert result("", [{"kind": "paragraph", "text": "Lede one. Two."},
                       {"kind": "heading", "text": "Closer to Pakistan"}]).headline == "Closer to Pakistan"
    assert result("", [{"kind": "paragraph", "text": "Lede one. Two."}]).headline == "Lede one."


def test_a_subheading_is_never_a_sentence_of_the_brief():
    from stubs import HonestSummarizer, HonestTranslator

    from translate.pipeline import Pipeline

    text = ("# भारत और रूस का समझौता\n\nभारत और रूस ने मंगलवार को व्यापार पर एक समझौता किया।\n\n"
            "## पाकिस्तान के करीब\n\nदोनों देशों के मंत्री मॉस्को में मिले।\n")
    result = Pipeline(HonestTranslator(), HonestSummarizer())(text)
    heading = next(b["text"] for b in result.translation if b["kind"] == "heading")
    assert heading and heading not in result.brief
    assert [result.segments[i].block for cited in result.brief_sources for i in cited]  # still cites the body

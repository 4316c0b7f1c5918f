"""Hypothesis fuzzing of load -> clean -> split -> pipeline (issue 7, item 5).

Four properties, each run twice: a smoke run of 50 examples in the default test run (so a
regression shows at once), and a long run marked ``fuzz`` (``pytest -m fuzz``, part of ``.ci/run``)
of 2,500 examples each, 10,000 generated inputs in all. Both are derandomized: CI sees the same
inputs every time.

- random text (Devanagari, digits, terminators, controls, RTL and zero-width marks, lone
  surrogates, JSON headers, HTML with <script>/<style>) through ``parse_article`` and the pipeline:
  only the documented error types escape, results serialize to UTF-8, script/style text never
  reaches the article;
- realistic articles (story paragraphs of the seeds interleaved with page furniture): every story
  sentence is kept, in order, and the pipeline gives one segment per cleaned sentence;
- ``split_sentences`` loses and invents no non-space character;
- random and mutated bytes through ``decode_bytes`` and ``load_article``.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stubs import HonestSummarizer, HonestTranslator

from translate.article import Article, decode_bytes, load_article, parse_article
from translate.article.segment import split_sentences
from translate.errors import HindiBriefError
from translate.export import to_markdown
from translate.pipeline import Pipeline

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

_COMMON = dict(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
SMOKE = settings(max_examples=50, **_COMMON)
FUZZ = settings(max_examples=2_500, **_COMMON)

# -- building blocks -----------------------------------------------------------------------------

DEVANAGARI = [chr(c) for c in range(0x0900, 0x0980)]
ODD_MARKS = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
             "\u2066", "\u2069", "\ufeff", "\u00ad", "\u2028", "\u2029", "\ufffd", "\ud800", "\udfff"]
CONTROLS = [chr(c) for c in range(0x00, 0x20)] + ["\x7f", "\x85"]
PUNCT = list("।॥.?!|,:;-–—'\"“”‘’()[]…") + ["...", "डॉ.", "एस.", "1.5", "www.abplive.com", "a@b.in"]
SPACES = [" ", " ", " ", "\n", "\n\n", "\t", "\r\n", "\u00a0", "\u3000"]
WORDS = ["रूस", "पाकिस्तान", "भारत", "के", "बीच", "समझौता", "हुआ", "है", "मॉस्को", "जयशंकर", "फ़ोटो", "क़िला",
         "PSM", "SCO", "LNG", "2025", "१२३", "₹", "%"]
# Page furniture as the seeds show it (each line is dropped by the cleaner, or at worst kept alone).
FURNITURE = ["Spread the love", "विज्ञापन", "Trending Videos", "अन्य वीडियो", "विस्तार", "- फोटो : Adobe Stock",
             "Published by: कीर्तिवर्धन मिश्र", "Updated Fri, 28 Nov 2025 11:11 AM IST",
             "यह भी पढ़ेंः पुतिन का भारत दौरा", "Read More at www.abplive.com"]
# Lines that end the story: everything after them goes (so the generator puts only noise there).
TRAILERS = ["Latest News", "Popular Articles", "More Articles Like This", "Exit mobile version", "Related Posts",
            "Top 5 This Week"]


def text_pieces() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(WORDS),
        st.sampled_from(PUNCT),
        st.sampled_from(SPACES),
        st.sampled_from(DEVANAGARI),
        st.sampled_from(ODD_MARKS),
        st.sampled_from(CONTROLS),
        st.characters(codec=None, exclude_categories=()),  # anything, surrogates included
    )


def random_texts() -> st.SearchStrategy[str]:
    return st.lists(text_pieces(), max_size=120).map("".join)


@st.composite
def json_headers(draw) -> str:
    """A one-line JSON header like seed 000's, its strings sometimes holding lone surrogates."""
    value = st.one_of(random_texts(), st.sampled_from(WORDS))
    header = draw(st.dictionaries(st.sampled_from(["slug", "type", "title_hn", "category", "_id", "x"]),
                                  st.one_of(value, st.dictionaries(st.sampled_from(["title", "title_hn"]), value, max_size=2)),
                                  min_size=1, max_size=4))
    return json.dumps(header, ensure_ascii=draw(st.booleans()))


BROKEN_HTML = ["</div>", "<!-- comment -->", "&#xd800;", "&#0;", "&bogus;", "&nbsp;", "<br/>", "<p>", "</p></p>",
               "<div><span>", "<![CDATA[x]]>", "<p dir='rtl'>", "<img src=x onerror=alert(1)>"]


@st.composite
def html_documents(draw) -> str:
    """HTML mixing Hindi paragraphs with <script>/<style> whose content must never be story text."""
    parts = ["<html><head><title>", draw(random_texts()), "</title>"]
    body = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["p", "h2", "script", "style", "div", "broken"]))
        inner = draw(random_texts())
        if kind == "script":
            body.append(f"<script>var SCRIPTMARKER = '{inner}';</script>")
        elif kind == "style":
            body.append(f"<style>.STYLEMARKER {{ content: '{inner}' }}</style>")
        elif kind == "broken":
            # Self-contained oddities only: "<p" + "<script>" would make the script a tag name and
            # its content visible text, in browsers too.
            body.append(draw(st.sampled_from(BROKEN_HTML)) + inner)
        else:
            body.append(f"<{kind}>{inner}</{kind}>")
    parts += ["</head><body>", *body, draw(st.sampled_from(["</body></html>", "", "<!--", "<p"]))]
    return "".join(parts)


@functools.cache
def story_paragraphs() -> tuple[str, ...]:
    """Story paragraphs of the seeds that survive cleaning side by side (so none is a near-copy)."""
    paragraphs = [block.text for seed in sorted(SEEDS.glob("*.txt"))
                  for block in load_article(seed).blocks if block.kind == "paragraph"]
    together = parse_article("\n\n".join(paragraphs), source="pool")
    return tuple(block.text for block in together.blocks if block.kind == "paragraph" and len(block.sentences) > 1)


@st.composite
def realistic_articles(draw) -> tuple[str, list[str]]:
    """(article text, its story paragraphs in order): seed paragraphs among furniture lines."""
    pool = story_paragraphs()
    picks = draw(st.lists(st.integers(0, len(pool) - 1), min_size=1, max_size=5, unique=True))
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(draw(json_headers()))
    for index in picks:
        lines += draw(st.lists(st.sampled_from(FURNITURE), max_size=2))
        lines.append(pool[index])
    lines += draw(st.lists(st.sampled_from(FURNITURE), max_size=2))
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(TRAILERS)))
        lines += draw(st.lists(st.one_of(st.sampled_from(FURNITURE), st.sampled_from(pool)), max_size=2))
    separator = draw(st.sampled_from(["\n", "\n\n", "\r\n", "\n \n", "\n\t\n"]))
    return separator.join(lines), [pool[index] for index in picks]


@st.composite
def mutated_bytes(draw) -> bytes:
    """Random bytes, or a seed's bytes in some encoding with a few bytes flipped or cut."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=3_000))
    seed = sorted(SEEDS.glob("*.txt"))[draw(st.integers(0, 4))].read_text(encoding="utf-8")[:2_000]
    data = bytearray(seed.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"]))))
    for _ in range(draw(st.integers(0, 5))):
        position = draw(st.integers(0, len(data) - 1))
        data[position] = draw(st.integers(0, 255))
    return bytes(data[: draw(st.integers(0, len(data)))])


# -- checks shared by the properties -------------------------------------------------------------


def nonspace(text: str) -> str:
    return "".join(text.split())


@functools.cache
def stub_pipeline() -> Pipeline:
    return Pipeline(HonestTranslator(), HonestSummarizer(), extractive=HonestSummarizer())


def check_article(article: Article) -> None:
    """What every article the loader returns must satisfy, whatever the input."""
    assert isinstance(article, Article)
    for block in article.blocks:
        assert block.kind in ("heading", "paragraph")
        assert block.sentences and all(s and s == s.strip() for s in block.sentences)
        assert nonspace(block.text) == nonspace("".join(block.sentences))
    for text in [article.title, *(b.text for b in article.blocks)]:
        assert "SCRIPTMARKER" not in text and "STYLEMARKER" not in text
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")  # writable as UTF-8


def check_pipeline(article: Article) -> None:
    """The stub pipeline gives one segment per cleaned sentence, or a documented error."""
    pipeline = stub_pipeline()
    pipeline.translator.calls.clear()
    try:
        result = pipeline(article)
    except HindiBriefError:
        return
    assert [s["hi"] for s in result.segments] == [s for _, s in article.sentences()]
    result.to_json(timings=False).encode("utf-8")
    to_markdown(result).encode("utf-8")


# -- properties ----------------------------------------------------------------------------------


def random_input_property(text: str, fmt: str | None) -> None:
    try:
        article = parse_article(text, source="fuzz.txt", fmt=fmt)
    except HindiBriefError as exc:
        assert "\n" not in str(exc), "an error is one line"
        return
    check_article(article)
    check_pipeline(article)


def story_property(case: tuple[str, list[str]]) -> None:
    text, story = case
    article = parse_article(text, source="story.txt")
    check_article(article)
    haystack = nonspace(article.title) + "".join(nonspace(s) for _, s in article.sentences())
    position = 0
    for paragraph in story:
        for sentence in split_sentences(paragraph):
            found = haystack.find(nonspace(sentence), position)
            assert found >= 0, f"story sentence lost or out of order: {sentence!r}"
            position = found + len(nonspace(sentence))
    check_pipeline(article)


def split_property(text: str) -> None:
    pieces = split_sentences(text)
    assert all(piece and piece == piece.strip() for piece in pieces)
    assert "".join(nonspace(piece) for piece in pieces) == nonspace(text)


def bytes_property(data: bytes, folder: Path) -> None:
    try:
        text = decode_bytes(data, "fuzz.bin")
    except HindiBriefError as exc:
        assert "fuzz.bin" in str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(text, str)
    path = folder / "fuzz.txt"
    path.write_bytes(data)
    try:
        article = load_article(path)
    except HindiBriefError as exc:
        assert str(path) in str(exc) and "\n" not in str(exc)
        return
    check_article(article)


def random_inputs():
    return st.one_of(
        st.tuples(random_texts(), st.sampled_from([None, "text", "markdown"])),
        st.tuples(st.builds(lambda h, t: h + "\n" + t, json_headers(), random_texts()), st.just(None)),
        st.tuples(html_documents(), st.sampled_from([None, "html"])),
    )


def split_inputs():
    return st.one_of(random_texts(), st.lists(st.sampled_from(WORDS + PUNCT + SPACES), max_size=200).map("".join))


# Each property twice: smoke (default run) and fuzz (-m fuzz). given() makes a new test each time.
def _random(case):
    random_input_property(*case)


def _story(case):
    story_property(case)


def _split(text):
    split_property(text)


def _bytes(tmp_path_factory, data):
    bytes_property(data, tmp_path_factory.getbasetemp())


test_random_input_smoke = SMOKE(given(case=random_inputs())(_random))
test_story_sentences_kept_smoke = SMOKE(given(case=realistic_articles())(_story))
test_split_sentences_smoke = SMOKE(given(text=split_inputs())(_split))
test_bytes_smoke = SMOKE(given(data=mutated_bytes())(_bytes))

test_random_input_fuzz = pytest.mark.fuzz(FUZZ(given(case=random_inputs())(_random)))
test_story_sentences_kept_fuzz = pytest.mark.fuzz(FUZZ(given(case=realistic_articles())(_story)))
test_split_sentences_fuzz = pytest.mark.fuzz(FUZZ(given(text=split_inputs())(_split)))
test_bytes_fuzz = pytest.mark.fuzz(FUZZ(given(data=mutated_bytes())(_bytes)))

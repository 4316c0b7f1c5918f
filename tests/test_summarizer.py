"""Summarizer: extractive picks, whole-sentence briefs, chunked summaries of long input."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from translate.article.segment import split_sentences
from translate.backends.transformers import TransformersSummarizationBackend
from translate.engines.summarizer import ELLIPSIS, ExtractiveSummarizer, Summarizer, trim_to_words
from translate.errors import UsageError

REPO = Path(__file__).resolve().parents[1]
CNN_CSV = REPO.parent / "shared" / "data" / "summarization" / "cnn_dailymail-sample.csv"

ENGLISH = [
    "Russia and Pakistan signed an energy agreement in Moscow on Monday.",
    "The weather in Moscow was cold.",
    "The energy agreement covers gas supplies from Russia to Pakistan.",
    "India is watching the agreement between Russia and Pakistan closely.",
    "A local football club won its match.",
]


class RecordingBackend:
    """Wraps a summarization backend and records every batch it summarizes."""

    def __init__(self, inner: TransformersSummarizationBackend):
        self.inner = inner
        self.max_input_tokens = inner.max_input_tokens
        self.calls: list[tuple[list[str], list[str]]] = []

    def count_tokens(self, texts: list[str]) -> list[int]:
        return self.inner.count_tokens(texts)

    def summarize_batch(self, texts: list[str], max_new_tokens: int, min_new_tokens: int) -> list[str]:
        outputs = self.inner.summarize_batch(texts, max_new_tokens, min_new_tokens)
        self.calls.append((list(texts), outputs))
        return outputs


@pytest.fixture(scope="module")
def tiny_summarizer(tiny_models: Path) -> Summarizer:
    summarizer = Summarizer.from_pretrained(tiny_models / "summarizer", beams=1, device="cpu")
    assert isinstance(summarizer, Summarizer)
    return summarizer


def _articles(count: int) -> list[str]:
    with CNN_CSV.open(encoding="utf-8", newline="") as handle:
        return [row["article"] for _, row in zip(range(count), csv.DictReader(handle))]


def test_extractive_picks_central_sentences_verbatim_in_order() -> None:
    brief = Summarizer.from_pretrained("extractive").summarize(" ".join(ENGLISH), words=25, sentences=ENGLISH)
    picked = [s for s in ENGLISH if s in brief]
    assert " ".join(picked) == brief  # whole given sentences, verbatim, in source order
    assert ENGLISH[2] in brief or ENGLISH[0] in brief  # the energy agreement is the topic
    assert ENGLISH[1] not in brief and ENGLISH[4] not in brief  # off-topic sentences are left out
    assert len(brief.split()) <= 25


def test_extractive_splits_text_when_no_sentences_given() -> None:
    brief = ExtractiveSummarizer().summarize(" ".join(ENGLISH), words=12)
    assert brief in ENGLISH  # one whole sentence fits 12 words


def test_extractive_always_returns_a_sentence_and_handles_empty_text() -> None:
    extractive = ExtractiveSummarizer()
    assert extractive.summarize("", words=60) == ""
    long = "This single sentence is much longer than the tiny word budget that was asked for here."
    assert extractive.summarize(long, words=3) == long


def test_extractive_needs_no_torch() -> None:
    code = (
        "import sys; from translate.engines.summarizer import Summarizer; "
        "print(Summarizer.from_pretrained('extractive').summarize('One thing happened. Then another.')); "
        "sys.exit('torch' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "One thing happened." in result.stdout


def test_trim_keeps_whole_sentences() -> None:
    text = "One two three four. Five six seven. Eight nine ten eleven twelve. Thirteen"
    assert trim_to_words(text, 7) == "One two three four. Five six seven."
    assert trim_to_words(text, 4) == "One two three four."
    assert trim_to_words(text, 100) == "One two three four. Five six seven. Eight nine ten eleven twelve."


def test_trim_marks_the_cut_when_there_is_no_sentence_end() -> None:
    salad = "own own count birth own rew IV own birth"
    trimmed = trim_to_words(salad, 5)
    assert trimmed == "own own count birth own" + ELLIPSIS
    assert not trimmed.endswith(".")


def test_trim_cuts_a_first_sentence_far_over_budget() -> None:
    sentence = " ".join(["word"] * 30) + "."
    assert trim_to_words(sentence, 10) == " ".join(["word"] * 10) + ELLIPSIS


def test_short_text_is_summarized_in_one_call(tiny_summarizer: Summarizer) -> None:
    recorder = RecordingBackend(tiny_summarizer.backend)
    brief = Summarizer(recorder).summarize(" ".join(ENGLISH), words=20)
    assert [texts for texts, _ in recorder.calls] == [[" ".join(ENGLISH)]]
    assert brief.endswith((".", "!", "?", ELLIPSIS))
    assert len(brief.split()) <= 20


def test_long_text_is_summarized_through_chunks(tiny_summarizer: Summarizer) -> None:
    text = " ".join(_articles(2))
    sentences = split_sentences(text)
    window = tiny_summarizer.backend.max_input_tokens
    assert tiny_summarizer.backend.count_tokens([text])[0] > 3 * window
    recorder = RecordingBackend(tiny_summarizer.backend)

    brief = Summarizer(recorder).summarize(text, words=10, sentences=sentences)

    first_texts, first_summaries = recorder.calls[0]
    assert len(first_texts) > 1
    assert all(n <= window for n in recorder.count_tokens(first_texts))
    # Nothing was cut off: the chunks hold every word of the input, in order.
    assert " ".join(first_texts).split() == " ".join(sentences).split()
    # The chunk summaries, all of them, were summarized again, ending in one brief.
    second_texts, _ = recorder.calls[1]
    assert "".join("".join(second_texts).split()) == "".join("".join(first_summaries).split())
    last_texts, _ = recorder.calls[-1]
    assert len(last_texts) == 1
    assert brief.endswith((".", "!", "?", ELLIPSIS))
    assert len(brief.split()) <= 10


class CountingSummarizationBackend(TransformersSummarizationBackend):
    """The tiny summarizer, recording the input token counts of every model call."""

    def forward(self, inputs, decoding):
        self.calls.append([int(n) for n in inputs["attention_mask"].sum(dim=1)])
        return super().forward(inputs, decoding)


def test_chunks_are_summarized_within_the_batch_token_budget(tiny_models: Path) -> None:
    """Many long chunks are not decoded all at once (each beam keeps its whole input in memory): the
    model calls stay within the token budget, and every chunk still gets its own summary, in order."""
    backend = CountingSummarizationBackend.from_pretrained(tiny_models / "summarizer", device="cpu", beams=1)
    window = backend.max_input_tokens
    texts = Summarizer(backend).chunks(split_sentences(" ".join(_articles(2))))
    lengths = backend.count_tokens(texts)
    assert len(texts) >= 5 and max(lengths) > window // 2

    backend.max_batch_tokens = 2 * window
    backend.calls = []
    budgeted = backend.summarize_batch(texts, max_new_tokens=12, min_new_tokens=4)
    assert sorted(n for call in backend.calls for n in call) == sorted(lengths)  # each chunk once
    assert all(len(call) * max(call) <= 2 * window for call in backend.calls)
    assert len(backend.calls) < len(texts)  # short chunks still share a call

    backend.max_batch_tokens = 1  # every chunk alone: the reference for each chunk's own summary
    backend.calls = []
    alone = backend.summarize_batch(texts, max_new_tokens=12, min_new_tokens=4)
    assert [len(call) for call in backend.calls] == [1] * len(texts)
    assert alone == [backend.summarize_batch([text], max_new_tokens=12, min_new_tokens=4)[0] for text in texts]
    assert all(alone) and len(budgeted) == len(texts) and all(budgeted)


def test_summarizer_reports_its_model(tiny_summarizer: Summarizer) -> None:
    info = tiny_summarizer.model_info
    assert info["architecture"] == "bart" and info["backend"] == "transformers"


def test_brief_length_must_be_positive(tiny_summarizer: Summarizer) -> None:
    with pytest.raises(UsageError):
        tiny_summarizer.summarize("Some text.", words=0)

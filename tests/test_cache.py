"""The on-disk translation cache: keys, reruns at no model cost, bypassing it, `hindi-brief cache`."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from translate.cli import main
from translate.engines.cache import CACHE_ENV, TranslationCache, cache_identity, cached_translate, default_cache_path

IDENTITY = cache_identity({"id": "some/model", "revision": "abc", "backend": "transformers"}, {"beams": 4})


class CountingModel:
    """A stand-in for a model: upper-cases text and counts the sentences it was asked to translate."""

    def __init__(self) -> None:
        self.sentences: list[str] = []

    def __call__(self, sentences: list[str]) -> list[str]:
        self.sentences += sentences
        return [s.upper() for s in sentences]


def test_second_pass_is_served_by_the_cache_without_model_calls(tmp_path: Path) -> None:
    cache, model = TranslationCache(tmp_path / "c.sqlite3"), CountingModel()
    first = cached_translate(cache, IDENTITY, ["एक", "दो", "एक"], model)
    assert first == ["एक".upper(), "दो".upper(), "एक".upper()]
    assert model.sentences == ["एक", "दो"]  # the repeated sentence is translated once
    again = cached_translate(TranslationCache(tmp_path / "c.sqlite3"), IDENTITY, ["दो", "एक"], model)
    assert again == [first[1], first[0]]
    assert model.sentences == ["एक", "दो"]  # nothing new reached the model


def test_only_missing_sentences_reach_the_model(tmp_path: Path) -> None:
    cache, model = TranslationCache(tmp_path / "c.sqlite3"), CountingModel()
    cached_translate(cache, IDENTITY, ["a", "b"], model)
    assert cached_translate(cache, IDENTITY, ["b", "c", "a"], model) == ["B", "C", "A"]
    assert model.sentences == ["a", "b", "c"]


@pytest.mark.parametrize("change", [
    {"id": "other/model"}, {"revision": "def"}, {"backend": "ctranslate2"},
])
def test_another_model_revision_or_backend_is_another_entry(tmp_path: Path, change: dict) -> None:
    cache, model = TranslationCache(tmp_path / "c.sqlite3"), CountingModel()
    info = {"id": "some/model", "revision": "abc", "backend": "transformers", **change}
    cached_translate(cache, IDENTITY, ["a"], model)
    cached_translate(cache, cache_identity(info, {"beams": 4}), ["a"], model)
    assert model.sentences == ["a", "a"]


def test_other_options_are_another_entry(tmp_path: Path) -> None:
    cache, model = TranslationCache(tmp_path / "c.sqlite3"), CountingModel()
    info = {"id": "some/model", "revision": "abc", "backend": "transformers"}
    cached_translate(cache, cache_identity(info, {"beams": 4}), ["a"], model)
    cached_translate(cache, cache_identity(info, {"beams": 1}), ["a"], model)
    assert model.sentences == ["a", "a"]


def test_without_a_cache_every_call_reaches_the_model(tmp_path: Path) -> None:
    model = CountingModel()
    cached_translate(None, IDENTITY, ["a"], model)
    cached_translate(None, IDENTITY, ["a"], model)
    assert model.sentences == ["a", "a"]


def test_a_broken_cache_file_warns_and_translates_anyway(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.warns(UserWarning, match="c.sqlite3"):
        assert cached_translate(TranslationCache(path), IDENTITY, ["a"], CountingModel()) == ["A"]


def _writer(path: str, worker: int) -> None:
    cache = TranslationCache(path)
    for round_ in range(20):
        sentences = [f"w{worker} r{round_} s{i}" for i in range(10)]
        cached_translate(cache, IDENTITY, sentences, lambda batch: [s.upper() for s in batch])


def test_processes_can_read_and_write_the_same_cache_at_once(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(path), n)) for n in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0, 0, 0]
    assert TranslationCache(path).info()["entries"] == 3 * 20 * 10
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_cache_lives_in_the_store_unless_moved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("HINDI_BRIEF_MODELS", str(tmp_path / "store"))
    assert default_cache_path() == tmp_path / "store" / "cache" / "translations.sqlite3"
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "elsewhere.sqlite3"))
    assert default_cache_path() == tmp_path / "elsewhere.sqlite3"
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))  # an existing folder holds the file
    assert default_cache_path() == tmp_path / "translations.sqlite3"


def test_cache_info_and_clear_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "c.sqlite3"
    monkeypatch.setenv(CACHE_ENV, str(path))
    assert main(["cache", "info", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["entries"] == 0
    cached_translate(TranslationCache(), IDENTITY, ["a", "b"], CountingModel())
    assert main(["cache", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["path"] == str(path) and info["entries"] == 2 and info["models"] == {"some/model": 2}
    assert main(["cache", "info"]) == 0
    assert "entries: 2" in capsys.readouterr().out
    assert main(["cache", "clear"]) == 0
    assert "removed 2" in capsys.readouterr().out
    model = CountingModel()
    cached_translate(TranslationCache(), IDENTITY, ["a"], model)
    assert model.sentences == ["a"]  # cleared: translated again


def test_a_broken_cache_file_is_a_one_line_error_in_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv(CACHE_ENV, str(path))
    assert main(["cache", "info"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "Traceback" not in err


class CountingSummaries:
    """A summarization backend wrapper, injected, that counts the texts reaching the model."""

    def __init__(self, inner) -> None:
        self.inner, self.max_input_tokens, self.texts = inner, inner.max_input_tokens, []

    def count_tokens(self, texts):
        return self.inner.count_tokens(texts)

    def summarize_batch(self, texts, max_new_tokens, min_new_tokens):
        self.texts += texts
        return self.inner.summarize_batch(texts, max_new_tokens, min_new_tokens)


def test_briefs_are_cached_like_translations(tiny_models: Path, tmp_path: Path) -> None:
    """A rerun of the same article writes the same brief without the model (issue 15, item 2);
    another brief length or another model is another entry."""
    from translate.engines.summarizer import Summarizer

    loaded = Summarizer.from_pretrained(tiny_models / "summarizer", beams=1, device="cpu", cache=False)
    sentences = [f"Trade talk number {i} between the two countries went on for a long time." for i in range(12)]
    first_backend = CountingSummaries(loaded.backend)
    cache = TranslationCache(tmp_path / "c.sqlite3")
    first = Summarizer(first_backend, loaded.model_info, cache=cache).summarize(" ".join(sentences), 20, sentences)
    assert first_backend.texts
    again_backend = CountingSummaries(loaded.backend)
    again = Summarizer(again_backend, loaded.model_info, cache=TranslationCache(tmp_path / "c.sqlite3"))
    assert again.summarize(" ".join(sentences), 20, sentences) == first
    assert again_backend.texts == []  # served by the cache
    again.summarize(" ".join(sentences), 30, sentences)
    assert again_backend.texts  # another length: the model again
    other = Summarizer(CountingSummaries(loaded.backend), {**loaded.model_info, "revision": "other"}, cache=cache)
    other.summarize(" ".join(sentences), 20, sentences)
    assert other.backend.texts

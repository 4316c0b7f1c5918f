"""CTranslate2: conversion beside the model, backend choice, the same output as transformers, the cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from translate.cli import main
from translate.engines.cache import TranslationCache
from translate.engines.summarizer import Summarizer
from translate.engines.translator import Translator
from translate.errors import ModelError, UsageError
from translate.pipeline import Pipeline
from translate.store.convert import convert, converted_dir, find_converted

SENTENCES = [
    "रूस ने पाकिस्तान के साथ नया समझौता किया।",
    "विदेश मंत्री डॉ. एस. जयशंकर मॉस्को पहुंचे।",
    "दोनों देशों के बीच व्यापार 1.5 अरब डॉलर का है।",
    "भारत ने इस पर नजर रखी है",
]
ENGLISH = (
    "Russia and Pakistan signed an energy agreement in Moscow on Monday. The agreement covers gas "
    "supplies. India is watching the agreement closely."
)


@pytest.fixture(scope="module")
def converted(tiny_models: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copies of the tiny models, each converted to CTranslate2 float32 beside itself."""
    root = tmp_path_factory.mktemp("converted")
    for name in ("translator", "marian", "summarizer"):
        shutil.copytree(tiny_models / name, root / name)
        convert(root / name, "float32")
    return root


@pytest.mark.parametrize("model", ["translator", "marian"])
def test_greedy_float32_ctranslate2_translates_like_transformers(converted: Path, model: str) -> None:
    options = dict(beams=1, device="cpu", cache=False)
    fast = Translator.from_pretrained(converted / model, backend="ctranslate2", **options)
    reference = Translator.from_pretrained(converted / model, backend="transformers", **options)
    assert fast.model_info["backend"] == "ctranslate2" and fast.model_info["quantization"] == "float32"
    assert reference.model_info["backend"] == "transformers"
    expected = reference.translate(SENTENCES)
    assert all(expected)
    assert fast.translate(SENTENCES) == expected


def test_ctranslate2_sends_the_nllb_language_codes(converted: Path) -> None:
    fast = Translator.from_pretrained(converted / "translator", backend="ctranslate2", beams=1, cache=False)
    [tokens] = fast.backend.preprocess(["रूस ने समझौता किया।"])
    assert tokens[0] == "hin_Deva" and tokens[-1] == "</s>"
    assert fast.backend.decoding([len(tokens)]).target_prefix(fast.backend.tokenizer) == ["eng_Latn"]
    urdu = Translator.from_pretrained(converted / "translator", backend="ctranslate2", src_lang="urd_Arab", beams=1, cache=False)
    assert urdu.backend.preprocess(["कुछ"])[0][0] == "urd_Arab"


def test_greedy_float32_ctranslate2_summarizes_like_transformers(converted: Path) -> None:
    fast = Summarizer.from_pretrained(converted / "summarizer", backend="ctranslate2", beams=1)
    reference = Summarizer.from_pretrained(converted / "summarizer", backend="transformers", beams=1)
    assert isinstance(fast, Summarizer) and isinstance(reference, Summarizer)
    assert fast.model_info["backend"] == "ctranslate2"
    # BART forces <s> first and </s> last, and these lengths make the model stop on the limit.
    expected = reference.backend.summarize_batch([ENGLISH, "A short one."], max_new_tokens=30, min_new_tokens=10)
    assert all(expected)
    assert fast.backend.summarize_batch([ENGLISH, "A short one."], max_new_tokens=30, min_new_tokens=10) == expected
    assert fast.summarize(ENGLISH, words=20) == reference.summarize(ENGLISH, words=20)


def test_auto_uses_the_conversion_when_there_is_one(tiny_models: Path, tmp_path: Path) -> None:
    folder = tmp_path / "model"
    shutil.copytree(tiny_models / "translator", folder)
    assert Translator.from_pretrained(folder, beams=1, cache=False).model_info["backend"] == "transformers"
    convert(folder, "int8")
    translator = Translator.from_pretrained(folder, beams=1, cache=False)
    assert translator.model_info["backend"] == "ctranslate2" and translator.model_info["quantization"] == "int8"
    assert len(translator.translate(SENTENCES)) == len(SENTENCES)
    forced = Translator.from_pretrained(folder, beams=1, backend="transformers", cache=False)
    assert forced.model_info["backend"] == "transformers"


def test_ctranslate2_without_a_conversion_says_how_to_make_one(tiny_models: Path) -> None:
    with pytest.raises(ModelError, match="models convert"):
        Translator.from_pretrained(tiny_models / "marian", backend="ctranslate2")
    with pytest.raises(UsageError, match="auto, transformers, ctranslate2"):
        Translator.from_pretrained(tiny_models / "marian", backend="onnx")


def test_an_interrupted_conversion_is_never_used(tiny_models: Path, tmp_path: Path) -> None:
    folder = tmp_path / "model"
    shutil.copytree(tiny_models / "translator", folder)
    partial = folder / "ct2-int8.partial-12345"
    partial.mkdir()
    (partial / "model.bin").write_bytes(b"half written")
    assert find_converted(folder) is None
    assert Translator.from_pretrained(folder, beams=1, cache=False).model_info["backend"] == "transformers"


def test_convert_refuses_what_it_cannot_convert(tiny_models: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="int4"):
        convert(tiny_models / "translator", "int4")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ModelError, match="no config.json"):
        convert(empty)
    pickled = tmp_path / "pickled"
    shutil.copytree(tiny_models / "translator", pickled)
    (pickled / "model.safetensors").unlink()
    (pickled / "pytorch_model.bin").write_bytes(b"never unpickled")
    with pytest.raises(ModelError, match="cannot convert") as error:
        convert(pickled)
    assert str(pickled) in str(error.value)
    assert not converted_dir(pickled).exists() and not list(pickled.glob("ct2-*"))


def test_models_convert_puts_the_conversion_in_the_store(
    tiny_models: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    monkeypatch.setenv("HINDI_BRIEF_MODELS", str(store))
    assert main(["models", "convert", "opus-mt"]) == 2  # not installed: the how-to, exit 2
    assert "models pull opus-mt" in capsys.readouterr().err
    assert main(["models", "import", "opus-mt", str(tiny_models / "marian")]) == 0
    assert main(["models", "convert", "opus-mt"]) == 0
    assert str(store / "opus-mt" / "ct2-int8") in capsys.readouterr().out
    assert (store / "opus-mt" / "ct2-int8" / "model.bin").is_file()
    assert (store / "opus-mt" / "config.json").is_file()  # the original stays
    assert main(["models", "list", "--json"]) == 0
    [row] = [r for r in json.loads(capsys.readouterr().out) if r["name"] == "opus-mt"]
    assert row["ctranslate2"] == ["int8"]
    translator = Translator.from_pretrained("opus-mt", beams=1, cache=False)
    assert translator.model_info["backend"] == "ctranslate2"
    assert translator.model_info["id"] == "Helsinki-NLP/opus-mt-hi-en"


def test_cached_rerun_makes_no_model_calls_and_no_cache_does(converted: Path, tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    translator = Translator.from_pretrained(converted / "translator", beams=1, cache=cache)
    first = translator.translate(SENTENCES + SENTENCES[:1])
    assert translator.backend.translated_count == len(SENTENCES)  # the repeat is translated once
    rerun = Translator.from_pretrained(converted / "translator", beams=1, cache=cache)
    assert rerun.translate(SENTENCES) == first[:-1]
    assert rerun.backend.translated_count == 0

    uncached = Translator.from_pretrained(converted / "translator", beams=1, cache=False)
    assert uncached.translate(SENTENCES) == first[:-1]
    assert uncached.translate(SENTENCES) == first[:-1]
    assert uncached.backend.translated_count == 2 * len(SENTENCES)


def test_cache_keys_follow_backend_and_beams(converted: Path, tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    for backend, beams in [("ctranslate2", 1), ("transformers", 1), ("ctranslate2", 2)]:
        translator = Translator.from_pretrained(converted / "translator", beams=beams, backend=backend, cache=cache)
        translator.translate(SENTENCES)
        assert translator.backend.translated_count == len(SENTENCES), (backend, beams)


def test_rebuilt_model_folder_is_not_served_from_the_cache(tiny_models: Path, tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    folder = tmp_path / "model"
    shutil.copytree(tiny_models / "marian", folder)
    Translator.from_pretrained(folder, beams=1, cache=cache).translate(SENTENCES[:1])
    shutil.rmtree(folder)
    shutil.copytree(tiny_models / "translator", folder)  # another model under the same path
    replaced = Translator.from_pretrained(folder, beams=1, cache=cache)
    replaced.translate(SENTENCES[:1])
    assert replaced.backend.translated_count == 1


def test_pipeline_passes_backend_and_cache_through(converted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HINDI_BRIEF_CACHE", str(tmp_path / "cache.sqlite3"))
    article = "रूस ने पाकिस्तान के साथ नया समझौता किया। भारत ने इस पर नजर रखी है।"
    options = dict(beams=1, brief_mode="extractive")

    uncached = Pipeline.from_pretrained(converted / "translator", **options, backend="transformers", cache=False)
    assert uncached.models["translator"]["backend"] == "transformers"
    uncached(article)
    once = uncached.translator.backend.translated_count
    assert once > 0
    uncached(article)
    assert uncached.translator.backend.translated_count == 2 * once

    cached = Pipeline.from_pretrained(converted / "translator", **options)  # auto: the conversion; cache on
    assert cached.models["translator"]["backend"] == "ctranslate2"
    first = cached(article)
    assert cached.translator.backend.translated_count == once
    assert cached(article).translation == first.translation
    assert cached.translator.backend.translated_count == once

"""Pickle checkpoints made safe once (issue 12, item 3), and briefs decoded as the checkpoint intends
(item 4): what a user of a preset notices without a hub."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from replicas import build

from translate.errors import ModelError

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = ["रूस और पाकिस्तान के बीच व्यापार पर बात हुई।", "दोनों देशों ने 11 समझौते किए।"]


class _Boom:
    """Unpickling this runs code (writes a marker): what a booby-trapped checkpoint does."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (Path(self.marker).write_text, ("pickle code ran",))


def test_a_pickle_that_builds_objects_is_refused_and_runs_nothing(tmp_path: Path) -> None:
    from translate.backends.weights import load_pickle_tensors, pickle_to_safetensors

    marker = tmp_path / "ran"
    folder = tmp_path / "model"
    folder.mkdir()
    with (folder / "pytorch_model.bin").open("wb") as handle:
        pickle.dump({"weight": _Boom(str(marker))}, handle)
    with pytest.raises(ModelError) as caught:
        load_pickle_tensors(folder / "pytorch_model.bin")
    assert "refused" in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(ModelError):
        pickle_to_safetensors(folder)
    assert not marker.exists()
    assert (folder / "pytorch_model.bin").exists() and not list(folder.glob("*.safetensors"))


def test_tied_pickle_becomes_safetensors_that_translate_the_same(tmp_path: Path) -> None:
    """NLLB's pickle stores one embedding under four names: stored once, tied back on load."""
    from safetensors import safe_open

    from translate.backends.weights import pickle_to_safetensors
    from translate.engines.translator import Translator

    pickled = build("nllb-600m", tmp_path / "replicas")
    reference = Translator.from_pretrained(str(pickled), device="cpu", beams=2, cache=False, allow_pickle=True,
                                           backend="transformers")
    expected = reference.translate(SENTENCES)
    folder = tmp_path / "safe"
    shutil.copytree(pickled, folder)
    written = pickle_to_safetensors(folder)
    assert [p.name for p in written] == ["model.safetensors"] and not (folder / "pytorch_model.bin").exists()
    with safe_open(str(folder / "model.safetensors"), "pt") as handle:
        names = set(handle.keys())
    tied = {"model.shared.weight", "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight"}
    assert len(names & tied) == 1  # one copy of the embedding on disk, not four
    safe = Translator.from_pretrained(str(folder), device="cpu", beams=2, cache=False, backend="transformers")
    assert safe.translate(SENTENCES) == expected


def test_import_of_a_pickle_only_folder_needs_no_allow_pickle(tmp_path: Path) -> None:
    store = tmp_path / "store"
    source = build("distilbart-cnn", tmp_path / "replicas")
    env = {**os.environ, "HINDI_BRIEF_MODELS": str(store), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "translate.cli", "models", "import", "distilbart-cnn", str(source)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "stored as safetensors" in proc.stdout and "CTranslate2 int8" in proc.stdout
    installed = {p.name for p in (store / "distilbart-cnn").iterdir()}
    assert {"model.safetensors", "ct2-int8", "config.json", "vocab.json", "merges.txt"} <= installed
    assert not installed & {"pytorch_model.bin", "flax_model.msgpack", "rust_model.ot", "README.md"}
    assert json.loads((store / "distilbart-cnn" / "hindi-brief-source.json").read_text())["made_safe"] == ["pytorch_model.bin"]
    assert source.joinpath("pytorch_model.bin").exists()  # the input folder is never changed


class CountingBackend:
    """A summarization backend wrapper, injected, that records what reaches the model."""

    def __init__(self, inner):
        self.inner, self.max_input_tokens, self.calls = inner, inner.max_input_tokens, []

    def count_tokens(self, texts):
        return self.inner.count_tokens(texts)

    def summarize_batch(self, texts, max_new_tokens, min_new_tokens):
        self.calls.append(list(texts))
        return self.inner.summarize_batch(texts, max_new_tokens, min_new_tokens)


def test_a_text_shorter_than_the_brief_is_not_sent_to_the_model(tiny_models: Path) -> None:
    from translate.engines.summarizer import Summarizer

    loaded = Summarizer.from_pretrained(tiny_models / "summarizer", beams=1, device="cpu")
    backend = CountingBackend(loaded.backend)
    summarizer = Summarizer(backend, loaded.model_info)
    short = ["Russia and Pakistan met on Friday.", "They signed 11 agreements."]
    assert summarizer.summarize(" ".join(short), words=60, sentences=short) == " ".join(short)
    assert backend.calls == []
    long = [f"Sentence number {i} talks about trade between the two countries at length." for i in range(20)]
    summarizer.summarize(" ".join(long), words=20, sentences=long)
    assert backend.calls

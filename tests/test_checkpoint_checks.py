"""A Marian conversion whose vocabulary, embeddings or final_logits_bias disagree with its config is
refused before it loads (issue 22, item 4): such checkpoints load without an error and translate into
garbage (transformers#26216, #26271, #26338). Proven on the HPLT replica, made safe as `pull` does."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from replicas import build

from translate.errors import ModelError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def hplt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from translate.backends.weights import pickle_to_safetensors

    folder = tmp_path_factory.mktemp("hplt") / "hplt"
    shutil.copytree(build("hplt", tmp_path_factory.mktemp("replicas")), folder)
    pickle_to_safetensors(folder)
    return folder


def _broken(hplt: Path, tmp_path: Path, **tensors) -> Path:
    """A copy of ``hplt`` with ``tensors`` (name -> new number of rows, or None to drop) changed."""
    from safetensors.torch import load_file, save_file

    folder = tmp_path / "broken"
    shutil.copytree(hplt, folder)
    state = load_file(folder / "model.safetensors")
    for name, rows in tensors.items():
        if rows is None:
            state.pop(name)
        elif name == "final_logits_bias":
            state[name] = state[name][:, :rows].contiguous()
        else:
            state[name] = state[name][:rows].contiguous()
    save_file(state, str(folder / "model.safetensors"), metadata={"format": "pt"})
    return folder


def _load(folder: Path, backend: str = "transformers"):
    from translate.engines.translator import Translator

    return Translator.from_pretrained(folder, backend=backend, device="cpu", cache=False, beams=1)


def test_a_sound_conversion_loads(hplt: Path) -> None:
    from translate.backends.checkpoint import check_marian

    check_marian(hplt)
    assert _load(hplt).translate(["भारत और रूस ने 10 समझौते किए।"])[0]


@pytest.mark.parametrize(("tensors", "needle"), [
    ({"final_logits_bias": -8}, "final_logits_bias is 1 x"),
    ({"lm_head.weight": -8}, "lm_head.weight is"),
    ({"model.shared.weight": -1}, "model.shared.weight is"),
])
def test_mismatched_tensors_are_refused_in_one_line(hplt: Path, tmp_path: Path, tensors: dict, needle: str) -> None:
    folder = _broken(hplt, tmp_path, **tensors)
    with pytest.raises(ModelError) as caught:
        _load(folder)
    message = str(caught.value)
    assert needle in message and str(folder) in message and "transformers#26216" in message and "\n" not in message


def test_a_vocabulary_of_another_size_is_refused(hplt: Path, tmp_path: Path) -> None:
    folder = tmp_path / "vocab"
    shutil.copytree(hplt, folder)
    vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    vocab["<extra>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ModelError, match=r"vocab.json has \d+ pieces, config.json's vocab_size is"):
        _load(folder)


def test_the_cli_refuses_a_broken_conversion_with_one_line_and_exit_2(hplt: Path, tmp_path: Path) -> None:
    folder = _broken(hplt, tmp_path, final_logits_bias=-8)
    article = tmp_path / "a.txt"
    article.write_text("भारत और रूस ने 10 समझौते किए।\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "translate.cli", "run", str(article), "-o", str(tmp_path / "out"),
                           "--translator", str(folder), "--summarizer", "extractive", "--backend", "transformers"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "final_logits_bias" in lines[0] and "Traceback" not in proc.stderr, proc.stderr

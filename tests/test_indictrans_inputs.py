"""IndicTrans2 on real inputs (issue 22, item 6): the faults of IndicTransToolkit 1.1.1 and
indic-nlp-library-itt 0.1.1 that reach the model, and a checkpoint whose output layer was tied.

Each test fails on the unrepaired libraries: the model input of a sentence with a time or an
abbreviation before a colon lost characters, the placeholders of a sentence with two web addresses
were numbered differently in every process, and a tied pickle imported into the store translated
with a random output layer."""

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
def processor():
    from translate.backends.indictrans import Processor

    return Processor("hin_Deva", "eng_Latn")


def model_input(processor, text: str) -> str:
    return processor.tagged([text])[0].split(" ", 2)[2]


@pytest.mark.parametrize(("hindi", "kept"), [
    ("बैठक सुबह 5:30 बजे शुरू हुई।", "5:30"),
    ("स्कोर 3:2 रहा।", "3:2"),
    ("समय PM: 10 बजे", "PM :"),
    ("UN: शांति की अपील", "UN :"),
])
def test_a_colon_after_a_digit_or_capital_reaches_the_model_as_written(processor, hindi: str, kept: str) -> None:
    seen = model_input(processor, hindi)
    assert kept in seen, seen
    assert "\\1" not in seen and "ः" not in seen  # no literal backreference, no visarga made up


def test_devanagari_colons_are_left_as_the_toolkit_tokenizes_them(processor) -> None:
    assert model_input(processor, "उन्होंने कहा: हम तैयार हैं।") == "उन्होंने कहा : हम तैयार हैं ।"


def test_precomposed_nukta_letters_reach_the_model_as_letter_and_nukta(processor) -> None:
    seen = model_input(processor, "\u095bिंदगी और \u095eिल्म")  # ज़ and फ़ as single code points
    assert seen == "\u091c\u093cिंदगी और \u092b\u093cिल्म", ascii(seen)
    assert "\\u093C" not in seen


SCRIPT = """
import sys
from translate.backends.indictrans import Processor
print(Processor("hin_Deva", "eng_Latn").tagged([sys.argv[1]])[0])
"""


def test_placeholders_are_numbered_in_text_order_whatever_the_hash_seed() -> None:
    sentence = "रिपोर्ट www.example.com, www.example.org और press@example.in पर है।"
    seen = set()
    for seed in ("0", "1", "2", "3", "4", "5"):
        proc = subprocess.run([sys.executable, "-c", SCRIPT, sentence], cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120)
        assert proc.returncode == 0, proc.stderr
        seen.add(proc.stdout.strip())
    assert len(seen) == 1, seen
    tagged = seen.pop()
    assert tagged.index("ID1") < tagged.index("ID2") < tagged.index("ID3"), tagged


def test_placeholders_come_back_as_their_own_text(processor) -> None:
    sentence = "रिपोर्ट www.example.com, www.example.org और press@example.in पर है।"

    def echo(tagged: list[str]) -> list[list[tuple[str, float]]]:
        # A model that writes the placeholders in reverse order, in the variants it may use.
        return [["see [ID3] then < ID2 > then <id1>", -0.1] for _ in tagged]

    [(restored, score)] = processor.run_hypotheses([sentence], lambda tagged: [[tuple(o)] for o in echo(tagged)])[0:1][0]
    assert restored == "see press@example.in then www.example.org then www.example.com", restored
    assert score == -0.1


# -- a checkpoint without its output layer ----------------------------------------------------


def _tied_pickle(folder: Path, out: Path, *, shared: bool, head_first: bool = False) -> Path:
    """``folder`` as a fairseq-era pickle: the output layer and the decoder embedding one tensor
    (``head_first``: the output layer's name comes first in the file)."""
    import torch
    from safetensors.torch import load_file

    shutil.copytree(folder, out, ignore=shutil.ignore_patterns("*.safetensors", "pytorch_model.bin", "*.py"))
    state = load_file(folder / "model.safetensors")
    state.pop("lm_head.weight")
    embedding = state["model.decoder.embed_tokens.weight"]
    state = {"lm_head.weight": embedding, **state} if head_first else {**state, "lm_head.weight": embedding}
    torch.save(state, out / "pytorch_model.bin")  # one storage under two names
    config = json.loads((out / "config.json").read_text())
    config["share_decoder_input_output_embed"] = shared
    (out / "config.json").write_text(json.dumps(config))
    return out


@pytest.mark.parametrize("head_first", [False, True], ids=["embedding-first", "output-layer-first"])
def test_an_imported_tied_pickle_translates_as_the_original(tmp_path: Path, monkeypatch, head_first: bool) -> None:
    from translate.engines.translator import Translator
    from translate.store import import_model

    original = build("indictrans2-200m", tmp_path / "replicas")
    monkeypatch.setenv("HINDI_BRIEF_MODELS", str(tmp_path / "store"))
    tied = _tied_pickle(original, tmp_path / "tied", shared=True, head_first=head_first)
    installed = import_model("indictrans2-200m", tied, fast=False)
    from safetensors import safe_open

    with safe_open(installed.path / "model.safetensors", "pt") as stored:
        kept = {"lm_head.weight", "model.decoder.embed_tokens.weight"} & set(stored.keys())
    assert kept == {"lm_head.weight" if head_first else "model.decoder.embed_tokens.weight"}  # one name only
    sentences = ["भारत और रूस ने 10 समझौते किए।", "दोनों देशों ने व्यापार पर बात की।"]
    options = dict(device="cpu", cache=False, beams=1, backend="transformers")
    expected = Translator.from_pretrained(original, **options).translate(sentences)
    assert Translator.from_pretrained(installed.path, **options).translate(sentences) == expected


def test_a_checkpoint_without_an_output_layer_or_sharing_is_refused_in_one_line(tmp_path: Path) -> None:
    from translate.backends.weights import pickle_to_safetensors
    from translate.engines.translator import Translator

    original = build("indictrans2-200m", tmp_path / "replicas")
    folder = _tied_pickle(original, tmp_path / "unshared", shared=False)
    pickle_to_safetensors(folder)
    with pytest.raises(ModelError) as caught:
        Translator.from_pretrained(folder, device="cpu", cache=False, beams=1, backend="transformers")
    message = str(caught.value)
    assert "lm_head.weight" in message and str(folder) in message and "\n" not in message

"""Translator: language codes, never truncating, batching, safety checks (tiny random models)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tiny_models import build_tiny_translator

from translate.backends.batching import token_budget_batches
from translate.backends.transformers import TransformersTranslationBackend
from translate.engines.clauses import split_to_fit
from translate.engines.translator import Translator
from translate.errors import ModelError

SENTENCES = [
    "रूस ने पाकिस्तान के साथ नया समझौता किया।",
    "",
    "विदेश मंत्री डॉ. एस. जयशंकर मॉस्को पहुंचे।",
    "   ",
    "दोनों देशों के बीच व्यापार 1.5 अरब डॉलर का है।",
]
# Clauses of the seed articles: a sentence built from many of them is far longer than 32 tokens.
CLAUSES = [
    "रूस और पाकिस्तान के बीच रिश्ते बेहतर हो रहे हैं",
    "भारत ने इस पर नजर रखी है",
    "विदेश मंत्री ने मॉस्को में बातचीत की",
    "दोनों देशों ने ऊर्जा सहयोग पर चर्चा की",
]


class RecordingBackend:
    """Wraps a backend and records every batch it is asked to translate."""

    def __init__(self, inner: TransformersTranslationBackend):
        self.inner = inner
        self.max_input_tokens = inner.max_input_tokens
        self.calls: list[tuple[list[str], list[str]]] = []

    def count_tokens(self, texts: list[str]) -> list[int]:
        return self.inner.count_tokens(texts)

    def translate_batch(self, texts: list[str]) -> list[str]:
        outputs = self.inner.translate_batch(texts)
        self.calls.append((list(texts), outputs))
        return outputs


@pytest.fixture(scope="module")
def translator(tiny_models: Path) -> Translator:
    return Translator.from_pretrained(tiny_models / "translator", beams=2, device="cpu")


def test_nllb_language_codes_reach_the_model(translator: Translator) -> None:
    backend = translator.backend
    tokenizer = backend.tokenizer
    inputs = backend.preprocess(["रूस ने समझौता किया।"])
    assert inputs["input_ids"][0][0].item() == tokenizer.convert_tokens_to_ids("hin_Deva")
    generated = backend.forward(inputs, backend.decoding([inputs["input_ids"].shape[1]]))
    # NLLB decoding starts with </s>, then the forced target language code.
    assert generated[0][1] == tokenizer.convert_tokens_to_ids("eng_Latn")
    assert translator.model_info["src_lang"] == "hin_Deva"
    assert translator.model_info["tgt_lang"] == "eng_Latn"
    assert translator.model_info["architecture"] == "nllb"


def test_source_language_can_be_chosen(tiny_models: Path) -> None:
    urdu = Translator.from_pretrained(tiny_models / "translator", src_lang="urd_Arab", beams=1)
    inputs = urdu.backend.preprocess(["कुछ"])
    assert inputs["input_ids"][0][0].item() == urdu.backend.tokenizer.convert_tokens_to_ids("urd_Arab")


def test_unknown_language_code_is_a_model_error(tiny_models: Path) -> None:
    with pytest.raises(ModelError, match="xx_Nope"):
        Translator.from_pretrained(tiny_models / "translator", tgt_lang="xx_Nope")


def test_translate_keeps_length_order_and_blanks(translator: Translator) -> None:
    out = translator.translate(SENTENCES)
    assert len(out) == len(SENTENCES)
    assert out[1] == "" and out[3] == ""
    assert all(out[i] for i in (0, 2, 4))
    # Each output belongs to its own input, whatever the batch it ran in.
    assert [translator.translate([s])[0] for s in SENTENCES] == out


def test_translation_is_deterministic(translator: Translator) -> None:
    assert translator.translate(SENTENCES) == translator.translate(SENTENCES)


def test_marian_checkpoint_translates(tiny_models: Path) -> None:
    marian = Translator.from_pretrained(tiny_models / "marian", beams=1)
    assert marian.model_info["architecture"] == "marian"
    out = marian.translate(SENTENCES[:3])
    assert len(out) == 3 and out[0] and out[1] == ""


def test_long_sentence_is_translated_in_pieces_not_cut(tmp_path: Path) -> None:
    folder = build_tiny_translator(tmp_path / "short-window", max_position_embeddings=32)
    inner = Translator.from_pretrained(folder, beams=1).backend
    recorder = RecordingBackend(inner)
    translator = Translator(recorder)
    long_sentence = ", ".join(CLAUSES * 3) + "।"
    assert inner.count_tokens([long_sentence])[0] > translator.max_input_tokens == 32

    [output] = translator.translate([long_sentence])

    [(pieces, piece_translations)] = recorder.calls
    assert len(pieces) > 1
    assert all(n <= 32 for n in inner.count_tokens(pieces))
    # Every word of the sentence reached the model, in order, and no word twice.
    assert " ".join(pieces).split() == long_sentence.split()
    assert output == " ".join(piece_translations)


def test_short_sentences_are_not_split(translator: Translator) -> None:
    recorder = RecordingBackend(translator.backend)
    Translator(recorder).translate(SENTENCES)
    [(pieces, _)] = recorder.calls
    assert pieces == [s for s in SENTENCES if s.strip()]


def test_split_prefers_clause_boundaries() -> None:
    def fits(text: str) -> bool:
        return len(text) <= 40

    text = "रूस ने समझौता किया, भारत ने नजर रखी; दोनों देश बात करेंगे"
    assert split_to_fit(text, fits) == ["रूस ने समझौता किया, भारत ने नजर रखी;", "दोनों देश बात करेंगे"]
    conj = "रूस ने नया समझौता किया और भारत ने इस पर नजर रखी"
    assert split_to_fit(conj, fits) == ["रूस ने नया समझौता किया", "और भारत ने इस पर नजर रखी"]


def test_split_falls_back_to_words_then_characters() -> None:
    def fits(text: str) -> bool:
        return len(text) <= 5

    assert split_to_fit("ab cd efghijkl", fits) == ["ab cd", "efghi", "jkl"]


@given(st.lists(st.text(alphabet="कखग ,;:और", max_size=30), max_size=5), st.integers(min_value=3, max_value=12))
def test_split_loses_nothing_and_fits(parts: list[str], limit: int) -> None:
    text = " ".join(parts)
    pieces = split_to_fit(text, lambda piece: len(piece) <= limit)
    assert all(len(piece) <= limit for piece in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())


@given(
    st.lists(st.integers(min_value=1, max_value=300), max_size=60),
    st.integers(min_value=1, max_value=2000),
    st.one_of(st.none(), st.integers(min_value=1, max_value=16)),
)
def test_token_budget_batches(lengths: list[int], max_tokens: int, max_batch_size: int | None) -> None:
    batches = token_budget_batches(lengths, max_tokens, max_batch_size)
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    for batch in batches:
        padded = len(batch) * max(lengths[i] for i in batch)
        assert padded <= max_tokens or len(batch) == 1
        assert max_batch_size is None or len(batch) <= max_batch_size
    # Sorted by length: the batches hold non-increasing lengths.
    flat = [lengths[i] for batch in batches for i in batch]
    assert flat == sorted(flat, reverse=True)


def test_batches_group_similar_lengths() -> None:
    assert token_budget_batches([5, 50, 6, 48], max_tokens=100) == [[1, 3], [2, 0]]


def _copy_config(tiny_models: Path, folder: Path, **changes: object) -> None:
    folder.mkdir()
    config = json.loads((tiny_models / "translator" / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, **changes}))


def test_pickle_weights_need_allow_pickle(tiny_models: Path, tmp_path: Path) -> None:
    folder = tmp_path / "pickled"
    shutil.copytree(tiny_models / "translator", folder)
    (folder / "model.safetensors").unlink()
    (folder / "pytorch_model.bin").write_bytes(b"never unpickled")
    with pytest.raises(ModelError, match="--allow-pickle") as error:
        Translator.from_pretrained(folder)
    assert str(folder) in str(error.value)


def test_remote_code_needs_trust_remote_code(tiny_models: Path, tmp_path: Path) -> None:
    folder = tmp_path / "remote"
    _copy_config(tiny_models, folder, auto_map={"AutoModelForSeq2SeqLM": "modeling.Model"})
    with pytest.raises(ModelError, match="--trust-remote-code"):
        Translator.from_pretrained(folder)


def test_broken_folder_is_a_model_error_naming_it(tiny_models: Path, tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    shutil.copytree(tiny_models / "translator", folder)
    (folder / "model.safetensors").write_bytes(b"truncated")
    with pytest.raises(ModelError, match="cannot load the model") as error:
        Translator.from_pretrained(folder)
    assert str(folder) in str(error.value)


def test_folder_without_tokenizer_is_a_model_error(tiny_models: Path, tmp_path: Path) -> None:
    folder = tmp_path / "no-tokenizer"
    folder.mkdir()
    for name in ("config.json", "generation_config.json", "model.safetensors"):
        shutil.copy(tiny_models / "translator" / name, folder / name)
    with pytest.raises(ModelError, match="no tokenizer files"):
        Translator.from_pretrained(folder)

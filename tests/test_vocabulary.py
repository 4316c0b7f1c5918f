"""English-only output vocabulary (issue 15, item 1): NLLB scores English pieces only, on both
backends, with exactly the output of the full model banned from the other pieces; and nothing a
real English sentence needs is cut."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
import torch
from replicas import build

from translate.backends.ct2 import run_ct2
from translate.backends.vocabulary import LATIN_RANGES, english_token_ids, is_english_piece
from translate.backends.weights import pickle_to_safetensors
from translate.engines.translator import Translator
from translate.store.convert import convert

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "hi-en"
ENGLISH_REFERENCES = [DATA / "flores200-devtest.eng_Latn", DATA / "newstest2014.en"]
HINDI = DATA / "flores200-devtest.hin_Deva"


@pytest.fixture(scope="module")
def nllb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The nllb-600m replica, made safe and converted (float32, so both backends decode alike)."""
    folder = tmp_path_factory.mktemp("nllb") / "model"
    shutil.copytree(build("nllb-600m", tmp_path_factory.mktemp("replicas")), folder)
    pickle_to_safetensors(folder)
    convert(folder, "float32")
    return folder


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    return HINDI.read_text(encoding="utf-8").splitlines()[:10]


def test_the_english_set_keeps_latin_pieces_specials_and_eng_latn_only(nllb: Path) -> None:
    translator = Translator.from_pretrained(nllb, backend="transformers", device="cpu", cache=False)
    tokenizer = translator.backend.tokenizer
    keep = set(english_token_ids(tokenizer))
    vocabulary = tokenizer.get_vocab()
    assert vocabulary["eng_Latn"] in keep and vocabulary["</s>"] in keep and vocabulary["<unk>"] in keep
    assert vocabulary["hin_Deva"] not in keep and vocabulary["fra_Latn"] not in keep  # other languages' codes go
    for token, index in vocabulary.items():
        if any("\u0900" <= ch <= "\u097f" for ch in token):
            assert index not in keep, token
    assert translator.model_info["vocabulary"] == f"english ({len(keep)} pieces)"
    full = Translator.from_pretrained(nllb, backend="transformers", device="cpu", cache=False, vocabulary="full")
    assert "vocabulary" not in full.model_info


def test_every_character_of_the_english_references_is_in_the_ranges() -> None:
    for path in ENGLISH_REFERENCES:
        text = path.read_text(encoding="utf-8")
        outside = {ch for ch in text if ch != "\n" and not any(lo <= ord(ch) <= hi for lo, hi in LATIN_RANGES)}
        assert outside == set(), path.name


def test_every_piece_of_the_english_references_is_kept_by_an_nllb_style_tokenizer(tmp_path: Path) -> None:
    """A tokenizer like NLLB's (sentencepiece BPE over Hindi and English, the language codes as
    special tokens) trained on the test sets themselves: tokenizing their English keeps to the set."""
    import sentencepiece as spm
    from transformers import NllbTokenizer
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    english = [line for path in ENGLISH_REFERENCES for line in path.read_text(encoding="utf-8").splitlines()]
    hindi = HINDI.read_text(encoding="utf-8").splitlines()
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(english + hindi), model_writer=buffer, vocab_size=8000,
                                   model_type="bpe", character_coverage=1.0, num_threads=1, minloglevel=2,
                                   unk_id=0, bos_id=1, eos_id=2, pad_id=-1)
    (tmp_path / "sentencepiece.bpe.model").write_bytes(buffer.getvalue())
    tokenizer = NllbTokenizer.from_pretrained(tmp_path, extra_special_tokens=FAIRSEQ_LANGUAGE_CODES)
    keep = set(english_token_ids(tokenizer))
    unknown = tokenizer.unk_token_id
    used = {i for ids in tokenizer(english, add_special_tokens=False)["input_ids"] for i in ids if i != unknown}
    assert used <= keep, sorted(tokenizer.convert_ids_to_tokens(sorted(used - keep)))[:20]
    assert not is_english_piece("▁भारत") and is_english_piece("▁Lavrov") and is_english_piece("£")


def test_transformers_sliced_output_equals_the_full_model_banned_from_the_rest(nllb: Path, sentences: list[str]) -> None:
    options = dict(backend="transformers", device="cpu", cache=False, beams=4)
    english = Translator.from_pretrained(nllb, **options)
    full = Translator.from_pretrained(nllb, vocabulary="full", **options)
    assert english.backend.slice is not None and len(english.backend.slice) < full.backend.tokenizer.vocab_size
    backend = full.backend
    kept = set(english.backend.output_vocabulary)
    banned = [i for i in range(backend.model.get_output_embeddings().weight.shape[0]) if i not in kept]
    expected = []
    for sentence in sentences:
        inputs = backend.preprocess([sentence])
        kwargs = backend.decoding([inputs["input_ids"].shape[1]]).generate_kwargs()
        kwargs["suppress_tokens"] = sorted(set(banned) | set(kwargs["suppress_tokens"] or []))
        kwargs["renormalize_logits"] = True  # scores over the allowed pieces only, as the slice computes them
        with torch.inference_mode():
            expected += backend.postprocess(backend.model.generate(**inputs, **kwargs).tolist())
    assert english.translate(sentences) == expected


def test_ctranslate2_vocabulary_map_equals_the_full_model_banned_from_the_rest(nllb: Path, sentences: list[str]) -> None:
    options = dict(backend="ctranslate2", device="cpu", cache=False, beams=4)
    english = Translator.from_pretrained(nllb, **options)
    full = Translator.from_pretrained(nllb, vocabulary="full", **options)
    assert (nllb / "ct2-float32" / "vmap.txt").is_file()  # made by the conversion itself
    backend, tokenizer = full.backend, full.backend.tokenizer
    kept = set(english.backend.output_vocabulary)
    banned = [t for i, t in enumerate(tokenizer.convert_ids_to_tokens(list(range(len(tokenizer)))))
              if i not in kept and t in backend.target_tokens]
    expected = []
    for sentence in sentences:
        inputs = backend.preprocess([sentence])
        plan = backend.decoding([len(inputs[0])])
        options = plan.ct2_options(tokenizer, backend.target_tokens)
        options["suppress_sequences"] = [[token] for token in banned]
        found = run_ct2(backend.translator, inputs, plan.target_prefix(tokenizer), tokenizer, options)
        expected += backend.postprocess([hypotheses[0][0] for hypotheses in found])
    produced = english.translate(sentences)
    assert produced == expected
    reference = Translator.from_pretrained(nllb, backend="transformers", device="cpu", cache=False, beams=4)
    assert produced == reference.translate(sentences)  # float32: both backends' English-only outputs agree

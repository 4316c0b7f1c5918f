"""Tiny random-weight models for tests and smoke runs (no hub, a few seconds on a CPU).

    python tests/tiny_models.py DIR

writes three folders, each loadable by path with ``from_pretrained`` and under 20 MB:

- ``DIR/translator``: NLLB architecture (``M2M100ForConditionalGeneration``) with an
  ``NllbTokenizer`` over a sentencepiece BPE model trained on the seed articles, the NLLB language
  codes (``hin_Deva``, ``eng_Latn``, ...) as special tokens;
- ``DIR/summarizer``: BART architecture with a byte-level BPE tokenizer trained with ``tokenizers``
  on English news text (the CNN/DailyMail sample in ``../shared``);
- ``DIR/marian``: Marian architecture with ``source.spm`` / ``target.spm`` / ``vocab.json``.

Weights are random but seeded, so every build holds the same weights and every run of a model
gives the same output. The output is word salad: tests may check its shape (same count, no
truncation, language codes used), never its wording.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
ENGLISH_CSV = REPO.parent / "shared" / "data" / "summarization" / "cnn_dailymail-sample.csv"
SEED = 1234
# Small enough to build in seconds and stay far below 20 MB, big enough to run real generation.
D_MODEL = 32
LAYERS = 2
HEADS = 2
FFN = 64
# Random weights at the usual init scale (0.02) make the decoder ignore the encoder: every input
# gets the same output. A large scale makes the output depend on the input, so tests can tell
# sentences apart (a translation cache, pieces of a split sentence).
INIT_STD = 1.0


def _shape(max_position_embeddings: int) -> dict[str, int | float]:
    """The size every tiny model shares (see the constants above)."""
    return dict(d_model=D_MODEL, encoder_layers=LAYERS, decoder_layers=LAYERS, encoder_attention_heads=HEADS,
                decoder_attention_heads=HEADS, encoder_ffn_dim=FFN, decoder_ffn_dim=FFN,
                max_position_embeddings=max_position_embeddings, init_std=INIT_STD)


def _always_write_words(model, tokenizer, keep: tuple[int, ...] = ()) -> None:
    """Make random-weight generation non-empty: ban special tokens (but ``keep`` and EOS) and
    tokens that decode to nothing but spaces (sentencepiece's bare "▁"), and ask for a few tokens
    at least, so that a decoded output is never blank."""
    blank = {i for i in range(len(tokenizer)) if not tokenizer.decode([i], skip_special_tokens=True).strip()}
    banned = (set(tokenizer.all_special_ids) | blank) - {tokenizer.eos_token_id, *keep}
    model.generation_config.suppress_tokens = sorted(banned)
    model.generation_config.min_new_tokens = 2


def _seed_lines() -> list[str]:
    """Non-empty lines of the seed articles (Hindi with some English words)."""
    return [
        line.strip()
        for path in sorted(SEEDS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _english_lines(limit: int = 60) -> list[str]:
    """English news articles from the shared CNN/DailyMail sample, one article a line."""
    if not ENGLISH_CSV.is_file():
        raise FileNotFoundError(f"{ENGLISH_CSV}: English corpus for the tiny tokenizers is missing")
    with ENGLISH_CSV.open(encoding="utf-8", newline="") as handle:
        return [row["article"] for _, row in zip(range(limit), csv.DictReader(handle))]


def _train_spm(lines: list[str], vocab_size: int, model_type: str, **ids: int) -> bytes:
    """Train a sentencepiece model in memory (single thread, so the result is reproducible)."""
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buffer,
        vocab_size=vocab_size,
        model_type=model_type,
        character_coverage=1.0,
        num_threads=1,
        minloglevel=2,
        **ids,
    )
    return buffer.getvalue()


def build_tiny_translator(out_dir: Path, max_position_embeddings: int = 128) -> Path:
    """Write a tiny NLLB-architecture translator to ``out_dir`` and return it.

    ``max_position_embeddings`` is the model's window (also the tokenizer's ``model_max_length``);
    make it small to exercise the splitting of over-long sentences.
    """
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    spm_model = _train_spm(_seed_lines(), 1000, "bpe", unk_id=0, bos_id=1, eos_id=2, pad_id=-1)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "sentencepiece.bpe.model").write_bytes(spm_model)
        tokenizer = NllbTokenizer.from_pretrained(
            tmp,
            src_lang="hin_Deva",
            tgt_lang="eng_Latn",
            extra_special_tokens=FAIRSEQ_LANGUAGE_CODES,
            model_max_length=max_position_embeddings,
        )
        tokenizer.save_pretrained(out_dir)
    (out_dir / "sentencepiece.bpe.model").write_bytes(spm_model)  # as in the real NLLB repos

    config = M2M100Config(
        vocab_size=len(tokenizer),
        **_shape(max_position_embeddings),
        scale_embedding=True,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
        tokenizer_class="NllbTokenizer",
    )
    torch.manual_seed(SEED)
    model = M2M100ForConditionalGeneration(config).eval()
    # Ban the language codes too, except the two the project forces as first token.
    other_codes = set(tokenizer.convert_tokens_to_ids(FAIRSEQ_LANGUAGE_CODES)) - set(
        tokenizer.convert_tokens_to_ids(["hin_Deva", "eng_Latn"])
    )
    _always_write_words(model, tokenizer, keep=tuple(tokenizer.convert_tokens_to_ids(["hin_Deva", "eng_Latn"])))
    model.generation_config.suppress_tokens = sorted({*model.generation_config.suppress_tokens, *other_codes})
    model.save_pretrained(out_dir, safe_serialization=True)
    return out_dir


def build_tiny_summarizer(out_dir: Path, max_position_embeddings: int = 128) -> Path:
    """Write a tiny BART-architecture summarizer (byte-level BPE tokenizer) to ``out_dir``."""
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        _english_lines(),
        vocab_size=2000,
        min_frequency=2,
        special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],  # BART's ids 0..3, then mask
        show_progress=False,
    )
    with tempfile.TemporaryDirectory() as tmp:
        vocab_file, merges_file = bpe.save_model(tmp)
        tokenizer = BartTokenizer(
            vocab=vocab_file, merges=merges_file, model_max_length=max_position_embeddings
        )
        tokenizer.save_pretrained(out_dir)

    config = BartConfig(
        vocab_size=len(tokenizer),
        **_shape(max_position_embeddings),
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
        forced_eos_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(SEED)
    model = BartForConditionalGeneration(config).eval()
    model.generation_config.forced_bos_token_id = tokenizer.bos_token_id  # as in facebook/bart-*
    _always_write_words(model, tokenizer, keep=(tokenizer.bos_token_id,))
    model.save_pretrained(out_dir, safe_serialization=True)
    return out_dir


def build_tiny_marian(out_dir: Path, max_position_embeddings: int = 128) -> Path:
    """Write a tiny Marian (opus-mt layout: source.spm, target.spm, vocab.json) to ``out_dir``."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # opus-mt spm models hold only pieces; </s> and <unk> come first in vocab.json, <pad> last.
    source = _train_spm(_seed_lines(), 500, "unigram", unk_id=0, bos_id=-1, eos_id=1, pad_id=-1)
    target = _train_spm(_english_lines(), 800, "unigram", unk_id=0, bos_id=-1, eos_id=1, pad_id=-1)
    (out_dir / "source.spm").write_bytes(source)
    (out_dir / "target.spm").write_bytes(target)
    vocab = {"</s>": 0, "<unk>": 1}
    for blob in (source, target):
        processor = spm.SentencePieceProcessor(model_proto=blob)
        for index in range(processor.get_piece_size()):
            vocab.setdefault(processor.id_to_piece(index), len(vocab))
    vocab["<pad>"] = len(vocab)
    (out_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer(
        source_spm=str(out_dir / "source.spm"),
        target_spm=str(out_dir / "target.spm"),
        vocab=str(out_dir / "vocab.json"),
        source_lang="hi",
        target_lang="en",
        model_max_length=max_position_embeddings,
    )
    tokenizer.save_pretrained(out_dir)

    config = MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        **_shape(max_position_embeddings),
        pad_token_id=vocab["<pad>"],
        eos_token_id=vocab["</s>"],
        decoder_start_token_id=vocab["<pad>"],
        forced_eos_token_id=vocab["</s>"],
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
    )
    torch.manual_seed(SEED)
    model = MarianMTModel(config).eval()
    _always_write_words(model, tokenizer)
    model.save_pretrained(out_dir, safe_serialization=True)
    return out_dir


def build_tiny_models(out_dir: Path) -> dict[str, Path]:
    """Build the tiny translator, summarizer and Marian under ``out_dir``; return their folders."""
    out_dir = Path(out_dir)
    return {
        "translator": build_tiny_translator(out_dir / "translator"),
        "summarizer": build_tiny_summarizer(out_dir / "summarizer"),
        "marian": build_tiny_marian(out_dir / "marian"),
    }


def main(argv: list[str] | None = None) -> int:
    """CLI: ``python tests/tiny_models.py DIR``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path, help="folder to write translator/, summarizer/, marian/ into")
    args = parser.parse_args(argv)
    for name, path in build_tiny_models(args.dir).items():
        size = sum(f.stat().st_size for f in path.iterdir()) / 1e6
        print(f"{name}: {path} ({size:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Replicas of every preset's real hub repository, for tests (built here, never downloaded).

    python tests/replicas.py ROOT [PRESET...]      # ROOT/<org>/<name>/<commit>/..., for tests/local_hub.py

A replica has the real repository's file names at the pinned revision, its weight format (pickle
``pytorch_model.bin`` where that is all the repository has), its ``config.json`` /
``generation_config.json`` / ``tokenizer_config.json`` / ``special_tokens_map.json`` contents (the
files in ``tests/replica_files/<preset>/``; where each comes from is in models/README.md) with only
the sizes shrunk (vocabulary, width, layers, heads), the real tokenizer class and special tokens,
and a few bytes standing in for the files a user must never download (``flax_model.msgpack``,
``rust_model.ot``, ``tf_model.h5``, the pickle twin of safetensors weights, repository code).
Stand-ins are not loadable: a tool that downloads or reads one fails visibly.

Weights are random (seeded). Rows of the output vocabulary that a real model never writes in running
text (special tokens, other languages' codes, pieces that decode to nothing) are zeroed, so that the
word salad a replica writes is never blank; everything else, generation settings included, is the
checkpoint's. Random weights rarely pick the end token, so outputs run to the length limit: the
output limits (2x the input for translation, the brief's budget for summaries) keep runs short.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
FILES = HERE / "replica_files"
sys.path.insert(0, str(HERE))

from tiny_models import INIT_STD, SEED, _english_lines, _seed_lines, _train_spm  # noqa: E402

#: The sizes that are shrunk in every config (the rest of each config is the real one).
SHRUNK = {"d_model": 32, "encoder_layers": 2, "decoder_layers": 2, "num_hidden_layers": 2,
          "encoder_attention_heads": 2, "decoder_attention_heads": 2, "encoder_ffn_dim": 64, "decoder_ffn_dim": 64}
STAND_IN = b"stand-in: the real repository has this file; nothing may download or read it\n"


@dataclass(frozen=True)
class Replica:
    preset: str
    repo: str
    commit: str
    #: The real repository's files at ``commit`` (names only), as public listings show them.
    files: tuple[str, ...]
    build: Callable[[Path], None]
    #: Files a correct pull downloads (everything else is a stand-in or unneeded).
    needed: tuple[str, ...]


def _json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _real(preset: str, name: str) -> dict:
    return json.loads((FILES / preset / name).read_text(encoding="utf-8"))


def _shrunk(config: dict, **sizes) -> dict:
    config = dict(config)
    for key, value in SHRUNK.items():
        if key in config:
            config[key] = value
    config.update(sizes)
    return config


def _stand_ins(folder: Path, *names: str) -> None:
    for name in names:
        (folder / name).write_bytes(STAND_IN)


def _readme(folder: Path, license_tag: str) -> None:
    (folder / "README.md").write_text(f"---\nlicense: {license_tag}\n---\nReplica of a hub repository for tests.\n")
    (folder / ".gitattributes").write_text("*.bin filter=lfs diff=lfs merge=lfs -text\n")


def _quiet_rows(model, tokenizer, keep: tuple[int, ...]) -> None:
    """Zero the output rows of tokens a real model never writes in text (see the module docstring)."""
    import torch

    blank = {i for i in range(len(tokenizer)) if not tokenizer.decode([i], skip_special_tokens=True).strip()}
    rows = sorted((set(tokenizer.all_special_ids) | blank) - set(keep))
    with torch.no_grad():
        weight = model.get_output_embeddings().weight
        weight[[r for r in rows if r < weight.shape[0]]] = 0


def _pickle(model, path: Path) -> None:
    """``torch.save`` of the state dict, tied tensors sharing storage, as transformers 4.x saved them."""
    import torch

    torch.save(model.state_dict(), path)


# -- NLLB ---------------------------------------------------------------------------------------


def _build_nllb(preset: str, folder: Path) -> None:
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    special = _real(preset, "special_tokens_map.json")
    codes = special["additional_special_tokens"]
    spm_model = _train_spm(_seed_lines(), 1000, "bpe", unk_id=0, bos_id=1, eos_id=2, pad_id=-1)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "sentencepiece.bpe.model").write_bytes(spm_model)
        tokenizer = NllbTokenizer.from_pretrained(tmp, extra_special_tokens=codes, model_max_length=1024)
        tokenizer.save_pretrained(tmp)
        shutil.copy(Path(tmp) / "tokenizer.json", folder / "tokenizer.json")
    (folder / "sentencepiece.bpe.model").write_bytes(spm_model)
    for name in ("tokenizer_config.json", "special_tokens_map.json", "generation_config.json"):
        shutil.copy(FILES / preset / name, folder / name)
    config = _shrunk(_real(preset, "config.json"), vocab_size=len(tokenizer))
    _json(folder / "config.json", config)
    torch.manual_seed(SEED)
    model = M2M100ForConditionalGeneration(M2M100Config(**{**config, "init_std": INIT_STD})).eval()
    keep = tuple(tokenizer.convert_tokens_to_ids(["eng_Latn", "</s>"]))
    _quiet_rows(model, tokenizer, keep)
    _pickle(model, folder / "pytorch_model.bin")
    _readme(folder, "cc-by-nc-4.0")


# -- BART ---------------------------------------------------------------------------------------


def _bart_tokenizer(folder: Path, *, tokenizer_json: bool):
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartTokenizer

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(_english_lines(), vocab_size=2000, min_frequency=2,
                            special_tokens=["<s>", "<pad>", "</s>", "<unk>"], show_progress=False)
    bpe.add_special_tokens(["<mask>"])  # last, as in the real vocab.json (50264 of 50265)
    with tempfile.TemporaryDirectory() as tmp:
        bpe.save_model(tmp)
        vocab = json.loads((Path(tmp) / "vocab.json").read_text(encoding="utf-8"))
        vocab.setdefault("<mask>", len(vocab))
        _json(Path(tmp) / "vocab.json", vocab)
        shutil.copy(Path(tmp) / "vocab.json", folder / "vocab.json")
        shutil.copy(Path(tmp) / "merges.txt", folder / "merges.txt")
        tokenizer = BartTokenizer(vocab=str(folder / "vocab.json"), merges=str(folder / "merges.txt"))
        if tokenizer_json:
            tokenizer.save_pretrained(tmp)
            shutil.copy(Path(tmp) / "tokenizer.json", folder / "tokenizer.json")
    return tokenizer


def _bart_model(preset: str, tokenizer):
    import torch
    from transformers import BartConfig, BartForConditionalGeneration

    real = _real(preset, "config.json")
    # The real vocab_size (50264) is one less than the tokenizer (50265: <mask> last); kept so.
    config = _shrunk(real, vocab_size=len(tokenizer) - 1)
    torch.manual_seed(SEED)
    model = BartForConditionalGeneration(BartConfig(**{**config, "init_std": INIT_STD})).eval()
    _quiet_rows(model, tokenizer, keep=(tokenizer.bos_token_id,))
    return config, model


def _build_distilbart(folder: Path) -> None:
    tokenizer = _bart_tokenizer(folder, tokenizer_json=False)
    shutil.copy(FILES / "distilbart-cnn" / "tokenizer_config.json", folder / "tokenizer_config.json")
    config, model = _bart_model("distilbart-cnn", tokenizer)
    _json(folder / "config.json", config)
    _pickle(model, folder / "pytorch_model.bin")
    _stand_ins(folder, "flax_model.msgpack", "rust_model.ot")
    _readme(folder, "apache-2.0")


def _build_bart_large(folder: Path) -> None:
    from safetensors.torch import save_model

    tokenizer = _bart_tokenizer(folder, tokenizer_json=True)
    config, model = _bart_model("bart-large-cnn", tokenizer)
    _json(folder / "config.json", config)
    for name in ("generation_config.json", "generation_config_for_summarization.json"):
        shutil.copy(FILES / "bart-large-cnn" / name, folder / name)
    save_model(model, str(folder / "model.safetensors"), metadata={"format": "pt"})
    _stand_ins(folder, "pytorch_model.bin", "flax_model.msgpack", "rust_model.ot", "tf_model.h5")
    _readme(folder, "mit")


# -- Marian (opus-mt) ---------------------------------------------------------------------------


def _fill_ids(value, pad: int, vocab: int):
    if value == "PAD":
        return pad
    if value == "VOCAB":
        return vocab
    if isinstance(value, list):
        return [_fill_ids(v, pad, vocab) for v in value]
    if isinstance(value, dict):
        return {k: _fill_ids(v, pad, vocab) for k, v in value.items()}
    return value


def _build_opus(folder: Path) -> None:
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    source = _train_spm(_seed_lines(), 500, "unigram", unk_id=0, bos_id=-1, eos_id=1, pad_id=-1)
    target = _train_spm(_english_lines(), 800, "unigram", unk_id=0, bos_id=-1, eos_id=1, pad_id=-1)
    (folder / "source.spm").write_bytes(source)
    (folder / "target.spm").write_bytes(target)
    vocab = {"</s>": 0, "<unk>": 1}
    for blob in (source, target):
        processor = spm.SentencePieceProcessor(model_proto=blob)
        for index in range(processor.get_piece_size()):
            vocab.setdefault(processor.id_to_piece(index), len(vocab))
    vocab["<pad>"] = len(vocab)
    _json(folder / "vocab.json", vocab)
    shutil.copy(FILES / "opus-mt" / "tokenizer_config.json", folder / "tokenizer_config.json")
    pad, size = vocab["<pad>"], len(vocab)
    config = _shrunk(_fill_ids(_real("opus-mt", "config.json"), pad, size))
    _json(folder / "config.json", config)
    _json(folder / "generation_config.json", _fill_ids(_real("opus-mt", "generation_config.json"), pad, size))
    tokenizer = MarianTokenizer(source_spm=str(folder / "source.spm"), target_spm=str(folder / "target.spm"),
                                vocab=str(folder / "vocab.json"), source_lang="hi", target_lang="en")
    torch.manual_seed(SEED)
    model = MarianMTModel(MarianConfig(**{**config, "init_std": INIT_STD})).eval()
    _quiet_rows(model, tokenizer, keep=(vocab["</s>"],))
    _pickle(model, folder / "pytorch_model.bin")
    _stand_ins(folder, "rust_model.ot", "tf_model.h5")
    _readme(folder, "apache-2.0")


# -- Marian (HPLT) ------------------------------------------------------------------------------

#: The ids of HPLT's real vocabulary in its configs: ``<pad>`` (appended after the 64,000 pieces) and the size.
HPLT_PAD, HPLT_VOCAB = 64000, 64001


def _hplt_ids(value, pad: int, size: int):
    """A real HPLT config value with its vocabulary ids (``<pad>`` 64000, size 64001) made the replica's."""
    if isinstance(value, list):
        return [_hplt_ids(v, pad, size) for v in value]
    if isinstance(value, dict):
        return {k: _hplt_ids(v, pad, size) for k, v in value.items()}
    return {HPLT_PAD: pad, HPLT_VOCAB: size}.get(value, value) if isinstance(value, int) and not isinstance(value, bool) else value


def _build_hplt(folder: Path) -> None:
    """HPLT/translate-hi-en-v1.0-hplt_opus as transformers' Marian converter left it: one SentencePiece
    model for both languages (source.spm, target.spm and the Marian-native model.hi-en.spm are the same
    file; ``</s>`` 0, ``<unk>`` 1), vocab.json its pieces with ``<pad>`` appended, and the weights an
    **fp16** pickle holding the embedding twice: once shared by the encoder and the decoder, once as
    ``lm_head.weight`` (220 MB for 77.0M parameters). The Marian-native ``model.npz.best-chrf.npz`` is
    a stand-in."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    shared = _train_spm(_seed_lines() + _english_lines(), 1200, "unigram", unk_id=1, bos_id=-1, eos_id=0, pad_id=-1)
    for name in ("source.spm", "target.spm", "model.hi-en.spm"):
        (folder / name).write_bytes(shared)
    processor = spm.SentencePieceProcessor(model_proto=shared)
    vocab = {processor.id_to_piece(i): i for i in range(processor.get_piece_size())}
    vocab["<pad>"] = len(vocab)
    _json(folder / "vocab.json", vocab)
    pad, size = vocab["<pad>"], len(vocab)
    for name in ("tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(FILES / "hplt" / name, folder / name)
    _json(folder / "generation_config.json", _hplt_ids(_real("hplt", "generation_config.json"), pad, size))
    config = _shrunk(_hplt_ids(_real("hplt", "config.json"), pad, size))
    _json(folder / "config.json", config)
    tokenizer = MarianTokenizer(source_spm=str(folder / "source.spm"), target_spm=str(folder / "target.spm"),
                                vocab=str(folder / "vocab.json"), source_lang="tmp", target_lang="marian")
    torch.manual_seed(SEED)
    model = MarianMTModel(MarianConfig(**{**config, "init_std": INIT_STD})).eval()
    _quiet_rows(model, tokenizer, keep=(vocab["</s>"],))
    state = model.half().state_dict()  # the embedding shared by model.shared and both embed_tokens
    state["lm_head.weight"] = state["lm_head.weight"].clone()  # its own storage: the embedding stored twice
    torch.save(state, folder / "pytorch_model.bin")
    _stand_ins(folder, "model.npz.best-chrf.npz")
    _readme(folder, "cc-by-4.0")


# -- IndicTrans2 --------------------------------------------------------------------------------


def _build_indictrans(folder: Path) -> None:
    import sentencepiece as spm
    import torch
    from safetensors.torch import save_file

    from translate.backends import indictrans

    source = _train_spm(_seed_lines(), 500, "unigram", unk_id=0, bos_id=-1, eos_id=-1, pad_id=-1)
    target = _train_spm(_english_lines(), 800, "unigram", unk_id=0, bos_id=-1, eos_id=-1, pad_id=-1)
    (folder / "model.SRC").write_bytes(source)
    (folder / "model.TGT").write_bytes(target)

    def fairseq_dict(blob: bytes, tags: tuple[str, ...] = ()) -> dict[str, int]:
        processor = spm.SentencePieceProcessor(model_proto=blob)
        table = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
        for index in range(processor.get_piece_size()):
            table.setdefault(processor.id_to_piece(index), len(table))
        for tag in tags:
            table.setdefault(tag, len(table))
        return table

    source_dict = fairseq_dict(source, ("hin_Deva", "eng_Latn", "ben_Beng", "urd_Arab"))
    target_dict = fairseq_dict(target)
    _json(folder / "dict.SRC.json", source_dict)
    _json(folder / "dict.TGT.json", target_dict)
    for name in ("tokenizer_config.json", "special_tokens_map.json", "generation_config.json"):
        shutil.copy(FILES / "indictrans2-200m" / name, folder / name)
    real = _real("indictrans2-200m", "config.json")
    config = {**real, "encoder_embed_dim": 32, "decoder_embed_dim": 32, "encoder_layers": 2, "decoder_layers": 2,
              "num_hidden_layers": 2, "encoder_attention_heads": 2, "decoder_attention_heads": 2,
              "encoder_ffn_dim": 64, "decoder_ffn_dim": 64, "encoder_vocab_size": len(source_dict),
              "decoder_vocab_size": len(target_dict)}
    _json(folder / "config.json", config)
    indictrans.register()
    from transformers import AutoConfig

    config_class, model_class, _ = indictrans._classes()
    torch.manual_seed(SEED)
    model = model_class(AutoConfig.from_pretrained(folder)).eval()
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if "embed_positions" not in name and parameter.dim() > 1:
                parameter.normal_(0, INIT_STD)
        model.lm_head.weight.copy_(model.model.decoder.embed_tokens.weight)  # share_decoder_input_output_embed
        model.lm_head.weight[[0, 1, 3]] = 0  # <s>, <pad>, <unk>: never written in text
        model.model.decoder.embed_tokens.weight.copy_(model.lm_head.weight)
    # The checkpoint's names: no computed positions, no mBART extras.
    state = {name: tensor.contiguous().clone() for name, tensor in model.state_dict().items()
             if "embed_positions" not in name and name not in ("model.shared.weight", "final_logits_bias")}
    save_file(state, str(folder / "model.safetensors"), metadata={"format": "pt"})
    for code in ("configuration_indictrans.py", "modeling_indictrans.py", "tokenization_indictrans.py"):
        (folder / code).write_text("raise RuntimeError('the repository code of the replica ran')\n")
    _stand_ins(folder, "pytorch_model.bin")
    (folder / "LICENSE").write_text("MIT License (replica)\n")
    _readme(folder, "mit")


REPLICAS: dict[str, Replica] = {
    "nllb-600m": Replica(
        "nllb-600m", "facebook/nllb-200-distilled-600M", "f8d333a098d19b4fd9a8b18f94170487ad3f821d",
        (".gitattributes", "README.md", "config.json", "generation_config.json", "pytorch_model.bin",
         "sentencepiece.bpe.model", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"),
        lambda folder: _build_nllb("nllb-600m", folder),
        ("config.json", "generation_config.json", "pytorch_model.bin", "sentencepiece.bpe.model",
         "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"),
    ),
    "nllb-1.3b": Replica(
        "nllb-1.3b", "facebook/nllb-200-distilled-1.3B", "7be3e24664b38ce1cac29b8aeed6911aa0cf0576",
        (".gitattributes", "README.md", "config.json", "generation_config.json", "pytorch_model.bin",
         "sentencepiece.bpe.model", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"),
        lambda folder: _build_nllb("nllb-1.3b", folder),
        ("config.json", "generation_config.json", "pytorch_model.bin", "sentencepiece.bpe.model",
         "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"),
    ),
    "opus-mt": Replica(
        "opus-mt", "Helsinki-NLP/opus-mt-hi-en", "a7d96a16729f812578bd55e7366147beda625d86",
        (".gitattributes", "README.md", "config.json", "generation_config.json", "pytorch_model.bin",
         "rust_model.ot", "source.spm", "target.spm", "tf_model.h5", "tokenizer_config.json", "vocab.json"),
        _build_opus,
        ("config.json", "generation_config.json", "pytorch_model.bin", "source.spm", "target.spm",
         "tokenizer_config.json", "vocab.json"),
    ),
    "hplt": Replica(
        "hplt", "HPLT/translate-hi-en-v1.0-hplt_opus", "6f8663537adbaa6aac689f847030d10fe6421912",
        (".gitattributes", "README.md", "config.json", "generation_config.json", "model.hi-en.spm",
         "model.npz.best-chrf.npz", "pytorch_model.bin", "source.spm", "special_tokens_map.json", "target.spm",
         "tokenizer_config.json", "vocab.json"),
        _build_hplt,
        ("config.json", "generation_config.json", "pytorch_model.bin", "source.spm", "special_tokens_map.json",
         "target.spm", "tokenizer_config.json", "vocab.json"),
    ),
    "indictrans2-200m": Replica(
        "indictrans2-200m", "ai4bharat/indictrans2-indic-en-dist-200M", "44e264ffa07dc1cae043e0fd864cab035068bf78",
        (".gitattributes", "LICENSE", "README.md", "config.json", "configuration_indictrans.py", "dict.SRC.json",
         "dict.TGT.json", "generation_config.json", "model.SRC", "model.TGT", "model.safetensors",
         "modeling_indictrans.py", "pytorch_model.bin", "special_tokens_map.json", "tokenization_indictrans.py",
         "tokenizer_config.json"),
        _build_indictrans,
        ("config.json", "dict.SRC.json", "dict.TGT.json", "generation_config.json", "model.SRC", "model.TGT",
         "model.safetensors", "special_tokens_map.json", "tokenizer_config.json"),
    ),
    "distilbart-cnn": Replica(
        "distilbart-cnn", "sshleifer/distilbart-cnn-12-6", "a4f8f3ea906ed274767e9906dbaede7531d660ff",
        (".gitattributes", "README.md", "config.json", "flax_model.msgpack", "merges.txt", "pytorch_model.bin",
         "rust_model.ot", "tokenizer_config.json", "vocab.json"),
        _build_distilbart,
        ("config.json", "merges.txt", "pytorch_model.bin", "tokenizer_config.json", "vocab.json"),
    ),
    "bart-large-cnn": Replica(
        "bart-large-cnn", "facebook/bart-large-cnn", "37f520fa929c961707657b28798b30c003dd100b",
        (".gitattributes", "README.md", "config.json", "flax_model.msgpack", "generation_config.json",
         "generation_config_for_summarization.json", "merges.txt", "model.safetensors", "pytorch_model.bin",
         "rust_model.ot", "tf_model.h5", "tokenizer.json", "vocab.json"),
        _build_bart_large,
        ("config.json", "generation_config.json", "merges.txt", "model.safetensors", "tokenizer.json", "vocab.json"),
    ),
}
DEFAULT_PRESETS = ("hplt", "distilbart-cnn")


def build(preset: str, root: str | Path) -> Path:
    """Write the replica of ``preset`` to ``root/<org>/<name>/<commit>/`` (once) and return that folder."""
    replica = REPLICAS[preset]
    folder = Path(root) / replica.repo / replica.commit
    if (folder / "config.json").is_file():
        return folder
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    replica.build(partial)
    partial.rename(folder)
    return folder


def build_hub(root: str | Path, presets: tuple[str, ...] | list[str] = tuple(REPLICAS)) -> Path:
    """Replicas of ``presets`` under ``root``, laid out for :class:`local_hub.LocalHub`."""
    for preset in presets:
        build(preset, root)
    return Path(root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="folder for <org>/<name>/<commit>/ replicas")
    parser.add_argument("presets", nargs="*", default=list(REPLICAS), help="presets (default: all)")
    args = parser.parse_args(argv)
    for preset in args.presets:
        print(f"{preset}: {build(preset, args.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Checks of a checkpoint's files before any model loads: what would load without an error and then
translate into garbage.

Marian conversions to transformers have shipped broken (transformers#26216, #26271: garbage output
from embeddings that do not match the vocabulary; #26338: ``final_logits_bias`` and the decoder
embedding sized for another vocabulary). :func:`check_marian` compares what ``config.json`` says
(vocabulary sizes, width) with the tokenizer's vocabulary and the shapes of the embedding, output
layer and ``final_logits_bias`` tensors as the safetensors headers give them (no weights are read,
no torch is needed), and refuses a mismatch with one line.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import ModelError

#: Where each tensor's rows come from: the source (``vocab_size``) or the target vocabulary.
_EMBEDDINGS = {
    "model.shared.weight": "vocab_size",
    "model.encoder.embed_tokens.weight": "vocab_size",
    "model.decoder.embed_tokens.weight": "decoder_vocab_size",
    "lm_head.weight": "decoder_vocab_size",
}
ISSUE = "a broken Marian conversion (transformers#26216): it would translate into garbage"


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read it: {exc}") from exc


def tensor_shapes(folder: Path) -> dict[str, tuple[int, ...]]:
    """Name -> shape of every tensor in the folder's safetensors files (headers only)."""
    from safetensors import safe_open

    shapes: dict[str, tuple[int, ...]] = {}
    for path in sorted(folder.glob("*.safetensors")):
        try:
            with safe_open(str(path), framework="numpy") as weights:
                for name in weights.keys():
                    shapes[name] = tuple(weights.get_slice(name).get_shape())
        except Exception as exc:  # safetensors raises its own SafetensorError, OSError, ValueError
            raise ModelError(f"{path}: not a readable safetensors file: {' '.join(str(exc).split())}") from exc
    return shapes


def check_marian(folder: str | Path) -> None:
    """Refuse (ModelError, one line) a Marian folder whose vocabulary, embeddings, output layer and
    ``final_logits_bias`` do not agree with its ``config.json``. Folders of other models, and folders
    without safetensors weights (pickle weights are checked once made safe), pass untouched."""
    folder = Path(folder)
    config = _read(folder / "config.json")
    if str(config.get("model_type", "")).lower() != "marian":
        return
    sizes = {"vocab_size": config.get("vocab_size"),
             "decoder_vocab_size": config.get("decoder_vocab_size") or config.get("vocab_size")}
    width = config.get("d_model")
    if not isinstance(sizes["vocab_size"], int) or not isinstance(width, int):
        raise ModelError(f"{folder}: config.json has no vocab_size or d_model: {ISSUE}")
    if config.get("share_encoder_decoder_embeddings", True) and sizes["decoder_vocab_size"] != sizes["vocab_size"]:
        raise ModelError(f"{folder}: config.json shares the embeddings of a {sizes['vocab_size']}-piece source and a "
                         f"{sizes['decoder_vocab_size']}-piece target vocabulary: {ISSUE}")
    if (folder / "vocab.json").is_file() and not config.get("separate_vocabs") and not (folder / "target_vocab.json").is_file():
        pieces = len(_read(folder / "vocab.json"))
        if pieces != sizes["vocab_size"]:
            raise ModelError(f"{folder}: vocab.json has {pieces} pieces, config.json's vocab_size is "
                             f"{sizes['vocab_size']}: {ISSUE}")
    shapes = tensor_shapes(folder)
    if not shapes:
        return
    for name, size_key in _EMBEDDINGS.items():
        if name in shapes and shapes[name] != (sizes[size_key], width):
            raise ModelError(f"{folder}: {name} is {_shape(shapes[name])}, config.json says "
                             f"{sizes[size_key]} x {width} ({size_key}, d_model): {ISSUE}")
    if not any(name in shapes for name in _EMBEDDINGS):
        raise ModelError(f"{folder}: the weights hold no embedding ({', '.join(_EMBEDDINGS)}): {ISSUE}")
    bias = shapes.get("final_logits_bias")
    if bias is not None and bias != (1, sizes["decoder_vocab_size"]):
        raise ModelError(f"{folder}: final_logits_bias is {_shape(bias)}, config.json says 1 x "
                         f"{sizes['decoder_vocab_size']} (decoder_vocab_size): {ISSUE}")


def _shape(shape: tuple[int, ...]) -> str:
    return " x ".join(str(n) for n in shape)

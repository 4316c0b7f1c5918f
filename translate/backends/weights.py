"""Pickle checkpoints made safe once: ``pytorch_model.bin`` read as plain tensors, stored as safetensors.

Most of the hub repositories the presets point at publish their weights only as
``pytorch_model.bin``, a pickle, which can run arbitrary code when unpickled. This module reads such
a file with ``torch.load(weights_only=True)`` -- torch's restricted unpickler, which builds tensors
and plain containers and refuses any other object -- and writes the same tensors to
``model.safetensors``, so that every later load of the model (transformers, the CTranslate2
converter) reads safetensors: memory-mapped, no code. Sharded checkpoints
(``pytorch_model.bin.index.json`` + shards) become sharded safetensors with their own index.

Tied weights: fairseq-era checkpoints store one tensor under several names (NLLB's
``model.shared.weight``, ``model.encoder.embed_tokens.weight``, ``model.decoder.embed_tokens.weight``,
``lm_head.weight``). safetensors refuses shared storage, and copying would triple a 1 GB
embedding, so only the first name of each shared tensor is kept; transformers ties the others back
when it loads the model, as it does for checkpoints it saves itself.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import ModelError

PICKLE_WEIGHTS = "pytorch_model.bin"
PICKLE_INDEX = "pytorch_model.bin.index.json"
SAFE_WEIGHTS = "model.safetensors"
SAFE_INDEX = "model.safetensors.index.json"


def pickle_weight_files(folder: Path) -> list[Path]:
    """The pickle weight files of ``folder``: ``pytorch_model.bin``, or the shards its index names."""
    index = folder / PICKLE_INDEX
    if index.is_file():
        try:
            names = sorted(set(json.loads(index.read_text(encoding="utf-8"))["weight_map"].values()))
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"{index}: not a checkpoint index: {exc}") from exc
        return [folder / name for name in names]
    single = folder / PICKLE_WEIGHTS
    return [single] if single.is_file() else []


def has_safetensors(folder: Path) -> bool:
    return any(folder.glob("*.safetensors"))


def load_pickle_tensors(path: Path) -> dict:
    """The tensors of a pickle checkpoint, read with torch's restricted unpickler (no code runs).

    Raises ModelError naming the file when it holds anything but tensors and plain containers
    (a pickle that tries to build another object), or is not a checkpoint at all.
    """
    import torch

    try:
        state = torch.load(path, map_location="cpu", weights_only=True, mmap=True)
    except Exception as exc:  # UnpicklingError for forbidden objects, RuntimeError for a non-checkpoint
        reason = " ".join(str(exc).split())[:300]
        raise ModelError(f"{path}: not a plain-tensor checkpoint, refused ({type(exc).__name__}: {reason})") from exc
    if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
        state = state["state_dict"]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ModelError(f"{path}: holds no state dict of tensors")
    return state


def _untie(state: dict) -> dict:
    """``state`` with each shared tensor kept under its first name only (see the module docstring)."""
    seen: set[tuple[int, int, tuple[int, ...]]] = set()
    kept = {}
    for name, tensor in state.items():
        key = (tensor.untyped_storage().data_ptr(), tensor.storage_offset(), tuple(tensor.shape))
        if tensor.numel() and key in seen:
            continue
        seen.add(key)
        kept[name] = tensor.contiguous()
    return kept


def pickle_to_safetensors(folder: str | Path, *, remove_pickle: bool = True) -> list[Path]:
    """Write the pickle weights of ``folder`` as safetensors beside them; return the files written.

    Nothing to do (returns ``[]``) when the folder has safetensors already or no pickle weights.
    Each file is written to a temporary name and renamed, so an interrupted conversion leaves no
    half-written ``model.safetensors``; with ``remove_pickle`` the pickle files go afterwards.
    """
    from safetensors.torch import save_file

    folder = Path(folder)
    if has_safetensors(folder):
        return []
    sources = pickle_weight_files(folder)
    if not sources:
        return []
    sharded = (folder / PICKLE_INDEX).is_file()
    written: list[Path] = []
    weight_map: dict[str, str] = {}
    try:
        for source in sources:
            target = folder / (source.name.replace("pytorch_model", "model").replace(".bin", ".safetensors")
                               if sharded else SAFE_WEIGHTS)
            tensors = _untie(load_pickle_tensors(source))
            partial = target.with_name(f".{target.name}.partial")
            save_file(tensors, str(partial), metadata={"format": "pt"})
            os.replace(partial, target)
            written.append(target)
            weight_map.update({name: target.name for name in tensors})
            del tensors
        if sharded:
            index = json.loads((folder / PICKLE_INDEX).read_text(encoding="utf-8"))
            index["weight_map"] = dict(sorted(weight_map.items()))
            (folder / SAFE_INDEX).write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
            written.append(folder / SAFE_INDEX)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        for stale in folder.glob(".*.partial"):
            stale.unlink(missing_ok=True)
        raise
    if remove_pickle:
        for source in sources:
            source.unlink(missing_ok=True)
        (folder / PICKLE_INDEX).unlink(missing_ok=True)
    return written

"""Where CTranslate2 conversions live and which one a model uses.

Layout: a converted model lives *inside* the folder of the model it was converted from, as
``<model folder>/ct2-<quantization>/`` (for a preset: ``<store>/<preset>/ct2-int8/``). The
transformers files stay where they are: the tokenizer and the generation settings are still read
from them, and ``--backend transformers`` keeps working. ``--backend auto`` picks CTranslate2 when a
converted folder is there (int8 first), else transformers. The conversion itself is CTranslate2's
converter (:func:`translate.backends.ct2.convert_model`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..errors import ModelError, UsageError
from ..options import BACKEND_CHOICES
from .registry import ResolvedModel, preset_dir, store_dir

#: Quantizations `hindi-brief models convert` offers, in the order `--backend auto` prefers them.
QUANTIZATIONS = ("int8", "int8_float32", "float32")


DEFAULT_QUANTIZATION = "int8"


_PREFIX = "ct2-"


def converted_dir(model_dir: str | Path, quantization: str = DEFAULT_QUANTIZATION) -> Path:
    """Where the ``quantization`` conversion of the model in ``model_dir`` lives (or would)."""
    return Path(model_dir) / f"{_PREFIX}{quantization}"


def find_converted(model_dir: str | Path) -> Path | None:
    """The converted folder ``--backend auto`` uses for ``model_dir`` (int8 first), or None."""
    for quantization in QUANTIZATIONS:
        path = converted_dir(model_dir, quantization)
        if (path / "model.bin").is_file():
            return path
    return None


def quantization_of(ct2_dir: str | Path) -> str:
    """The quantization a converted folder was made with, from its name (``ct2-int8`` -> ``int8``)."""
    name = Path(ct2_dir).name
    return name[len(_PREFIX):] if name.startswith(_PREFIX) else "default"


def choose_backend(backend: str, home: Path, name: str) -> Path | None:
    """The converted folder to use for ``backend`` (``auto`` / ``ctranslate2``), or None for transformers.

    ``home``: where the model's conversions live (:func:`converted_home`); ``name``: the model as
    the user named it, for the message. ``ctranslate2`` with no converted folder raises ModelError
    with the command that makes one.
    """
    if backend not in BACKEND_CHOICES:
        raise UsageError(f"unknown backend {backend!r}; choose one of {', '.join(BACKEND_CHOICES)}")
    if backend == "transformers":
        return None
    found = find_converted(home)
    if found is None and backend == "ctranslate2":
        raise ModelError(
            f"{name}: no CTranslate2 conversion in {home}; make one with "
            f"`hindi-brief models convert {name}` (or use --backend transformers)"
        )
    return found


def convert(
    model_dir: str | Path,
    quantization: str = DEFAULT_QUANTIZATION,
    *,
    home: str | Path | None = None,
    force: bool = False,
    trust_remote_code: bool = False,
    allow_pickle: bool = False,
) -> Path:
    """Convert the transformers model in ``model_dir`` to ``<home>/ct2-<quantization>/``; return that folder.

    ``home`` defaults to ``model_dir`` itself (see :func:`converted_home`). The conversion is
    written to a temporary folder beside the target and renamed at the end, so an interrupted
    conversion never leaves a half-written model for ``--backend auto`` to pick up. An existing
    conversion is kept unless ``force``. Weights load from safetensors only unless ``allow_pickle``;
    model code runs only with ``trust_remote_code``. Errors: UsageError (bad quantization),
    ModelError naming the folder and the reason.
    """
    from ..backends.ct2 import convert_model

    if quantization not in QUANTIZATIONS:
        raise UsageError(f"unknown quantization {quantization!r}; choose one of {', '.join(QUANTIZATIONS)}")
    model_dir = Path(model_dir)
    target = converted_dir(home or model_dir, quantization)
    if (target / "model.bin").is_file() and not force:
        return target
    if not (model_dir / "config.json").is_file():
        raise ModelError(f"{model_dir}: not a transformers model folder (no config.json); nothing to convert")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        convert_model(model_dir, partial, quantization, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if target.exists():
        shutil.rmtree(target)
    partial.rename(target)
    return target


def converted_home(resolved: ResolvedModel) -> Path:
    """The folder whose ``ct2-*/`` subfolders hold conversions of ``resolved``.

    A preset: its store folder (even when the model itself was found in the Hugging Face cache,
    which is not ours to write into); a local folder: itself; a hub id:
    ``<store>/converted/<org>--<name>/<revision>``.
    """
    if resolved.preset is not None:
        return preset_dir(resolved.preset.name)
    if Path(resolved.model_id).is_absolute():
        return resolved.path
    return store_dir() / "converted" / resolved.model_id.replace("/", "--") / (resolved.revision or "unversioned")

"""Putting a preset's model into the store, safe and fast: :func:`pull` (from the hub) and
:func:`import_model` (from a folder brought over by hand), as ``hindi-brief models pull|import`` do.

Both work in a staging folder beside the store folder and rename it into place at the end, so an
interrupted or failed install (a dropped connection, a full disk, a folder that does not load) leaves
the store as it was. On the way:

1. only the files a loader reads are taken (:func:`translate.store.hub.files_to_fetch`): never
   ``flax_model.msgpack``, ``rust_model.ot``, ``tf_model.h5``, nor pickle weights where the
   repository has safetensors;
2. pickle weights (``pytorch_model.bin``, all that most preset repositories publish) are read with
   torch's restricted unpickler and stored as ``model.safetensors`` (:mod:`translate.backends.weights`), so no
   preset needs ``--allow-pickle`` and every later load is safetensors;
3. the CTranslate2 int8 copy is made where the architecture has a converter (:func:`make_fast`), so
   ``--backend auto`` runs the fast backend without anyone asking for it.

``<store>/<preset>/hindi-brief-source.json`` records where the files came from. ``hindi-brief models
pull|import`` print what these functions return; the library never prints.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..backends.weights import pickle_to_safetensors, pickle_weight_files
from ..errors import ModelError, UsageError
from . import hub
from .registry import Preset, get_preset, how_to_get, is_model_folder, preset_dir

SOURCE_FILE = "hindi-brief-source.json"


@dataclass
class Installed:
    """What :func:`pull` or :func:`import_model` did."""

    preset: Preset
    path: Path
    already: bool = False  # it was installed before; nothing was done
    files: list[str] = field(default_factory=list)  # taken from the repository or folder
    made_safe: list[str] = field(default_factory=list)  # pickle files stored as safetensors
    ct2: Path | None = None  # the CTranslate2 conversion, if one was made or exists
    ct2_error: str | None = None  # why none could be made


def model_preset(name: str) -> Preset:
    """Preset ``name``, refusing the built-in ones (nothing to install)."""
    preset = get_preset(name)
    if preset.builtin:
        raise UsageError(f"{name} needs no model: nothing to download, import or locate")
    return preset


def check_remote_code(preset: Preset, trust_remote_code: bool) -> None:
    if preset.trust_remote_code and not trust_remote_code:
        raise ModelError(f"{preset.name} runs Python code from its repository; pass --trust-remote-code to allow it")


def pull(name: str, *, trust_remote_code: bool = False, fast: bool = True) -> Installed:
    """Download preset ``name`` at its pinned revision into the store (see the module docstring).

    Raises :class:`~translate.errors.ModelNotFoundError` with the how-to (offline, unreachable,
    unknown repository or revision, failed download) or :class:`~translate.errors.ModelError`.
    """
    preset = model_preset(name)
    check_remote_code(preset, trust_remote_code)
    target = preset_dir(preset.name)
    if is_model_folder(target):
        return Installed(preset, target, already=True, ct2=_existing_ct2(target))
    how_to = f"On a machine without internet use `hindi-brief models import {preset.name} DIR`."
    revision = preset.revision or None
    files = hub.files_to_fetch(hub.repo_files(preset.hub_id, revision, how_to=how_to),
                               trust_remote_code=trust_remote_code)
    if not any(name.endswith((".safetensors", ".bin")) for name in files):
        raise ModelError(f"{preset.hub_id}: the repository has no weights this tool can load (safetensors or pytorch_model.bin)")
    with _staging(target) as staging:
        hub.fetch_files(preset.hub_id, revision, files, staging, how_to=how_to)
        shutil.rmtree(staging / ".cache", ignore_errors=True)  # huggingface_hub's bookkeeping
        made_safe = _make_safe(staging)
        _write_source(staging, {"hub_id": preset.hub_id, "revision": preset.revision, "files": files,
                                "made_safe": made_safe})
        _move_into_place(staging, target)
    installed = Installed(preset, target, files=files, made_safe=made_safe)
    return _finish(installed, fast=fast, trust_remote_code=trust_remote_code)


def import_model(name: str, source: str | Path, *, force: bool = False, trust_remote_code: bool = False,
                 allow_pickle: bool = False, fast: bool = True) -> Installed:
    """Copy the model folder ``source`` into the store as preset ``name`` (for offline machines).

    The folder is checked to hold the preset's architecture and to load, after its pickle weights
    (if that is all it has) were made safe; ``allow_pickle`` is accepted for symmetry with loading
    and changes nothing: pickle weights are always read with the restricted unpickler here.
    """
    del allow_pickle
    preset = model_preset(name)
    check_remote_code(preset, trust_remote_code)
    source = Path(source).expanduser()
    if not source.is_dir():
        raise UsageError(f"{source}: no such folder")
    if not (source / "config.json").is_file():
        raise UsageError(f"{source}: not a model folder (no config.json)")
    if not is_model_folder(source):
        raise UsageError(f"{source}: no weights (*.safetensors or *.bin) in the folder")
    target = preset_dir(preset.name)
    if is_model_folder(target) and not force:
        raise UsageError(f"{preset.name} is already installed in {target}; pass --force to replace it")
    check_architecture(preset, source)
    present = sorted(p.name for p in source.iterdir() if p.is_file())
    files = hub.files_to_fetch(present, trust_remote_code=trust_remote_code)
    safe_already = any(name.endswith(".safetensors") for name in files)
    if safe_already:  # checked before anything is copied
        load_check(preset, source, trust_remote_code=trust_remote_code)
    with _staging(target) as staging:
        try:
            for file_name in files:
                shutil.copy2(source / file_name, staging / file_name)  # follows symlinks (cache snapshots)
        except OSError as exc:
            raise ModelError(f"{source}: cannot copy into {target}: {exc}") from exc
        made_safe = _make_safe(staging)
        if not safe_already:  # pickle weights: checked once made safe, errors naming the user's folder
            try:
                load_check(preset, staging, trust_remote_code=trust_remote_code)
            except ModelError as exc:
                raise ModelError(str(exc).replace(str(staging), str(source))) from None
        _write_source(staging, {"imported_from": str(source.resolve()), "hub_id": preset.hub_id,
                                "files": files, "made_safe": made_safe})
        _move_into_place(staging, target)
    installed = Installed(preset, target, files=files, made_safe=made_safe)
    return _finish(installed, fast=fast, trust_remote_code=trust_remote_code)


#: config.json ``model_type`` of each preset architecture (checked on import).
MODEL_TYPES = {"nllb": "m2m_100", "marian": "marian", "indictrans2": "indictrans", "bart": "bart"}


def check_architecture(preset: Preset, folder: Path) -> None:
    """Refuse a folder holding another architecture than the preset's."""
    try:
        model_type = str(json.loads((folder / "config.json").read_text(encoding="utf-8")).get("model_type", ""))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{folder}: cannot read config.json: {exc}") from exc
    expected = MODEL_TYPES.get(preset.architecture)
    if expected and model_type.lower() != expected:
        raise UsageError(
            f"the folder holds a {model_type or 'unknown'} model but {preset.name} is a {expected} model "
            f"({preset.hub_id})"
        )


def load_check(preset: Preset, folder: Path, *, trust_remote_code: bool = False) -> None:
    """Load ``folder`` with the class for the preset's task (on the CPU, beam 1, transformers)."""
    from ..backends import load_backend

    options = dict(device="cpu", beams=1, trust_remote_code=trust_remote_code)
    if preset.task == "translation":
        options.update(src_lang=preset.src_lang, tgt_lang=preset.tgt_lang)
    load_backend(preset.task, folder, kind="transformers", **options)


def make_fast(path: Path, *, trust_remote_code: bool = False) -> Path:
    """The CTranslate2 int8 copy of the model in ``path`` (made once, kept in ``path/ct2-int8``)."""
    from .convert import DEFAULT_QUANTIZATION, convert

    return convert(path, DEFAULT_QUANTIZATION, home=path, trust_remote_code=trust_remote_code)


def _finish(installed: Installed, *, fast: bool, trust_remote_code: bool) -> Installed:
    from ..backends.light import write_tokenizer_json

    try:  # BART's vocab.json + merges.txt as one tokenizer.json: later runs read it without transformers
        write_tokenizer_json(installed.path)
    except (OSError, ValueError, ModelError):
        pass  # not needed to run: the transformers tokenizer is used instead
    if fast:
        try:
            installed.ct2 = make_fast(installed.path, trust_remote_code=trust_remote_code)
        except ModelError as exc:
            installed.ct2_error = str(exc)
    return installed


def _existing_ct2(folder: Path) -> Path | None:
    from .convert import find_converted

    return find_converted(folder)


def _make_safe(folder: Path) -> list[str]:
    """Pickle weights of ``folder`` -> safetensors (the pickle files removed); the names converted."""
    names = [path.name for path in pickle_weight_files(folder)]
    return names if pickle_to_safetensors(folder) else []


def _write_source(folder: Path, data: dict) -> None:
    (folder / SOURCE_FILE).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


class _staging:
    """A fresh folder beside ``target`` for an install; removed on leaving unless moved into place."""

    def __init__(self, target: Path):
        self.target = target

    def __enter__(self) -> Path:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.install-", dir=self.target.parent))
        return self.path

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _move_into_place(staging: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)


__all__ = ["Installed", "pull", "import_model", "make_fast", "load_check", "check_architecture", "how_to_get"]

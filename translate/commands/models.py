"""`hindi-brief models`: list the presets, pull or import a model into the store, print its path,
convert a model to CTranslate2."""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import tempfile
from pathlib import Path

from .. import hub
from ..ct2 import DEFAULT_QUANTIZATION, QUANTIZATIONS, convert, converted_dir, converted_home
from ..errors import EXIT_OK, ModelError, ModelNotFoundError, UsageError
from ..registry import (
    DEFAULT_SUMMARIZER,
    DEFAULT_TRANSLATOR,
    Preset,
    get_preset,
    how_to_get,
    is_installed,
    is_model_folder,
    load_registry,
    preset_dir,
    resolve_model,
    store_dir,
)

_DEFAULTS = {DEFAULT_TRANSLATOR, DEFAULT_SUMMARIZER}


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``models list|pull|import|path``."""
    parser = sub.add_parser(
        "models",
        help="list, download (pull) or import the translation and summarization models",
        description="Manage the model store (default <repo>/models; set HINDI_BRIEF_MODELS to move it). "
        "Every command that takes a model accepts a preset name from `models list`, a hub id or a "
        "local model folder.",
    )
    actions = parser.add_subparsers(dest="models_action", metavar="ACTION")
    actions.required = True

    p = actions.add_parser("list", help="show the presets: task, installed or not, size, licence")
    p.add_argument("--json", action="store_true", help="print the presets as a JSON list instead of a table")
    p.set_defaults(func=cmd_list)

    p = actions.add_parser(
        "pull",
        help="download a preset from the Hugging Face hub into the store (safetensors weights)",
        description="Download a preset at its pinned revision into the store, with progress bars. "
        "Without internet, use `models import` instead.",
    )
    p.add_argument("name", metavar="NAME", help="preset name (see `hindi-brief models list`)")
    _safety_options(p)
    p.set_defaults(func=cmd_pull)

    p = actions.add_parser(
        "import",
        help="copy a downloaded model folder into the store under a preset name (for offline machines)",
        description="Copy DIR (a model folder, e.g. a Hugging Face cache snapshot brought over from "
        "another machine) into the store as preset NAME, after checking that it loads.",
    )
    p.add_argument("name", metavar="NAME", help="preset name to store the model as (see `hindi-brief models list`)")
    p.add_argument("dir", metavar="DIR", type=Path, help="folder holding config.json, tokenizer files and weights")
    p.add_argument("--force", action="store_true", help="replace the model already installed under NAME")
    _safety_options(p)
    p.set_defaults(func=cmd_import)

    p = actions.add_parser("path", help="print the folder of an installed preset")
    p.add_argument("name", metavar="NAME", help="preset name (see `hindi-brief models list`)")
    p.set_defaults(func=cmd_path)

    p = actions.add_parser(
        "convert",
        help="convert a model to CTranslate2 (int8: several times faster on a CPU), kept beside it",
        description="Convert an installed preset (or a model folder, or a cached hub id) with CTranslate2's "
        "converter into <model folder>/ct2-<quantization>/ (for a preset: <store>/<preset>/ct2-int8/). "
        "The original stays; `--backend auto`, the default of every command, then uses the conversion.",
    )
    p.add_argument("name", metavar="NAME", help="preset name (see `hindi-brief models list`), model folder or hub id")
    p.add_argument(
        "--quantization",
        choices=QUANTIZATIONS,
        default=DEFAULT_QUANTIZATION,
        help="weight type: int8 (default; smallest and fastest on CPU), int8_float32 (int8 weights, float32 "
        "for the rest; on CPU the same as int8), float32 (no quantization: the same output as transformers)",
    )
    p.add_argument("--force", action="store_true", help="convert again even if the conversion exists")
    _safety_options(p)
    p.set_defaults(func=cmd_convert)


def _safety_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--trust-remote-code",
        action="store_true",
        help="allow the model's own Python code (needed by indictrans2-200m); it runs on this machine",
    )
    parser.add_argument(
        "--allow-pickle",
        action="store_true",
        help="also accept pickle weights (*.bin), which can run code when loaded; safetensors only by default",
    )


def _conversions(preset: Preset) -> list[str]:
    """Quantizations of the preset converted to CTranslate2 in the store."""
    if preset.builtin:
        return []
    return [q for q in QUANTIZATIONS if (converted_dir(preset_dir(preset.name), q) / "model.bin").is_file()]


def _notes(preset: Preset) -> str:
    notes = []
    if preset.name in _DEFAULTS:
        notes.append("default")
    notes += [f"ctranslate2 {q}" for q in _conversions(preset)]
    if preset.non_commercial:
        notes.append("non-commercial licence")
    if preset.trust_remote_code:
        notes.append("needs --trust-remote-code")
    return ", ".join(notes)


def cmd_list(args: argparse.Namespace) -> int:
    """Print every preset with task, installed state, size and licence."""
    presets = load_registry().values()
    if args.json:
        rows = [
            {
                **dataclasses.asdict(p),
                "installed": is_installed(p),
                "default": p.name in _DEFAULTS,
                "path": None if p.builtin else str(preset_dir(p.name)),
                "ctranslate2": _conversions(p),
            }
            for p in presets
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    header = ("PRESET", "TASK", "INSTALLED", "SIZE", "LICENSE", "NOTES")
    rows = [
        (
            p.name,
            p.task,
            "built-in" if p.builtin else ("yes" if is_installed(p) else "no"),
            "-" if p.builtin else f"{p.size_mb:,} MB",
            p.license,
            _notes(p),
        )
        for p in presets
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    print(f"\nstore: {store_dir()}")
    if any(p.non_commercial for p in presets):
        print("CC-BY-NC-4.0 models (nllb-*) may not be used commercially; opus-mt (CC-BY-4.0) and "
              "indictrans2-200m (MIT) may.")
    return EXIT_OK


def _model_preset(name: str) -> Preset:
    preset = get_preset(name)
    if preset.builtin:
        raise UsageError(f"{name} needs no model: nothing to download, import or locate")
    return preset


def _check_remote_code(preset: Preset, trust_remote_code: bool) -> None:
    if preset.trust_remote_code and not trust_remote_code:
        raise ModelError(f"{preset.name} runs Python code from its repository; pass --trust-remote-code to allow it")


def cmd_pull(args: argparse.Namespace) -> int:
    """Download a preset into the store."""
    preset = _model_preset(args.name)
    _check_remote_code(preset, args.trust_remote_code)
    target = preset_dir(preset.name)
    if is_model_folder(target):
        print(f"{preset.name} is already installed: {target}")
        return EXIT_OK
    if preset.license_note:
        print(f"note: {preset.license_note}")
    how_to = f"On a machine without internet use `hindi-brief models import {preset.name} DIR`."
    revision = preset.revision or None
    hub.download(
        preset.hub_id,
        revision,
        local_dir=target,
        allow_pickle=args.allow_pickle,
        trust_remote_code=args.trust_remote_code,
        how_to=how_to,
    )
    if not is_model_folder(target):
        raise ModelError(
            f"{preset.hub_id}: downloaded to {target} but found no safetensors weights; "
            "pass --allow-pickle to accept its pickle weights (*.bin) if you trust them"
        )
    print(f"{preset.name}: {target}")
    return EXIT_OK


#: config.json ``model_type`` of each preset architecture (checked on import).
MODEL_TYPES = {"nllb": "m2m_100", "marian": "marian", "indictrans2": "indictrans", "bart": "bart"}


def _load_check(preset: Preset, folder: Path, *, trust_remote_code: bool, allow_pickle: bool) -> None:
    """Check ``folder`` holds the preset's architecture and loads with the class for its task."""
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
    options = dict(device="cpu", beams=1, trust_remote_code=trust_remote_code, allow_pickle=allow_pickle)
    if preset.task == "translation":
        from ..translator import Translator

        Translator.from_pretrained(folder, src_lang=preset.src_lang, tgt_lang=preset.tgt_lang, **options)
    else:
        from ..summarizer import Summarizer

        Summarizer.from_pretrained(folder, **options)


def cmd_import(args: argparse.Namespace) -> int:
    """Check that a model folder loads, then copy it into the store under a preset name."""
    preset = _model_preset(args.name)
    _check_remote_code(preset, args.trust_remote_code)
    source: Path = args.dir.expanduser()
    if not source.is_dir():
        raise UsageError(f"{source}: no such folder")
    if not (source / "config.json").is_file():
        raise UsageError(f"{source}: not a model folder (no config.json)")
    if not is_model_folder(source):
        raise UsageError(f"{source}: no weights (*.safetensors or *.bin) in the folder")
    target = preset_dir(preset.name)
    if is_model_folder(target) and not args.force:
        raise UsageError(f"{preset.name} is already installed in {target}; pass --force to replace it")
    _load_check(preset, source, trust_remote_code=args.trust_remote_code, allow_pickle=args.allow_pickle)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Copy beside the target first, so a failed copy leaves the store as it was.
    staging = Path(tempfile.mkdtemp(prefix=f".{preset.name}.", dir=target.parent))
    try:
        folder = staging / preset.name
        shutil.copytree(source, folder)  # follows symlinks: cache snapshots link into blobs/
        if target.exists():
            shutil.rmtree(target)
        folder.rename(target)
    except OSError as exc:
        raise ModelError(f"{source}: cannot copy into {target}: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"{preset.name}: {target}")
    if preset.license_note:
        print(f"note: {preset.license_note}")
    return EXIT_OK


def cmd_path(args: argparse.Namespace) -> int:
    """Print the store folder of an installed preset; exit 2 with the how-to if it is missing."""
    preset = _model_preset(args.name)
    target = preset_dir(preset.name)
    if not is_model_folder(target):
        raise ModelNotFoundError(f"model {preset.name} is not installed in {store_dir()}. {how_to_get(preset.name)}")
    print(target)
    return EXIT_OK


def cmd_convert(args: argparse.Namespace) -> int:
    """Convert a preset, folder or cached hub id to CTranslate2 beside the original."""
    presets = load_registry()
    # resolve_model checks a preset against its task; a folder or hub id has no declared task
    # and resolves the same for either.
    task = presets[args.name].task if args.name in presets else "translation"
    if args.name in presets:
        _check_remote_code(_model_preset(args.name), args.trust_remote_code)
    resolved = resolve_model(args.name, task, allow_pickle=args.allow_pickle, trust_remote_code=args.trust_remote_code)
    target = convert(
        resolved.path,
        args.quantization,
        home=converted_home(resolved),
        force=args.force,
        trust_remote_code=args.trust_remote_code,
        allow_pickle=args.allow_pickle,
    )
    size = sum(f.stat().st_size for f in target.iterdir() if f.is_file()) / 1e6
    print(f"{args.name}: {target} ({size:,.0f} MB); used from now on unless --backend transformers")
    return EXIT_OK

"""`hindi-brief models`: list the presets, pull or import a model into the store, print its path,
convert a model to CTranslate2."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from ..backends.ct2 import CONVERTIBLE_MODEL_TYPES
from ..errors import EXIT_OK, ModelNotFoundError
from ..options import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATOR
from ..store import install
from ..store.convert import DEFAULT_QUANTIZATION, QUANTIZATIONS, convert, converted_dir, converted_home
from ..store.install import check_remote_code, model_preset
from ..store.registry import (
    Preset,
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
        help="download a preset from the Hugging Face hub into the store, made safe and fast",
        description="Download a preset at its pinned revision into the store, with progress bars: only the files "
        "a loader reads (no flax/rust/tf weights). Pickle weights (pytorch_model.bin, all some repositories "
        "publish) are read as plain tensors and stored as safetensors; then the CTranslate2 int8 copy is made "
        "where the architecture has a converter. Without internet, use `models import` instead.",
    )
    p.add_argument("name", metavar="NAME", help="preset name (see `hindi-brief models list`)")
    _safety_options(p, install=True)
    p.set_defaults(func=cmd_pull)

    p = actions.add_parser(
        "import",
        help="copy a downloaded model folder into the store under a preset name (for offline machines)",
        description="Copy DIR (a model folder, e.g. a Hugging Face cache snapshot brought over from "
        "another machine) into the store as preset NAME, after checking that it loads. As with pull, "
        "pickle weights are stored as safetensors and the CTranslate2 int8 copy is made.",
    )
    p.add_argument("name", metavar="NAME", help="preset name to store the model as (see `hindi-brief models list`)")
    p.add_argument("dir", metavar="DIR", type=Path, help="folder holding config.json, tokenizer files and weights")
    p.add_argument("--force", action="store_true", help="replace the model already installed under NAME")
    _safety_options(p, install=True)
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


def _safety_options(parser: argparse.ArgumentParser, *, install: bool = False) -> None:
    if install:
        parser.add_argument("--no-convert", action="store_true",
                            help="do not make the CTranslate2 int8 copy (the transformers backend will be used)")
    parser.add_argument(
        "--trust-remote-code",
        action="store_true",
        help="allow the model's own Python code; it runs on this machine (no preset needs it)",
    )
    parser.add_argument(
        "--allow-pickle",
        action="store_true",
        help=("not needed: pickle weights are read as plain tensors (torch.load weights_only) and stored as "
              "safetensors" if install else
              "also accept pickle weights (*.bin), which can run code when loaded; safetensors only by default"),
    )


def _conversions(preset: Preset) -> list[str]:
    """Quantizations of the preset converted to CTranslate2 in the store."""
    if preset.builtin:
        return []
    return [q for q in QUANTIZATIONS if (converted_dir(preset_dir(preset.name), q) / "model.bin").is_file()]


def _backend(preset: Preset) -> str:
    """The backend `--backend auto` will use for the preset, as the list shows it."""
    if preset.builtin:
        return "none (no model)"
    conversions = _conversions(preset)
    if conversions:
        return f"ctranslate2 {conversions[0]}"
    if is_installed(preset):
        return "transformers"
    convertible = install.MODEL_TYPES.get(preset.architecture) in CONVERTIBLE_MODEL_TYPES
    return f"{'ctranslate2 int8' if convertible else 'transformers'} (once pulled)"


def _best_translator() -> str | None:
    """The translation preset with the highest published FLORES-200 devtest BLEU."""
    scored = [(p.quality.get("flores200_devtest_bleu", 0), p.name) for p in load_registry().values()
              if p.task == "translation" and p.quality.get("flores200_devtest_bleu")]
    return max(scored)[1] if scored else None


def _notes(preset: Preset) -> str:
    notes = []
    if preset.name in _DEFAULTS:
        notes.append("default")
    if preset.name == _best_translator():
        notes.append(f"best quality (FLORES-200 BLEU {preset.quality['flores200_devtest_bleu']})")
    if preset.non_commercial:
        notes.append("non-commercial licence")
    if preset.trust_remote_code:
        notes.append("needs --trust-remote-code")
    return ", ".join(notes)


def presets_licence(presets) -> str:
    """The non-commercial licences among ``presets`` (``CC-BY-NC-4.0``), as the list names them."""
    return " / ".join(sorted({p.license for p in presets if p.non_commercial}))


def cmd_list(args: argparse.Namespace) -> int:
    """Print every preset with task, installed state, the backend it will use, size and licence."""
    presets = list(load_registry().values())
    if args.json:
        rows = [
            {
                **dataclasses.asdict(p),
                "installed": is_installed(p),
                "default": p.name in _DEFAULTS,
                "path": None if p.builtin else str(preset_dir(p.name)),
                "ctranslate2": _conversions(p),
                "backend": _backend(p),
            }
            for p in presets
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    header = ("PRESET", "TASK", "INSTALLED", "BACKEND", "SIZE", "LICENSE", "NOTES")
    rows = [
        (
            p.name,
            p.task,
            "built-in" if p.builtin else ("yes" if is_installed(p) else "no"),
            _backend(p),
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
    print("BACKEND: what --backend auto uses; pull and import make the CTranslate2 int8 copy where the "
          "architecture has a converter.")
    if any(p.non_commercial for p in presets):
        allowed = [f"{p.name} ({p.license})" for p in presets if p.task == "translation" and not p.non_commercial]
        print(f"{', '.join(p.name for p in presets if p.non_commercial)}: {presets_licence(presets)}, non-commercial "
              f"use only; {', '.join(allowed)} may be used commercially.")
    return EXIT_OK


def _report(installed: install.Installed, verb: str) -> None:
    preset = installed.preset
    if installed.already:
        print(f"{preset.name} is already installed: {installed.path}")
        return
    if installed.made_safe:
        print(f"{preset.name}: {', '.join(installed.made_safe)} read as plain tensors and stored as safetensors")
    print(f"{preset.name}: {verb} {installed.path}")
    if installed.ct2 is not None:
        print(f"{preset.name}: CTranslate2 int8 copy in {installed.ct2} (used by default; --backend transformers for the other)")
    elif installed.ct2_error:
        print(f"{preset.name}: no CTranslate2 copy ({installed.ct2_error}); the transformers backend will be used")
    if preset.license_note:
        print(f"note: {preset.license_note}")


def cmd_pull(args: argparse.Namespace) -> int:
    """Download a preset into the store."""
    _report(install.pull(args.name, trust_remote_code=args.trust_remote_code, fast=not args.no_convert),
            "downloaded to")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    """Check that a model folder loads, then copy it into the store under a preset name."""
    _report(install.import_model(args.name, args.dir, force=args.force, trust_remote_code=args.trust_remote_code,
                                 allow_pickle=args.allow_pickle, fast=not args.no_convert), "imported into")
    return EXIT_OK


def cmd_path(args: argparse.Namespace) -> int:
    """Print the store folder of an installed preset; exit 2 with the how-to if it is missing."""
    preset = model_preset(args.name)
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
        check_remote_code(model_preset(args.name), args.trust_remote_code)
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

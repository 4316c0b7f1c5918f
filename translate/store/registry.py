"""Model presets (``registry.toml``, package data beside this module; ``models/registry.toml`` in
a checkout links to it) and the local model store (``<store>/<preset>/``).

A model is named by a preset (``nllb-600m``), a hub id (``facebook/nllb-200-distilled-600M``) or
a local folder; :func:`resolve_model` turns any of them into a folder on disk, or fails within
seconds with a :class:`~translate.errors.ModelNotFoundError` that says how to get the model.

The store is ``$HINDI_BRIEF_MODELS``, else the checkout's ``models/`` folder when the package runs
from a checkout (as ``make`` installs it), else ``$XDG_DATA_HOME/hindi-brief/models``
(``~/.local/share/hindi-brief/models``) for an installed wheel.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ModelError, ModelNotFoundError, UsageError
from . import hub

TASKS = ("translation", "summarization")

REGISTRY_PATH = Path(__file__).resolve().with_name("registry.toml")
#: The checkout this package runs from, if it does (its pyproject.toml and models/ folder).
REPO_ROOT = Path(__file__).resolve().parents[2]
STORE_ENV = "HINDI_BRIEF_MODELS"
#: A registry of one's own (its own presets) instead of the package's.
REGISTRY_ENV = "HINDI_BRIEF_REGISTRY"
#: Presets that need no model files (they are always "installed").
BUILTIN_ARCHITECTURES = frozenset({"extractive"})


@dataclass(frozen=True)
class Preset:
    """One entry of ``registry.toml``."""

    name: str
    task: str
    hub_id: str
    revision: str
    license: str
    size_mb: int
    architecture: str
    src_lang: str | None = None
    tgt_lang: str | None = None
    quality: dict = field(default_factory=dict)
    trust_remote_code: bool = False
    notes: str = ""
    #: Longest input the model was trained on, in tokens, where shorter than its position table.
    max_input_tokens: int | None = None

    @property
    def builtin(self) -> bool:
        """True for presets that need no downloaded model (``extractive``)."""
        return self.architecture in BUILTIN_ARCHITECTURES

    @property
    def non_commercial(self) -> bool:
        """True when the licence forbids commercial use (the NLLB models' CC-BY-NC-4.0)."""
        return "-NC" in self.license.upper()

    @property
    def license_note(self) -> str:
        """A line to show wherever this model is chosen ("" for unremarkable licences)."""
        notes = []
        if self.non_commercial:
            notes.append(f"{self.name} is licensed {self.license}: non-commercial use only")
        if self.trust_remote_code:
            notes.append(f"{self.name} runs code from its repository: needs --trust-remote-code")
        return "; ".join(notes)


@dataclass(frozen=True)
class ResolvedModel:
    """Where a model name led: its folder, its preset (if any), its hub id or folder, revision."""

    path: Path
    preset: Preset | None
    model_id: str
    revision: str | None


def load_registry(path: Path | str | None = None) -> dict[str, Preset]:
    """Read the presets from ``path`` (default: ``$HINDI_BRIEF_REGISTRY``, else the package's
    ``registry.toml``). A malformed file or entry is a UsageError naming the file, the line and the
    problem."""
    path = Path(path or os.environ.get(REGISTRY_ENV) or REGISTRY_PATH)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the model registry: {getattr(exc, 'strerror', None) or exc}") from None
    fields = {f.name: f for f in Preset.__dataclass_fields__.values() if f.name != "name"}
    required = {name for name, f in fields.items()
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    presets = {}
    for name, entry in data.items():
        where = f"{path}: line {_header_line(text, name)}: preset [{name}]"
        if not isinstance(entry, dict):
            raise UsageError(f"{where}: expected a table of fields, found a {type(entry).__name__}")
        unknown = sorted(set(entry) - set(fields))
        if unknown:
            raise UsageError(f"{where}: unknown field{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
                             f"known: {', '.join(fields)}")
        missing = sorted(required - set(entry))
        if missing:
            raise UsageError(f"{where}: missing field{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        for key, value in entry.items():
            expected = _FIELD_TYPES.get(key)
            if expected and not isinstance(value, expected) or isinstance(value, bool) and expected is int:
                kind = " or ".join(t.__name__ for t in (expected if isinstance(expected, tuple) else (expected,)))
                raise UsageError(f"{where}: {key} must be a {kind}, found {value!r}")
        preset = Preset(name=name, **entry)
        if preset.task not in TASKS:
            raise UsageError(f"{where}: task must be one of {', '.join(TASKS)}, found {preset.task!r}")
        # "" in TOML means "not applicable" (TOML has no null).
        presets[name] = Preset(
            **{**preset.__dict__, "src_lang": preset.src_lang or None, "tgt_lang": preset.tgt_lang or None}
        )
    return presets


_FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "task": str, "hub_id": str, "revision": str, "license": str, "size_mb": int, "architecture": str,
    "src_lang": str, "tgt_lang": str, "quality": dict, "trust_remote_code": bool, "notes": str, "max_input_tokens": int,
}


def _header_line(text: str, name: str) -> int:
    """The line of the ``[name]`` table header in the registry's text (1 if it cannot be found)."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped in (f"[{name}]", f'["{name}"]', f"['{name}']"):
            return number
    return 1


def store_dir() -> Path:
    """The model store: ``$HINDI_BRIEF_MODELS``, else the checkout's ``models/``, else the user's data
    folder (see the module docstring)."""
    env = os.environ.get(STORE_ENV)
    if env:
        store = Path(env).expanduser()
        if store.exists() and not store.is_dir():
            raise UsageError(f"{STORE_ENV}={env}: is a file; the model store must be a folder")
        return store
    if (REPO_ROOT / "pyproject.toml").is_file() and (REPO_ROOT / "models").is_dir():
        return REPO_ROOT / "models"
    data = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data) / "hindi-brief" / "models"


def preset_dir(name: str) -> Path:
    """The store folder of preset ``name`` (which may not exist yet)."""
    return store_dir() / name


def is_model_folder(path: Path) -> bool:
    """True when ``path`` looks like a complete model folder (a config and some weights)."""
    return (path / "config.json").is_file() and any(
        any(path.glob(pattern)) for pattern in ("*.safetensors", "*.bin")
    )


def is_installed(preset: Preset) -> bool:
    """True when ``preset`` can be loaded without a download."""
    return preset.builtin or is_model_folder(preset_dir(preset.name))


def how_to_get(name: str) -> str:
    """The commands that put preset ``name`` into the store."""
    return (
        f"Get it with `hindi-brief models pull {name}`, or on a machine without internet copy a "
        f"downloaded model folder in with `hindi-brief models import {name} DIR`."
    )


def get_preset(name: str, task: str | None = None) -> Preset:
    """Preset ``name``, checked against ``task``; UsageError naming close matches if unknown."""
    presets = load_registry()
    if name not in presets:
        close = difflib.get_close_matches(name, list(presets), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UsageError(f"unknown model preset {name!r}.{hint} Presets: {', '.join(presets)}.")
    preset = presets[name]
    if task and preset.task != task:
        raise UsageError(f"{name} is a {preset.task} model, not a {task} model")
    return preset


def resolve_model(
    name_or_path: str | Path, task: str, *, allow_pickle: bool = False, trust_remote_code: bool = False
) -> ResolvedModel:
    """Turn a preset name, a local folder or a hub id into a model folder on disk.

    - preset: its store folder (``models/<preset>/``), or a copy already in the Hugging Face
      cache; else :class:`ModelNotFoundError` saying how to pull or import it;
    - existing folder: that folder;
    - hub id (``org/name``): the Hugging Face cache, else a download (unless ``HF_HUB_OFFLINE=1``
      or the hub is unreachable, which fail within seconds).
    """
    if task not in TASKS:
        raise UsageError(f"task must be one of {', '.join(TASKS)}, not {task!r}")
    name = str(name_or_path)
    presets = load_registry()
    if name in presets:
        preset = get_preset(name, task)
        if preset.builtin:
            raise UsageError(f"{name} needs no model folder")
        if preset.trust_remote_code and not trust_remote_code:
            raise ModelError(
                f"{name} runs Python code from its repository; pass --trust-remote-code "
                "(trust_remote_code=True) to load it"
            )
        folder = preset_dir(name)
        if is_model_folder(folder):
            return ResolvedModel(folder, preset, preset.hub_id, preset.revision)
        cached = hub.cached_snapshot(preset.hub_id, preset.revision)
        if cached and is_model_folder(cached):
            if not any(cached.glob("*.safetensors")):  # pickle only: made safe by an import, not here
                raise ModelNotFoundError(
                    f"model {name} is in the Hugging Face cache with pickle weights only ({cached}); "
                    f"`hindi-brief models import {name} {cached}` stores it safely in {store_dir()}."
                )
            return ResolvedModel(cached, preset, preset.hub_id, preset.revision)
        raise ModelNotFoundError(f"model {name} ({preset.hub_id}) is not installed in {store_dir()}. {how_to_get(name)}")

    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelNotFoundError(f"{path}: not a model folder (no config.json)")
        return ResolvedModel(path.resolve(), None, str(path.resolve()), None)
    if path.exists() or name.startswith((".", "/", "~")) or name.count("/") != 1:
        close = difflib.get_close_matches(name, list(presets), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise ModelNotFoundError(
            f"model {name!r} not found: not a preset, a model folder or a hub id (org/name).{hint} "
            f"See `hindi-brief models list`."
        )

    folder = hub.cached_snapshot(name, None)
    if not (folder and is_model_folder(folder)):
        how_to = (
            "Download it on a machine with internet and pass the copied folder instead, "
            "or use a preset (`hindi-brief models list`)."
        )
        folder = hub.download(
            name, None, allow_pickle=allow_pickle, trust_remote_code=trust_remote_code, how_to=how_to
        )
    # The cache keeps each snapshot in a folder named after its commit.
    revision = folder.name if folder.parent.name == "snapshots" else None
    return ResolvedModel(folder, None, name, revision)

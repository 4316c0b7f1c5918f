"""The model store: presets (the registry), where models live, getting them (pull / import) and
their CTranslate2 copies. Every ``hindi-brief models`` action is a function here.

    from translate import store
    store.pull("nllb-600m")                    # download, made safe and fast
    store.import_model("nllb-600m", "/media/usb/nllb-200-distilled-600M")
    store.resolve_model("nllb-600m", "translation").path
"""

from __future__ import annotations

from ..options import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATOR
from .convert import (
    DEFAULT_QUANTIZATION,
    QUANTIZATIONS,
    choose_backend,
    convert,
    converted_dir,
    converted_home,
    find_converted,
    quantization_of,
)
from .install import Installed, import_model, pull
from .registry import (
    Preset,
    ResolvedModel,
    get_preset,
    how_to_get,
    is_installed,
    is_model_folder,
    load_registry,
    preset_dir,
    resolve_model,
    store_dir,
)

__all__ = [
    "DEFAULT_QUANTIZATION", "DEFAULT_SUMMARIZER", "DEFAULT_TRANSLATOR", "Installed", "Preset", "QUANTIZATIONS",
    "ResolvedModel", "choose_backend", "convert", "converted_dir", "converted_home", "find_converted", "get_preset",
    "how_to_get", "import_model", "is_installed", "is_model_folder", "load_registry", "preset_dir", "pull",
    "quantization_of", "resolve_model", "store_dir",
]

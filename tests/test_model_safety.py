"""Safe model loading (issue 7, item 4): no pickle without --allow-pickle, no repository code without
--trust-remote-code, pinned registry revisions, and a broken model folder as a one-line error."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from translate.errors import ModelError

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SENTENCES = ["रूस और पाकिस्तान के बीच व्यापार पर बात हुई।", "दोनों देशों ने समझौते किए।"]


def pickle_copy(src: Path, dst: Path) -> Path:
    """``src`` with its safetensors weights replaced by the same tensors as ``pytorch_model.bin``."""
    import torch
    from safetensors.torch import load_file

    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.safetensors"))
    state = {}
    for weights in sorted(src.glob("*.safetensors")):
        state.update(load_file(weights))
    torch.save(state, dst / "pytorch_model.bin")
    return dst


def remote_code_copy(src: Path, dst: Path) -> tuple[Path, Path]:
    """``src`` whose config asks for model code from the folder; that code would drop a marker file."""
    shutil.copytree(src, dst)
    marker = dst.parent / f"{dst.name}-code-ran"
    (dst / "modeling_evil.py").write_text(
        "from pathlib import Path\n"
        f"Path({str(marker)!r}).write_text('the folder code ran')\n"
        "from transformers import M2M100ForConditionalGeneration as EvilModel\n",
        encoding="utf-8",
    )
    config = json.loads((dst / "config.json").read_text(encoding="utf-8"))
    config["auto_map"] = {"AutoConfig": "modeling_evil.EvilModel", "AutoModelForSeq2SeqLM": "modeling_evil.EvilModel"}
    (dst / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return dst, marker


def cli(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "translate.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def assert_one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> str:
    """Exit 2, no traceback, exactly one `error:` line on stderr holding every needle; returns it."""
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error:" in line]
    assert len(errors) == 1 and len(lines) == 1, proc.stderr
    for needle in needles:
        assert needle in errors[0], errors[0]
    return errors[0]


# -- pickle weights ------------------------------------------------------------------------------


def test_pickle_only_translator_is_refused_without_allow_pickle_and_loads_with_it(tiny_models, tmp_path):
    from translate.engines.translator import Translator

    folder = pickle_copy(tiny_models / "translator", tmp_path / "pickled")
    with pytest.raises(ModelError) as caught:
        Translator.from_pretrained(str(folder), device="cpu", beams=1)
    message = str(caught.value)
    assert str(folder) in message and "--allow-pickle" in message and "\n" not in message

    pickled = Translator.from_pretrained(str(folder), device="cpu", beams=1, allow_pickle=True)
    safe = Translator.from_pretrained(str(tiny_models / "translator"), device="cpu", beams=1)
    # Same tensors, whichever file format they came from: the same translations.
    assert pickled.translate(SENTENCES) == safe.translate(SENTENCES)


def test_pickle_only_summarizer_is_refused_without_allow_pickle(tiny_models, tmp_path):
    from translate.engines.summarizer import Summarizer

    folder = pickle_copy(tiny_models / "summarizer", tmp_path / "pickled-summarizer")
    with pytest.raises(ModelError, match="--allow-pickle") as caught:
        Summarizer.from_pretrained(str(folder), device="cpu", beams=1)
    assert str(folder) in str(caught.value)
    summarizer = Summarizer.from_pretrained(str(folder), device="cpu", beams=1, allow_pickle=True)
    assert isinstance(summarizer.summarize("Russia and Pakistan signed a trade deal. Talks went on.", words=20), str)


def test_pickle_weights_beside_safetensors_are_never_read(tiny_models, tmp_path):
    """A folder with both formats loads the safetensors: a booby-trapped .bin beside them is ignored."""
    from translate.engines.translator import Translator

    folder = tmp_path / "both"
    shutil.copytree(tiny_models / "translator", folder)
    (folder / "pytorch_model.bin").write_bytes(b"not a pickle at all: loading this would fail")
    translator = Translator.from_pretrained(str(folder), device="cpu", beams=1)
    assert len(translator.translate(SENTENCES)) == 2


# -- remote code ---------------------------------------------------------------------------------


def test_folder_asking_for_remote_code_is_refused_and_its_code_never_runs(tiny_models, tmp_path):
    from translate.engines.summarizer import Summarizer
    from translate.engines.translator import Translator

    folder, marker = remote_code_copy(tiny_models / "translator", tmp_path / "evil")
    with pytest.raises(ModelError) as caught:
        Translator.from_pretrained(str(folder), device="cpu", beams=1)
    assert "--trust-remote-code" in str(caught.value) and str(folder) in str(caught.value)
    with pytest.raises(ModelError, match="--trust-remote-code"):
        Summarizer.from_pretrained(str(folder), device="cpu", beams=1)
    assert not marker.exists()


def test_no_preset_needs_remote_code_and_indictrans2_code_never_runs(tmp_path):
    """IndicTrans2 runs on this tool's own classes (translate/backends/indictrans.py): its folder names
    repository code in auto_map, and that code is neither needed nor ever run."""
    from replicas import build

    from translate.engines.translator import Translator
    from translate.store.registry import load_registry

    assert not [p.name for p in load_registry().values() if p.trust_remote_code]
    folder = build("indictrans2-200m", tmp_path / "replicas")  # its *.py files raise if imported
    assert json.loads((folder / "config.json").read_text())["auto_map"]
    translator = Translator.from_pretrained(str(folder), device="cpu", beams=1, cache=False)
    assert translator.model_info["architecture"] == "indictrans2"
    assert len(translator.translate(SENTENCES)) == 2


# -- broken folders ------------------------------------------------------------------------------


def _broken_folders(tiny: Path, root: Path) -> dict[str, Path]:
    folders = {}
    for case in ("garbage-config", "truncated-weights", "unknown-architecture", "no-tokenizer"):
        folders[case] = root / case
        shutil.copytree(tiny / "translator", folders[case])
    (folders["garbage-config"] / "config.json").write_text("{this is not json", encoding="utf-8")
    weights = next(folders["truncated-weights"].glob("*.safetensors"))
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 3])
    config = json.loads((folders["unknown-architecture"] / "config.json").read_text(encoding="utf-8"))
    config["model_type"] = "no-such-architecture"
    config.pop("architectures", None)
    (folders["unknown-architecture"] / "config.json").write_text(json.dumps(config), encoding="utf-8")
    for path in folders["no-tokenizer"].iterdir():
        if path.name != "config.json" and path.suffix != ".safetensors" and path.name != "generation_config.json":
            path.unlink()
    return folders


@pytest.mark.parametrize("case", ["garbage-config", "truncated-weights", "unknown-architecture", "no-tokenizer"])
def test_broken_model_folder_is_a_one_line_model_error(tiny_models, tmp_path, case):
    from translate.engines.translator import Translator

    folder = _broken_folders(tiny_models, tmp_path)[case]
    with pytest.raises(ModelError) as caught:
        Translator.from_pretrained(str(folder), device="cpu", beams=1)
    message = str(caught.value)
    assert str(folder) in message and "\n" not in message, message


def test_folder_without_config_is_a_model_error(tmp_path):
    from translate.engines.translator import Translator

    empty = tmp_path / "empty-folder"
    empty.mkdir()
    with pytest.raises(ModelError, match="config.json"):
        Translator.from_pretrained(str(empty), device="cpu")


def test_cli_refuses_unsafe_or_broken_models_with_exit_2_and_one_line(tiny_models, tmp_path):
    pickled = pickle_copy(tiny_models / "translator", tmp_path / "pickled")
    evil, marker = remote_code_copy(tiny_models / "translator", tmp_path / "evil")
    broken = _broken_folders(tiny_models, tmp_path / "broken")
    cases = {
        "pickle": (pickled, "--allow-pickle"),
        "remote code": (evil, "--trust-remote-code"),
        "garbage config": (broken["garbage-config"], "config.json"),
        "truncated weights": (broken["truncated-weights"], ""),
    }
    for case, (folder, needle) in cases.items():
        out = tmp_path / f"out-{case.replace(' ', '-')}"
        proc = cli("run", str(SEEDS), "-o", str(out), "--translator", str(folder),
                   "--summarizer", "extractive", "--beams", "1", "-q")
        assert_one_line_error(proc, str(folder), needle)
        assert not out.exists(), f"{case}: nothing may be written when the models do not load"
    assert not marker.exists()

    proc = cli("run", str(SEEDS), "-o", str(tmp_path / "out-ok"), "--translator", str(pickled),
               "--summarizer", "extractive", "--beams", "1", "-q", "--allow-pickle")
    assert proc.returncode == 0, proc.stderr
    assert len(list((tmp_path / "out-ok").glob("*.json"))) == 5


# -- pinned revisions ----------------------------------------------------------------------------

# Presets whose revision the registry helper could not pin to a published commit (reported in
# /work/notes/robustness_findings.md). Kept explicit so the list can only shrink: a preset here that
# gets pinned fails the test until it is removed from this set.
KNOWN_UNPINNED: set[str] = set()


def test_every_model_preset_is_pinned_to_a_commit():
    from translate.store.registry import load_registry

    presets = {name: p for name, p in load_registry().items() if not p.builtin}
    assert {"nllb-600m", "distilbart-cnn"} <= set(presets)
    sha = re.compile(r"[0-9a-f]{40}")
    unpinned = {name for name, p in presets.items() if not sha.fullmatch(p.revision or "")}
    assert unpinned == KNOWN_UNPINNED, f"unpinned presets: {sorted(unpinned)}"
    readme = (ROOT / "models" / "README.md").read_text(encoding="utf-8")
    for name in unpinned:
        assert name in readme and "revision" in readme, f"{name}: models/README.md must say how to pin it"

"""`hindi-brief run` end to end with the tiny real models, and without any model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from test_pipeline import verbatim_pieces
from translate.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"




def test_run_on_the_seeds_with_tiny_models(tiny_models, tmp_path, capsys):
    out = tmp_path / "O"
    code = main(["run", str(SEEDS), "-o", str(out), "--translator", str(tiny_models / "translator"),
                 "--summarizer", str(tiny_models / "summarizer"), "--beams", "1", "-q"])
    assert code == 0
    assert len(list(out.glob("*.json"))) == 5 and len(list(out.glob("*.md"))) == 5
    index = [json.loads(line) for line in (out / "index.jsonl").read_text().splitlines()]
    assert len(index) == 5 and all(row["status"] == "ok" for row in index)
    capsys.readouterr()
    for seed in sorted(SEEDS.glob("*.txt")):
        assert main(["clean", str(seed), "--json"]) == 0
        cleaned = json.loads(capsys.readouterr().out)
        expected = [s for block in cleaned["blocks"] for s in block["sentences"]]
        data = json.loads((out / f"{seed.stem}.json").read_text())
        assert [s["hi"] for s in data["segments"]] == expected
        assert all(s["en"].strip() for s in data["segments"]), seed.name
        assert data["models"]["translator"]["id"].endswith("translator")


def test_extractive_briefs_are_verbatim_translation_sentences(tiny_models, tmp_path):
    out = tmp_path / "O"
    code = main(["run", str(SEEDS), "-o", str(out), "--translator", str(tiny_models / "translator"),
                 "--summarizer", "extractive", "--beams", "1", "-q"])
    assert code == 0
    for path in out.glob("*.json"):
        data = json.loads(path.read_text())
        assert data["brief"]
        assert verbatim_pieces(data["brief"], [s["en"] for s in data["segments"]]), path.name


def test_without_models_or_hub_run_exits_2_fast_with_the_how_to(tmp_path):
    env = {**os.environ, "HINDI_BRIEF_MODELS": str(tmp_path / "empty-store"), "HF_HUB_OFFLINE": "1",
           "HF_HOME": str(tmp_path / "hf")}
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "translate.cli", "run", str(SEEDS), "-o", str(tmp_path / "out")],
                          env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - started
    assert proc.returncode == 2, proc.stderr
    assert elapsed < 30
    assert "nllb-600m" in proc.stderr and "hindi-brief models pull nllb-600m" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()

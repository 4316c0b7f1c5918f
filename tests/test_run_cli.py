"""`hindi-brief run` end to end with the tiny real models, and without any model."""

from __future__ import annotations

import json
import os
import shutil
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


def test_reruns_come_from_the_cache_and_no_cache_bypasses_it(tiny_models, tmp_path, monkeypatch, capsys):
    import sqlite3

    cache = tmp_path / "cache.sqlite3"
    monkeypatch.setenv("HINDI_BRIEF_CACHE", str(cache))
    seed = sorted(SEEDS.glob("*.txt"))[0]
    args = [str(seed), "--translator", str(tiny_models / "translator"), "--summarizer", "extractive", "--beams", "1", "-q"]

    def english(out):
        return [s["en"] for s in json.loads((out / f"{seed.stem}.json").read_text())["segments"]]

    assert main(["run", "--no-cache", "-o", str(tmp_path / "A"), *args]) == 0
    assert not cache.exists()  # --no-cache writes nothing
    assert main(["run", "-o", str(tmp_path / "B"), *args]) == 0
    assert english(tmp_path / "B") == english(tmp_path / "A")
    with sqlite3.connect(cache) as connection:  # mark every cached translation
        connection.execute("UPDATE translations SET translation = 'FROM THE CACHE'")
    assert main(["run", "-o", str(tmp_path / "C"), *args]) == 0
    assert set(english(tmp_path / "C")) == {"FROM THE CACHE"}  # a rerun is served by the cache
    assert main(["run", "--no-cache", "-o", str(tmp_path / "D"), *args]) == 0
    assert english(tmp_path / "D") == english(tmp_path / "A")  # --no-cache reads nothing either
    capsys.readouterr()


def test_without_models_or_hub_run_exits_2_fast_with_the_how_to(tmp_path):
    env = {**os.environ, "HINDI_BRIEF_MODELS": str(tmp_path / "empty-store"), "HF_HUB_OFFLINE": "1",
           "HF_HOME": str(tmp_path / "hf")}
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "translate.cli", "run", str(SEEDS), "-o", str(tmp_path / "out")],
                          env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - started
    assert proc.returncode == 2, proc.stderr
    assert elapsed < 30
    assert "hplt" in proc.stderr and "hindi-brief models pull hplt" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_non_commercial_preset_is_named_as_such_when_it_runs(tiny_models, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HINDI_BRIEF_MODELS", str(tmp_path / "store"))
    assert main(["models", "import", "nllb-600m", str(tiny_models / "translator")]) == 0
    capsys.readouterr()
    code = main(["run", str(SEEDS / "004_6f820134af09ba64.txt"), "-o", str(tmp_path / "O"), "--translator", "nllb-600m",
                 "--summarizer", "extractive", "--beams", "1", "-q", "--no-cache"])
    assert code == 0
    first = capsys.readouterr().err.splitlines()[0]
    assert first == "note: nllb-600m is licensed CC-BY-NC-4.0: non-commercial use only"  # the run's first line


def test_tiny_models_show_trust_marks_and_min_confidence_warns(tiny_models, tmp_path):
    """Random weights write word salad: the seeds' names go missing (name-* warnings in JSON and
    Markdown), every sentence has a confidence, the brief cites its sources, and --min-confidence 1
    turns every scored sentence into a low-confidence warning."""
    args = ["--translator", str(tiny_models / "translator"), "--summarizer", "extractive", "--beams", "2", "-q"]
    # Two seeds: word salad fails every check, so every sentence is translated again three ways.
    inputs = tmp_path / "in"
    inputs.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[1:5:3]:
        shutil.copy(seed, inputs / seed.name)
    assert main(["run", str(inputs), "-o", str(tmp_path / "A"), *args]) == 0
    assert main(["run", str(inputs), "-o", str(tmp_path / "B"), "--min-confidence", "1", *args]) == 0
    names = 0
    for path in sorted((tmp_path / "A").glob("*.json")):
        data = json.loads(path.read_text())
        markdown = path.with_suffix(".md").read_text()
        found = [w for w in data["warnings"] if w["code"].startswith("name-") or w["code"] == "acronym-missing"]
        names += len(found)
        for w in found[:3]:
            assert w["message"] in markdown
        assert all(0 < s["confidence"] <= 1 for s in data["segments"])
        assert len(data["brief_sources"]) >= 1 and all(isinstance(i, int) for cited in data["brief_sources"] for i in cited)
        assert not any(w["code"] == "low-confidence" for w in data["warnings"])
        strict = json.loads((tmp_path / "B" / path.name).read_text())
        low = [w for w in strict["warnings"] if w["code"] == "low-confidence"]
        assert sorted(w["segment"] for w in low) == [i for i, s in enumerate(strict["segments"]) if s["confidence"] < 1]
    assert names >= 2, f"{names} name warnings on two seeds whose word salad loses their names"


def test_min_confidence_outside_0_to_1_is_a_usage_error(tmp_path, capsys):
    assert main_exit(["run", str(SEEDS), "-o", str(tmp_path), "--min-confidence", "1.5"]) == 2
    assert "--min-confidence: must be from 0 to 1, got 1.5" in capsys.readouterr().err


def main_exit(argv) -> int:
    try:
        return main(argv)
    except SystemExit as stop:  # argparse
        return stop.code


def test_digest_command_with_tiny_models_writes_a_cited_digest_and_reuses_finished_articles(tiny_models, tmp_path,
                                                                                           capsys):
    """`hindi-brief digest seeds/ -o O`: every article in exactly one story, each story with its
    reasons and a brief (or a warning why it has none) whose every citation is a real segment holding
    the cited sentence's numbers;
    a second digest translates nothing again; `run --digest` writes the same digest."""
    from translate.faithful.protect import english_numbers, number_values

    out = tmp_path / "O"
    args = ["--translator", str(tiny_models / "translator"), "--summarizer", "extractive", "--beams", "1", "-q"]
    assert main(["digest", str(SEEDS), "-o", str(out), *args]) == 0
    err = capsys.readouterr().err
    assert "5 of 5 articles translated (0 already done)" in err and "in digest.md" in err
    data = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    inputs = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    assert sorted(a for story in data["stories"] for a in story["articles"]) == inputs
    segments = {row["input"]: json.loads((out / row["outputs"]["json"]).read_text(encoding="utf-8"))["segments"]
                for row in map(json.loads, (out / "index.jsonl").read_text(encoding="utf-8").splitlines())}
    cited = 0
    for story in data["stories"]:
        assert story["why"] or len(story["articles"]) == 1
        # Word salad fails most checks, and a flagged sentence never goes into a brief: then it says so.
        assert story["sentences"] or [w["code"] for w in story["warnings"]][-1:] == ["story-brief-empty"]
        for sentence in story["sentences"]:
            for source in sentence["sources"]:
                text = segments[source["article"]][source["segment"]]["en"]
                for mention in english_numbers(sentence["text"], words=False):
                    assert mention.values & number_values(text)
                cited += 1
    assert cited >= 1
    markdown = (out / "digest.md").read_text(encoding="utf-8")
    assert "[A1, s" in markdown
    assert main(["digest", str(SEEDS), "-o", str(out), *args]) == 0
    assert "5 of 5 articles translated (5 already done)" in capsys.readouterr().err  # nothing translated again
    assert json.loads((out / "digest.json").read_text(encoding="utf-8")) == data
    assert main(["run", str(SEEDS), "-o", str(tmp_path / "R"), "--digest", *args]) == 0
    assert json.loads((tmp_path / "R" / "digest.json").read_text(encoding="utf-8")) == data

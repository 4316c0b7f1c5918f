"""`hindi-brief run --engine ray` (issue 9): the same files as the local engine, from a Ray cluster.

The tests marked ``ray`` run on a local Ray with 2 CPUs (``make test-ray``; pyproject's addopts
leave them out of the default run); the one without the mark checks the error when Ray is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from translate.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
BAD = {"empty.txt": "", "english.txt": "Russia and Pakistan agreed on Thursday to expand trade.\n"}


def model_args(tiny_models: Path) -> list[str]:
    return ["--translator", str(tiny_models / "translator"), "--summarizer", str(tiny_models / "summarizer"),
            "--beams", "1", "--batch-articles", "2", "-q"]


def files(folder: Path) -> dict[str, bytes]:
    """Every file of an output folder, by name."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# Every output format and the digest: the driver makes the text, Word and digest files from the
# workers' results, which must come out as the local engine's.
OUTPUTS = ["--format", "json,md,txt,docx", "--digest"]


def run_local(inputs: Path, out: Path, tiny_models: Path) -> int:
    return main(["run", str(inputs), "-o", str(out), *model_args(tiny_models), *OUTPUTS])


def run_ray(inputs: Path, out: Path, tiny_models: Path, *extra: str) -> int:
    return main(["run", str(inputs), "-o", str(out), *model_args(tiny_models), *OUTPUTS, "--engine", "ray",
                 "--workers", "2", *extra])


@pytest.fixture(scope="module")
def ray_cluster():
    """A local Ray with 2 CPUs for the module; the engine uses it instead of starting its own."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    import ray

    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def local_seed_outputs(tiny_models: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The local engine's files for the seeds."""
    out = tmp_path_factory.mktemp("local") / "O"
    assert run_local(SEEDS, out, tiny_models) == 0
    return files(out)


@pytest.fixture(scope="module")
def ray_seed_folder(ray_cluster, tiny_models: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Ray engine's output folder for the seeds (2 workers, 2 articles a batch)."""
    out = tmp_path_factory.mktemp("ray") / "O"
    assert run_ray(SEEDS, out, tiny_models) == 0
    return out


def test_engine_ray_without_ray_installed_is_a_usage_error_naming_the_extra(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails as if it were not installed
    code = main(["run", str(SEEDS), "-o", str(tmp_path / "O"), "--engine", "ray"])
    err = capsys.readouterr().err
    assert code == 2
    assert "pip install 'hindi-brief[ray]'" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "O").exists()


@pytest.mark.ray
def test_ray_engine_writes_the_same_files_as_the_local_engine(ray_seed_folder, local_seed_outputs):
    produced = files(ray_seed_folder)
    assert sorted(produced) == sorted(local_seed_outputs)
    assert len([name for name in produced if name.endswith(".json")]) == 6  # 5 articles and the digest
    assert {"digest.json", "digest.md"} <= set(produced) and len([n for n in produced if n.endswith(".docx")]) == 5
    for name, data in local_seed_outputs.items():
        assert produced[name] == data, name


@pytest.mark.ray
def test_cli_pointed_at_a_running_cluster_writes_the_local_engines_files(ray_cluster, tiny_models, local_seed_outputs, tmp_path):
    seed = sorted(SEEDS.glob("*.txt"))[0]
    out = tmp_path / "O"
    proc = subprocess.run(
        [sys.executable, "-m", "translate.cli", "run", str(seed), "-o", str(out), *model_args(tiny_models),
         "--engine", "ray", "--ray-address", ray_cluster.get_runtime_context().gcs_address],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "1 of 1 articles translated" in proc.stderr
    for suffix in (".json", ".md"):
        name = seed.stem + suffix
        assert (out / name).read_bytes() == local_seed_outputs[name]
    [line] = (out / "index.jsonl").read_text().splitlines()
    local = {row["input"]: row for row in map(json.loads, local_seed_outputs["index.jsonl"].decode().splitlines())}
    expected = local[str(seed)]  # the local run also wrote .txt and .docx; this one the default formats
    expected["outputs"] = {kind: expected["outputs"][kind] for kind in ("json", "markdown")}
    assert json.loads(line) == expected


@pytest.mark.ray
def test_a_bad_file_is_reported_and_skipped_as_in_the_local_engine(ray_cluster, tiny_models, tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[2]
    shutil.copy(seed, inputs / seed.name)
    for name, text in BAD.items():
        (inputs / name).write_text(text, encoding="utf-8")

    assert run_local(inputs, tmp_path / "local", tiny_models) == 1
    capsys.readouterr()
    assert run_ray(inputs, tmp_path / "ray", tiny_models) == 1
    err = capsys.readouterr().err

    for name in BAD:
        lines = [line for line in err.splitlines() if name in line]
        assert len(lines) == 1 and lines[0].startswith("hindi-brief: error: "), err
    assert "Traceback" not in err
    assert "1 of 3 articles translated" in err and "2 failed" in err
    index = [json.loads(line) for line in (tmp_path / "ray" / "index.jsonl").read_text().splitlines()]
    assert {Path(row["input"]).name: row["status"] for row in index} == {"empty.txt": "error", "english.txt": "error", seed.name: "ok"}
    assert files(tmp_path / "ray") == files(tmp_path / "local")


@pytest.mark.ray
def test_resume_after_a_kill_redoes_only_the_missing_article(ray_seed_folder, tiny_models, local_seed_outputs, tmp_path, capsys):
    out = tmp_path / "O"
    shutil.copytree(ray_seed_folder, out)
    missing = sorted(out.glob("0*.json"))[1]
    for path in out.glob(f"{missing.stem}.*"):
        path.unlink()  # as if killed before this article was done: none of its files, no index, no digest
    for name in ("index.jsonl", "digest.json", "digest.md"):
        (out / name).unlink()
    kept = {path.name: path.stat().st_mtime_ns for path in out.iterdir()}
    capsys.readouterr()

    assert run_ray(SEEDS, out, tiny_models, "--resume") == 0
    assert "5 of 5 articles translated (4 already done)" in capsys.readouterr().err
    assert {name: (out / name).stat().st_mtime_ns for name in kept} == kept  # not rewritten
    assert files(out) == local_seed_outputs

"""Hostile input (issue 7, items 1 and 2): every broken file is processed correctly or refused with
one line naming the file and the reason; a batch keeps going, writes only inside -o, never touches
its inputs; the real CLI over the seeds mixed with the bad files exits 1 with no traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from badfiles import HUGE_BYTES, ODD_MARKERS, REASONS, seed_text, write_bad_files, write_odd_files
from stubs import HonestSummarizer, HonestTranslator

from translate import batch
from translate.article import DEFAULT_MAX_BYTES, MAX_BYTES_ENV, ensure_hindi, load_article
from translate.cli.run import Progress
from translate.errors import InputError
from translate.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("bad")
    return folder, write_bad_files(folder)


@pytest.fixture(scope="module")
def odd_folder(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("odd")
    return folder, write_odd_files(folder)


@pytest.fixture()
def pipeline() -> Pipeline:
    return Pipeline(HonestTranslator(), HonestSummarizer(), extractive=HonestSummarizer())


def load_checked(path: Path, **kwargs):
    """What the pipeline does before any model runs: load, clean, split, check it is Hindi."""
    article = load_article(path, **kwargs)
    ensure_hindi(article)
    return article


def run_batch(pipeline, paths, out: Path, *, max_bytes=None, resume=False) -> tuple[int, list[batch.Record]]:
    """``hindi-brief run`` with stub engines, in this process (as tests/test_batch.py does)."""
    with Progress(enabled=False) as progress:
        report = batch.run_batch([str(p) for p in paths], out, pipeline=pipeline, resume=resume, batch_articles=4,
                                 max_bytes=max_bytes, on_record=progress.record)
    print(report.summary(), file=sys.stderr)
    return report.exit_code, report.records


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def visible_text(article) -> str:
    return "\n".join([article.title, *(s for _, s in article.sentences())])


# -- each bad file alone -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REASONS))
def test_bad_file_is_refused_with_one_line_naming_it(bad_folder, name):
    folder, written = bad_folder
    assert name in written
    path = folder / name
    with pytest.raises(InputError) as caught:
        load_checked(path)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"{path}: "), message
    assert any(word in message.lower() for word in REASONS[name]), message


def test_ten_megabyte_file_names_the_limit_and_how_to_raise_it(bad_folder):
    folder, _ = bad_folder
    assert (folder / "huge.txt").stat().st_size == HUGE_BYTES > DEFAULT_MAX_BYTES
    with pytest.raises(InputError) as caught:
        load_article(folder / "huge.txt")
    message = str(caught.value)
    assert "10 MiB" in message and "5 MiB" in message
    assert "--max-bytes" in message and MAX_BYTES_ENV in message


def test_size_limit_is_configurable_by_argument_and_environment(tmp_path, monkeypatch):
    path = tmp_path / "article.txt"
    path.write_text(seed_text(1), encoding="utf-8")
    size = path.stat().st_size
    with pytest.raises(InputError, match="limit"):
        load_article(path, max_bytes=size - 1)
    assert load_checked(path, max_bytes=size).sentences() == load_checked(SEED_FILES[1]).sentences()

    monkeypatch.setenv(MAX_BYTES_ENV, str(size - 1))
    with pytest.raises(InputError, match="limit"):
        load_article(path)
    monkeypatch.setenv(MAX_BYTES_ENV, str(size))
    assert load_article(path).sentences()


# -- odd files that hold a real article ----------------------------------------------------------


@pytest.mark.parametrize("name", ["utf16_hindi.txt", "utf8_bom.txt", "crlf.txt"])
def test_other_encodings_and_line_ends_give_the_same_article(odd_folder, name):
    folder, _ = odd_folder
    article = load_checked(folder / name)
    reference = load_checked(SEED_FILES[1])
    assert article.sentences() == reference.sentences()
    assert article.title == reference.title


def test_a_twenty_thousand_character_line_with_no_terminator_is_kept_whole(odd_folder):
    folder, _ = odd_folder
    line = (folder / "long_line.txt").read_text(encoding="utf-8")
    assert len(line) == 20_000 and "\n" not in line and "।" not in line
    article = load_checked(folder / "long_line.txt")
    assert "".join(visible_text(article).split()) == "".join(line.split())


def test_script_and_style_never_reach_the_article(odd_folder):
    folder, _ = odd_folder
    article = load_checked(folder / "script_style.html")
    text = visible_text(article)
    for marker in ODD_MARKERS["script_style.html"]:
        assert marker not in text
    reference = "".join(visible_text(load_checked(SEED_FILES[1])).split())
    paragraphs = [s for _, s in article.sentences()]
    assert len(paragraphs) >= 4 and all("".join(s.split()) in reference for s in paragraphs)


def test_control_characters_are_removed_and_the_story_kept(odd_folder):
    folder, _ = odd_folder
    article = load_checked(folder / "ansi_controls.txt")
    text = visible_text(article)
    assert not [ch for ch in text if unicodedata.category(ch) == "Cc" and ch != "\n"], repr(text[:200])
    assert "[31m" not in text
    assert len(article.sentences()) >= 10


def test_bidi_controls_zero_width_and_lone_surrogates_are_handled(odd_folder):
    folder, _ = odd_folder
    article = load_checked(folder / "unicode_oddities.txt")
    assert article.metadata.get("slug") == "russia-pakistan"
    text = visible_text(article) + json.dumps(article.metadata, ensure_ascii=False)
    for marker in ODD_MARKERS["unicode_oddities.txt"]:
        assert marker not in text, f"{marker!r} reached the article"
    text.encode("utf-8")  # no lone surrogate left: the outputs can be written
    plain = load_checked(SEED_FILES[1])
    assert len(article.sentences()) >= len([s for s in plain.sentences()]) - 2


# -- batches -------------------------------------------------------------------------------------


def test_batch_over_seeds_bad_and_odd_files_reports_each_bad_file_once(pipeline, bad_folder, odd_folder, tmp_path, capsys):
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    for folder, _ in (bad_folder, odd_folder):
        for path in folder.iterdir():
            shutil.copy(path, inputs / path.name)
    before = snapshot(inputs)
    out = tmp_path / "out"
    code, records = run_batch(pipeline, [inputs], out)
    assert code == 1
    failed = {Path(r.task.input).name for r in records if r.status == "error"}
    assert failed == set(bad_folder[1])
    ok = {Path(r.task.input).name for r in records if r.status == "ok"}
    assert ok == {p.name for p in SEED_FILES} | set(odd_folder[1])
    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr
    error_lines = [line for line in stderr.splitlines() if "error:" in line]
    assert len(error_lines) == len(bad_folder[1])
    for name in bad_folder[1]:
        assert sum(f"/{name}: " in line for line in error_lines) == 1, name
    for record in records:
        if record.status == "ok":
            data = json.loads((out / record.task.outputs["json"]).read_text(encoding="utf-8"))
            dumped = json.dumps(data, ensure_ascii=False)
            for marker in ODD_MARKERS.get(Path(record.task.input).name, ()):
                assert marker not in dumped, (record.task.input, marker)
    index = [json.loads(line) for line in (out / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [row["input"] for row in index] == [r.task.input for r in records]
    assert snapshot(inputs) == before, "inputs are never modified"


def test_raised_limit_processes_what_the_default_refuses(pipeline, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "big.txt").write_text(seed_text(0) * 3, encoding="utf-8")
    size = (inputs / "big.txt").stat().st_size
    code, records = run_batch(pipeline, [inputs], tmp_path / "out1", max_bytes=size - 1)
    assert code == 1 and "limit" in records[0].error
    code, records = run_batch(pipeline, [inputs], tmp_path / "out2", max_bytes=size)
    assert code == 0 and records[0].status == "ok"


HOSTILE_NAMES = ["..hidden.txt", "a b;rm -rf ~.txt", "नया लेख.txt", "\u202eevil.txt", "-rf.txt", "$(touch x).txt",
                 "x" * 240 + ".txt", "CON.txt", "new\nline.txt"]


def test_hostile_file_names_give_safe_unique_outputs_inside_the_output_folder(pipeline, tmp_path):
    inputs = tmp_path / "in"
    (inputs / "sub").mkdir(parents=True)
    text = seed_text(4)
    for name in HOSTILE_NAMES:
        (inputs / name).write_text(text, encoding="utf-8")
    (inputs / "sub" / "a b;rm -rf ~.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    outside = tmp_path / "outside.md"
    outside.write_text("must stay", encoding="utf-8")
    # A symlink planted in the output folder where an output will go: replaced, not followed.
    out.mkdir()
    stems = [t.stem for t in batch.plan([inputs], out, fingerprint="x")]
    (out / f"{stems[0]}.md").symlink_to(outside)

    code, records = run_batch(pipeline, [inputs], out)
    assert code == 0, [r.error for r in records if r.error]
    assert len(records) == len(HOSTILE_NAMES) + 1
    assert outside.read_text(encoding="utf-8") == "must stay"
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 2 * len(records) + 1
    for name in written:
        assert not name.startswith(".") and "/" not in name and "\n" not in name
        assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name), repr(name)
        assert len(name.encode("utf-8")) <= 255
    assert all(p.parent == out and not p.is_symlink() for p in out.rglob("*"))
    assert not (tmp_path / "x").exists() and not Path("x").exists()


def test_error_line_for_a_bad_file_with_a_newline_in_its_name_is_one_line(pipeline, tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "bad\nname.txt").write_bytes(b"")
    code, records = run_batch(pipeline, [inputs], tmp_path / "out")
    assert code == 1
    stderr = capsys.readouterr().err
    errors = [line for line in stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and "empty" in errors[0] and "name.txt" in errors[0], stderr
    assert len([line for line in stderr.splitlines() if line.strip()]) == 2, stderr  # the error and the summary


# -- the real command line -----------------------------------------------------------------------


def cli(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "translate.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=500)


def test_cli_over_seeds_mixed_with_bad_files(tiny_models, bad_folder, tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    for path in bad_folder[0].iterdir():
        shutil.copy(path, inputs / path.name)
    out = tmp_path / "out"
    proc = cli("run", str(inputs), "-o", str(out), "--translator", str(tiny_models / "translator"),
               "--summarizer", str(tiny_models / "summarizer"), "--beams", "1", "-q")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "error:" in line]
    assert len(errors) == len(bad_folder[1]), proc.stderr
    for name in bad_folder[1]:
        matching = [line for line in errors if str(inputs / name) in line]
        assert len(matching) == 1, (name, proc.stderr)
        assert any(word in matching[0].lower() for word in REASONS[name]), matching[0]
    assert sorted(p.name for p in out.glob("*.json")) == sorted(f"{p.stem}.json" for p in SEED_FILES)
    assert sorted(p.name for p in out.glob("*.md")) == sorted(f"{p.stem}.md" for p in SEED_FILES)
    index = [json.loads(line) for line in (out / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(index) == 5 + len(bad_folder[1])
    assert {Path(row["input"]).name for row in index if row["status"] == "error"} == set(bad_folder[1])


@pytest.mark.parametrize("option, env", [(["--max-bytes", "0"], {}), ([], {MAX_BYTES_ENV: "lots"})])
def test_cli_bad_size_limit_is_a_usage_error(tiny_models, tmp_path, option, env):
    out = tmp_path / "out"
    proc = cli("run", str(SEED_FILES[0]), "-o", str(out), "--translator", str(tiny_models / "translator"),
               "--summarizer", "extractive", "--beams", "1", "-q", *option, env_extra=env)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    if option:  # argparse's own usage line, then one error line naming the option
        assert "argument --max-bytes: must be at least 1" in lines[-1], proc.stderr
    else:
        assert len(lines) == 1 and MAX_BYTES_ENV in lines[0], proc.stderr


def test_cli_missing_input_is_a_usage_error_before_any_model_loads(tmp_path):
    proc = cli("run", str(tmp_path / "nope"), "-o", str(tmp_path / "out"), "--translator", str(tmp_path / "no-model"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "nope" in proc.stderr

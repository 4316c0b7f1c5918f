"""Batch runs with stub engines: outputs, index, bad files, resume, names, standard input, dataset."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from stubs import HonestSummarizer, HonestTranslator

from translate import Result, batch
from translate.article import load_article
from translate.batch.output import _UMASK
from translate.cli.run import Progress
from translate.errors import UsageError
from translate.pipeline import Pipeline

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture()
def pipeline() -> Pipeline:
    return Pipeline(HonestTranslator(), HonestSummarizer())


def run(pipeline, paths, out_dir: Path, *, resume=False, chunk=3, stdin=None) -> tuple[int, list[batch.Record]]:
    """``hindi-brief run`` in this process: the library call, with the command's error lines and summary."""
    with Progress(enabled=False) as progress:
        report = batch.run_batch([str(p) for p in paths], out_dir, pipeline=pipeline, resume=resume,
                                 batch_articles=chunk, stdin=stdin, on_record=progress.record)
    print(report.summary(), file=sys.stderr)
    return report.exit_code, report.records


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_seeds_give_one_json_and_markdown_each_and_an_index(pipeline, tmp_path):
    code, _ = run(pipeline, [SEEDS], tmp_path / "out")
    assert code == 0
    out = tmp_path / "out"
    assert sorted(p.name for p in out.glob("*.json")) == sorted(p.stem + ".json" for p in SEEDS.glob("*.txt"))
    assert len(list(out.glob("*.md"))) == 5
    index = [json.loads(line) for line in (out / "index.jsonl").read_text().splitlines()]
    assert [row["status"] for row in index] == ["ok"] * 5
    for seed in sorted(SEEDS.glob("*.txt")):
        data = json.loads((out / f"{seed.stem}.json").read_text())
        expected = [s for _, s in load_article(seed).sentences()]
        assert [s["hi"] for s in data["segments"]] == expected
        assert all(s["en"].strip() for s in data["segments"])
        assert data["brief"]
        markdown = (out / f"{seed.stem}.md").read_text()
        assert markdown.startswith("# ") and f"**Brief.** {Result.from_dict(data).brief_cited()}" in markdown


def test_bad_files_are_reported_and_skipped_the_others_processed(pipeline, tmp_path, capsys):
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    (inputs / "empty.txt").write_text("   \n")
    (inputs / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (inputs / "english.txt").write_text("This article is written in English only. Nothing Hindi here.\n")
    code, records = run(pipeline, [inputs], tmp_path / "out")
    assert code == 1
    errors = {Path(r.task.input).name: r.error for r in records if r.status == "error"}
    assert set(errors) == {"empty.txt", "binary.txt", "english.txt"}
    for name, message in errors.items():
        assert name in message and "\n" not in message
    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr
    assert sum("error:" in line for line in stderr.splitlines()) == 3
    assert len(list((tmp_path / "out").glob("*.json"))) == 5


def test_resume_skips_finished_articles_and_redoes_changed_ones(pipeline, tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    out = tmp_path / "out"
    run(pipeline, [inputs], out)
    first = snapshot(out)

    pipeline.translator.calls.clear()
    code, records = run(pipeline, [inputs], out, resume=True)
    assert code == 0 and all(r.task.skip for r in records)
    assert pipeline.translator.calls == []
    assert snapshot(out) == first

    changed = sorted(inputs.glob("*.txt"))[2]
    changed.write_text(changed.read_text() + "\nनया वाक्य जोड़ा गया है।\n")
    code, records = run(pipeline, [inputs], out, resume=True)
    assert [r.task.skip for r in records].count(False) == 1
    assert not next(r for r in records if r.task.input == str(changed)).task.skip
    assert "नया वाक्य जोड़ा गया है।" in (out / f"{changed.stem}.json").read_text()


def test_outputs_never_overwrite_inputs_and_names_stay_inside_the_output_folder(pipeline, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    text = (SEEDS / "004_6f820134af09ba64.txt").read_text()
    (inputs / "story.md").write_text(text)
    with pytest.raises(UsageError, match="overwrite an input"):
        batch.plan([inputs / "story.md"], inputs, fingerprint="x")
    with pytest.raises(UsageError, match="output folder is this input folder"):
        batch.plan([inputs], inputs, fingerprint="x")
    (inputs / "story.md").unlink()

    (inputs / "..evil.txt").write_text(text)
    (inputs / "a").mkdir()
    (inputs / "a" / "x.txt").write_text(text)
    (inputs / "a_x.txt").write_text(text)
    (inputs / "x.txt").write_text(text)
    (inputs / "x.md").write_text(text)
    tasks = batch.plan([inputs], tmp_path / "out", fingerprint="x")
    stems = [t.stem for t in tasks]
    assert len(set(stems)) == len(stems) == 5
    assert all("/" not in s and not s.startswith(".") for s in stems)
    before = snapshot(inputs)
    run(pipeline, [inputs], tmp_path / "out")
    assert snapshot(inputs) == before
    assert sorted(p.parent for p in (tmp_path / "out").rglob("*")) == [tmp_path / "out"] * 11


def test_rerun_into_a_folder_inside_the_input_does_not_read_its_own_outputs(pipeline, tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    run(pipeline, [inputs], inputs / "out")
    tasks = batch.plan([inputs], inputs / "out", fingerprint="x")
    assert len(tasks) == 5


def test_standard_input(pipeline, tmp_path):
    text = (SEEDS / "002_6d2f3309d51e9222.txt").read_text()
    code, records = run(pipeline, ["-"], tmp_path / "out", stdin=lambda n: text)
    assert code == 0
    data = json.loads((tmp_path / "out" / "stdin.json").read_text())
    assert len(data["segments"]) == len(load_article(SEEDS / "002_6d2f3309d51e9222.txt").sentences())


def test_standard_input_is_decoded_like_a_file(pipeline, tmp_path):
    text = (SEEDS / "002_6d2f3309d51e9222.txt").read_text()
    code, _ = run(pipeline, ["-"], tmp_path / "out", stdin=lambda n: text.encode("utf-16")[:n])
    assert code == 0
    data = json.loads((tmp_path / "out" / "stdin.json").read_text())
    assert len(data["segments"]) == len(load_article(SEEDS / "002_6d2f3309d51e9222.txt").sentences())


def test_an_unexpected_failure_in_one_article_is_reported_and_the_others_go_on(tmp_path):
    class Fragile(HonestTranslator):
        def translate(self, sentences):
            if any("आईजीसी" in s for s in sentences):
                raise RuntimeError("model crashed")
            return super().translate(sentences)

    code, records = run(Pipeline(Fragile(), HonestSummarizer()), [SEEDS], tmp_path / "out")
    assert code == 1
    failed = [r for r in records if r.status == "error"]
    assert failed and all("internal error: RuntimeError: model crashed" in r.error for r in failed)
    assert sum(r.status == "ok" for r in records) == 5 - len(failed) >= 3


def test_outputs_are_readable_by_others_like_any_new_file(pipeline, tmp_path):
    run(pipeline, [SEEDS / "001_f3c1e9e06d5419c5.txt"], tmp_path / "out")
    for path in (tmp_path / "out").iterdir():
        assert path.stat().st_mode & 0o777 == 0o666 & ~_UMASK, path.name


def test_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="nope"):
        batch.plan([tmp_path / "nope"], tmp_path / "out", fingerprint="x")


def test_dataset_round_trip(pipeline, tmp_path):
    import datasets

    out = tmp_path / "out"
    _, records = run(pipeline, [SEEDS], out)
    assert batch.write_dataset(out, tmp_path / "ds", records) == 5
    ds = datasets.load_from_disk(str(tmp_path / "ds"))
    assert ds.num_rows == 5
    row = ds[0]
    data = json.loads((out / f"{Path(row['input']).stem}.json").read_text())
    assert row["brief"] == data["brief"]
    assert [s["hi"] for s in row["segments"]] == [s["hi"] for s in data["segments"]]
    assert json.loads(row["metadata"])["source"] == data["metadata"]["source"]

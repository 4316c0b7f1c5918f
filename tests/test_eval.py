"""`hindi-brief eval` and translate.evaluate: scores as sacrebleu / rouge-score give them, clear errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from translate import evaluate
from translate.cli import main
from translate.errors import UsageError

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FLORES_SRC = SHARED / "hi-en" / "flores200-devtest.hin_Deva"
FLORES_REF = SHARED / "hi-en" / "flores200-devtest.eng_Latn"
CNN_CSV = SHARED / "summarization" / "cnn_dailymail-sample.csv"
SACREBLEU = Path(sys.executable).with_name("sacrebleu")
SCORE_ROW = re.compile(r"^(BLEU|chrF2\+\+)\s+([0-9.]+)$", re.MULTILINE)


def made_up_hypotheses(refs: list[str]) -> list[str]:
    """A deterministic 'system output': the references damaged in several ways, some lines empty,
    some with trailing blanks (which sacrebleu's reader strips)."""
    hyps = []
    for i, ref in enumerate(refs):
        words = ref.split()
        if i % 3 == 0:
            words = words[:-2]
        if i % 5 == 1:
            half = len(words) // 2
            words = words[:half][::-1] + words[half:]
        if i % 7 == 2:
            words = [w.lower() for w in words]
        if i % 11 == 4:
            words = words + ["the", "the"]
        line = " ".join(words)
        if i % 13 == 6:
            line = ""
        if i % 17 == 8:
            line += "   \t"
        hyps.append(line)
    return hyps


@pytest.fixture(scope="module")
def flores_hyp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    refs = FLORES_REF.read_text(encoding="utf-8").splitlines()
    path = tmp_path_factory.mktemp("hyp") / "made-up.hyp.txt"
    path.write_text("\n".join(made_up_hypotheses(refs)) + "\n", encoding="utf-8")
    return path


def sacrebleu_cli(ref: Path, hyp: Path, width: int) -> dict[str, dict]:
    out = subprocess.run(
        [str(SACREBLEU), str(ref), "-i", str(hyp), "-m", "bleu", "chrf", "--chrf-word-order", "2",
         "-w", str(width), "-f", "json"],
        capture_output=True, text=True, check=True,
    ).stdout
    return {item["name"]: item for item in json.loads(out)}


@pytest.mark.parametrize("width", [None, 3])
def test_hyp_scores_equal_sacrebleu_command_line(flores_hyp: Path, tmp_path: Path, capsys, width) -> None:
    out_json = tmp_path / "scores.json"
    argv = ["eval", "translation", "--src", str(FLORES_SRC), "--ref", str(FLORES_REF), "--hyp", str(flores_hyp),
            "--json", str(out_json)]
    if width is not None:
        argv += ["--width", str(width)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    expected = sacrebleu_cli(FLORES_REF, flores_hyp, 1 if width is None else width)

    ours = dict(SCORE_ROW.findall(printed))
    assert set(ours) == {"BLEU", "chrF2++"}
    for name, item in expected.items():
        assert float(ours[name]) == item["score"]
        assert f"{name}|{item['signature']} = " in printed  # the signature, in sacrebleu's own form
    assert "1012 segments" in printed

    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["segments"] == 1012
    assert round(data["bleu"]["score"], 1 if width is None else width) == expected["BLEU"]["score"]
    assert round(data["chrf"]["score"], 1 if width is None else width) == expected["chrF2++"]["score"]
    assert data["bleu"]["signature"] == expected["BLEU"]["signature"]
    assert data["chrf"]["signature"] == expected["chrF2++"]["signature"]


def test_identical_hypotheses_score_100_and_limit_takes_first_lines(tmp_path: Path, capsys) -> None:
    hyp = tmp_path / "first10.txt"
    hyp.write_text("".join(line + "\n" for line in evaluate.read_lines(FLORES_REF, 10)), encoding="utf-8")
    out_json = tmp_path / "s.json"
    argv = ["eval", "translation", "--src", str(FLORES_SRC), "--ref", str(FLORES_REF), "--hyp", str(hyp),
            "--limit", "10", "--json", str(out_json)]
    assert main(argv) == 0
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["segments"] == 10 and data["limit"] == 10
    assert data["bleu"]["score"] == pytest.approx(100.0)
    assert data["chrf"]["score"] == pytest.approx(100.0)


def test_line_count_mismatch_names_files_and_counts(tmp_path: Path, capsys) -> None:
    hyp = tmp_path / "short.txt"
    hyp.write_text("one\ntwo\nthree\n", encoding="utf-8")
    code = main(["eval", "translation", "--src", str(FLORES_SRC), "--ref", str(FLORES_REF), "--hyp", str(hyp)])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert f"{hyp} has 3" in err and f"{FLORES_REF} has 1012" in err and f"{FLORES_SRC} has 1012" in err


def test_missing_file_is_a_one_line_usage_error(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nope.txt"
    code = main(["eval", "translation", "--src", str(FLORES_SRC), "--ref", str(missing), "--hyp", str(FLORES_REF)])
    err = capsys.readouterr().err
    assert code == 2 and str(missing) in err and "no such file" in err and "Traceback" not in err


def test_comet_absent_is_a_note_not_a_failure(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "comet", None)  # `import comet` raises ImportError
    out_json = tmp_path / "s.json"
    argv = ["eval", "translation", "--src", str(FLORES_SRC), "--ref", str(FLORES_REF), "--hyp", str(FLORES_REF),
            "--limit", "5", "--json", str(out_json)]
    assert main(argv) == 0
    assert "COMET skipped: unbabel-comet not installed" in capsys.readouterr().out
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["comet"] is None and data["comet_skipped"] == "unbabel-comet not installed"


def test_scoring_a_hypothesis_file_loads_no_model() -> None:
    code = (
        "import sys\n"
        "from translate.cli import main\n"
        f"assert main(['eval', 'translation', '--src', {str(FLORES_SRC)!r}, '--ref', {str(FLORES_REF)!r}, "
        f"'--hyp', {str(FLORES_REF)!r}, '--limit', '20', '--no-comet']) == 0\n"
        "heavy = sorted({'torch', 'transformers', 'ctranslate2'} & set(sys.modules))\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr


def test_translator_run_writes_scores_and_hypotheses(tiny_models: Path, tmp_path: Path, capsys) -> None:
    out_json = tmp_path / "tiny.json"
    argv = ["eval", "translation", "--src", str(FLORES_SRC), "--ref", str(FLORES_REF),
            "--translator", str(tiny_models / "translator"), "--limit", "12", "--beams", "1", "--device", "cpu",
            "--json", str(out_json), "--no-comet"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    hyp_path = tmp_path / "tiny.hyp.txt"
    assert f"hypotheses to {hyp_path}" in printed
    hyps = hyp_path.read_text(encoding="utf-8").split("\n")
    assert len(hyps) == 13 and hyps[-1] == ""  # 12 lines, each ended by a newline
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["segments"] == 12 and data["hyp"] == str(hyp_path)
    assert data["translator"]["backend"]
    # The saved file is exactly what was scored: scoring it again gives the same numbers.
    again = tmp_path / "again.json"
    assert main(["eval", "translation", "--src", str(FLORES_SRC), "--ref", str(FLORES_REF), "--hyp", str(hyp_path),
                 "--limit", "12", "--json", str(again), "--no-comet"]) == 0
    rescored = json.loads(again.read_text(encoding="utf-8"))
    assert rescored["bleu"]["score"] == data["bleu"]["score"]
    assert rescored["chrf"]["score"] == data["chrf"]["score"]


# --------------------------------------------------------------------------- summaries
def test_rouge_stems_scales_to_100_and_lsum_goes_by_sentence() -> None:
    same = evaluate.score_summaries(["The cats were running home."], ["The cats were running home."])
    assert same["rouge1"] == pytest.approx(100) and same["rouge2"] == pytest.approx(100)
    stemmed = evaluate.score_summaries(["cat runs"], ["cats running"])
    assert stemmed["rouge1"] == pytest.approx(100)  # without stemming this would be 0
    disjoint = evaluate.score_summaries(["alpha beta"], ["gamma delta"])
    assert disjoint["rouge1"] == 0 and disjoint["rougeL"] == 0
    # ROUGE-Lsum matches sentence by sentence: reordered sentences still score 100, ROUGE-L does not.
    swapped = evaluate.score_summaries(["Ships sailed north. Planes flew south."],
                                       ["Planes flew south. Ships sailed north."])
    assert swapped["rougeLsum"] == pytest.approx(100) and swapped["rougeL"] < 60
    lengths = evaluate.score_summaries(["a b c", "a b c d e f g"], ["x", "y"])["words"]
    assert lengths == {"mean": 5, "median": 5, "min": 3, "max": 7}


def test_records_from_csv_and_jsonl_with_limit(tmp_path: Path) -> None:
    texts, refs = evaluate.read_records(CNN_CSV, limit=3)
    assert len(texts) == len(refs) == 3 and "Bishop" in refs[0]
    jsonl = tmp_path / "d.jsonl"
    jsonl.write_text('{"body": "Text one.", "gold": "One."}\n\n{"body": "Text two.", "gold": "Two."}\n', encoding="utf-8")
    assert evaluate.read_records(jsonl, "body", "gold") == (["Text one.", "Text two."], ["One.", "Two."])


def test_missing_column_names_the_columns_found(tmp_path: Path, capsys) -> None:
    with pytest.raises(UsageError, match=r"no column 'summary'; columns found: '', 'id', 'article', 'highlights'"):
        evaluate.read_records(CNN_CSV, "article", "summary")
    code = main(["eval", "summary", "--data", str(CNN_CSV), "--ref-col", "summary", "--summarizer", "extractive"])
    err = capsys.readouterr().err
    assert code == 2 and "columns found" in err and str(CNN_CSV) in err


def test_bad_jsonl_line_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"article": "a", "highlights": "b"}\n{oops\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"bad.jsonl: line 2 is not valid JSON"):
        evaluate.read_records(bad)


def test_eval_summary_extractive_prints_rouge(tmp_path: Path, capsys) -> None:
    out_json = tmp_path / "sum.json"
    argv = ["eval", "summary", "--data", str(CNN_CSV), "--summarizer", "extractive", "--limit", "20",
            "--json", str(out_json)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    rows = dict(re.findall(r"^(ROUGE-(?:1|2|L|Lsum))\s+([0-9.]+)$", printed, re.MULTILINE))
    assert set(rows) == {"ROUGE-1", "ROUGE-2", "ROUGE-L", "ROUGE-Lsum"}
    assert 0 < float(rows["ROUGE-2"]) < float(rows["ROUGE-1"]) < 100
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["records"] == 20
    briefs = (tmp_path / "sum.briefs.txt").read_text(encoding="utf-8").splitlines()
    assert len(briefs) == 20 and all(briefs)
    # Extractive briefs are verbatim sentences of the article: they pass the faithfulness check.
    assert data["faithfulness"]["checked"] == 20
    assert data["faithfulness"]["share"] == pytest.approx(1.0)


def test_an_unwritable_scores_path_fails_before_any_model_work(tmp_path, capsys):
    from translate.cli import main

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code = main(["eval", "summary", "--data", str(CNN_CSV), "--summarizer", "extractive", "--limit", "2",
                 "--json", str(blocker / "scores.json")])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "scores.json" in err

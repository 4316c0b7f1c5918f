"""`hindi-brief clean`: plain and JSON output, several files, bad files, user rules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from translate.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def test_json_of_seed_000_has_hindi_title_and_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(SEEDS[0]), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    header = json.loads(SEEDS[0].read_text(encoding="utf-8").split("\n")[0])
    assert data["title"] == header["title_hn"]
    assert data["metadata"]["category"] == "World"
    assert data["metadata"]["author"] == "कीर्तिवर्धन मिश्र"
    assert data["metadata"]["dateline"] == "Fri, 28 Nov 2025 11:11 AM IST"
    assert {block["kind"] for block in data["blocks"]} == {"heading", "paragraph"}
    assert all(set(block) == {"kind", "text", "sentences"} and block["sentences"] for block in data["blocks"])
    assert all(set(item) == {"line", "reason"} for item in data["removed"])


def test_plain_output_with_sentences(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(SEEDS[4]), "--sentences"]) == 0
    lines = capsys.readouterr().out.split("\n")
    assert lines[0] == "# मॉस्को में रूसी विदेश मंत्री से मिले जयशंकर"
    assert "dateline: Wednesday, November 19, 2025" in lines
    assert "## कई अहम मुद्दों पर गहन चर्चा" in lines
    first = next(i for i, line in enumerate(lines) if line.startswith("भारत और रूस के बीच रणनीतिक"))
    assert lines[first].endswith("मुलाकात की।") and lines[first + 1].startswith("दोनों देशों के बीच यह")
    assert "Popular Articles" not in lines and "Top 5 This Week" not in lines


def test_plain_output_lists_removed_lines_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(SEEDS[1]), "--removed"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# (no title)\n")
    assert "- [share label] Spread the love" in out


def test_several_files_one_bad(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    assert main(["clean", "--json", str(SEEDS[1]), str(empty), str(missing), str(SEEDS[2])]) == 1
    captured = capsys.readouterr()
    printed = [json.loads(line) for line in captured.out.splitlines()]
    assert [a["metadata"]["source"] for a in printed] == [str(SEEDS[1]), str(SEEDS[2])]
    assert captured.err.splitlines() == [
        f"hindi-brief: error: {empty}: empty file",
        f"hindi-brief: error: {missing}: file not found",
    ]


def test_user_rules_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[drop]]\nreason = "promo heading"\nexact = ["नए सहयोगियों की तलाश में रूस"]\n', encoding="utf-8")
    assert main(["clean", str(SEEDS[3]), "--json", "--rules", str(rules)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"line": "नए सहयोगियों की तलाश में रूस", "reason": "promo heading"} in data["removed"]
    assert "नए सहयोगियों की तलाश में रूस" not in [block["text"] for block in data["blocks"]]


def test_bad_rules_file_and_bad_limit_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text("[[drop]]\nreason = 'x'\nregex = ['(']\n", encoding="utf-8")
    assert main(["clean", str(SEEDS[1]), "--rules", str(rules)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and str(rules) in err[0]
    assert main(["clean", str(SEEDS[1]), "--max-bytes", "0"]) == 2
    assert "argument --max-bytes: must be at least 1" in capsys.readouterr().err.splitlines()[-1]


def test_max_bytes_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(SEEDS[0]), "--max-bytes", "1000"]) == 1
    assert "over the 1000 bytes limit" in capsys.readouterr().err


def test_help_describes_every_option() -> None:
    parser = build_parser()
    clean = parser._subparsers._group_actions[0].choices["clean"]
    for action in clean._actions:
        assert action.help, f"option {action.option_strings or action.dest} has no help"


def test_console_entry_point_runs() -> None:
    result = subprocess.run([sys.executable, "-m", "translate.cli", "clean", str(SEEDS[2]), "--sentences"],
                            cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# रूस ने पाकिस्तान के साथ कर ली बड़ी डील")
    assert "## पाकिस्तानी पीएम के विशेष सचिव ने क्या कहा?" in result.stdout


def test_a_folder_is_cleaned_file_by_file(capsys):
    assert main(["clean", str(ROOT / "seeds"), "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["metadata"]["source"] for line in lines] == [str(p) for p in SEEDS]

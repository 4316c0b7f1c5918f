"""Model registry, store and `hindi-brief models` (offline: HF_HUB_OFFLINE=1 from conftest)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from translate.cli import main
from translate.engines.summarizer import Summarizer
from translate.engines.translator import Translator
from translate.errors import ModelNotFoundError, UsageError
from translate.store import (
    DEFAULT_SUMMARIZER,
    DEFAULT_TRANSLATOR,
    load_registry,
    resolve_model,
    store_dir,
)

pytestmark = pytest.mark.timeout(120)  # a model lookup must never hang on the network


@pytest.fixture(autouse=True)
def empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    store = tmp_path / "store"
    monkeypatch.setenv("HINDI_BRIEF_MODELS", str(store))
    return store


def test_registry_has_the_presets_with_their_facts() -> None:
    presets = load_registry()
    default = presets[DEFAULT_TRANSLATOR]
    assert (default.name, default.hub_id) == ("hplt", "HPLT/translate-hi-en-v1.0-hplt_opus")
    assert default.revision == "6f8663537adbaa6aac689f847030d10fe6421912"
    assert default.license == "CC-BY-4.0" and not default.non_commercial  # newsrooms may use it
    assert default.architecture == "marian" and default.max_input_tokens == 250  # Marian's training max-length
    # Published scores (OPUS-MT-leaderboard; models/README.md): NLLB-600M's quality.
    assert default.quality == {"flores200_devtest_bleu": 38.7, "flores200_devtest_chrf": 64.3, "newstest2014_bleu": 31.4,
                               "newstest2014_chrf": 60.6, "ntrex128_bleu": 32.0, "ntrex128_chrf": 60.4}
    assert presets["nllb-600m"].quality == {"flores200_devtest_bleu": 38.1, "flores200_devtest_chrf": 63.7}
    assert presets[DEFAULT_SUMMARIZER].hub_id == "sshleifer/distilbart-cnn-12-6"
    assert {p.task for p in presets.values()} == {"translation", "summarization"}
    assert not presets["indictrans2-200m"].trust_remote_code  # runs on this tool's own classes
    assert presets["opus-mt"].license == "Apache-2.0"  # the hub card's licence (models/README.md)
    for preset in presets.values():
        if not preset.builtin:
            assert re.fullmatch(r"[0-9a-f]{40}", preset.revision), preset.name
            assert preset.size_mb > 0 and preset.license


def test_non_commercial_licence_is_said_where_the_model_is_chosen(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("nllb-600m", "nllb-1.3b"):
        nllb = load_registry()[name]
        assert nllb.non_commercial and "non-commercial" in nllb.license_note
    for name in ("hplt", "opus-mt", "indictrans2-200m"):
        assert not load_registry()[name].non_commercial and not load_registry()[name].license_note
    assert main(["run", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "default: hplt, licensed CC-BY-4.0; non-commercial use only: nllb-600m, nllb-1.3b" in help_text


def test_store_follows_the_environment(empty_store: Path) -> None:
    assert store_dir() == empty_store


def test_missing_default_model_fails_with_the_how_to() -> None:
    with pytest.raises(ModelNotFoundError) as error:
        Translator.from_pretrained(DEFAULT_TRANSLATOR)
    message = str(error.value)
    assert "hindi-brief models pull hplt" in message
    assert "hindi-brief models import hplt DIR" in message


def test_missing_default_summarizer_fails_with_the_how_to() -> None:
    with pytest.raises(ModelNotFoundError, match="models pull distilbart-cnn"):
        Summarizer.from_pretrained(DEFAULT_SUMMARIZER)


def test_hub_id_without_hub_fails_fast() -> None:
    with pytest.raises(ModelNotFoundError, match="HF_HUB_OFFLINE"):
        resolve_model("someone/not-downloaded-model", "translation")


def test_unknown_name_suggests_a_preset() -> None:
    with pytest.raises(ModelNotFoundError, match="Did you mean nllb-600m"):
        resolve_model("nllb600m", "translation")


def test_preset_of_the_other_task_is_refused() -> None:
    with pytest.raises(UsageError, match="summarization model"):
        resolve_model("distilbart-cnn", "translation")


def test_folder_is_accepted(tiny_models: Path) -> None:
    resolved = resolve_model(tiny_models / "translator", "translation")
    assert resolved.path == (tiny_models / "translator").resolve()
    assert resolved.preset is None and resolved.model_id == str(resolved.path)


def test_models_list_shows_presets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("nllb-600m "))
    assert line.split()[1:3] == ["translation", "no"]
    assert "CC-BY-NC-4.0" in line and "non-commercial" in line
    assert "BACKEND" in out and "ctranslate2 int8 (once pulled)" in line
    best = next(line for line in out.splitlines() if line.startswith("nllb-1.3b "))
    assert "best quality" in best and "non-commercial" in best
    default = next(line for line in out.splitlines() if line.startswith("hplt "))
    assert "CC-BY-4.0" in default and "default" in default and "non-commercial" not in default
    assert main(["models", "list", "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["extractive"]["installed"] is True
    assert rows["hplt"]["installed"] is False and rows["hplt"]["default"] is True
    assert rows["nllb-600m"]["default"] is False


def test_models_pull_without_hub_exits_2_with_the_how_to(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "pull", "nllb-600m"]) == 2
    err = capsys.readouterr().err
    assert "facebook/nllb-200-distilled-600M" in err
    assert "hindi-brief models import nllb-600m DIR" in err
    assert len(err.strip().splitlines()) == 1  # one line, no traceback


def test_models_path_of_missing_model_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "path", "nllb-600m"]) == 2
    assert "hindi-brief models pull nllb-600m" in capsys.readouterr().err


def test_import_then_path_list_and_load(
    tiny_models: Path, empty_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["models", "import", "nllb-600m", str(tiny_models / "translator")]) == 0
    assert "non-commercial" in capsys.readouterr().out

    assert main(["models", "path", "nllb-600m"]) == 0
    assert capsys.readouterr().out.strip() == str(empty_store / "nllb-600m")

    assert main(["models", "list"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("nllb-600m "))
    assert line.split()[2] == "yes"

    translator = Translator.from_pretrained("nllb-600m", beams=1)
    assert translator.model_info["id"] == "facebook/nllb-200-distilled-600M"
    assert translator.model_info["license"] == "CC-BY-NC-4.0"
    assert "non-commercial" in translator.model_info["license_note"]
    assert translator.translate(["रूस"])[0]

    # A second import needs --force.
    assert main(["models", "import", "nllb-600m", str(tiny_models / "translator")]) == 2
    assert "--force" in capsys.readouterr().err


def test_import_refuses_the_wrong_architecture(
    tiny_models: Path, empty_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["models", "import", "distilbart-cnn", str(tiny_models / "translator")]) == 2
    assert "bart" in capsys.readouterr().err
    assert not (empty_store / "distilbart-cnn").exists()


def test_import_refuses_a_folder_that_does_not_load(
    tiny_models: Path, tmp_path: Path, empty_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text((tiny_models / "summarizer" / "config.json").read_text())
    (broken / "model.safetensors").write_bytes(b"not weights")
    assert main(["models", "import", "distilbart-cnn", str(broken)]) == 2
    assert str(broken) in capsys.readouterr().err
    assert not empty_store.exists()  # checked before anything was copied


def test_import_of_missing_folder_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "import", "opus-mt", "/no/such/folder"]) == 2
    assert "/no/such/folder: no such folder" in capsys.readouterr().err

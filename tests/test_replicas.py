"""Real checkpoints (issue 12): every preset pulls, loads and runs as its real hub repository is laid
out, proven on replicas (tests/replicas.py) served by a local hub (tests/local_hub.py) through the
endpoints huggingface_hub really calls."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from local_hub import LocalHub
from replicas import REPLICAS, STAND_IN, build, build_hub

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FLAX_RUST_TF = ("flax_model.msgpack", "rust_model.ot", "tf_model.h5")


def cli(*args: str, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "translate.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def hub_env(hub: LocalHub, store: Path, home: Path) -> dict[str, str]:
    env = {**os.environ, "HF_ENDPOINT": hub.url, "HINDI_BRIEF_MODELS": str(store), "HF_HOME": str(home)}
    env.pop("HF_HUB_OFFLINE", None)
    env.pop("TRANSFORMERS_OFFLINE", None)
    return env


def one_error_line(proc: subprocess.CompletedProcess, *needles: str) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("hindi-brief: error:"), proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="session")
def replica_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_hub(tmp_path_factory.mktemp("replicas"))


@pytest.fixture(scope="session")
def hub(replica_root: Path):
    with LocalHub(replica_root) as server:
        yield server


@pytest.fixture(scope="session")
def pulled(hub: LocalHub, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Every preset pulled with the real command into one store: {preset: (process, files fetched)}."""
    store = tmp_path_factory.mktemp("pulled-store")
    env = hub_env(hub, store, tmp_path_factory.mktemp("hf-home"))
    results = {"store": store, "env": env}
    for preset in REPLICAS:
        before = len(hub.requests)
        proc = cli("models", "pull", preset, env=env)
        fetched = [path.split("/resolve/", 1)[1].split("/", 1)[1]
                   for method, path in hub.requests[before:] if method == "GET" and "/resolve/" in path]
        results[preset] = (proc, sorted(fetched))
    return results


# -- the replicas are faithful ----------------------------------------------------------------


@pytest.mark.parametrize("preset", list(REPLICAS))
def test_replica_has_the_real_file_names_configs_and_weight_format(preset: str, replica_root: Path) -> None:
    replica = REPLICAS[preset]
    folder = build(preset, replica_root)
    assert sorted(p.name for p in folder.iterdir()) == sorted(replica.files)
    real_config = json.loads((ROOT / "tests" / "replica_files" / preset / "config.json").read_text())
    config = json.loads((folder / "config.json").read_text())
    assert set(config) == set(real_config)  # every key of the real config, none added
    sizes = {"d_model", "encoder_layers", "decoder_layers", "num_hidden_layers", "encoder_attention_heads",
             "decoder_attention_heads", "encoder_ffn_dim", "decoder_ffn_dim", "vocab_size", "decoder_vocab_size",
             "encoder_vocab_size", "encoder_embed_dim", "decoder_embed_dim", "bad_words_ids", "pad_token_id",
             "decoder_start_token_id"}
    for key, value in real_config.items():
        if key not in sizes:
            assert config[key] == value, key
    for name in ("generation_config.json", "tokenizer_config.json", "special_tokens_map.json"):
        real = ROOT / "tests" / "replica_files" / preset / name
        if real.is_file() and preset not in ("opus-mt", "hplt"):  # their ids are the replica vocabulary's
            assert json.loads((folder / name).read_text()) == json.loads(real.read_text()), name
    for name in FLAX_RUST_TF:
        if name in replica.files:
            assert (folder / name).read_bytes() == STAND_IN
    if "model.safetensors" not in replica.files:  # pickle only, as the real repository
        import torch

        state = torch.load(folder / "pytorch_model.bin", weights_only=True)
        assert state and all(isinstance(t, torch.Tensor) for t in state.values())


# -- pull: real code path, only what is needed, no pickle left --------------------------------


@pytest.mark.parametrize("preset", list(REPLICAS))
def test_pull_fetches_only_what_loads_and_stores_safetensors(preset: str, pulled: dict) -> None:
    proc, fetched = pulled[preset]
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    replica = REPLICAS[preset]
    assert fetched == sorted(replica.needed)
    assert not set(fetched) & {*FLAX_RUST_TF, "README.md", ".gitattributes"}
    assert not any(name.endswith(".py") for name in fetched)  # repository code is never downloaded
    folder = pulled["store"] / preset
    names = {p.name for p in folder.iterdir()}
    assert "model.safetensors" in names and "pytorch_model.bin" not in names
    assert (folder / "ct2-int8" / "model.bin").is_file(), proc.stdout
    source = json.loads((folder / "hindi-brief-source.json").read_text())
    assert source["revision"] == replica.commit
    if "model.safetensors" not in replica.files:
        assert source["made_safe"] == ["pytorch_model.bin"]
        assert "stored as safetensors" in proc.stdout
    assert not [p for p in pulled["store"].iterdir() if p.name.startswith(".")]  # no staging left


def test_models_list_says_which_backend_each_preset_uses(pulled: dict) -> None:
    proc = cli("models", "list", "--json", env=pulled["env"])
    rows = {row["name"]: row for row in json.loads(proc.stdout)}
    for preset in REPLICAS:
        assert rows[preset]["installed"] and rows[preset]["backend"] == "ctranslate2 int8"
    assert rows["extractive"]["backend"] == "none (no model)"
    table = cli("models", "list", env=pulled["env"]).stdout
    assert "BACKEND" in table and "ctranslate2 int8" in table


def test_run_with_no_model_options_translates_every_seed(pulled: dict, tmp_path: Path) -> None:
    env = {**pulled["env"], "HF_HUB_OFFLINE": "1"}
    proc = cli("run", str(SEEDS), "-o", str(tmp_path / "out"), env=env)
    assert proc.returncode == 0, proc.stderr
    assert "--allow-pickle" not in proc.stderr
    from translate.article import load_article

    for seed in sorted(SEEDS.glob("*.txt")):
        data = json.loads((tmp_path / "out" / f"{seed.stem}.json").read_text())
        assert [s["hi"] for s in data["segments"]] == [s for _, s in load_article(seed).sentences()]
        assert data["brief"].strip()
        assert data["models"]["translator"]["backend"] == "ctranslate2"
        assert data["models"]["translator"]["id"] == "HPLT/translate-hi-en-v1.0-hplt_opus"
        assert "vocabulary" not in data["models"]["translator"] or data["models"]["translator"]["vocabulary"].startswith("full")
        assert data["models"]["summarizer"]["id"] == "sshleifer/distilbart-cnn-12-6"


# -- errors: one line, nothing half-written ---------------------------------------------------


def test_pull_errors_are_one_line_and_leave_the_store_as_it_was(hub: LocalHub, tmp_path: Path) -> None:
    store = tmp_path / "store"
    env = hub_env(hub, store, tmp_path / "home")
    script = (
        "import sys\n"
        "from translate.store import hub\n"
        "from translate.errors import HindiBriefError\n"
        "try:\n"
        "    hub.repo_files(sys.argv[1], sys.argv[2])\n"
        "except HindiBriefError as exc:\n"
        "    print(exc); sys.exit(2)\n"
    )
    unknown_repo = subprocess.run([sys.executable, "-c", script, "nobody/no-such-model", "main"], env=env,
                                  capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert unknown_repo.returncode == 2 and "no such model on the hub" in unknown_repo.stdout
    assert len(unknown_repo.stdout.strip().splitlines()) == 1
    unknown_revision = subprocess.run([sys.executable, "-c", script, REPLICAS["nllb-600m"].repo, "0" * 40],
                                      env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert unknown_revision.returncode == 2 and "no revision" in unknown_revision.stdout

    hub.drop_after, hub.drop_pattern = 2048, "pytorch_model.bin"
    try:
        dropped = cli("models", "pull", "distilbart-cnn", env=env)
    finally:
        hub.drop_after = None
    one_error_line(dropped, "sshleifer/distilbart-cnn-12-6", "download failed")
    assert not (store / "distilbart-cnn").exists()
    assert not [p for p in store.iterdir() if p.name.startswith(".")]  # the staging folder is gone
    again = cli("models", "pull", "distilbart-cnn", env=env, timeout=600)
    assert again.returncode == 0, again.stderr


# -- generation as each checkpoint intends, the same on both backends -------------------------


def _engines(pulled: dict, preset: str):
    """The preset's pulled folder loaded with each backend (task, transformers engine, CTranslate2 engine)."""
    folder = pulled["store"] / preset
    if preset in ("distilbart-cnn", "bart-large-cnn"):
        from translate.engines.summarizer import Summarizer

        load = lambda backend: Summarizer.from_pretrained(folder, backend=backend, device="cpu")  # noqa: E731
        return "summarization", load("transformers"), load("ctranslate2")
    from translate.engines.translator import Translator

    load = lambda backend: Translator.from_pretrained(folder, backend=backend, device="cpu", cache=False)  # noqa: E731
    return "translation", load("transformers"), load("ctranslate2")


@pytest.mark.parametrize("preset", list(REPLICAS))
def test_both_backends_decode_every_checkpoint_with_the_same_settings(preset: str, pulled: dict) -> None:
    task, slow, fast = _engines(pulled, preset)
    assert slow.model_info["backend"] == "transformers" and fast.model_info["backend"] == "ctranslate2"
    for lengths in ([7], [40, 33], [300]):
        if task == "translation":
            a, b = slow.backend.decoding(lengths), fast.backend.decoding(lengths)
        else:
            a, b = slow.backend.decoding(lengths, 126, 51), fast.backend.decoding(lengths, 126, 51)
        assert a == b
        assert a.generate_kwargs()["num_beams"] == b.ct2_options(fast.backend.tokenizer)["beam_size"]
        assert a.generate_kwargs()["no_repeat_ngram_size"] == b.ct2_options(fast.backend.tokenizer)["no_repeat_ngram_size"]
        assert a.generate_kwargs()["length_penalty"] == b.ct2_options(fast.backend.tokenizer)["length_penalty"]
    assert slow.backend.max_input_tokens == fast.backend.max_input_tokens


def test_bart_summarizers_decode_as_their_checkpoints_say(pulled: dict) -> None:
    for preset in ("distilbart-cnn", "bart-large-cnn"):
        _, slow, _ = _engines(pulled, preset)
        plan = slow.backend.decoding([400], 126, 51)
        # distilbart has these only in config.json and task_specific_params (no generation_config.json).
        assert (plan.beams, plan.length_penalty, plan.no_repeat_ngram_size, plan.early_stopping) == (4, 2.0, 3, True)
        assert plan.forced_bos_token_id == 0 and plan.forced_eos_token_id == 2
        assert slow.backend.prefix == " "  # config.json's "prefix", as the summarization pipeline applied it
        short = slow.backend.decoding([20], 126, 51)
        assert short.min_new_tokens == 10  # never more than half of what the input holds


def test_nllb_reads_a_512_token_window_and_writes_in_proportion(pulled: dict) -> None:
    _, slow, fast = _engines(pulled, "nllb-600m")
    assert slow.max_input_tokens == 512  # the model card's training length, not the 1024 positions
    short, long = slow.backend.decoding([10]), slow.backend.decoding([300])
    assert short.max_new_tokens < long.max_new_tokens
    assert long.max_new_tokens >= 2 * 300  # never cut: twice the input and more


def test_a_256k_vocabulary_caps_the_sentences_per_batch() -> None:
    from translate.backends.base import Seq2SeqTranslationBackend
    from translate.backends.generation import max_batch_sentences

    assert max_batch_sentences(256_206, 4) == 65  # 65 x 4 beams x 256,206 scores x 4 bytes < 256 MiB
    backend = Seq2SeqTranslationBackend.__new__(Seq2SeqTranslationBackend)
    backend.max_batch_tokens, backend.max_batch_size, backend.max_state_tokens = 4096, 65, 4096
    batches = backend.batches([12] * 500)  # a token budget alone would put 341 sentences together
    assert max(len(b) for b in batches) == 65 and sorted(i for b in batches for i in b) == list(range(500))
    mixed = backend.batches([5, 40, 6, 41, 200])
    assert all(len({(n - 1) // 16 for n in (([5, 40, 6, 41, 200][i]) for i in b)}) == 1 for b in mixed)


def test_nllb_600m_batches_keep_the_decoder_state_within_its_budget() -> None:
    """With beam 4 every sentence of a batch keeps 4 hypotheses' keys and values in all 12 decoder
    layers: the seeds' 33 sentences of 47 tokens at once took 2.4 GB. The real config caps a batch at
    512 padded tokens, so an article's ten 44-token sentences still share one batch."""
    from transformers import AutoConfig

    from translate.backends.base import Seq2SeqTranslationBackend
    from translate.backends.generation import DECODER_STATE_BUDGET, decoder_state_bytes, max_state_tokens

    config = AutoConfig.from_pretrained(ROOT / "tests" / "replica_files" / "nllb-600m")  # the hub's, verbatim
    assert decoder_state_bytes(config) == 2 * 2 * 12 * 1024 * 4
    assert max_state_tokens(config, 4) == 512
    backend = Seq2SeqTranslationBackend.__new__(Seq2SeqTranslationBackend)
    backend.max_batch_tokens, backend.max_batch_size = 4096, 65
    backend.max_state_tokens = max_state_tokens(config, 4)
    assert [len(b) for b in backend.batches([44] * 10)] == [10]
    batches = backend.batches([47] * 33)
    assert sorted(i for b in batches for i in b) == list(range(33))
    assert all(4 * len(b) * 47 * decoder_state_bytes(config) <= DECODER_STATE_BUDGET for b in batches)


def test_indictrans2_runs_on_our_own_classes_and_both_backends_agree(pulled: dict, tmp_path: Path) -> None:
    import shutil

    from translate.engines.translator import Translator
    from translate.store.convert import convert

    folder = tmp_path / "indictrans2"  # a float32 conversion: greedy output equal to transformers'
    shutil.copytree(pulled["store"] / "indictrans2-200m", folder, ignore=shutil.ignore_patterns("ct2-*"))
    convert(folder, "float32")
    options = dict(device="cpu", cache=False, beams=1)
    slow = Translator.from_pretrained(folder, backend="transformers", **options)
    fast = Translator.from_pretrained(folder, backend="ctranslate2", **options)
    assert slow.model_info["architecture"] == "indictrans2"
    sentences = ["भारत और रूस ने 10 समझौते किए।", "बैठक www.example.com पर देखी जा सकती है।"]
    assert slow.translate(sentences) == fast.translate(sentences)
    assert all(slow.translate(sentences))
    # IndicTransToolkit put its tags in front and its placeholders around the URL.
    assert slow.backend.processor.tagged(sentences[:1])[0].startswith("hin_Deva eng_Latn ")


# -- HPLT hi-en, the default translator ---------------------------------------------------------


def test_the_hplt_replica_is_an_fp16_pickle_with_the_embedding_stored_twice(replica_root: Path) -> None:
    """As transformers' Marian converter left the real file: 220 MB of float16 for 77.0M parameters, the
    64,001 x 512 embedding once shared by both sides and once as lm_head.weight."""
    import pickle
    import zipfile

    import torch

    folder = build("hplt", replica_root)
    with zipfile.ZipFile(folder / "pytorch_model.bin") as archive:
        data = archive.read(next(n for n in archive.namelist() if n.endswith("data.pkl")))
    assert b"HalfStorage" in data and b"FloatStorage" not in data  # as the hub's pickle scan lists it
    state = torch.load(folder / "pytorch_model.bin", weights_only=True)
    assert {t.dtype for t in state.values()} == {torch.float16}
    storages = {state[k].untyped_storage().data_ptr() for k in
                ("model.shared.weight", "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight")}
    assert len(storages) == 1 and state["lm_head.weight"].untyped_storage().data_ptr() not in storages
    assert torch.equal(state["lm_head.weight"], state["model.shared.weight"])
    config = json.loads((folder / "config.json").read_text())
    assert config["vocab_size"] == config["decoder_vocab_size"] == len(json.loads((folder / "vocab.json").read_text()))
    assert (folder / "source.spm").read_bytes() == (folder / "target.spm").read_bytes() == (folder / "model.hi-en.spm").read_bytes()
    del pickle


def test_hplt_pull_leaves_the_marian_native_files_and_makes_a_float32_int8_copy(pulled: dict) -> None:
    proc, fetched = pulled["hplt"]
    assert "model.npz.best-chrf.npz" not in fetched and "model.hi-en.spm" not in fetched
    assert "int8_float16" not in proc.stderr  # converted from float32 weights: nothing converted again at load
    ct2 = json.loads((pulled["store"] / "hplt" / "ct2-int8" / "config.json").read_text())
    assert ct2["decoder_start_token"] == "</s>"  # CTranslate2's Marian loader: start from a zero embedding


@pytest.fixture(scope="module")
def hplt_float32(pulled: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pulled hplt folder with a float32 conversion, so that both backends compute alike."""
    import shutil

    from translate.store.convert import convert

    folder = tmp_path_factory.mktemp("hplt") / "hplt"
    shutil.copytree(pulled["store"] / "hplt", folder, ignore=shutil.ignore_patterns("ct2-*"))
    convert(folder, "float32")
    return folder


@pytest.mark.parametrize("beams", [1, 4])
def test_both_backends_translate_hplt_alike(hplt_float32: Path, beams: int) -> None:
    from translate.engines.translator import Translator

    options = dict(device="cpu", cache=False, beams=beams)
    slow = Translator.from_pretrained(hplt_float32, backend="transformers", **options)
    fast = Translator.from_pretrained(hplt_float32, backend="ctranslate2", **options)
    assert slow.backend.model.dtype.is_floating_point and str(slow.backend.model.dtype) == "torch.float32"
    assert slow.model_info["architecture"] == "marian" and slow.backend.output_vocabulary is None  # 64k: no map
    assert slow.backend.forced_bos_token_id is None  # no language tags
    assert slow.max_input_tokens == fast.max_input_tokens == 512  # a folder: its positions (the preset says 250)
    sentences = ["भारत और रूस ने 10 समझौते किए।", "बैठक 5:30 बजे शुरू हुई।", "दोनों देशों ने व्यापार पर बात की।"]
    assert slow.translate(sentences) == fast.translate(sentences)
    scored_slow, scored_fast = slow.translate_scored(sentences), fast.translate_scored(sentences)
    assert [t for t, _ in scored_slow] == [t for t, _ in scored_fast]
    if beams == 1:  # greedy: both give the mean token log-probability (beam scores are normalised differently)
        assert all(abs(a - b) < 1e-3 for (_, a), (_, b) in zip(scored_slow, scored_fast))


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_checks_healing_and_confidence_work_on_hplt(hplt_float32: Path, backend: str) -> None:
    """The pipeline's checks on Marian output: the replica's word salad loses the article's numbers and
    names, so sentences are translated again (every strategy is tried) and every one gets a confidence."""
    from translate.engines.summarizer import Summarizer
    from translate.engines.translator import Translator
    from translate.pipeline import Pipeline

    translator = Translator.from_pretrained(hplt_float32, backend=backend, device="cpu", cache=False, beams=2)
    pipe = Pipeline(translator=translator, summarizer=Summarizer.from_pretrained("extractive"))
    result = pipe("बैठक की खबर\n\nडॉ. रमेश तिवारी ने 12 मार्च को इंदौर में पत्रकारों से बात की। उन्होंने 5 नए "
                  "समझौतों की घोषणा की और कहा कि 2030 तक व्यापार दोगुना होगा।")
    assert len(result.segments) == 2
    assert all(0 < segment["confidence"] <= 1 for segment in result.segments)
    codes = {warning["code"] for warning in result.warnings}
    assert "number-missing" in codes and "name-missing" in codes, codes
    assert result.repairs and all(repair["tried"] for repair in result.repairs)
    tried = {attempt["how"].split()[0] for repair in result.repairs for attempt in repair["tried"]}
    assert tried == {"n-best", "no-repeat", "clauses"}, tried


def test_streaming_changes_when_not_what_on_the_default_path(pulled: dict) -> None:
    """The default presets as pulled (CTranslate2 int8, beam 4): the streamed result (headline and first
    paragraph in a model call of their own, the rest reported batch by batch) is the plain one."""
    from translate.article import load_article
    from translate.engines.summarizer import Summarizer
    from translate.engines.translator import Translator
    from translate.pipeline import Pipeline, Result, SentenceDone

    store = pulled["store"]
    pipe = Pipeline(Translator.from_pretrained(store / "hplt", device="cpu", cache=False),
                    Summarizer.from_pretrained(store / "distilbart-cnn", device="cpu", cache=False))
    assert pipe.translator.model_info["backend"] == "ctranslate2"
    seed = next(SEEDS.glob("001_*.txt"))
    plain = pipe(load_article(seed))
    events = list(pipe.stream(load_article(seed)))
    assert isinstance(events[-1], Result)
    assert events[-1].to_json(timings=False) == plain.to_json(timings=False)
    done = [e for e in events if isinstance(e, SentenceDone)]
    assert len(done) == len(plain.segments) + 1


# -- the default path without torch or transformers (issue 23, items 2 and 3) ---------------------


def _english_samples() -> list[str]:
    from tiny_models import _english_lines

    return [line[:600] for line in _english_lines(20)] + [
        "Mr. O'Neil said: \"It's 5:30 p.m.\" , isn't it ?", "  spaces   and\ttabs ", "", "</s> inside <unk> text"]


@pytest.mark.parametrize("preset", ["hplt", "opus-mt", "distilbart-cnn", "bart-large-cnn"])
def test_light_tokenizers_tokenize_and_detokenize_as_transformers(preset: str, pulled: dict) -> None:
    import random

    from transformers import AutoTokenizer

    from translate.article import load_article
    from translate.backends.light import load_light_tokenizer

    folder = pulled["store"] / preset
    if preset == "distilbart-cnn":
        assert (folder / "tokenizer.json").is_file()  # written at pull from vocab.json + merges.txt
    light, real = load_light_tokenizer(folder), AutoTokenizer.from_pretrained(folder)
    assert light is not None
    hindi = [s for seed in sorted(SEEDS.glob("*.txt")) for _, s in load_article(seed).sentences()]
    texts = hindi + _english_samples()
    assert light(texts)["input_ids"] == real(texts, add_special_tokens=True)["input_ids"]
    assert light(texts, add_special_tokens=False)["input_ids"] == real(texts, add_special_tokens=False)["input_ids"]
    ids = real(texts)["input_ids"]
    assert [light.convert_ids_to_tokens(row) for row in ids] == [real.convert_ids_to_tokens(row) for row in ids]
    tokens = [light.convert_ids_to_tokens(row) for row in ids]
    assert [light.convert_tokens_to_ids(row) for row in tokens] == [real.convert_tokens_to_ids(row) for row in tokens]
    generator = random.Random(7)
    size = len(real)
    noise = [[generator.randrange(size) for _ in range(generator.randrange(1, 40))] for _ in range(200)]
    for skip in (True, False):
        assert light.batch_decode(ids + noise, skip_special_tokens=skip) == real.batch_decode(ids + noise, skip_special_tokens=skip)
    assert sorted(light.all_special_ids) == sorted(real.all_special_ids)
    assert light.model_max_length == real.model_max_length or real.model_max_length > 1e6 < light.model_max_length


def test_the_default_path_imports_neither_torch_nor_transformers(pulled: dict, tmp_path: Path) -> None:
    """`hindi-brief run` with no model options, translating for real, then a cached rerun that loads
    no model and no tokenizer either."""
    script = (
        "import sys\n"
        "from translate.backends import describe\n"
        "loads = []\n"
        "original = describe.LazyBackend.get\n"
        "def get(self):\n"
        "    if self._backend is None: loads.append(1)\n"
        "    return original(self)\n"
        "describe.LazyBackend.get = get\n"
        "from translate.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print(code, 'torch' in sys.modules, 'transformers' in sys.modules, len(loads))\n"
    )
    env = {**pulled["env"], "HF_HUB_OFFLINE": "1", "HINDI_BRIEF_CACHE": str(tmp_path / "cache.sqlite3")}
    seed = str(next(SEEDS.glob("002_*.txt")))
    runs = []
    for out in ("first", "again"):
        proc = subprocess.run([sys.executable, "-c", script, "run", seed, "-o", str(tmp_path / out), "-q"], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        runs.append(proc.stdout.split())
    assert runs[0] == ["0", "False", "False", "2"]  # translator and summarizer loaded, from their files only
    assert runs[1] == ["0", "False", "False", "0"]  # the cache served everything: nothing loaded
    assert (tmp_path / "first" / f"{Path(seed).stem}.json").read_bytes() == (tmp_path / "again" / f"{Path(seed).stem}.json").read_bytes()


@pytest.mark.parametrize("preset", ["hplt", "opus-mt", "distilbart-cnn", "bart-large-cnn"])
def test_a_model_described_from_its_files_is_the_model_loaded(preset: str, pulled: dict) -> None:
    """The cache key of the default path comes from the files (translate/backends/describe.py); loading
    the model agrees with it (LazyBackend checks), and the record is the one the loaded backend gives."""
    from translate.backends.describe import LazyBackend

    _, slow, fast = _engines(pulled, preset)
    assert isinstance(fast.backend, LazyBackend) and not fast.backend.loaded
    fast.backend.get()  # raises if the files and the loaded backend disagree
    same = {k: v for k, v in fast.model_info.items() if k not in ("backend", "device", "quantization")}
    assert same == {k: v for k, v in slow.model_info.items() if k not in ("backend", "device", "quantization")}

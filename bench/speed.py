"""Translation speed on CPU: the default path (hplt, CTranslate2 int8) beside NLLB-600M's, our
backends beside the naive transformers loop, and whole articles through ``hindi-brief run``.

    .venv/bin/python bench/speed.py [--quick] [--json FILE] [--work-dir DIR] [--beams 4] [--threads N] [--device cuda]

No downloads: the models are random-weight models of exactly the registry's architectures (hplt, the
default translator: Marian transformer-base, d_model 512, 6+6 layers, FFN 2048, ReLU, vocabulary
64001; nllb-600m: d_model 1024, 12+12 layers, FFN 4096, vocabulary 256206; distilbart-cnn: d_model
1024, 12 encoder + 6 decoder layers, vocabulary 50264), with the tiny test tokenizers
(tests/tiny_models.py) padded to those vocabulary sizes. Both translators read Hindi with the **same**
SentencePiece model (the tiny NLLB tokenizer's, trained on the seeds), so a sentence is as many source
tokens for each and, outputs being forced to 1.1x the source (below), as many decoding steps: the two
are compared on the same work. (The real tokenizers, 64k shared pieces against 256k, are not at hand
here; how differently they cut Hindi is not known.) They are built once into the work folder
(``--work-dir`` keeps them for the next run) and converted once to CTranslate2 int8 with
``translate.store.convert``, the code behind ``hindi-brief models convert``.

What makes the comparison fair:
- the same sentences (the seeds' sentences, cleaned and split by translate.article), the same beam
  size, the same number of CPU threads (torch and CTranslate2 both get ``--threads``);
- random weights would stop at a random end token, so every output length is forced (minimum =
  maximum new tokens), to 1.1x the source length: per sentence in the naive baselines; per batch in
  our backends (one length for a batch), ceil(1.1 x the batch's mean source length), so a batch
  generates as many tokens as the baseline does for the same sentences. (A real model's outputs end
  at their own lengths; CTranslate2 then drops finished sentences from the batch, so equal token
  counts is the fair comparison.) The figures include the mean tokens generated per sentence;
- the naive baselines are slow (seconds per sentence), so they run on a spread of the sentences
  (every k-th by length); the mean source length of both sets is printed beside the figures;
- every measurement runs in its own fresh process (own load time, own peak RSS); the CTranslate2
  runs of hplt, NLLB's English vocabulary and NLLB's full vocabulary are interleaved (A B C A B C ...)
  ``--repeat`` times and their medians reported, as the machine is shared and noisy.

Figures (``--json FILE`` writes them with these keys; "the default path" is hplt on CTranslate2 int8
with distilbart-cnn, what `hindi-brief run` uses with no model options): ``naive_sps`` (the naive
loop on the default translator), ``naive_nllb_sps`` (on NLLB-600M: what a user of a bare transformers
pipeline gets), ``transformers_sps`` / ``transformers_nllb_sps`` (our transformers backend),
``default_sps`` (= ``ct2_int8_sps``, the default path), ``nllb_default_sps`` (NLLB-600M's default
path: CTranslate2 int8, English vocabulary), ``nllb_full_vocab_sps`` (the same with
``--full-vocabulary``), ``nllb_english_vs_full_vocab``, ``ct2_vs_naive`` (the default path against
its naive baseline), ``default_vs_nllb_default`` (against NLLB-600M's default path),
``default_vs_naive_nllb`` (against the naive NLLB-600M baseline), ``article_seconds_ct2`` (seed 000
through ``hindi-brief run`` with no model options, process start included; ``article_seconds_nllb``
with ``--translator nllb-600m``, ``article_seconds_transformers`` with ``--backend transformers``),
``load_seconds`` (the default path's two models; ``load_seconds_nllb`` NLLB-600M's path),
``peak_rss_mb`` (the default path's article run; ``peak_rss_mb_nllb``, ``peak_rss_mb_transformers``),
``download_mb`` (the registry's download sizes of the default presets, and of NLLB-600M's),
``cache_speedup`` (the bench sentences through an empty cache, then again), and
``cached_rerun_speedup`` (the seeds through ``hindi-brief run`` into a new folder twice with one cache,
process start included; ``cached_rerun.again_models_loaded`` says whether the rerun loaded any model).
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import multiprocessing
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # tiny_models: the test tokenizers, reused here

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

SEEDS = REPO / "seeds"
ARTICLE_SEED = "000"
#: Weight scale of the random models (transformers' default; the test models use larger weights).
INIT_STD = 0.02
#: Forced output length: this many times the source length (the seeds' English is ~1.1x).
OUTPUT_RATIO = 1.1

#: The registry's architectures of the default presets and of NLLB-600M, as transformers config values.
ARCHITECTURES: dict[str, dict[str, Any]] = {
    "nllb-600m": dict(vocab_size=256206, d_model=1024, encoder_layers=12, decoder_layers=12,
                      encoder_attention_heads=16, decoder_attention_heads=16,
                      encoder_ffn_dim=4096, decoder_ffn_dim=4096, max_position_embeddings=1024),
    "distilbart-cnn": dict(vocab_size=50264, d_model=1024, encoder_layers=12, decoder_layers=6,
                           encoder_attention_heads=16, decoder_attention_heads=16,
                           encoder_ffn_dim=4096, decoder_ffn_dim=4096, max_position_embeddings=1024),
    "hplt": dict(vocab_size=64001, decoder_vocab_size=64001, d_model=512, encoder_layers=6, decoder_layers=6,
                 encoder_attention_heads=8, decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048,
                 activation_function="relu", max_position_embeddings=512),
}
#: sshleifer/distilbart-cnn-12-6's generation settings (its generation_config / config task_specific_params).
DISTILBART_GENERATION = dict(num_beams=4, length_penalty=2.0, max_length=142, min_length=56,
                             no_repeat_ngram_size=3, early_stopping=True, forced_bos_token_id=0, forced_eos_token_id=2)


def forced_length(source_tokens: int) -> int:
    """New tokens the naive baseline's output gets: ceil(OUTPUT_RATIO x the source length in tokens)."""
    return math.ceil(OUTPUT_RATIO * source_tokens)


class BatchLengths:
    """``forced_new_tokens`` for our backends: ceil(OUTPUT_RATIO x the batch's mean source length).

    Counts the tokens it makes the backend generate (``new_tokens``), for the report.
    """

    def __init__(self) -> None:
        self.new_tokens = 0

    def __call__(self, lengths: list[int]) -> int:
        forced = math.ceil(OUTPUT_RATIO * sum(lengths) / len(lengths))
        self.new_tokens += forced * len(lengths)
        return forced


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- building the random models --------------------------------------------------------------------


def _pad_vocab(vocab: dict[str, int], size: int, keep_last: str | None = None) -> dict[str, int]:
    """``vocab`` grown to ``size`` entries with unused dummy pieces (``keep_last`` moved to the end).

    No input ever tokenizes to a dummy (no merge or piece produces it), but the vocabulary then has
    exactly the model's size, as the real checkpoints' have; CTranslate2's converter requires it.
    """
    entries = [token for token, _ in sorted(vocab.items(), key=lambda item: item[1]) if token != keep_last]
    tail = [keep_last] if keep_last else []
    entries += [f"<dummy_{i}>" for i in range(size - len(entries) - len(tail))] + tail
    return {token: index for index, token in enumerate(entries)}


#: Share of NLLB's 256,206 pieces assumed to be Latin script (kept by the English-only vocabulary).
#: The real share is not known here (no hub): about half of NLLB's 200 languages write Latin script,
#: and the CJK languages take many pieces. 0.5 is taken as a conservative guess (more Latin pieces,
#: less saved); ``--latin-share`` changes it, and with the real model the set is simply computed.
LATIN_SHARE = 0.5


def pad_nllb_tokenizer(folder: Path, size: int, latin_share: float) -> None:
    """The tiny NLLB tokenizer's vocabulary grown to ``size`` pieces, as NLLB's: unused dummy pieces,
    ``latin_share`` of them Latin-script (``▁latinN``), the rest in another script (``▁\u0b85N``,
    Tamil letters), so that the English-only vocabulary has a realistic size. The language codes and
    ``<mask>`` keep their place after the pieces, with ids shifted accordingly."""
    path = folder / "tokenizer.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    vocab: dict[str, int] = spec["model"]["vocab"]
    added = [token for token in spec["added_tokens"] if token["content"] not in vocab]
    pieces = size - len(vocab) - len(added)
    latin = int(latin_share * size) - sum(1 for t in vocab if all(ord(c) < 0x250 for c in t.replace("▁", "")))
    latin = max(0, min(latin, pieces))
    for i in range(pieces):
        vocab[f"▁latin{i}" if i < latin else f"▁\u0b85{i}"] = len(vocab)
    for token in added:
        token["id"] = len(vocab) + added.index(token)
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")


def build_nllb(out: Path, latin_share: float = LATIN_SHARE) -> None:
    """NLLB-600M architecture (M2M100) with the tiny NLLB tokenizer padded to its 256,206 pieces."""
    import torch
    from tiny_models import build_tiny_translator
    from transformers import AutoTokenizer, M2M100Config, M2M100ForConditionalGeneration

    build_tiny_translator(out, max_position_embeddings=ARCHITECTURES["nllb-600m"]["max_position_embeddings"])
    pad_nllb_tokenizer(out, ARCHITECTURES["nllb-600m"]["vocab_size"], latin_share)
    tokenizer = AutoTokenizer.from_pretrained(out)
    if len(tokenizer) != ARCHITECTURES["nllb-600m"]["vocab_size"]:
        raise RuntimeError(f"padded tokenizer has {len(tokenizer)} pieces, not {ARCHITECTURES['nllb-600m']['vocab_size']}")
    config = M2M100Config.from_pretrained(out)
    config.update({**ARCHITECTURES["nllb-600m"], "init_std": INIT_STD})
    torch.manual_seed(0)
    M2M100ForConditionalGeneration(config).eval().save_pretrained(out, safe_serialization=True)


def build_distilbart(out: Path) -> None:
    """distilbart-cnn-12-6 architecture and generation settings, the tiny BPE tokenizer padded to 50264."""
    import torch
    from tiny_models import build_tiny_summarizer
    from transformers import BartConfig, BartForConditionalGeneration, GenerationConfig

    build_tiny_summarizer(out, max_position_embeddings=ARCHITECTURES["distilbart-cnn"]["max_position_embeddings"])
    tokenizer_file = out / "tokenizer.json"
    spec = json.loads(tokenizer_file.read_text(encoding="utf-8"))
    spec["model"]["vocab"] = _pad_vocab(spec["model"]["vocab"], ARCHITECTURES["distilbart-cnn"]["vocab_size"])
    tokenizer_file.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    config = BartConfig.from_pretrained(out)
    config.update({**ARCHITECTURES["distilbart-cnn"], "init_std": INIT_STD})
    torch.manual_seed(0)
    model = BartForConditionalGeneration(config).eval()
    model.generation_config = GenerationConfig(**DISTILBART_GENERATION, bos_token_id=0, eos_token_id=2,
                                               pad_token_id=1, decoder_start_token_id=2)
    model.save_pretrained(out, safe_serialization=True)


def build_hplt(out: Path) -> None:
    """HPLT hi-en's architecture (Marian transformer-base, one vocabulary of 64,001 pieces shared by both
    sides, ``<pad>`` last) reading Hindi with the tiny NLLB tokenizer's SentencePiece model, so that a
    sentence is as many tokens for it as for the NLLB bench model (see the module docstring)."""
    import sentencepiece as spm
    import torch
    from tiny_models import _seed_lines, _train_spm
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out.mkdir(parents=True, exist_ok=True)
    size = ARCHITECTURES["hplt"]["vocab_size"]
    shared = _train_spm(_seed_lines(), 1000, "bpe", unk_id=0, bos_id=1, eos_id=2, pad_id=-1)  # the NLLB bench's
    for name in ("source.spm", "target.spm"):
        (out / name).write_bytes(shared)
    processor = spm.SentencePieceProcessor(model_proto=shared)
    vocab = {"</s>": 0, "<unk>": 1}
    for index in range(processor.get_piece_size()):
        vocab.setdefault(processor.id_to_piece(index), len(vocab))
    vocab["<pad>"] = len(vocab)
    vocab = _pad_vocab(vocab, size, keep_last="<pad>")
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer(source_spm=str(out / "source.spm"), target_spm=str(out / "target.spm"),
                                vocab=str(out / "vocab.json"), source_lang="hi", target_lang="en",
                                model_max_length=ARCHITECTURES["hplt"]["max_position_embeddings"])
    tokenizer.save_pretrained(out)
    pad = size - 1
    config = MarianConfig(**ARCHITECTURES["hplt"], pad_token_id=pad, decoder_start_token_id=pad, eos_token_id=0,
                          forced_eos_token_id=0, bad_words_ids=[[pad]], num_beams=4, max_length=512,
                          scale_embedding=True, share_encoder_decoder_embeddings=True, init_std=INIT_STD)
    torch.manual_seed(0)
    MarianMTModel(config).eval().save_pretrained(out, safe_serialization=True)


BUILDERS: dict[str, Callable[[Path], None]] = {"hplt": build_hplt, "nllb-600m": build_nllb, "distilbart-cnn": build_distilbart}
#: The default translator of `hindi-brief run`, and the one it replaced.
DEFAULT, NLLB = "hplt", "nllb-600m"


def build_models(work: Path, names: list[str], latin_share: float = LATIN_SHARE) -> dict[str, float]:
    """Build (once) and convert to int8 (once) each named model under ``work``; seconds spent per step."""
    from translate.store.convert import convert

    spent: dict[str, float] = {}
    for name in names:
        folder = work / name
        marker = folder / "bench-architecture.json"  # written last: a build that was cut off is redone
        wanted = {**ARCHITECTURES[name], "latin_share": latin_share} if name == "nllb-600m" else ARCHITECTURES[name]
        if not marker.is_file() or json.loads(marker.read_text()) != wanted:
            started = time.perf_counter()
            shutil.rmtree(folder, ignore_errors=True)
            if name == "nllb-600m":
                build_nllb(folder, latin_share)
            else:
                BUILDERS[name](folder)
            marker.write_text(json.dumps(wanted))
            spent[f"build {name}"] = time.perf_counter() - started
        started = time.perf_counter()
        convert(folder, "int8")
        spent[f"convert {name}"] = time.perf_counter() - started
    return spent


# -- the sentences ---------------------------------------------------------------------------------


def seed_sentences() -> list[str]:
    """Every sentence of the seed articles (title first), cleaned and split as the pipeline does."""
    from translate.article import load_article

    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        article = load_article(path)
        sentences += [article.title] + [s for _, s in article.sentences()]
    return [s for s in sentences if s.strip()]


def spread(items: list[str], lengths: list[int], count: int) -> list[str]:
    """``count`` items at evenly spaced quantiles of ``items`` sorted by length, in input order.

    Quantile midpoints ((k + 0.5) / count), so a small sample has about the mean length of the whole.
    """
    if count >= len(items):
        return list(items)
    order = sorted(range(len(items)), key=lambda i: (lengths[i], i))
    picked = {order[int((k + 0.5) * len(order) / count)] for k in range(count)}
    return [items[i] for i in sorted(picked)]


# -- the measurements, each in its own process -------------------------------------------------------


def _set_threads(threads: int) -> None:
    import torch

    torch.set_num_threads(threads)


def measure_naive(folder: str, sentences: list[str], beams: int, threads: int, device: str = "cpu") -> dict[str, Any]:
    """The baseline: plain transformers ``generate``, one sentence at a time, float32."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    _set_threads(threads)
    started = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForSeq2SeqLM.from_pretrained(folder).eval().to(device)
    load = time.perf_counter() - started
    kwargs: dict[str, Any] = {}
    if model.config.model_type == "m2m_100":
        tokenizer.src_lang = "hin_Deva"
        kwargs["forced_bos_token_id"] = tokenizer.convert_tokens_to_ids("eng_Latn")
    new_tokens = source_tokens = 0
    started = time.perf_counter()
    with torch.inference_mode():
        for sentence in sentences:
            inputs = tokenizer(sentence, return_tensors="pt").to(device)
            length = forced_length(inputs["input_ids"].shape[1])
            model.generate(**inputs, num_beams=beams, do_sample=False, min_new_tokens=length, max_new_tokens=length, **kwargs)
            new_tokens += length
            source_tokens += inputs["input_ids"].shape[1]
    seconds = time.perf_counter() - started
    return {"sps": len(sentences) / seconds, "seconds": seconds, "sentences": len(sentences), "load_seconds": load,
            "mean_new_tokens": new_tokens / len(sentences), "mean_source_tokens": source_tokens / len(sentences),
            "peak_rss_mb": peak_rss_mb()}


def measure_backend(backend: str, work: str, translator_name: str, sentences: list[str], beams: int, threads: int,
                    max_batch_tokens: int, load_summarizer: bool, vocabulary: str = "auto",
                    device: str = "cpu") -> dict[str, Any]:
    """Our Translator on ``backend``: load time (with the summarizer's when ``load_summarizer``),
    sentences/s, peak RSS. (Whole articles are measured through the CLI: :func:`measure_paths`.)

    On CTranslate2 the sentences go through an empty translation cache, then again: the second pass
    is the cache's speed-up.
    """
    from translate.engines.cache import TranslationCache
    from translate.engines.summarizer import Summarizer
    from translate.engines.translator import Translator

    _set_threads(threads)
    options = dict(device=device, beams=beams, backend=backend, max_batch_tokens=max_batch_tokens,
                   intra_threads=threads, vocabulary=vocabulary)
    started = time.perf_counter()
    translator = Translator.from_pretrained(str(Path(work) / translator_name), cache=False, **options)
    translator.warm_up()
    load = time.perf_counter() - started
    lengths = translator.backend.forced_new_tokens = BatchLengths()
    result: dict[str, Any] = {"load_seconds_translator": load, "model_info": translator.model_info}

    with tempfile.TemporaryDirectory() as tmp:
        cached = Translator(translator.backend, translator.model_info, cache=TranslationCache(Path(tmp) / "c.sqlite3"))
        before = translator.backend.translated_count
        started = time.perf_counter()
        cached.translate(sentences)
        seconds = time.perf_counter() - started
        result.update(sps=len(sentences) / seconds, seconds=seconds, sentences=len(sentences),
                      model_sentences=translator.backend.translated_count - before,
                      mean_new_tokens=lengths.new_tokens / len(sentences))
        started = time.perf_counter()
        cached.translate(sentences)
        result["cache_seconds"] = time.perf_counter() - started
        result["cache_model_sentences"] = translator.backend.translated_count - before - result["model_sentences"]

    if load_summarizer:
        started = time.perf_counter()
        Summarizer.from_pretrained(str(Path(work) / "distilbart-cnn"), device=device, beams=beams,
                                   backend=backend, intra_threads=threads, cache=False).warm_up()
        result["load_seconds"] = load + time.perf_counter() - started
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def make_store(work: Path) -> Path:
    """A model store holding the benchmark models as the default presets, as `models pull` leaves them
    (safetensors, the CTranslate2 int8 copy beside, NLLB's vocabulary map in it)."""
    store = work / "store"
    store.mkdir(exist_ok=True)
    for name in (DEFAULT, NLLB, "distilbart-cnn"):
        link = store / name
        if (work / name).is_dir() and not link.is_symlink():
            link.symlink_to(work / name, target_is_directory=True)
    return store


def run_cli(store: Path, cache: Path, arguments: list[str], threads: int) -> dict[str, Any]:
    """``hindi-brief`` in its own process, timed from the outside (process start included), with the
    output lengths forced (bench/forced_cli.py); its peak RSS and CTranslate2 model loads."""
    import subprocess

    report = cache.parent / f"report-{time.monotonic_ns()}.json"
    env = {**os.environ, "HINDI_BRIEF_MODELS": str(store), "HINDI_BRIEF_CACHE": str(cache),
           "OMP_NUM_THREADS": str(threads), "HF_HUB_OFFLINE": "1"}
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "forced_cli.py"), str(report), *arguments],
                          env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"hindi-brief {' '.join(arguments)} failed: {proc.stderr[-2000:]}")
    return {"seconds": seconds, **json.loads(report.read_text())}


def measure_paths(work: Path, beams: int, threads: int, device: str = "cpu") -> dict[str, Any]:
    """Seed 000 through `hindi-brief run` with no model options (the default path: hplt on CTranslate2
    int8), with ``--translator nllb-600m`` (NLLB's default path, English vocabulary) and with
    ``--backend transformers``, interleaved; then the seeds into a new folder twice with one cache: the
    rerun's speed-up, process start included."""
    store = make_store(work)
    seed = str(next(SEEDS.glob(f"{ARTICLE_SEED}_*.txt")))
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="hindi-brief-bench-run-") as tmp:
        tmp_path = Path(tmp)
        common = ["--beams", str(beams), "--threads", str(threads), "--device", device, "-q"]
        for name, extra in (("default", []), ("nllb", ["--translator", NLLB]),
                            ("transformers", ["--backend", "transformers"])):
            print(f"  seed {ARTICLE_SEED} through `hindi-brief run` ({name}) ...", flush=True)
            figures[name] = run_cli(store, tmp_path / f"cache-{name}.sqlite3",
                                    ["run", seed, "-o", str(tmp_path / f"out-{name}"), "--no-cache", *common + extra],
                                    threads)
        print("  the seeds, then again into a new folder with the same cache ...", flush=True)
        cache = tmp_path / "cache-rerun.sqlite3"
        first = run_cli(store, cache, ["run", str(SEEDS), "-o", str(tmp_path / "first"), *common], threads)
        again = run_cli(store, cache, ["run", str(SEEDS), "-o", str(tmp_path / "again"), *common], threads)
        identical = all((tmp_path / "first" / p.name).read_bytes() == p.read_bytes()
                        for p in (tmp_path / "again").glob("*.json"))
        figures["rerun"] = {"first_seconds": first["seconds"], "again_seconds": again["seconds"],
                            "again_models_loaded": again["ct2_models_loaded"], "identical_outputs": identical}
    return figures


def measure_load(work: str, translator: str, threads: int, device: str = "cpu") -> dict[str, Any]:
    """Seconds to load ``translator`` and the summarizer (CTranslate2 int8), as a run of that path does."""
    from translate.engines.summarizer import Summarizer
    from translate.engines.translator import Translator

    _set_threads(threads)
    started = time.perf_counter()
    Translator.from_pretrained(str(Path(work) / translator), device=device, cache=False, intra_threads=threads).warm_up()
    Summarizer.from_pretrained(str(Path(work) / "distilbart-cnn"), device=device, cache=False,
                               intra_threads=threads).warm_up()
    return {"load_seconds": time.perf_counter() - started, "peak_rss_mb": peak_rss_mb()}


def in_child(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run ``function(*args)`` in a fresh process (own load time, own peak RSS, no state shared)."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(function, args)


# -- the report ------------------------------------------------------------------------------------


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Every measurement, in one run; returns the figures (the JSON keys of the module docstring)."""
    from transformers import AutoTokenizer

    from translate.store.registry import load_registry

    names = [DEFAULT, NLLB, "distilbart-cnn"]
    print(f"models in {work} (random weights, registry architectures); building/converting once ...", flush=True)
    spent = in_child(build_models, work, names, args.latin_share)
    for step, seconds in spent.items():
        print(f"  {step}: {seconds:.0f} s")

    tokenizers = {name: AutoTokenizer.from_pretrained(work / name) for name in (DEFAULT, NLLB)}
    tokenizers[NLLB].src_lang = "hin_Deva"
    everything = seed_sentences()
    lengths = [len(ids) for ids in tokenizers[NLLB](everything)["input_ids"]]
    sentences = spread(everything, lengths, args.sentences)
    naive_sentences = spread(everything, lengths, args.naive_sentences)

    def mean(name: str, items: list[str]) -> float:
        return sum(len(tokenizers[name](s)["input_ids"]) for s in items) / len(items)

    print(f"{len(sentences)} of the seeds' {len(everything)} sentences (mean source tokens: {DEFAULT} "
          f"{mean(DEFAULT, sentences):.1f}, {NLLB} {mean(NLLB, sentences):.1f} with its language tag); naive baselines on "
          f"{len(naive_sentences)} of them spread over the lengths; beam {args.beams}, {args.threads} threads, outputs "
          f"forced to {OUTPUT_RATIO}x the source length", flush=True)

    on_device = functools.partial  # every measurement gets --device as a keyword
    naive, torch_runs = {}, {}
    for name in (DEFAULT, NLLB):
        print(f"naive transformers on {name}, one sentence at a time ...", flush=True)
        naive[name] = in_child(on_device(measure_naive, device=args.device), str(work / name), naive_sentences,
                               args.beams, args.threads)
        print(f"  {naive[name]['sps']:.3f} sentences/s")
    for name in (DEFAULT, NLLB):
        print(f"our transformers backend on {name} ...", flush=True)
        torch_runs[name] = in_child(on_device(measure_backend, device=args.device), "transformers", str(work), name,
                                    sentences, args.beams, args.threads, args.max_batch_tokens, name == DEFAULT)
        print(f"  {torch_runs[name]['sps']:.3f} sentences/s")
    # The ratios that matter most, on CTranslate2 int8: interleaved (A B C A B C ...) and repeated,
    # medians reported, as the machine is shared and noisy.
    contenders = {"default": (DEFAULT, "auto"), "nllb": (NLLB, "auto"), "nllb_full": (NLLB, "full")}
    runs: dict[str, list[dict[str, Any]]] = {key: [] for key in contenders}
    for round_ in range(args.repeat):
        for key, (name, vocabulary) in contenders.items():
            print(f"our CTranslate2 int8 backend, {name}{' (full vocabulary)' if vocabulary == 'full' else ''} "
                  f"(round {round_ + 1} of {args.repeat}) ...", flush=True)
            runs[key].append(in_child(on_device(measure_backend, device=args.device), "ctranslate2", str(work), name,
                                      sentences, args.beams, args.threads, args.max_batch_tokens, False, vocabulary))
            print(f"  {runs[key][-1]['sps']:.3f} sentences/s")
    ct2_run, nllb_run, full_run = (median_run(runs[key]) for key in contenders)
    print("whole articles through `hindi-brief run` ...", flush=True)
    paths = measure_paths(work, args.beams, args.threads, args.device)
    load = in_child(on_device(measure_load, device=args.device), str(work), DEFAULT, args.threads)
    load_nllb = in_child(on_device(measure_load, device=args.device), str(work), NLLB, args.threads)
    registry = load_registry()

    return {
        "naive_sps": naive[DEFAULT]["sps"],
        "naive_nllb_sps": naive[NLLB]["sps"],
        "transformers_sps": torch_runs[DEFAULT]["sps"],
        "transformers_nllb_sps": torch_runs[NLLB]["sps"],
        "ct2_int8_sps": ct2_run["sps"],
        "default_sps": ct2_run["sps"],
        "nllb_default_sps": nllb_run["sps"],
        "nllb_full_vocab_sps": full_run["sps"],
        "default_sps_runs": [r["sps"] for r in runs["default"]],
        "nllb_default_sps_runs": [r["sps"] for r in runs["nllb"]],
        "nllb_full_vocab_sps_runs": [r["sps"] for r in runs["nllb_full"]],
        "nllb_english_vs_full_vocab": nllb_run["sps"] / full_run["sps"],
        "transformers_vs_naive": torch_runs[DEFAULT]["sps"] / naive[DEFAULT]["sps"],
        "ct2_vs_naive": ct2_run["sps"] / naive[DEFAULT]["sps"],
        "nllb_default_vs_naive_nllb": nllb_run["sps"] / naive[NLLB]["sps"],
        "default_vs_nllb_default": ct2_run["sps"] / nllb_run["sps"],
        "default_vs_naive_nllb": ct2_run["sps"] / naive[NLLB]["sps"],
        "article_seconds_ct2": paths["default"]["seconds"],
        "article_seconds_nllb": paths["nllb"]["seconds"],
        "article_seconds_transformers": paths["transformers"]["seconds"],
        "load_seconds": load["load_seconds"],
        "load_seconds_nllb": load_nllb["load_seconds"],
        "load_seconds_transformers": torch_runs[DEFAULT]["load_seconds"],
        "peak_rss_mb": paths["default"]["peak_rss_mb"],
        "peak_rss_mb_nllb": paths["nllb"]["peak_rss_mb"],
        "peak_rss_mb_transformers": paths["transformers"]["peak_rss_mb"],
        "peak_rss_mb_models_loaded": load["peak_rss_mb"],
        "peak_rss_mb_models_loaded_nllb": load_nllb["peak_rss_mb"],
        "download_mb": {"default": registry[DEFAULT].size_mb + registry["distilbart-cnn"].size_mb,
                        DEFAULT: registry[DEFAULT].size_mb, NLLB: registry[NLLB].size_mb,
                        "distilbart-cnn": registry["distilbart-cnn"].size_mb},
        "cache_speedup": ct2_run["seconds"] / ct2_run["cache_seconds"],
        "cache_model_sentences": ct2_run["cache_model_sentences"],
        "cached_rerun_speedup": paths["rerun"]["first_seconds"] / paths["rerun"]["again_seconds"],
        "cached_rerun": paths["rerun"],
        "nllb_english_vocabulary": nllb_run["model_info"].get("vocabulary"),
        "latin_share_assumed": args.latin_share,
        "mean_source_tokens": {DEFAULT: mean(DEFAULT, sentences), NLLB: mean(NLLB, sentences)},
        "mean_new_tokens": {"naive": naive[DEFAULT]["mean_new_tokens"], "naive_nllb": naive[NLLB]["mean_new_tokens"],
                            "transformers": torch_runs[DEFAULT]["mean_new_tokens"],
                            "transformers_nllb": torch_runs[NLLB]["mean_new_tokens"],
                            "ct2_int8": ct2_run["mean_new_tokens"], "ct2_int8_nllb": nllb_run["mean_new_tokens"],
                            "ct2_int8_nllb_full_vocab": full_run["mean_new_tokens"]},
        "repeat": args.repeat,
        "sentences": len(sentences),
        "naive_sentences": len(naive_sentences),
        "beams": args.beams,
        "threads": args.threads,
        "device": args.device,
        "max_batch_tokens": args.max_batch_tokens,
        "output_ratio": OUTPUT_RATIO,
        "machine": f"{platform.machine()} {platform.processor() or platform.platform()}, {os.cpu_count()} CPUs",
    }


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median sentences/s (the lower middle one for an even count)."""
    ordered = sorted(runs, key=lambda run: run["sps"])
    return ordered[(len(ordered) - 1) // 2]


def print_table(f: dict[str, Any]) -> None:
    """The figures as a table on standard output."""
    rows = [
        (f"naive transformers on {NLLB} (generate, 1 sentence at a time)", f["naive_nllb_sps"], "naive_nllb"),
        (f"naive transformers on {DEFAULT}", f["naive_sps"], "naive"),
        (f"our transformers backend, {NLLB} (batched, English vocabulary)", f["transformers_nllb_sps"], "transformers_nllb"),
        (f"our transformers backend, {DEFAULT}", f["transformers_sps"], "transformers"),
        (f"our CTranslate2 int8, {NLLB}, full vocabulary", f["nllb_full_vocab_sps"], "ct2_int8_nllb_full_vocab"),
        (f"our CTranslate2 int8, {NLLB}, English vocabulary (its default path)", f["nllb_default_sps"], "ct2_int8_nllb"),
        (f"our CTranslate2 int8, {DEFAULT} (THE DEFAULT PATH)", f["default_sps"], "ct2_int8"),
    ]
    print(f"\nbeam {f['beams']}, {f['threads']} threads, {f['sentences']} sentences ({f['naive_sentences']} for the naive "
          f"baselines), mean source tokens {f['mean_source_tokens'][DEFAULT]:.1f} ({DEFAULT}) / "
          f"{f['mean_source_tokens'][NLLB]:.1f} ({NLLB}); {f['machine']}; device {f.get('device', 'cpu')}")
    print(f"{'':72} {'sentences/s':>12} {'vs naive NLLB':>14} {'tokens out/sentence':>20}")
    for name, sps, key in rows:
        print(f"{name:72} {sps:12.3f} {sps / f['naive_nllb_sps']:13.1f}x {f['mean_new_tokens'][key]:20.1f}")
    print(f"default path vs {NLLB}'s default path: {f['default_vs_nllb_default']:.2f}x (medians of {f['repeat']} interleaved "
          f"runs each: {', '.join(f'{x:.3f}' for x in f['default_sps_runs'])} vs "
          f"{', '.join(f'{x:.3f}' for x in f['nllb_default_sps_runs'])} sentences/s); vs the naive {NLLB} loop "
          f"{f['default_vs_naive_nllb']:.1f}x; vs its own naive loop {f['ct2_vs_naive']:.1f}x")
    print(f"{NLLB}: English vocabulary vs full {f['nllb_english_vs_full_vocab']:.2f}x (full: "
          f"{', '.join(f'{x:.3f}' for x in f['nllb_full_vocab_sps_runs'])}); {f['nllb_english_vocabulary']} of 256,206, "
          f"Latin share assumed {f['latin_share_assumed']}")
    print(f"whole article through `hindi-brief run` (seed {ARTICLE_SEED}: translation + brief with distilbart-cnn, beam "
          f"{f['beams']}, process start included): default path {f['article_seconds_ct2']:.1f} s, --translator {NLLB} "
          f"{f['article_seconds_nllb']:.1f} s, --backend transformers {f['article_seconds_transformers']:.1f} s")
    print(f"peak RSS of those runs: default {f['peak_rss_mb']:.0f} MB, {NLLB} {f['peak_rss_mb_nllb']:.0f} MB, transformers "
          f"{f['peak_rss_mb_transformers']:.0f} MB (both models loaded, nothing run: default "
          f"{f['peak_rss_mb_models_loaded']:.0f} MB, {NLLB} {f['peak_rss_mb_models_loaded_nllb']:.0f} MB)")
    print(f"model load (translator + summarizer, CTranslate2 int8): default {f['load_seconds']:.1f} s, {NLLB} "
          f"{f['load_seconds_nllb']:.1f} s; transformers {f['load_seconds_transformers']:.1f} s")
    d = f["download_mb"]
    print(f"download (the real repositories, registry sizes): default {d['default']:,} MB ({DEFAULT} {d[DEFAULT]:,} + "
          f"distilbart-cnn {d['distilbart-cnn']:,}); {NLLB} {d[NLLB]:,} MB")
    print(f"translation cache: second pass {f['cache_speedup']:.0f}x faster than the first "
          f"({f['cache_model_sentences']} sentences reached the model)")
    r = f["cached_rerun"]
    print(f"cached rerun of the seeds into a new folder: {r['first_seconds']:.1f} s, then {r['again_seconds']:.1f} s "
          f"({f['cached_rerun_speedup']:.1f}x, process start included; models loaded on the rerun: "
          f"{r['again_models_loaded']}; outputs identical: {r['identical_outputs']})")


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no weight-loading bars in the table
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="short run: 8 sentences, 2 for the naive baselines, one round")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    parser.add_argument("--work-dir", metavar="DIR", type=Path,
                        help="build the random models here and keep them for the next run (default: a temporary "
                             "folder, removed at the end; the models take ~4.5 GB and minutes to build)")
    parser.add_argument("--beams", type=int, default=4, metavar="N", help="beam size (default: 4, the presets' default)")
    parser.add_argument("--threads", type=int, default=None, metavar="N",
                        help="CPU threads for torch and CTranslate2 alike (default: every core this process may use)")
    parser.add_argument("--sentences", type=int, default=None, metavar="N", help="sentences to time (default: 40, quick 8)")
    parser.add_argument("--naive-sentences", type=int, default=None, metavar="N",
                        help="sentences for the slow naive baseline (default: 6, quick 2)")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"),
                        help="where every contender runs (default: cpu); cuda gives the GPU figures: torch in "
                             "float32, CTranslate2 on the int8 copy (peak RSS is then host memory only)")
    parser.add_argument("--max-batch-tokens", type=int, default=4096, metavar="N",
                        help="token budget of a batch, as `hindi-brief run` uses it (default: 4096)")
    parser.add_argument("--repeat", type=int, default=None, metavar="N",
                        help="interleaved runs of the CTranslate2 contenders, medians reported (default: 3, quick 1)")
    parser.add_argument("--latin-share", type=float, default=LATIN_SHARE, metavar="F",
                        help=f"share of NLLB's pieces taken as Latin script in the random model's vocabulary "
                             f"(default: {LATIN_SHARE}; see LATIN_SHARE)")
    args = parser.parse_args(argv)
    from translate.backends.ct2 import default_threads

    args.threads = args.threads or default_threads()
    args.sentences = args.sentences or (8 if args.quick else 40)
    args.naive_sentences = args.naive_sentences or (2 if args.quick else 6)
    args.repeat = args.repeat or (1 if args.quick else 3)
    if args.work_dir:
        args.work_dir.mkdir(parents=True, exist_ok=True)
        figures = run(args, args.work_dir)
    else:
        with tempfile.TemporaryDirectory(prefix="hindi-brief-bench-") as tmp:
            figures = run(args, Path(tmp))
    print_table(figures)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What a brief costs, and what it would cost made otherwise: distilbart-cnn-12-6 on the whole
translation (today), its input capped to the lead, the smaller distilbart-cnn-12-3 and -6-6, and beam 2,
side by side on CTranslate2 int8 with random weights of the real architectures.

    .venv/bin/python bench/brief.py [--work-dir /tmp/benchwork] [--repeat 5] [--json FILE]

Random weights cannot say which brief is better; the published CNN/DailyMail scores of the model cards
do (sshleifer/distilbart-cnn-12-6's table, ROUGE-2 / ROUGE-L): 12-6 21.26 / 30.59, 12-3 20.57 / 30.00,
6-6 20.17 / 29.70 (models/README.md). Lead capping and beam 2 have no published figure. The input is
real English news of a seed article's length (a CNN/DailyMail article of the shared sample, cut to
about 700 BART tokens, what seed 000's 19 translated sentences come to); every brief is forced to a
60-word brief's 84 tokens, as in bench/speed.py. The contenders run interleaved, ``--repeat`` rounds,
each in a fresh process after a warm-up call; medians reported, and the translation of seed 000 on the
default path beside them for scale (bench/README.md).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

SAMPLE = REPO.parent / "shared" / "data" / "summarization" / "cnn_dailymail-sample.csv"
#: Published CNN/DailyMail ROUGE-2 of each architecture (the distilbart-cnn-12-6 model card's table).
ROUGE2 = {"distilbart-cnn": 21.26, "distilbart-cnn-12-3": 20.57, "distilbart-cnn-6-6": 20.17}
#: Layers (encoder, decoder) of each, the rest as distilbart-cnn-12-6.
LAYERS = {"distilbart-cnn": (12, 6), "distilbart-cnn-12-3": (12, 3), "distilbart-cnn-6-6": (6, 6)}
INPUT_TOKENS = 700
LEAD_TOKENS = 350
#: contender -> (model, beams, input token cap)
CONTENDERS = {
    "12-6, whole text, beam 4 (today)": ("distilbart-cnn", 4, None),
    "12-6, the lead only (first 350 tokens), beam 4": ("distilbart-cnn", 4, LEAD_TOKENS),
    "12-6, whole text, beam 2": ("distilbart-cnn", 2, None),
    "12-3, whole text, beam 4": ("distilbart-cnn-12-3", 4, None),
    "6-6, whole text, beam 4": ("distilbart-cnn-6-6", 4, None),
}


def build(work: Path, name: str) -> Path:
    """distilbart-cnn-12-6's random bench model (bench/speed.py), or a copy with fewer layers."""
    import speed

    speed.build_models(work, ["distilbart-cnn"])
    if name == "distilbart-cnn":
        return work / name
    folder = work / name
    marker = folder / "bench-layers.json"
    if not marker.is_file():
        import shutil

        import torch
        from transformers import BartConfig, BartForConditionalGeneration

        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(work / "distilbart-cnn", folder, ignore=shutil.ignore_patterns("ct2-*", "*.safetensors"))
        config = BartConfig.from_pretrained(folder)
        config.encoder_layers, config.decoder_layers = LAYERS[name]
        torch.manual_seed(0)
        BartForConditionalGeneration(config).eval().save_pretrained(folder, safe_serialization=True)
        marker.write_text(json.dumps(LAYERS[name]))
    from translate.store.convert import convert

    convert(folder, "int8")
    return folder


def news_text(tokens: int) -> list[str]:
    """Sentences of the first sample article long enough, up to ``tokens`` BART tokens (about)."""
    from translate.article import split_sentences

    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            sentences = split_sentences(row["article"])
            if sum(len(s.split()) for s in sentences) * 1.3 >= tokens:
                break
    kept, total = [], 0
    for sentence in sentences:
        if total + len(sentence.split()) * 1.3 > tokens:
            break
        kept.append(sentence)
        total += len(sentence.split()) * 1.3
    return kept


def measure(folder: str, beams: int, cap: int | None, sentences: list[str], threads: int) -> dict[str, Any]:
    """One brief of ``sentences`` (capped to ``cap`` tokens) with the model in ``folder``, after a warm-up."""
    from translate.backends.base import Seq2SeqSummarizationBackend
    from translate.engines.summarizer import TOKENS_PER_WORD, Summarizer

    Seq2SeqSummarizationBackend.forced_new_tokens = staticmethod(lambda lengths: math.ceil(60 * TOKENS_PER_WORD))
    summarizer = Summarizer.from_pretrained(folder, beams=beams, cache=False, device="cpu", intra_threads=threads)
    if cap is not None:
        kept, total = [], 0
        for sentence in sentences:
            count = summarizer.backend.count_tokens([sentence])[0]
            if kept and total + count > cap:
                break
            kept.append(sentence)
            total += count
        sentences = kept
    tokens = summarizer.backend.count_tokens([" ".join(sentences)])[0]
    summarizer.summarize(" ".join(sentences[:3]), words=10)  # warm-up: the model loaded, one call made
    started = time.perf_counter()
    summarizer.summarize(" ".join(sentences), words=60, sentences=sentences)
    return {"seconds": time.perf_counter() - started, "input_tokens": tokens}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/benchwork"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    import speed

    from translate.backends.ct2 import default_threads

    threads = args.threads or default_threads()
    args.work_dir.mkdir(parents=True, exist_ok=True)
    folders = {name: str(speed.in_child(_build_path, args.work_dir, name)) for name in LAYERS}
    sentences = news_text(INPUT_TOKENS)
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in CONTENDERS}
    for round_ in range(args.repeat):
        for name, (model, beams, cap) in CONTENDERS.items():
            runs[name].append(speed.in_child(measure, folders[model], beams, cap, sentences, threads))
        print(f"round {round_ + 1} of {args.repeat}: " + ", ".join(f"{r[-1]['seconds']:.2f}" for r in runs.values()),
              flush=True)
    today = statistics.median(r["seconds"] for r in runs[next(iter(CONTENDERS))])
    figures = {}
    print(f"\none 60-word brief of {len(sentences)} news sentences, CTranslate2 int8, {threads} threads, medians of "
          f"{args.repeat}:")
    print(f"{'':52} {'seconds':>8} {'vs today':>9} {'input tokens':>13} {'ROUGE-2 (card)':>15}")
    for name, (model, beams, cap) in CONTENDERS.items():
        seconds = statistics.median(r["seconds"] for r in runs[name])
        rouge = ROUGE2[model] if cap is None and beams == 4 else None
        figures[name] = {"seconds": seconds, "speedup": today / seconds, "runs": [r["seconds"] for r in runs[name]],
                         "input_tokens": runs[name][0]["input_tokens"], "rouge2": rouge}
        print(f"{name:52} {seconds:8.2f} {today / seconds:8.2f}x {runs[name][0]['input_tokens']:13d} "
              f"{rouge if rouge is not None else 'not published':>15}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


def _build_path(work: Path, name: str) -> str:
    return str(build(work, name))


if __name__ == "__main__":
    sys.exit(main())

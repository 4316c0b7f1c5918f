"""Scores in the numbers the field publishes: BLEU and chrF++ (sacrebleu), optional COMET, ROUGE.

Translation (a test set of aligned lines)::

    srcs = read_lines("flores200-devtest.hin_Deva")
    refs = read_lines("flores200-devtest.eng_Latn")
    hyps = translate_file(Translator.from_pretrained("nllb-600m"), srcs, Path("nllb.hyp.txt"))
    scores = score_translation(hyps, refs)        # {"bleu": {...}, "chrf": {...}, ...}
    comet = score_comet(srcs, hyps, refs)          # {"score": None, "skipped": "..."} without COMET

Summaries (records of article + reference summary)::

    texts, refs = read_records("cnn_dailymail-sample.csv", "article", "highlights", limit=20)
    briefs = summarize_records(Summarizer.from_pretrained("extractive"), texts)
    scores = score_summaries(briefs, refs)         # ROUGE-1/2/L/Lsum F1 x100, brief lengths
    share = faithfulness(briefs, texts)            # share of briefs that pass translate.faithful.checks

Everything here is plain data in and out; ``hindi-brief eval`` (translate/cli/eval.py) is a
thin layer that prints and saves what these functions return. Nothing here imports torch: scoring
an existing hypothesis file never loads a model.
"""

from __future__ import annotations

import csv
import json
import statistics
from collections import Counter
from itertools import islice
from pathlib import Path
from typing import Any, Sequence

from .errors import UsageError

DEFAULT_COMET_MODEL = "Unbabel/wmt22-comet-da"
# rougeLsum is the summary-level LCS over newline-separated sentences: what CNN/DailyMail model
# cards (distilbart-cnn, bart-large-cnn) report as "ROUGE-L".
ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
# Sentences per Translator.translate call when translating a test set: big enough for the
# Translator's length-sorted batching to fill its batches, small enough for a progress bar.
TRANSLATE_CHUNK = 128


# --------------------------------------------------------------------------- reading and writing
def read_lines(path: str | Path, limit: int | None = None) -> list[str]:
    """The first ``limit`` lines (all when None) of a UTF-8 text file, read as sacrebleu's CLI reads.

    Like ``sacrebleu REF -i HYP``: ``\\n`` ends a line, trailing whitespace is stripped, and a
    ``.gz`` file is decompressed (sacrebleu's own ``smart_open``), so the scores are identical.
    A missing or undecodable file is a UsageError naming the file.
    """
    from sacrebleu.utils import smart_open

    path = str(path)
    try:
        with smart_open(path) as handle:
            return [line.rstrip() for line in islice(handle, limit)]
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder, expected a text file with one segment per line") from None
    except (UnicodeDecodeError, OSError, EOFError) as exc:
        raise UsageError(f"{path}: cannot read as UTF-8 text ({exc})") from None


def check_aligned(files: dict[str, Sequence[str]], limit: int | None = None) -> int:
    """The common line count of ``{file name: lines}``; UsageError naming each file and its count."""
    counts = {name: len(lines) for name, lines in files.items()}
    if len(set(counts.values())) > 1:
        listed = ", ".join(f"{name} has {count}" for name, count in counts.items())
        within = f" (after --limit {limit})" if limit is not None else ""
        raise UsageError(f"line counts differ{within}: {listed}; the files must be line-aligned")
    (count,) = set(counts.values()) or {0}
    if count == 0:
        raise UsageError(f"no segments to score in {', '.join(counts)}")
    return count


def one_line(text: str) -> str:
    """``text`` as one line of a hypothesis file: line breaks become spaces, trailing space goes.

    Hypotheses are scored exactly as they are written, so scoring the saved file later with
    ``--hyp`` (or with sacrebleu) gives the same numbers.
    """
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ").rstrip()


def write_lines(path: Path, lines: Sequence[str]) -> None:
    """Write one segment per line (UTF-8, ``\\n``), creating the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(one_line(line) + "\n" for line in lines), encoding="utf-8", newline="\n")


def read_records(path: str | Path, text_col: str = "article", ref_col: str = "highlights", *,
                 limit: int | None = None) -> tuple[list[str], list[str]]:
    """(texts, references) from the first ``limit`` records of a CSV (header row) or JSONL file.

    The format follows the suffix: ``.csv`` via the csv module, ``.jsonl``/``.json`` (one JSON
    object per line) via json. A missing column is a UsageError naming the columns found; a
    record with an empty text or reference is a UsageError naming the record.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl", ".json"):
        raise UsageError(f"{path}: unknown data format '{suffix}'; expected .csv or .jsonl")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            if suffix == ".csv":
                reader = csv.DictReader(handle)
                columns = list(reader.fieldnames or [])
                rows = list(islice(reader, limit))
            else:
                rows = list(islice(_jsonl_rows(path, handle), limit))
                columns = list(dict.fromkeys(key for row in rows for key in row))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder, expected a .csv or .jsonl file") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"{path}: cannot read ({exc})") from None
    for column in (text_col, ref_col):
        if column not in columns:
            found = ", ".join(f"'{c}'" for c in columns) or "none"
            raise UsageError(f"{path}: no column '{column}'; columns found: {found}")
    if not rows:
        raise UsageError(f"{path}: no records")
    texts, refs = [], []
    for number, row in enumerate(rows, 1):
        text, ref = row.get(text_col), row.get(ref_col)
        for column, value in ((text_col, text), (ref_col, ref)):
            if not isinstance(value, str) or not value.strip():
                raise UsageError(f"{path}: record {number} has no text in column '{column}'")
        texts.append(text)
        refs.append(ref)
    return texts, refs


def _jsonl_rows(path: Path, handle) -> Any:
    for number, line in enumerate(handle, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}: line {number} is not valid JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise UsageError(f"{path}: line {number} is not a JSON object")
        yield row


# --------------------------------------------------------------------------- translation
def translate_file(translator: Any, sources: Sequence[str], out: Path, *, progress: bool = False) -> list[str]:
    """Translate aligned source lines with ``translator`` and write the hypotheses to ``out``.

    Goes through ``translator.translate`` (the same Translator, batching and cache as
    ``hindi-brief run``), in chunks of TRANSLATE_CHUNK lines for the progress bar. Returns the
    hypotheses as written (one line each, see ``one_line``), in source order.
    """
    from tqdm import tqdm

    hyps: list[str] = []
    with tqdm(total=len(sources), unit="sentence", desc="translating", disable=not progress) as bar:
        for start in range(0, len(sources), TRANSLATE_CHUNK):
            chunk = list(sources[start:start + TRANSLATE_CHUNK])
            hyps += [one_line(h) for h in translator.translate(chunk)]
            bar.update(len(chunk))
    write_lines(out, hyps)
    return hyps


def score_translation(hyps: Sequence[str], refs: Sequence[str], *, width: int = 1) -> dict[str, Any]:
    """Corpus BLEU and chrF++ (sacrebleu ``BLEU()`` and ``CHRF(word_order=2)``, one reference).

    Returns ``{"segments": n, "bleu": {...}, "chrf": {...}}``; each metric has ``name``,
    ``score`` (full precision), ``signature`` and ``report``: sacrebleu's own one-line text
    report at ``width`` decimals (what ``sacrebleu -f text -w WIDTH`` prints). BLEU adds its
    n-gram ``precisions``, brevity penalty ``bp``, ``ratio``, ``hyp_len`` and ``ref_len``.
    """
    from sacrebleu.metrics import BLEU, CHRF

    check_aligned({"hypotheses": hyps, "references": refs})
    hyps, refs = [one_line(h) for h in hyps], list(refs)
    out: dict[str, Any] = {"segments": len(hyps)}
    for key, metric in (("bleu", BLEU()), ("chrf", CHRF(word_order=2))):
        score = metric.corpus_score(hyps, [refs])
        signature = str(metric.get_signature())
        out[key] = {"name": score.name, "score": score.score, "signature": signature,
                    "report": score.format(width=width, signature=signature)}
        if key == "bleu":
            out[key].update(precisions=score.precisions, bp=score.bp, ratio=score.ratio,
                            hyp_len=score.sys_len, ref_len=score.ref_len)
    return out


def score_comet(sources: Sequence[str], hyps: Sequence[str], refs: Sequence[str], *,
                model: str = DEFAULT_COMET_MODEL, batch_size: int = 16) -> dict[str, Any]:
    """COMET system score with the optional ``unbabel-comet`` package, or why it was skipped.

    ``model`` is a hub id already in the local Hugging Face cache or a ``model.ckpt`` path; this
    never downloads (COMET models are GBs: fetch one first with ``huggingface-cli download``).
    Returns ``{"score": float | None, "model": model, "skipped": None | reason}``; never raises:
    COMET is an optional extra and must not fail an evaluation whose BLEU/chrF++ are computed.
    """
    try:
        import comet
    except ImportError:
        return {"score": None, "model": model, "skipped": "unbabel-comet not installed"}
    try:
        checkpoint = model if Path(model).is_file() else comet.download_model(model, local_files_only=True)
        scorer = comet.load_from_checkpoint(checkpoint)
    except Exception as exc:  # any failure of the optional package or its files means "skipped"
        return {"score": None, "model": model,
                "skipped": f"COMET model {model} not available locally ({type(exc).__name__}: {exc})"}
    from .backends.transformers import resolve_device

    data = [{"src": s, "mt": h, "ref": r} for s, h, r in zip(sources, hyps, refs)]
    try:
        prediction = scorer.predict(data, batch_size=batch_size, gpus=1 if resolve_device("auto") == "cuda" else 0,
                                    progress_bar=False)
    except Exception as exc:  # as above: report, do not fail the run
        return {"score": None, "model": model, "skipped": f"COMET failed ({type(exc).__name__}: {exc})"}
    return {"score": float(prediction.system_score), "model": model, "skipped": None}


# --------------------------------------------------------------------------- summaries
def summarize_records(summarizer: Any, texts: Sequence[str], *, words: int = 60,
                      progress: bool = False) -> list[str]:
    """One brief of about ``words`` words per text, through ``summarizer.summarize``."""
    from tqdm import tqdm

    return [summarizer.summarize(text, words=words)
            for text in tqdm(texts, unit="record", desc="summarizing", disable=not progress)]


def score_summaries(briefs: Sequence[str], refs: Sequence[str]) -> dict[str, Any]:
    """ROUGE-1/2/L/Lsum and brief lengths.

    ROUGE with Google's rouge-score (``RougeScorer(ROUGE_TYPES, use_stemmer=True)``): the F1 of
    each brief against its reference, averaged over records and scaled to 0-100 as papers report
    it. For ROUGE-Lsum both texts are put one sentence a line with translate.article.segment's splitter
    (ROUGE-1/2/L ignore line breaks). Returns ``{"records": n, "rouge1": ..., "rouge2": ...,
    "rougeL": ..., "rougeLsum": ..., "words": {"mean", "median", "min", "max"} of the briefs,
    "reference_words": mean words of the references}``.
    """
    from rouge_score import rouge_scorer

    from .article.segment import split_sentences

    check_aligned({"briefs": briefs, "references": refs})
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    per_record = [scorer.score("\n".join(split_sentences(ref)), "\n".join(split_sentences(brief)))
                  for brief, ref in zip(briefs, refs)]
    out: dict[str, Any] = {"records": len(briefs)}
    for kind in ROUGE_TYPES:
        out[kind] = 100 * statistics.fmean(scores[kind].fmeasure for scores in per_record)
    lengths = [len(brief.split()) for brief in briefs]
    out["words"] = {"mean": statistics.fmean(lengths), "median": statistics.median(lengths),
                    "min": min(lengths), "max": max(lengths)}
    out["reference_words"] = statistics.fmean(len(ref.split()) for ref in refs)
    return out


def faithfulness(briefs: Sequence[str], sources: Sequence[str]) -> dict[str, Any]:
    """Share of briefs that pass ``translate.faithful.checks.check_brief`` against their source text.

    Returns ``{"checked": n, "passed": k, "share": k / n, "warnings": {code: count}}``.
    """
    from .faithful.checks import check_brief

    passed, codes = 0, Counter()
    for brief, source in zip(briefs, sources, strict=True):
        warnings = check_brief(brief, source)
        passed += not warnings
        codes.update(w.code for w in warnings)
    return {"checked": len(briefs), "passed": passed, "share": passed / len(briefs) if briefs else 0.0,
            "warnings": dict(sorted(codes.items()))}

"""`hindi-brief eval`: score a translator (BLEU, chrF++, COMET) or a summarizer (ROUGE, faithfulness).

A thin layer over translate.evaluate: parse options, call the library, print a table and the
sacrebleu signatures, write ``--json OUT`` (and the hypotheses or briefs beside it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from .. import evaluate
from ..errors import EXIT_OK, UsageError
from ..options import BRIEF_WORDS_RANGE, DEFAULT_BRIEF_WORDS
from .common import at_least, within

_positive = at_least(1)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "eval",
        help="score a translator (BLEU, chrF++, COMET) or a summarizer (ROUGE) on test sets",
        description="Score a translation model on a line-aligned test set (BLEU and chrF++ with sacrebleu, "
                    "COMET when unbabel-comet and its model are installed), or a summarizer on reference "
                    "summaries (ROUGE-1/2/L with rouge-score, brief lengths, faithfulness check).",
    )
    tasks = parser.add_subparsers(dest="eval_task", metavar="TASK")
    tasks.required = True
    _register_translation(tasks)
    _register_summary(tasks)


def _register_translation(tasks: argparse._SubParsersAction) -> None:
    p = tasks.add_parser(
        "translation",
        help="BLEU and chrF++ (sacrebleu), plus COMET when available",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Score Hindi-to-English translations against references, one segment per line.\n"
                    "--hyp scores an existing hypothesis file (no model is loaded); --translator\n"
                    "translates --src first. BLEU and chrF++ equal sacrebleu's command line:\n"
                    "  sacrebleu REF -i HYP -m bleu chrf --chrf-word-order 2",
        epilog="example:\n"
               "  hindi-brief eval translation \\\n"
               "    --src ../shared/data/hi-en/flores200-devtest.hin_Deva \\\n"
               "    --ref ../shared/data/hi-en/flores200-devtest.eng_Latn \\\n"
               "    --translator nllb-600m --json eval/nllb-600m.flores.json",
    )
    p.add_argument("--src", required=True, metavar="FILE", help="source (Hindi) segments, one per line")
    p.add_argument("--ref", required=True, metavar="FILE", help="reference (English) translations, aligned with --src")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--hyp", metavar="FILE", help="hypothesis translations to score, aligned with --src; loads no model")
    which.add_argument("--translator", metavar="X",
                       help="translate --src with this model first: a preset (see `hindi-brief models list`), a hub id "
                            "or a local folder")
    p.add_argument("--limit", type=_positive, metavar="N", help="use only the first N lines of each file")
    p.add_argument("--json", metavar="OUT",
                   help="write the scores as JSON to OUT. With --translator the hypotheses are saved beside it as "
                        "<OUT without .json>.hyp.txt; without --json they go to ./<src name>.<model name>.json and "
                        ".hyp.txt")
    p.add_argument("--width", type=at_least(0), default=1, metavar="N",
                   help="decimals printed for the scores, like sacrebleu's -w (default: 1; the JSON keeps full precision)")
    p.add_argument("--comet-model", default=evaluate.DEFAULT_COMET_MODEL, metavar="ID|CKPT",
                   help=f"COMET model: a hub id already downloaded to the Hugging Face cache, or a model.ckpt path "
                        f"(default: {evaluate.DEFAULT_COMET_MODEL}; never downloaded by eval)")
    p.add_argument("--no-comet", action="store_true", help="do not try COMET")
    _model_options(p, "translation")
    p.set_defaults(func=run_translation)


def _register_summary(tasks: argparse._SubParsersAction) -> None:
    from ..options import DEFAULT_SUMMARIZER

    p = tasks.add_parser(
        "summary",
        help="ROUGE-1/2/L/Lsum (rouge-score), brief lengths and faithfulness of a summarizer",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Summarize the articles of a CSV (header row) or JSONL file and score the briefs\n"
                    "against the reference summaries: ROUGE-1/2/L/Lsum F1 (rouge-score, stemming on,\n"
                    "mean over records, x100), brief length statistics, and the share of briefs that\n"
                    "pass the faithfulness check against their article.",
        epilog="example:\n"
               "  hindi-brief eval summary --summarizer extractive --limit 20 \\\n"
               "    --data ../shared/data/summarization/cnn_dailymail-sample.csv",
    )
    p.add_argument("--data", required=True, metavar="FILE", help="records as .csv (header row) or .jsonl (one object a line)")
    p.add_argument("--text-col", default="article", metavar="C", help="column holding the article (default: article)")
    p.add_argument("--ref-col", default="highlights", metavar="C",
                   help="column holding the reference summary (default: highlights)")
    p.add_argument("--summarizer", default=DEFAULT_SUMMARIZER, metavar="X",
                   help=f"a preset, a hub id, a local folder or 'extractive' (default: {DEFAULT_SUMMARIZER})")
    p.add_argument("--words", type=within(*BRIEF_WORDS_RANGE), default=DEFAULT_BRIEF_WORDS, metavar="N", help=f"brief length in words, about (default: {DEFAULT_BRIEF_WORDS})")
    p.add_argument("--limit", type=_positive, metavar="N", help="use only the first N records")
    p.add_argument("--json", metavar="OUT",
                   help="write the scores as JSON to OUT and the briefs, one a line, to <OUT without .json>.briefs.txt")
    _model_options(p, "summarization")
    p.set_defaults(func=run_summary)


def _model_options(p: argparse.ArgumentParser, task: str) -> None:
    group = p.add_argument_group("model loading")
    group.add_argument("--device", default="auto", help="torch device: auto (GPU when present), cpu, cuda ... (default: auto)")
    group.add_argument("--beams", type=_positive, default=4, metavar="N", help=f"beam size for {task} (default: 4)")
    group.add_argument("--trust-remote-code", action="store_true",
                       help="allow a model folder that needs its own Python code (no preset does)")
    group.add_argument("--allow-pickle", action="store_true", help="allow pickle (.bin) weights; default: safetensors only")
    group.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _progress(args: argparse.Namespace) -> bool:
    return not args.quiet and sys.stderr.isatty()


def _sibling(out: Path, suffix: str) -> Path:
    """``scores.json`` -> ``scores<suffix>`` in the same folder."""
    return out.with_name(out.stem + suffix) if out.suffix.lower() == ".json" else out.with_name(out.name + suffix)


def _check_writable(out: Path) -> None:
    """Fail before any model work when the scores could not be saved (a long run is never lost)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{out}: cannot create its folder: {exc.strerror or exc}") from None
    if not os.access(out.parent, os.W_OK) or out.is_dir():
        raise UsageError(f"{out}: cannot write the scores there")


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- translation
def run_translation(args: argparse.Namespace) -> int:
    srcs = evaluate.read_lines(args.src, args.limit)
    refs = evaluate.read_lines(args.ref, args.limit)
    files = {args.src: srcs, args.ref: refs}
    json_out = Path(args.json) if args.json else None
    translator_info = None
    if args.hyp:
        hyps = evaluate.read_lines(args.hyp, args.limit)
        evaluate.check_aligned({**files, args.hyp: hyps}, args.limit)
        hyp_path = Path(args.hyp)
    else:
        evaluate.check_aligned(files, args.limit)  # before a model load, not after
        json_out = json_out or Path(f"{Path(args.src).name}.{Path(args.translator).name}.json")
        _check_writable(json_out)
        from ..engines.translator import Translator

        translator = Translator.from_pretrained(args.translator, device=args.device, beams=args.beams,
                                                trust_remote_code=args.trust_remote_code,
                                                allow_pickle=args.allow_pickle)
        translator_info = dict(translator.model_info)
        hyp_path = _sibling(json_out, ".hyp.txt")
        hyps = evaluate.translate_file(translator, srcs, hyp_path, progress=_progress(args))
    scores = evaluate.score_translation(hyps, refs, width=args.width)
    comet = ({"score": None, "model": args.comet_model, "skipped": "--no-comet given"} if args.no_comet
             else evaluate.score_comet(srcs, hyps, refs, model=args.comet_model))

    w = args.width
    print(f"{scores['segments']} segments{f' (--limit {args.limit})' if args.limit else ''}")
    print(f"  src  {args.src}\n  ref  {args.ref}\n  hyp  {hyp_path}")
    if translator_info:
        revision = translator_info.get("revision")
        print(f"  model {translator_info.get('id')} ({translator_info.get('backend')}"
              + (f", revision {revision})" if revision else ")"))
    rows = [(scores["bleu"]["name"], f"{scores['bleu']['score']:.{w}f}"),
            (scores["chrf"]["name"], f"{scores['chrf']['score']:.{w}f}"),
            ("COMET", f"{comet['score']:.4f}" if comet["score"] is not None else "-")]
    for name, value in rows:
        print(f"{name:<8} {value:>8}")
    print("sacrebleu:")
    print(f"  {scores['bleu']['report']}\n  {scores['chrf']['report']}")
    if comet["score"] is None:
        print(f"COMET skipped: {comet['skipped']}")
    else:
        print(f"COMET model: {comet['model']}")

    if json_out:
        _write_json(json_out, {
            "task": "translation", "src": args.src, "ref": args.ref, "hyp": str(hyp_path), "limit": args.limit,
            "translator": translator_info, **scores,
            "comet": comet["score"], "comet_model": comet["model"], "comet_skipped": comet["skipped"],
        })
        print(f"scores written to {json_out}" + (f", hypotheses to {hyp_path}" if not args.hyp else ""))
    return EXIT_OK


# --------------------------------------------------------------------------- summaries
def run_summary(args: argparse.Namespace) -> int:
    texts, refs = evaluate.read_records(args.data, args.text_col, args.ref_col, limit=args.limit)
    if args.json:
        _check_writable(Path(args.json))
    from ..engines.summarizer import Summarizer

    summarizer = Summarizer.from_pretrained(args.summarizer, device=args.device, beams=args.beams,
                                            trust_remote_code=args.trust_remote_code, allow_pickle=args.allow_pickle)
    briefs = evaluate.summarize_records(summarizer, texts, words=args.words, progress=_progress(args))
    scores = evaluate.score_summaries(briefs, refs)
    faithful = evaluate.faithfulness(briefs, texts)

    print(f"{scores['records']} records from {args.data} (summarizer: {args.summarizer}, about {args.words} words)")
    for name, key in (("ROUGE-1", "rouge1"), ("ROUGE-2", "rouge2"), ("ROUGE-L", "rougeL"), ("ROUGE-Lsum", "rougeLsum")):
        print(f"{name:<10} {scores[key]:>6.2f}")
    print("  (rouge-score, stemming on, F1 mean over records x100; ROUGE-Lsum over one sentence a line,\n"
          "   the figure CNN/DailyMail model cards call ROUGE-L)")
    words = scores["words"]
    print(f"brief length (words): mean {words['mean']:.1f}, median {words['median']:g}, min {words['min']}, "
          f"max {words['max']}; references: mean {scores['reference_words']:.1f}")
    print(f"faithfulness: {faithful['passed']} of {faithful['checked']} briefs pass the check "
          f"({100 * faithful['share']:.1f}%)"
          + (f"; warnings: {', '.join(f'{c} {n}' for c, n in faithful['warnings'].items())}"
             if faithful["warnings"] else ""))

    if args.json:
        json_out = Path(args.json)
        briefs_path = _sibling(json_out, ".briefs.txt")
        evaluate.write_lines(briefs_path, briefs)
        _write_json(json_out, {
            "task": "summary", "data": args.data, "text_col": args.text_col, "ref_col": args.ref_col,
            "limit": args.limit, "words_asked": args.words, "summarizer": dict(summarizer.model_info),
            **scores, "faithfulness": faithful, "briefs": str(briefs_path),
        })
        print(f"scores written to {json_out}, briefs to {briefs_path}")
    return EXIT_OK

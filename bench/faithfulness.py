"""Fault injection (issue 14): how many of the faults a translation model is known to make the checks
detect, how many the self-healing repairs, and how often honest output is flagged.

Two sources of sentences:

* **seeds**: the five seed articles go through the whole pipeline (cleaning, glossary, checks,
  healing, name consistency) with a lying stub translator per fault (``tests/faults.py``) that
  injects its fault into ``--rate`` of the sentences where it applies. Asked for alternatives, the
  liar offers an honest one in half of the cases among its other beam hypotheses (n-best); otherwise
  a loop is honest under the repetition-safe search and a dropped clause comes back clause by
  clause, while a name fault has no honest alternative at all. "repaired" counts sentences whose
  final English is the honest stub's; "when possible" divides by the faults that had an honest
  alternative.
* **FLORES-200 devtest**: the 1,012 human references stand for an honest model. Each fault is
  injected into every reference where it applies (a dropped clause: the English after its last
  comma or "and" cut off) and the checks run on the pair (Hindi, faulty English), as the pipeline
  runs them. A false alarm is a serious warning (one that would trigger a retranslation) on the
  untouched reference.

Run: ``.venv/bin/python bench/faithfulness.py`` (about a minute; ``--runs N`` repeats the seed part
with other random choices). Figures: bench/README.md.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from faults import FAULTS, NAME_FAULTS, Liar, inject  # noqa: E402
from stubs import HonestSummarizer, HonestTranslator  # noqa: E402

from translate.faithful.checks import check_segment  # noqa: E402
from translate.faithful.glossary import Glossary  # noqa: E402
from translate.faithful.healing import serious  # noqa: E402
from translate.faithful.names import check_names  # noqa: E402
from translate.pipeline import Pipeline  # noqa: E402

SEEDS = sorted((REPO / "seeds").glob("*.txt"))
FLORES = REPO.parent / "shared" / "data" / "hi-en" / "flores200-devtest"
NATURAL = {"loop": "no-repeat", "clause-dropped": "clauses"}


def chooser(fault: str):
    """Where the liar's honest alternative is: among the n-best half the time, else where a real
    model would find it (none for a name fault)."""
    return lambda rng: "n-best" if rng.random() < 0.5 else NATURAL.get(fault)


def pipeline(translator) -> Pipeline:
    return Pipeline(translator, HonestSummarizer(), extractive=HonestSummarizer())


def seeds_part(rate: float, runs: int) -> dict[str, Counter]:
    honest = {seed: pipeline(HonestTranslator())(seed) for seed in SEEDS}
    table = {fault: Counter() for fault in FAULTS}
    for run in range(runs):
        for fault in FAULTS:
            liar = Liar(fault, rate, seed=run, honest_in=chooser(fault))
            pipe = pipeline(liar)
            for seed in SEEDS:
                result = pipe(seed)
                title, *inputs = [item.text for item in pipe.preprocess(seed).items]
                repaired = {r["segment"] for r in result.repairs}
                flagged = {w["segment"] for w in result.warnings}
                pairs = [(None, title, result.title, honest[seed].title)]
                pairs += [(i, text, seg.en, truth.en)
                          for i, (text, seg, truth) in enumerate(zip(inputs, result.segments, honest[seed].segments))]
                row = table[fault]
                for index, text, got, truth in pairs:
                    if text not in liar.faulty:
                        row["honest"] += 1
                        row["honest changed"] += got != truth
                        continue
                    row["injected"] += 1
                    row["detected"] += index in repaired or index in flagged
                    row["repaired"] += got == truth
                    if liar.fixable[text] is not None:
                        row["fixable"] += 1
                        row["fixable repaired"] += got == truth
    return table


def drop_last_clause(english: str) -> str | None:
    """The English without its last clause (after the last comma, semicolon or "and"), or None."""
    cuts = [m.start() for m in re.finditer(r",|;| and ", english)]
    if not cuts or cuts[-1] < len(english) // 4:
        return None
    return english[:cuts[-1]].rstrip() + "."


def flores_part() -> dict[str, Counter]:
    glossary = Glossary.load()
    hindi = (FLORES.with_suffix(".hin_Deva")).read_text(encoding="utf-8").splitlines()
    english = (FLORES.with_suffix(".eng_Latn")).read_text(encoding="utf-8").splitlines()

    def problems(index: int, hi: str, en: str) -> list[str]:
        return serious(check_segment(index, hi, en, glossary) + check_names(index, hi, en, glossary))

    table = {fault: Counter() for fault in FAULTS}
    honest_flags = Counter()
    for index, (hi, en) in enumerate(zip(hindi, english)):
        found = problems(index, hi, en)
        honest_flags["sentences"] += 1
        honest_flags["flagged"] += bool(found)
        honest_flags["name flagged"] += any(code in ("name-missing", "acronym-missing") for code in found)
        for code in set(found):
            honest_flags[code] += 1
        for fault in FAULTS:
            rng = random.Random(f"{fault}-{index}")
            if fault == "clause-dropped":
                faulty = drop_last_clause(en)
            else:
                faulty = inject(fault, hi, en, rng, lambda text: text)
            if faulty is None or faulty == en:
                continue
            table[fault]["injected"] += 1
            table[fault]["detected"] += bool(problems(index, hi, faulty))
    for fault in FAULTS:
        table[fault]["honest"] = honest_flags["sentences"]
        table[fault]["false alarms"] = honest_flags["flagged"]
    table["_codes"] = honest_flags
    return table


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=0.3, help="share of the seed sentences a liar lies about (default 0.3)")
    parser.add_argument("--runs", type=int, default=3, help="seed-part repetitions with other random choices (default 3)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    seeds = seeds_part(args.rate, args.runs)
    print(f"seeds through the pipeline ({args.runs} runs, {args.rate:.0%} of applicable sentences faulted):")
    print(f"  {'fault':16} {'injected':>8} {'detected':>15} {'repaired':>15} {'when possible':>21} {'honest changed':>15}")
    for fault in FAULTS:
        row = seeds[fault]
        print(f"  {fault:16} {row['injected']:8} {row['detected']:8} {percent(row['detected'], row['injected'])}"
              f" {row['repaired']:8} {percent(row['repaired'], row['injected'])}"
              f" {row['fixable repaired']:6}/{row['fixable']:<6} {percent(row['fixable repaired'], row['fixable'])}"
              f" {row['honest changed']:8}/{row['honest']}")
    names = [seeds[f] for f in NAME_FAULTS]
    injected, detected = sum(r["injected"] for r in names), sum(r["detected"] for r in names)
    print(f"  name faults detected: {detected} of {injected} ({percent(detected, injected).strip()})")

    if not FLORES.with_suffix(".hin_Deva").exists():
        print(f"FLORES-200 devtest not found under {FLORES.parent}: FLORES part skipped")
        return 0
    flores = flores_part()
    codes = flores.pop("_codes")
    print("FLORES-200 devtest references (honest) with each fault injected where it applies:")
    print(f"  {'fault':16} {'injected':>8} {'detected':>15}")
    for fault in FAULTS:
        row = flores[fault]
        print(f"  {fault:16} {row['injected']:8} {row['detected']:8} {percent(row['detected'], row['injected'])}")
    names = [flores[f] for f in NAME_FAULTS]
    injected, detected = sum(r["injected"] for r in names), sum(r["detected"] for r in names)
    print(f"  name faults detected: {detected} of {injected} ({percent(detected, injected).strip()})")
    totals = ("sentences", "flagged", "name flagged")
    by_code = ", ".join(f"{code} {count}" for code, count in codes.most_common() if code not in totals)
    print(f"  false alarms of the name checks on the references: {codes['name flagged']} of {codes['sentences']} "
          f"({percent(codes['name flagged'], codes['sentences']).strip()})")
    print(f"  references with any serious warning: {codes['flagged']} ({percent(codes['flagged'], codes['sentences']).strip()}): "
          f"{by_code}")
    print("  (glossary-missed: the references were not written with this glossary, whose renderings the pipeline "
          "puts into the model's input)")
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

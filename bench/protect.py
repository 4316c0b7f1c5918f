"""Check-and-repair vs mask-and-restore for protected numbers, on the seed articles.

    python bench/protect.py [--rate 0.2] [--runs 20]

No real translation model runs here, so a stub plays the model: it transliterates each sentence
(tests/stubs.py's HonestTranslator) and damages the numbers of its input at ``--rate`` the ways
NMT models are seen to (a digit changed, the number dropped, a small number spelled out, Devanagari
digits written back, grouping commas added; only the first two are errors).

* check-and-repair (what translate.faithful.protect does): numbers stay in the model's input as ASCII digits;
  ``Protector.finish`` repairs what is unambiguous, ``check_segment`` names the rest.
* mask-and-restore: each number is replaced by a placeholder ``<k>`` the model must copy; the same
  damage hits the placeholder (dropped, or altered into something the restorer cannot read) and the
  restorer puts the source numbers back into the placeholders it finds.

Printed per approach: numbers damaged, repaired right, repaired wrong, named in a warning, silent
(wrong in the output and not named), and warnings on sentences whose numbers all came through.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from stubs import HonestTranslator  # noqa: E402

from translate.article.segment import split_sentences  # noqa: E402
from translate.faithful.checks import check_segment  # noqa: E402
from translate.faithful.glossary import Glossary  # noqa: E402
from translate.faithful.protect import Protector, find_spans, missing_numbers  # noqa: E402

NUMBER = re.compile(r"(?<![0-9])[0-9]+(?:[.,][0-9]+)*")
WORDS = "zero one two three four five six seven eight nine ten".split()
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
BENIGN = ("word", "devanagari", "grouping")


def damage(number: str, rng: random.Random) -> tuple[str, str]:
    """One way a model mangles a number: (new text, kind of damage)."""
    kind = rng.choice(["changed", "dropped", "word", "devanagari", "grouping"])
    if kind == "changed":
        return number[:-1] + str((int(number[-1]) + rng.randint(1, 8)) % 10), kind
    if kind == "dropped":
        return "", kind
    if kind == "word" and number.isdigit() and int(number) <= 10:
        return WORDS[int(number)], kind
    if kind == "grouping" and number.isdigit() and len(number) > 3:
        return f"{int(number):,}", kind
    if kind == "devanagari":
        return number.translate(DEVANAGARI), kind
    return number, "none"


def sentences() -> list[str]:
    return [s for path in sorted((REPO / "seeds").glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines() for s in split_sentences(line)]


def run(rate: float, runs: int) -> dict[str, Counter]:
    glossary, stub = Glossary.load(), HonestTranslator()
    protector = Protector(glossary)
    counts = {"check-and-repair": Counter(), "mask-and-restore": Counter()}
    work = [(s, protector.prepare(s)) for s in sentences()]
    work = [(s, p) for s, p in work if any(span.numbers for span in p.spans)]
    for seed in range(runs):
        rng = random.Random(seed)
        for source, prepared in work:
            numbers = NUMBER.findall(prepared.text)
            plan = [damage(n, rng) if rng.random() < rate else (n, "none") for n in numbers]
            errors = sum(kind in ("changed", "dropped") for _, kind in plan)
            # check-and-repair: the damaged numbers are in the model's output as text
            pieces = iter(plan)
            output = stub.translate_one(NUMBER.sub(lambda m: next(pieces)[0], prepared.text))
            english = protector.finish(prepared, output)
            changed = {new: old for old, (new, kind) in zip(numbers, plan) if kind == "changed"}
            right = sum(changed.get(r["detail"]["was"]) == r["detail"]["now"] for r in prepared.repairs)
            tally(counts["check-and-repair"], source, english, glossary, errors, right, len(prepared.repairs) - right)
            # mask-and-restore: the same damage hits the placeholders instead
            masked_plan = [("" if kind == "dropped" else f"<{i}>" if kind in BENIGN + ("none",) else f"< {i} >")
                           for i, (_, kind) in enumerate(plan)]
            counter = iter(range(len(numbers)))
            masked = NUMBER.sub(lambda m: f"<{next(counter)}>", prepared.text)
            slots = iter(masked_plan)
            output = stub.translate_one(re.sub(r"<\d+>", lambda m: next(slots), masked))
            restored = re.sub(r"<(\d+)>", lambda m: numbers[int(m.group(1))], output)
            tally(counts["mask-and-restore"], source, protector.finish(protector.prepare(source), restored), glossary, errors, 0, 0)
    return counts


def tally(count: Counter, source: str, english: str, glossary: Glossary, errors: int, right: int, wrong_repairs: int) -> None:
    """Add one sentence's outcome to ``count``."""
    spans = find_spans(source, glossary)
    wrong = {span.source for span, _ in missing_numbers(spans, english)}
    warnings = [w for w in check_segment(0, source, english, glossary) if w["code"].startswith("number-")]
    named = {w["detail"]["source"] for w in warnings}
    count["sentences"] += 1
    count["numbers damaged"] += errors
    count["repaired right"] += right
    count["repaired wrong"] += wrong_repairs
    count["named in a warning"] += len(wrong & named)
    count["silent (wrong, no warning)"] += len(wrong - named)
    count["false alarms (number right, warned)"] += len(named - wrong)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=0.2, help="share of numbers the stub model damages (default 0.2)")
    parser.add_argument("--runs", type=int, default=20, help="random runs over the seeds (default 20)")
    args = parser.parse_args()
    counts = run(args.rate, args.runs)
    keys = list(next(iter(counts.values())))
    print(f"{'':38}" + "".join(f"{name:>20}" for name in counts))
    for key in keys:
        print(f"{key:38}" + "".join(f"{c[key]:>20}" for c in counts.values()))


if __name__ == "__main__":
    main()

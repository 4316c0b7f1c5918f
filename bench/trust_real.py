"""Trust checks measured on real translations (issue 24): what every sentence check and the name checks
say about seven real systems' FLORES-200 devtest output and about the human reference.

    .venv/bin/python bench/trust_real.py [--json FILE] [--codes]

For each system (``../shared/data/hi-en/systems/``, their published BLEU in ``../shared/README.md``)
and for the human reference, every (Hindi, English) pair goes through the checks the pipeline runs
on a translated sentence (``check_segment`` and ``check_names`` with the default glossary), and the
bench prints, per system:

* ``flagged``: the share of sentences with any warning, and ``errors``: with an ``error``-severity one;
* ``chrF gap``: mean sentence chrF++ (sacrebleu, against the reference) of the passed sentences minus
  that of the flagged ones: how much worse a flagged sentence is. For the reference itself it is
  undefined (every sentence scores 100);
* ``name P/R``: precision and recall of ``name-missing`` against a proxy label made from the reference
  alone, independently of the Hindi-side name finder: a sentence is "name lost" when a capitalised
  word of the reference (not its first word, not a common English word by :mod:`wordfreq`, not a
  month or weekday) is absent from the system output, compared case-folded with a fuzzy match
  (:mod:`rapidfuzz`, 85) so that a spelling variant (Tirmizi / Tirmidhi) is not a loss;
* ``fair P/R``: the same against a fairer proxy: acronyms of three letters or more and names opening a
  quotation count too, and only the reference names that the Hindi holds (a like word in the
  romanized Hindi, by the same fuzzy test), so that a name the Hindi itself rendered by meaning or
  left out is not the system's loss; ``name-missing`` and ``acronym-missing`` are the prediction;
* ``number P/R``: the same for ``number-missing`` / ``number-changed`` against "a number of the
  reference (digits, compared by value) absent from the output";
* and whether the flag rate orders the systems as their BLEU does (Spearman's rho, and the order).

``--codes`` adds each code's count and chrF gap per system. The (Hindi, system English) pairs are
checked as they came from the system: the pipeline puts the glossary's renderings into the model's
input, so ``glossary-missed`` here is an upper bound of what ``run`` would report.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from translate.faithful.checks import check_segment  # noqa: E402
from translate.faithful.glossary import Glossary  # noqa: E402
from translate.faithful.names import check_names  # noqa: E402
from translate.faithful.protect import number_values  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "hi-en"
HINDI = DATA / "flores200-devtest.hin_Deva"
REFERENCE = DATA / "flores200-devtest.eng_Latn"
#: system file stem -> published BLEU (../shared/README.md)
SYSTEMS = {
    "google": 45.2, "microsoft": 43.1, "hplt-hi-en": 38.7, "nllb-600m": 37.7, "bergamot-tiny": 36.3,
    "argos": 27.9, "opus-mt-hi-en": 18.7,
}
TARGET_SYSTEMS = ("hplt-hi-en", "nllb-600m", "bergamot-tiny")
NAME_CODES = {"name-missing"}
ACRONYM_CODES = {"acronym-missing"}
NUMBER_CODES = {"number-missing", "number-changed"}
_CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z'’\-]+\b")
_CALENDAR = set("""January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday""".split())


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def reference_names(reference: str, *, acronyms: bool = False) -> list[str]:
    """Capitalised words of the reference that are names: not a sentence's first word, not a month or
    weekday, not an English word of some frequency (Zipf >= 3.5 in wordfreq: "The", "Government").

    The first proxy (``acronyms=False``) also skipped every all-capital word and every word after a
    quotation mark; the fair proxy counts acronyms of three letters or more ("CEP") and a name that
    opens a quotation inside a sentence (said “Luna was ...)."""
    from wordfreq import zipf_frequency

    words = []
    for match in _CAPITALISED.finditer(reference):
        word = re.sub(r"['’]s?$", "", match.group())
        before = reference[:match.start()].rstrip()
        opens = before[-1:] in '.!?:' if acronyms else before[-1:] in '.!?:"“'
        if acronyms and before[-1:] in '"“‘\'(':
            opens = before[:-1].rstrip()[-1:] in ".!?:" or not before[:-1].strip()
        if not before or opens or word in _CALENDAR or len(word) < 3:
            continue
        if word.isupper() and not acronyms:
            continue
        if not word.isupper() and zipf_frequency(word.lower(), "en") >= 3.5:
            continue
        words.append(word)
    return words


def _tokens(text: str) -> list[str]:
    tokens = [t.lower() for t in re.findall(r"[^\W\d_]+", text)]
    return tokens + [a + b for a, b in zip(tokens, tokens[1:])]


def _like(word: str, tokens: list[str]) -> bool:
    """A token the same case-folded, or with a fuzzy ratio (rapidfuzz) of 70 or more."""
    from rapidfuzz import fuzz

    key = re.sub(r"[^\w]", "", word.lower())
    return any(t == key or fuzz.ratio(t, key) >= 70 for t in tokens)


@functools.lru_cache(maxsize=4096)
def _hindi_tokens(hindi: str) -> tuple[str, ...]:
    """The Hindi sentence's words in Latin letters: romanized with and without schwa deletion, an
    acronym spelled in Devanagari read as its letters, Latin words as they are (and adjacent pairs)."""
    from translate.faithful.names import romanize, spell_letters

    words = re.findall(r"[\u0900-\u097f\u200c\u200d]+|[A-Za-z]+", hindi)
    out: list[str] = []
    for variant in (lambda w: romanize(w), lambda w: romanize(w, schwa_deletion=False),
                    lambda w: spell_letters(w) or romanize(w)):
        out += _tokens(" ".join(variant(w) for w in words))
    return tuple(out)


def lost_names(reference: str, output: str, hindi: str | None = None) -> list[str]:
    """The reference's names (see :func:`reference_names`) with no token of ``output`` like them: the
    same case-folded, or a fuzzy ratio (rapidfuzz) of 70 or more with a token or two adjacent tokens
    joined, so that a spelling variant (Brzezinski / Brezhinsky, Mohenjo-daro / Mohan-Jodaro) counts
    as kept.

    With ``hindi`` (the fair proxy), acronyms and quoted names count too, and only the names that the
    Hindi holds: a reference name with a like word in the romanized Hindi (the same test). A name the
    Hindi translator rendered by meaning or left out (Huhne written फोन "phone", "Crusaders" written
    धर्मयोद्धा) is not the system's loss."""
    tokens = _tokens(output)
    names = reference_names(reference, acronyms=hindi is not None)
    if hindi is not None:
        held = list(_hindi_tokens(hindi))
        names = [w for w in names if _like(w, held)]
    return [w for w in names if not _like(w, tokens)]


#: How a name the fair proxy counts lost came out (:func:`lost_kind`).
LOST_KINDS = ("respelled", "as a word", "no rendering")


def lost_kind(name: str, output: str, hindi: str) -> str:
    """What the system made of a reference name that :func:`lost_names` counts lost, judged from the
    Hindi word most like it (:func:`~translate.faithful.names.name_score`):

    * ``respelled``: the output has a word that renders that Hindi word by the Hindi-side matcher
      (:func:`~translate.faithful.names.find_word`): the system followed the Hindi's sounds and spelled
      the name otherwise ("Christopher" for क्रिस्टोफ़र, reference "Kristoffer"; "Zelienec" for जेलिनेक).
      From the Hindi alone such a spelling cannot be told from the right one;
    * ``as a word``: the Hindi word is common Hindi (wordfreq Zipf 3 or more: हीरा "diamond" for the
      cave Hira), translated by its meaning;
    * ``no rendering``: nothing of the output renders it: dropped, or translated as a rare word."""
    from translate.faithful.names import _DEVANAGARI_WORD, find_word, name_score, zipf

    words = _DEVANAGARI_WORD.findall(hindi)
    best = max(words, key=lambda w: name_score(w, name), default=None)
    if best is not None and find_word(best, output) is not None:
        return "respelled"
    if best is not None and zipf(best) >= 3.0:
        return "as a word"
    return "no rendering"


def name_lost(reference: str, output: str, hindi: str | None = None) -> bool:
    return bool(lost_names(reference, output, hindi))


def number_lost(reference: str, output: str) -> bool:
    digits = [m.group() for m in re.finditer(r"\d[\d,.]*\d|\d", reference)]
    if not digits:
        return False
    present = number_values(output)
    return any(not (number_values(d) & present) for d in digits if number_values(d))


@functools.lru_cache(maxsize=1)
def _chrf_plus_plus():
    from sacrebleu.metrics import CHRF

    return CHRF(word_order=2)


def chrf(output: str, reference: str) -> float:
    return _chrf_plus_plus().sentence_score(output, [reference]).score


def precision_recall(predicted: list[bool], actual: list[bool]) -> tuple[float, float]:
    tp = sum(p and a for p, a in zip(predicted, actual))
    return (tp / max(1, sum(predicted)), tp / max(1, sum(actual)))


def measure(name: str, hindi: list[str], output: list[str], reference: list[str], glossary: Glossary) -> dict:
    warned = [check_segment(i, hi, en, glossary) + check_names(i, hi, en, glossary)
              for i, (hi, en) in enumerate(zip(hindi, output))]
    human = name == "reference"
    scores = [100.0] * len(output) if human else [chrf(en, ref) for en, ref in zip(output, reference)]
    flagged = [bool(w) for w in warned]
    errors = [any(x.severity == "error" for x in w) for w in warned]

    def gap(marks: list[bool]) -> float | None:
        bad = [s for s, m in zip(scores, marks) if m]
        good = [s for s, m in zip(scores, marks) if not m]
        return None if human or not bad or not good else statistics.mean(good) - statistics.mean(bad)

    names_predicted = [any(x.code in NAME_CODES for x in w) for w in warned]
    numbers_predicted = [any(x.code in NUMBER_CODES for x in w) for w in warned]
    names_actual = [name_lost(ref, en) for ref, en in zip(reference, output)]
    fair_predicted = [any(x.code in NAME_CODES | ACRONYM_CODES for x in w) for w in warned]
    fair_lost = [lost_names(ref, en, hi) for ref, en, hi in zip(reference, output, hindi)]
    fair_actual = [bool(lost) for lost in fair_lost]
    numbers_actual = [number_lost(ref, en) for ref, en in zip(reference, output)]
    # Each sentence the fair proxy counts lost, by its least-kept lost name's kind, and how many of each were flagged.
    kinds: dict[str, list[int]] = {kind: [0, 0] for kind in LOST_KINDS}
    if not human:
        for lost, en, hi, predicted in zip(fair_lost, output, hindi, fair_predicted):
            if lost:
                kind = max((lost_kind(w, en, hi) for w in lost), key=LOST_KINDS.index)
                kinds[kind][0] += 1
                kinds[kind][1] += predicted
    codes: dict[str, dict] = {}
    for code, count in sorted(Counter(c for w in warned for c in {x.code for x in w}).items()):
        marks = [any(x.code == code for x in w) for w in warned]
        codes[code] = {"sentences": count, "chrf_gap": gap(marks)}
    n = len(output)
    return {
        "system": name, "sentences": n, "bleu": SYSTEMS.get(name),
        "flagged": sum(flagged) / n, "errors": sum(errors) / n,
        "chrf_gap": gap(flagged), "chrf_gap_errors": gap(errors),
        "chrf_mean": None if human else statistics.mean(scores),
        "name_precision_recall": precision_recall(names_predicted, names_actual),
        "name_lost_proxy": sum(names_actual),
        "name_fair_precision_recall": precision_recall(fair_predicted, fair_actual),
        "name_lost_fair_proxy": sum(fair_actual),
        "name_lost_kinds": kinds,
        "number_precision_recall": precision_recall(numbers_predicted, numbers_actual),
        "number_lost_proxy": sum(numbers_actual),
        "codes": codes,
    }


def spearman(a: list[float], b: list[float]) -> float:
    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=values.__getitem__)
        out = [0.0] * len(values)
        for rank, k in enumerate(order):
            out[k] = float(rank)
        return out

    ra, rb = ranks(a), ranks(b)
    n = len(a)
    return 1 - 6 * sum((x - y) ** 2 for x, y in zip(ra, rb)) / (n * (n * n - 1))


def fmt(value: float | None, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    parser.add_argument("--codes", action="store_true", help="print each warning code's figures per system")
    parser.add_argument("--lost", action="store_true",
                        help="print what the systems made of the names the fair proxy counts lost, and how many were flagged")
    args = parser.parse_args(argv)
    glossary = Glossary.load()
    hindi, reference = lines(HINDI), lines(REFERENCE)
    rows = [measure("reference", hindi, reference, reference, glossary)]
    for system in SYSTEMS:
        rows.append(measure(system, hindi, lines(DATA / "systems" / f"flores200-devtest.{system}.eng_Latn"),
                            reference, glossary))
    print(f"FLORES-200 devtest, {len(hindi)} sentences; every sentence check and the name checks, default glossary")
    print(f"{'system':<15}{'BLEU':>6}{'flagged':>9}{'errors':>8}{'chrF gap':>10}{'gap err':>9}"
          f"{'name P/R':>13}{'fair P/R':>13}{'number P/R':>13}")
    for row in rows:
        print(f"{row['system']:<15}{fmt(row['bleu']):>6}{row['flagged']:>9.1%}{row['errors']:>8.1%}"
              f"{fmt(row['chrf_gap']):>10}{fmt(row['chrf_gap_errors']):>9}"
              f"{'%.2f/%.2f' % tuple(row['name_precision_recall']):>13}"
              f"{'%.2f/%.2f' % tuple(row['name_fair_precision_recall']):>13}"
              f"{'%.2f/%.2f' % tuple(row['number_precision_recall']):>13}")
    systems = rows[1:]
    rho = spearman([-r["bleu"] for r in systems], [r["flagged"] for r in systems])
    by_flags = [r["system"] for r in sorted(systems, key=lambda r: r["flagged"])]
    print(f"flag rate order: {' < '.join(by_flags)}; BLEU order: {' > '.join(SYSTEMS)}; Spearman rho {rho:.2f}")
    if args.codes:
        for row in rows:
            print(f"  {row['system']}: " + ", ".join(
                f"{code} {c['sentences']} ({fmt(c['chrf_gap'])})" for code, c in row["codes"].items()))
    if args.lost:
        print("names the fair proxy counts lost, by what the output has (sentences, flagged among them; the "
              "sentence counted by its least-kept name):")
        for row in systems:
            print(f"  {row['system']:<15}{row['name_lost_fair_proxy']:>4} lost: " + ", ".join(
                f"{kind} {n} ({flagged} flagged)" for kind, (n, flagged) in row["name_lost_kinds"].items()))
    if args.json:
        Path(args.json).write_text(json.dumps({"systems": rows, "spearman_flags_bleu": rho, "order_by_flags": by_flags},
                                              indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

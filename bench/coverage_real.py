"""Issue 24, item 4: would a word aligner's unaligned source words tell a worse sentence apart better than
its length does? An experiment, not a check of the pipeline (eflomal is not a dependency):

    .venv/bin/pip install eflomal && .venv/bin/python bench/coverage_real.py      # about 90 s per setting

For each of the seven systems' FLORES-200 devtest outputs, eflomal (unsupervised, no model) aligns the
(Hindi, system English) pairs together with newstest2014's 2,507 human pairs; a Hindi content word
(Devanagari, wordfreq Zipf below FZ) is "unaligned" when it has no link (BOTH=1: no link in both
directions). Printed per system: ROC AUC of the unaligned share, of |log length ratio| (against the
reference's median) and of their sum for "chrF++ in the system's lowest fifth", and the chrF++ gap when
each flags its top 5%. Settings by environment: PL (prefix length for stemming, default 4), FZ (5.6),
BOTH, and CHUNK: align each run of CHUNK sentences alone, without newstest2014, as a pipeline with no
parallel corpus to ship would align one article (CHUNK=25: an article of 25 sentences).
"""
import math
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

import eflomal
from sacrebleu.metrics import CHRF
from wordfreq import zipf_frequency

D = Path(__file__).resolve().parents[2] / "shared" / "data" / "hi-en"
HINDI = (D / "flores200-devtest.hin_Deva").read_text(encoding="utf-8").splitlines()
REFERENCE = (D / "flores200-devtest.eng_Latn").read_text(encoding="utf-8").splitlines()
NEWS_HI = (D / "newstest2014.hi").read_text(encoding="utf-8").splitlines()
NEWS_EN = (D / "newstest2014.en").read_text(encoding="utf-8").splitlines()
HINDI_WORD = re.compile(r"[\u0900-\u0963\u0966-\u097F\w]+")
ENGLISH_WORD = re.compile(r"[A-Za-z0-9]+")
SYSTEMS = ["google", "microsoft", "hplt-hi-en", "nllb-600m", "bergamot-tiny", "argos", "opus-mt-hi-en"]
PREFIX = int(os.environ.get("PL", "4"))
FUNCTION_ZIPF = float(os.environ.get("FZ", "5.6"))
BOTH = bool(os.environ.get("BOTH"))
CHUNK = int(os.environ.get("CHUNK", "0"))


def hindi_words(text: str) -> list[str]:
    return HINDI_WORD.findall(text)


def english_words(text: str) -> list[str]:
    return [w.lower() for w in ENGLISH_WORD.findall(text)]


def is_content(word: str) -> bool:
    return bool(re.search(r"[\u0900-\u097F]", word)) and zipf_frequency(word, "hi") < FUNCTION_ZIPF


def align(sources: list[str], targets: list[str]) -> tuple[list[str], list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        fwd, rev = f"{tmp}/fwd", f"{tmp}/rev"
        aligner = eflomal.Aligner(source_prefix_len=PREFIX, target_prefix_len=PREFIX)
        aligner.align([" ".join(hindi_words(s)) + "\n" for s in sources],
                      [" ".join(english_words(t)) + "\n" for t in targets],
                      links_filename_fwd=fwd, links_filename_rev=rev, quiet=True)
        return Path(fwd).read_text().splitlines(), Path(rev).read_text().splitlines()


def auc(scores: list[float], labels: list[bool]) -> float:
    pos = [s for s, bad in zip(scores, labels) if bad]
    neg = [s for s, bad in zip(scores, labels) if not bad]
    return sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))


def gap(scores: list[float], chrfs: list[float], share: float = 0.05) -> float:
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    flagged = set(order[: int(len(scores) * share)])
    return (statistics.mean(c for i, c in enumerate(chrfs) if i not in flagged)
            - statistics.mean(chrfs[i] for i in flagged))


def sources_linked(line: str) -> set[int]:
    return {int(pair.split("-")[0]) for pair in line.split()}


def main() -> int:
    chrf = CHRF(word_order=2)
    ratio = statistics.median(len(r) / max(1, len(h)) for h, r in zip(HINDI, REFERENCE))
    print(f"PL={PREFIX} FZ={FUNCTION_ZIPF} BOTH={int(BOTH)} CHUNK={CHUNK}: AUC for 'chrF++ in the lowest fifth'; chrF++ gap at 5% flagged")
    for name in SYSTEMS:
        output = (D / "systems" / f"flores200-devtest.{name}.eng_Latn").read_text(encoding="utf-8").splitlines()
        if CHUNK:
            fwd, rev = [], []
            for start in range(0, len(HINDI), CHUNK):
                links = align(HINDI[start:start + CHUNK], output[start:start + CHUNK])
                fwd, rev = fwd + links[0], rev + links[1]
        else:
            fwd, rev = align(NEWS_HI + HINDI, NEWS_EN + output)
            fwd, rev = fwd[len(NEWS_HI):], rev[len(NEWS_HI):]
        unaligned, length, chrfs = [], [], []
        for k, (hindi, english) in enumerate(zip(HINDI, output)):
            linked = sources_linked(rev[k]) & sources_linked(fwd[k]) if BOTH else sources_linked(rev[k])
            content = [i for i, w in enumerate(hindi_words(hindi)) if is_content(w)]
            unaligned.append(sum(i not in linked for i in content) / max(1, len(content)))
            length.append(abs(math.log(max(1, len(english)) / max(1, len(hindi)) / ratio)))
            chrfs.append(chrf.sentence_score(english, [REFERENCE[k]]).score)
        cut = sorted(chrfs)[len(chrfs) // 5]
        low = [c <= cut for c in chrfs]
        both = [a + b for a, b in zip(unaligned, length)]
        print(f"{name:14s} AUC unaligned {auc(unaligned, low):.3f} length {auc(length, low):.3f} "
              f"sum {auc(both, low):.3f} | gap unaligned {gap(unaligned, chrfs):5.1f} "
              f"length {gap(length, chrfs):5.1f} sum {gap(both, chrfs):5.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Self-healing translation: a sentence whose translation fails a serious check is translated again,
and the best candidate kept; honest sentences are never touched.

Users would rather have no translation than a bad one (LibreTranslate#670); the failures that matter
most are loops, dropped sentences or clauses, changed numbers and lost names (fairseq#5108, #4639;
IndicTrans2#15, #50). :func:`heal` takes the sentences that failed, asks the translation engine for
alternatives in order of cost (``n-best``: the other hypotheses of the same search; ``no-repeat``: a
search that cannot loop; ``clauses``: the sentence translated clause by clause), scores every
candidate with the same checks as the original (plus the model's own score), and keeps the best. A
candidate replaces the original only when it has fewer serious problems; each attempt is recorded
(``Result.repairs``).

The checks are passed in as a function (``evaluate(index, raw output) -> (English, warnings)``: the
protector's digit fixes and number repairs, then every check) so that this module does not depend on
how the pipeline builds them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

from .warnings import ERROR, SEVERITIES, Warning

#: Warning codes that make a sentence worth translating again (a reader would be misled by it): the
#: issue's list, plus a glossary name (``glossary-missed``: the glossary's names are checked there, not
#: as ``name-missing``) and a URL, e-mail or handle (``span-missing``) left out, which are dropped
#: content too.
SERIOUS = frozenset({
    "repetition", "empty-translation", "number-missing", "number-changed", "name-missing", "acronym-missing",
    "glossary-missed", "span-missing", "devanagari-left", "length-ratio",
})
STRATEGIES = ("n-best", "no-repeat", "clauses")

#: ``evaluate(segment index, raw model output) -> (English, its warnings)``.
Evaluate = Callable[[int, str], tuple[str, list[Warning]]]


def serious(warnings: list[Warning]) -> list[str]:
    """The serious codes among ``warnings``, in order."""
    return [w.code for w in warnings if w.code in SERIOUS]


def confidence(score: float | None) -> float | None:
    """A model score (mean token log-probability) as a 0-1 confidence: its exponential, the mean
    per-token probability in the geometric sense, rounded to 3 decimals."""
    return None if score is None else round(math.exp(min(0.0, score)), 3)


@dataclass
class Attempt:
    how: str
    text: str
    problems: list[str]
    confidence: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"how": self.how, "text": self.text, "problems": self.problems, "confidence": self.confidence}


@dataclass
class Repair:
    """What was tried for one sentence, and whether its translation changed."""

    segment: int | None  # None: the headline
    before: str
    after: str
    problems_before: list[str]
    problems_after: list[str]
    tried: list[Attempt] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.after != self.before

    def to_dict(self) -> dict[str, Any]:
        return {"segment": self.segment, "changed": self.changed, "before": self.before, "after": self.after,
                "problems_before": self.problems_before, "problems_after": self.problems_after,
                "tried": [attempt.to_dict() for attempt in self.tried]}


@dataclass
class Healed:
    """The outcome for one sentence: its (possibly new) text, score, warnings and the repair record."""

    text: str
    score: float | None
    warnings: list[Warning]
    repair: Repair


def _severity(problems: list[str]) -> tuple[bool, int, int]:
    """How bad a translation is: an empty one first (the whole sentence is lost: anything the model
    wrote is better), then by its number of ``error``-severity problems (unambiguous: a number
    changed, a loop), then by its number of serious problems of any severity. So a candidate that
    trades an error for a mere ``check`` (a name rendered unrecognisably) wins."""
    return ("empty-translation" in problems, sum(SEVERITIES.get(code) == ERROR for code in problems), len(problems))


def _rank(problems: list[str], warnings: list[Warning], score: float | None) -> tuple:
    return (*_severity(problems), len(warnings), -(score if score is not None else -math.inf))


def heal(engine: Any, failed: dict[int, tuple[str, str, float | None, list[Warning]]], *, evaluate: Evaluate,
         strategies: tuple[str, ...] = STRATEGIES) -> dict[int, Healed]:
    """Translate the ``failed`` sentences again with ``engine.candidates(texts, strategy)``, cheapest
    strategy first, and keep the best candidate of each.

    ``failed``: segment index -> (model input, current English, its score, its warnings). A strategy is
    tried only for sentences still failing after the cheaper ones. Returns, per segment, the outcome
    (its text unchanged when no candidate had fewer serious problems).
    """
    if not failed or not hasattr(engine, "candidates"):
        return {}
    best: dict[int, tuple[tuple, str, float | None, list[Warning]]] = {}
    repairs: dict[int, Repair] = {}
    for index, (_, text, score, warnings) in failed.items():
        problems = serious(warnings)
        best[index] = (_rank(problems, warnings, score), text, score, warnings)
        repairs[index] = Repair(index, text, text, problems, problems)
    for strategy in strategies:
        pending = [index for index in failed if best[index][0][2] > 0]
        if not pending:
            break
        found = engine.candidates([failed[index][0] for index in pending], strategy)
        for index, options in zip(pending, found):
            for rank, (raw, score) in enumerate(options):
                text, warnings = evaluate(index, raw)
                problems = serious(warnings)
                how = f"{strategy} {rank + 1} of {len(options)}" if len(options) > 1 else strategy
                repairs[index].tried.append(Attempt(how, text, problems, confidence(score)))
                key = _rank(problems, warnings, score)
                if key < best[index][0] and _severity(problems) < _severity(repairs[index].problems_before):
                    best[index] = (key, text, score, warnings)
    outcome = {}
    for index, (_, text, score, warnings) in best.items():
        repair = repairs[index]
        repair.after, repair.problems_after = text, serious(warnings)
        outcome[index] = Healed(text, score, warnings, repair)
    return outcome

"""The one warning record every check, repair and guard writes, and the table of its codes.

A warning points a reader at a sentence they should not trust as it is. It is plain data in the
JSON, the Markdown and the web page::

    {"code": "number-missing", "severity": "error", "segment": 3,
     "message": "The source's '10वीं' (10th) is missing from the translation.",
     "detail": {"source": "10वीं", "value": "10th", ...}}

``segment`` is the position in ``Result.segments`` (``None`` for the title and the brief).
``severity`` says how sure the check is (:data:`SEVERITIES`): ``"error"`` where the evidence is
unambiguous (a number changed, a decoding loop, Devanagari left), ``"check"`` where a correct
translation can trip it too (a name or a glossary term rendered another way, an unusual length).
Readers are shown errors first and checks folded; self-healing acts on errors first.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

#: Every warning code, with what it means (the README and the web page say the same).
CODES: dict[str, str] = {
    "number-missing": "a number of the source is not in the translation (compared by value)",
    "number-changed": "... and the translation has a number the source does not: likely changed",
    "number-repaired": "a changed number was put back (exactly one candidate of its kind)",
    "span-missing": "a URL, e-mail address or handle of the source is not in the translation",
    "glossary-missed": "a glossary term of the source is not rendered as the glossary says",
    "devanagari-left": "Devanagari letters left in the English",
    "repetition": "the same 1-8 words repeated in a row (a decoding loop)",
    "length-ratio": "translation far shorter or longer than the source suggests",
    "empty-translation": "a non-empty sentence came out empty",
    "brief-unsupported-number": "a number in the brief that the translation does not contain",
    "brief-unsupported-name": "a capitalised name in the brief that the translation does not contain",
    "brief-sentence-replaced": "a brief sentence the translation does not support, replaced or dropped",
    "low-confidence": "the model's confidence in the sentence is below the chosen minimum",
    "name-missing": "a proper name of the source has no recognisable rendering in the translation",
    "name-inconsistent": "one name of the source written two ways in the article; made consistent",
    "acronym-missing": "a Latin-script acronym of the source (PSM, SCO) is not in the translation verbatim",
    "story-brief-empty": "no sentence of a digest story's articles could go into its brief (all flagged)",
}


#: How sure each code is: ``"error"`` (unambiguous) or ``"check"`` (may be a false alarm). Set from what
#: ``bench/trust_real.py`` measures on seven real systems' FLORES-200 output (see the README's table).
ERROR, CHECK = "error", "check"
SEVERITIES: dict[str, str] = {
    "number-missing": ERROR,
    "number-changed": ERROR,
    "number-repaired": CHECK,
    "span-missing": ERROR,
    "glossary-missed": CHECK,
    "devanagari-left": ERROR,
    "repetition": ERROR,
    "length-ratio": CHECK,
    "empty-translation": ERROR,
    "brief-unsupported-number": ERROR,
    "brief-unsupported-name": CHECK,
    "brief-sentence-replaced": CHECK,
    "low-confidence": CHECK,
    "name-missing": CHECK,
    "name-inconsistent": CHECK,
    "acronym-missing": CHECK,
    "story-brief-empty": CHECK,
}
assert SEVERITIES.keys() == CODES.keys()


@dataclass(frozen=True)
class Warning:  # noqa: A001 - the project's own warning record, never raised
    """One warning (see the module docstring). Reads like the dict it is written as (``w["code"]``)."""

    code: str
    segment: int | None
    message: str
    detail: dict[str, Any] = field(default_factory=dict)
    severity: str = ""  # filled from SEVERITIES by code when not given

    def __post_init__(self) -> None:
        if not self.severity:
            object.__setattr__(self, "severity", SEVERITIES.get(self.code, CHECK))

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def at(self, segment: int | None) -> "Warning":
        """The same warning, pointing at ``segment``."""
        return replace(self, segment=segment)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "segment": self.segment, "message": self.message, "detail": dict(self.detail)}

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)


def warning(code: str, segment: int | None, message: str, **detail: Any) -> Warning:
    """A :class:`Warning` of one of the :data:`CODES`; ``detail`` holds what a program needs to act on it."""
    if code not in CODES:
        raise ValueError(f"unknown warning code {code!r}")
    return Warning(code, segment, message, detail)


def by_severity(warnings: "list[Warning]") -> "list[Warning]":
    """``warnings`` with the errors first, each group in its original order (segment order)."""
    return sorted(warnings, key=lambda w: not w.is_error)


def problem_line(warning: Warning) -> str:
    """A warning as one short line a reader takes in at a glance, naming where it points:
    "Sentence 3: the name 'फ़ैसल' (Faisal) is missing", "Sentence 17: 5 became 7", "The brief: 40 is
    not in the translation". Codes without a shorter form keep their message."""
    d = warning.detail

    def shown(values: Any) -> str:
        return " or ".join(str(v) for v in values) if isinstance(values, (list, tuple)) else str(values)

    if warning.segment is not None:
        where = f"Sentence {warning.segment + 1}"
    elif d.get("in") == "title":
        where = "The headline"
    elif warning.code.startswith("brief-"):
        where = "The brief"
    else:
        where = "The article"
    short = {
        "number-changed": lambda: f"{d.get('value')} became {shown(d.get('found', []))}",
        "number-missing": lambda: f"the number {d.get('value')} ({d.get('source')}) is missing",
        "name-missing": lambda: f"the name {shown(d.get('expected', [])[:1])} ({d.get('source')}) is missing",
        "acronym-missing": lambda: f"the acronym {d.get('source')} is missing",
        "span-missing": lambda: f"the {d.get('kind')} {d.get('value')} is missing",
        "glossary-missed": lambda: f"{d.get('source')} is not rendered as {d.get('value')!r}",
        "devanagari-left": lambda: f"Hindi left untranslated: {shown(d.get('words', []))}",
        "repetition": lambda: f"{d.get('phrase')!r} repeated {d.get('times')} times (a decoding loop)",
        "empty-translation": lambda: "the translation came out empty",
        "brief-unsupported-number": lambda: f"{d.get('value')} is not in the translation",
        "brief-unsupported-name": lambda: f"{d.get('name')} is not in the translation",
    }.get(warning.code)
    try:
        text = short() if short else ""
    except (TypeError, IndexError):  # a warning read back from an older JSON may lack a detail
        text = ""
    return f"{where}: {text or warning.message[:1].lower() + warning.message[1:]}"

"""Faithfulness: what must come through translation unchanged (:mod:`.protect`, :mod:`.glossary`),
the checks that say where a reader should not trust the English (:mod:`.checks`), the guarded brief
(:mod:`.brief`), and the one :class:`~.warnings.Warning` record they all write."""

from __future__ import annotations

from .brief import guard_brief
from .checks import check_brief, check_english, check_segment
from .glossary import Glossary
from .protect import ProtectedText, Protector
from .warnings import CODES, SEVERITIES, Warning, by_severity, problem_line, warning

__all__ = ["CODES", "SEVERITIES", "Glossary", "ProtectedText", "Protector", "Warning", "check_brief", "check_english",
           "by_severity", "check_segment", "guard_brief", "problem_line", "warning"]

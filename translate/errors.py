"""Error types with the exit codes the CLI documents.

Exit codes: 0 all done, 1 some articles failed, 2 usage or set-up error.
Every expected error is one of these; the CLI prints ``str(error)`` on one line, never a traceback.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2


class HindiBriefError(Exception):
    """Base class of every error the tool expects and reports on one line."""

    exit_code = EXIT_USAGE


class InputError(HindiBriefError):
    """An article cannot be read or holds nothing to translate. Names the file and the reason."""

    exit_code = EXIT_SOME_FAILED

    def __init__(self, source: str | None, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{printable(source)}: {reason}" if source else reason)


def printable(text: str) -> str:
    """``text`` with control and other non-printable characters escaped (``\\n``, ``\\x1b``), so a
    file name can neither break a one-line message nor send escape sequences to a terminal.
    Letters of every script, Devanagari vowel signs included, stay as they are."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape", "backslashreplace").decode("ascii") for ch in str(text))


class UsageError(HindiBriefError):
    """Bad command-line or API arguments."""


class ModelError(HindiBriefError):
    """A model cannot be found, downloaded or loaded."""


class ModelNotFoundError(ModelError):
    """A model is neither in the store, nor a local folder, nor reachable on a hub."""


class OutputError(HindiBriefError):
    """An output file cannot be written (the disk is full, the folder is read-only): the run stops
    there, with every finished article intact and nothing half-written, so that a rerun with
    ``resume`` after the cause is fixed finishes the job."""

    exit_code = EXIT_SOME_FAILED

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{printable(path)}: {reason}")

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
        super().__init__(f"{source}: {reason}" if source else reason)


class UsageError(HindiBriefError):
    """Bad command-line or API arguments."""


class ModelError(HindiBriefError):
    """A model cannot be found, downloaded or loaded."""


class ModelNotFoundError(ModelError):
    """A model is neither in the store, nor a local folder, nor reachable on a hub."""

"""`hindi-brief` command line: a thin layer over the library.

Each sub-command lives in ``translate/cli/<name>.py`` and exposes ``register(subparsers)``, which
adds its parser and sets ``func(args) -> int``; the work is a library call (``translate.batch.run_batch``,
``translate.store.pull``, ...), the module only parses arguments and prints.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings

from ..errors import EXIT_USAGE, HindiBriefError

COMMANDS = ["clean", "run", "digest", "watch", "models", "cache", "serve", "eval"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hindi-brief",
        description="Translate Hindi news articles into English and write a short English brief.",
        epilog="Exit codes: 0 all done, 1 some articles failed, 2 usage or set-up error.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"translate.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"translate.cli.{name}":
                raise
            continue  # command not built yet
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Library chatter (deprecations, notes about checkpoints' generation settings, which this tool
    # reads itself) is not for the tool's users: transformers says only errors.
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    warnings.showwarning = _one_line_warning
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error argparse has printed
        return int(exc.code or 0)
    try:
        code = args.func(args)
    except HindiBriefError as exc:
        print(f"hindi-brief: error: {exc}", file=sys.stderr)
        code = exc.exit_code
    except KeyboardInterrupt:
        print("hindi-brief: interrupted", file=sys.stderr)
        code = 130
    except ImportError as exc:  # an installation missing a package: one line, never a traceback
        reason = " ".join(str(exc).split())
        print(f"hindi-brief: error: a package this command needs is not installed ({reason}); install hindi-brief "
              f"again with its dependencies (pip install hindi-brief, or make install in a checkout)", file=sys.stderr)
        code = EXIT_USAGE
    except BrokenPipeError:
        code = 0
    return int(code or 0)


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """The library's warnings (a damaged cache moved aside, ...) as ``hindi-brief: warning: ...`` lines;
    other libraries' warnings stay silent unless HINDI_BRIEF_DEBUG is set."""
    if category is UserWarning and str(filename).startswith(os.path.dirname(os.path.dirname(__file__))):
        print(f"hindi-brief: warning: {message}", file=file or sys.stderr)
    elif os.environ.get("HINDI_BRIEF_DEBUG"):
        print(f"{category.__name__}: {message} ({filename}:{lineno})", file=file or sys.stderr)


def _entry() -> None:  # pragma: no cover - console script wrapper
    sys.exit(main())


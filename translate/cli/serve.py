"""`hindi-brief serve`: the web page (translate/web.py) on 127.0.0.1:7860, models loaded once at start."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from ..article import INPUT_SUFFIXES
from ..errors import EXIT_OK, UsageError
from .common import add_model_options, pipeline_options

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def register(sub: argparse._SubParsersAction) -> None:
    from ..article import DEFAULT_MAX_BYTES
    from ..web import Limits

    defaults = Limits()
    parser = sub.add_parser(
        "serve",
        help="serve the web page: paste or drop Hindi articles, read the English brief and translation",
        description="Serve the web page and its API endpoint /translate_article (gradio_client). Loads the models "
                    "once at start; binds 127.0.0.1 (this machine only) unless --host says otherwise. Stop with Ctrl-C.",
    )
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for every "
                             "interface: then use --auth)")
    parser.add_argument("--port", type=int, default=7860, help="port to listen on (default: 7860)")
    parser.add_argument("--share", action="store_true",
                        help="also open a public *.gradio.live link through Gradio's tunnel (default: no)")
    access = parser.add_argument_group("access")
    access.add_argument("--auth", metavar="USER:PASS", action="append", default=[],
                        help="require this user name and password (repeat for more users; default: no sign-in)")
    access.add_argument("--auth-file", metavar="FILE",
                        help="require a sign-in from the 'user:password' lines of FILE (# comments allowed)")
    add_model_options(parser)
    limits = parser.add_argument_group("limits")
    limits.add_argument("--max-chars", type=int, default=defaults.max_chars, metavar="N",
                        help=f"refuse pasted text longer than N characters (default: {defaults.max_chars:,})")
    limits.add_argument("--max-file-bytes", type=int, default=DEFAULT_MAX_BYTES, metavar="N",
                        help=f"refuse uploaded files larger than N bytes (default: {DEFAULT_MAX_BYTES:,}, 5 MiB)")
    limits.add_argument("--max-files", type=int, default=defaults.max_files, metavar="N",
                        help=f"refuse more than N files in one request (default: {defaults.max_files})")
    limits.add_argument("--accept", default=",".join(defaults.accept), metavar="LIST",
                        help=f"comma-separated file types the page accepts, some of {','.join(INPUT_SUFFIXES)} "
                             f"(default: all of them)")
    limits.add_argument("--max-queue", type=int, default=defaults.max_queue, metavar="N",
                        help=f"requests that may wait; more are refused with 'queue is full' (default: {defaults.max_queue})")
    limits.add_argument("--concurrency", type=int, default=defaults.concurrency, metavar="N",
                        help=f"translations running at once (default: {defaults.concurrency}; on a CPU one already "
                             f"uses every core)")
    limits.add_argument("--allow-private-urls", action="store_true",
                        help="let the page's web addresses reach private, loopback and link-local addresses (a server "
                             "on your own network); by default only public ones are fetched, since the page fetches "
                             "for whoever uses it")
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from ..store.registry import is_installed, load_registry
    from ..web import Limits, WebApp

    limits = Limits(
        max_chars=args.max_chars, max_file_bytes=args.max_file_bytes, max_files=args.max_files,
        accept=tuple(f".{s.strip().lstrip('.').lower()}" for s in args.accept.split(",") if s.strip()),
        max_queue=args.max_queue, concurrency=args.concurrency, allow_private_urls=args.allow_private_urls,
    )
    auth = read_auth(args.auth, args.auth_file)  # before the models load: a typo fails in milliseconds
    if args.host not in LOOPBACK and not auth:
        print(f"hindi-brief: warning: serving on {args.host} without --auth: anyone who can reach this "
              f"machine can use the page", file=sys.stderr)

    def choices(task: str) -> list[tuple[str, str]]:
        """The installed presets of ``task`` (those needing remote code only with --trust-remote-code)."""
        return [
            (f"{p.name} (non-commercial use only)" if p.non_commercial else p.name, p.name)
            for p in load_registry().values()
            if p.task == task and is_installed(p) and (args.trust_remote_code or not p.trust_remote_code)
        ]

    def load(translator: str, summarizer: str, beams: int):
        from ..pipeline import Pipeline

        options = pipeline_options(args, translator=translator, summarizer=summarizer, beams=beams)
        return Pipeline.from_options(options).warm_up()  # the page's models load once, at start-up

    app = WebApp(load, translator=args.translator, summarizer=args.summarizer, beams=args.beams,
                 brief_words=args.brief_words, translators=choices("translation"),
                 summarizers=choices("summarization"), limits=limits)
    # SIGTERM (service managers, `kill`) ends like Ctrl-C: server stopped, temp files removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(EXIT_OK))
    try:
        app.launch(host=args.host, port=args.port, auth=auth, share=args.share)
    except OSError as exc:
        raise UsageError(f"cannot serve on {args.host}:{args.port}: {exc}") from None
    finally:
        app.close()
    return EXIT_OK


def read_auth(pairs: list[str], auth_file: str | None) -> list[tuple[str, str]]:
    """(user, password) pairs from --auth values and the lines of --auth-file."""
    auth = [_pair(value, "--auth") for value in pairs]
    if auth_file:
        try:
            lines = Path(auth_file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{auth_file}: cannot read the auth file: {getattr(exc, 'strerror', None) or exc}") from None
        auth += [_pair(line.strip(), f"{auth_file}: line {number}")
                 for number, line in enumerate(lines, start=1) if line.strip() and not line.lstrip().startswith("#")]
        if not auth:
            raise UsageError(f"{auth_file}: no 'user:password' lines")
    return auth


def _pair(value: str, where: str) -> tuple[str, str]:
    user, sep, password = value.partition(":")
    if not (sep and user and password):
        raise UsageError(f"{where}: expected USER:PASSWORD (neither empty)")  # never echo the password
    return user, password

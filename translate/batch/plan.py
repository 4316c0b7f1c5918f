"""Planning a batch: find the inputs, give each a safe output name, mark what ``resume`` can skip.

PATH arguments are files, folders (searched recursively for .txt/.md/.html/.htm/.docx/.pdf), web
addresses (http, https) or ``-`` for standard input. Standard input is read and web pages fetched
here (at most one byte over the size limit; a page that cannot be fetched is that input's one-line
error); files are read when processed.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from ..article import INPUT_SUFFIXES, is_url, max_bytes_limit, web_address
from ..errors import InputError, UsageError

INDEX_NAME = "index.jsonl"


STDIN = "-"
#: Output formats (``--format``) and the name of each in ``Task.outputs`` and ``index.jsonl``, with
#: its file suffix. JSON is always written: it is the record ``--resume``, the digest and the dataset
#: read back.
OUTPUT_FORMATS = {"json": ("json", ".json"), "md": ("markdown", ".md"), "txt": ("text", ".txt"),
                  "docx": ("docx", ".docx")}
DEFAULT_FORMATS = ("json", "md")


def parse_formats(value: str | Sequence[str]) -> tuple[str, ...]:
    """``"json,md,docx"`` (or a list) as the formats to write, JSON always among them, in a fixed
    order; an unknown one is a UsageError."""
    wanted = [part.strip().lower() for part in (value.split(",") if isinstance(value, str) else value) if part.strip()]
    unknown = [part for part in wanted if part not in OUTPUT_FORMATS]
    if unknown:
        raise UsageError(f"unknown output format {unknown[0]!r}; choose from {', '.join(OUTPUT_FORMATS)}")
    return tuple(name for name in OUTPUT_FORMATS if name == "json" or name in wanted)


@dataclass
class Task:
    """One input article and where its outputs go."""

    input: str  # as reported: the path given or found, the web address, or "-" for standard input
    stem: str  # output name without suffix, unique in the run
    sha256: str = ""
    data: bytes | None = None  # standard input's bytes or the fetched page (files are read when processed)
    skip: bool = False  # --resume: finished outputs for this input and these options exist
    error: str | None = None  # could not even be read (or fetched) for hashing
    fetched_url: str | None = None  # a web address: where the page was found after redirects
    formats: tuple[str, ...] = DEFAULT_FORMATS  # what to write (see OUTPUT_FORMATS)
    bilingual: bool = False  # a .docx gets a Hindi | English table

    @property
    def outputs(self) -> dict[str, str]:
        """Output name (``json``, ``markdown``, ``text``, ``docx``) -> file name, JSON first."""
        return {OUTPUT_FORMATS[fmt][0]: f"{self.stem}{OUTPUT_FORMATS[fmt][1]}" for fmt in self.formats}


def discover(paths: Sequence[str | Path], out_dir: Path | None = None) -> list[tuple[str, Path | None, Path | None]]:
    """Expand PATH arguments into (reported input, file, root folder) in a stable order.

    Folders are searched recursively for .txt/.md/.html/.htm/.docx/.pdf files (sorted), skipping the
    output folder so a rerun never reads its own outputs and Word's ``~$`` lock files. Standard input
    and web addresses have no file. A missing path is a usage error (exit 2).
    """
    found: list[tuple[str, Path | None, Path | None]] = []
    out_resolved = out_dir.resolve() if out_dir else None
    for raw in paths:
        if str(raw) == STDIN or is_url(str(raw)):
            found.append((str(raw).strip(), None, None))
            continue
        link = None if Path(raw).exists() else web_address(str(raw))  # www.bhaskar.com/... -> https://...
        if link:
            found.append((link, None, None))
            continue
        path = Path(raw)
        if path.is_dir():
            if out_resolved == path.resolve():
                raise UsageError(f"{raw}: the output folder is this input folder; choose another output folder")
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
                and not p.name.startswith("~$")  # Word's lock file beside an open document
                and not (out_resolved and out_resolved in p.resolve().parents)
            )
            found += [(str(p), p, path) for p in files]
        elif path.exists():
            found.append((str(path), path, None))
        else:
            raise UsageError(f"{raw}: no such file or folder")
    return found


def safe_stem(name: str) -> str:
    """An output file name from an input's relative path: no folders, no dots in front, no controls."""
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"[/\\]+", "__", name)
    name = "".join(ch if (unicodedata.category(ch)[0] in "LMN" or ch in "-_.") else "_" for ch in name)
    name = name.lstrip(".") or "article"
    return name[:150]


def unique_stem(stem: str, used: set[str]) -> str:
    """``stem``, or ``stem-2``, ``stem-3``... the first not in ``used`` (case-insensitively); records it."""
    base, n = stem, 2
    while stem.lower() in used:
        stem, n = f"{base}-{n}", n + 1
    used.add(stem.lower())
    return stem


def plan(paths: Sequence[str | Path], out_dir: Path, *, fingerprint: str, resume: bool = False,
         stdin: Callable[[int], bytes | str] | None = None, max_bytes: int | None = None,
         formats: Sequence[str] = DEFAULT_FORMATS, bilingual: bool = False,
         allow_private_urls: bool | Sequence[str] = False) -> list[Task]:
    """Tasks for every input, in order, with unique safe output names and resume marks.

    Standard input is read here, at most one byte over the size limit (``stdin(n)`` reads it in
    tests), and web pages fetched (:func:`translate.article.url.fetch`: public addresses only
    unless ``allow_private_urls``: True for every private one, or a list of networks); files are
    read when processed.
    """
    formats = parse_formats(formats)
    tasks: list[Task] = []
    used: set[str] = {Path(INDEX_NAME).stem, "digest"}  # digest.json / digest.md: the run's digest
    found = discover(paths, out_dir)
    inputs = {p.resolve() for _, p, _ in found if p is not None}
    for reported, path, root in found:
        if path is None:
            rel = "stdin" if reported == STDIN else url_stem(reported)
        else:
            rel = str(path.relative_to(root).with_suffix("")) if root else path.stem
        stem = safe_stem(rel)
        if stem.lower() in used and path is not None:
            stem = safe_stem(f"{rel}_{path.suffix.lstrip('.')}")
        stem = unique_stem(stem, used)
        task = Task(input=reported, stem=stem, formats=formats, bilingual=bilingual)
        try:
            if path is None and reported == STDIN:
                data = (stdin or _read_stdin)(max_bytes_limit(max_bytes) + 1)
                task.data = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
                task.sha256 = hashlib.sha256(task.data).hexdigest()
            elif path is None:
                _fetch(task, max_bytes=max_bytes, allow_private=allow_private_urls)
            else:
                task.sha256 = _sha256_file(path)
        except OSError as exc:
            task.error = f"{reported}: cannot read: {exc.strerror or exc}"
        for output in task.outputs.values():
            if (out_dir / output).resolve() in inputs:
                raise UsageError(f"{out_dir / output}: output would overwrite an input; choose another output folder")
        if resume and not task.error:
            task.skip = _finished(out_dir, task, fingerprint)
        tasks.append(task)
    return tasks


def url_stem(url: str) -> str:
    """An output name for a web address: its host and the last part of its path, without the
    extension (``https://www.news.in/world/story-123.html`` -> ``www.news.in__story-123``)."""
    rest = re.sub(r"^[a-z]+://", "", url, flags=re.I).split("?")[0].split("#")[0]
    host, _, path = rest.partition("/")
    host = host.rsplit("@", 1)[-1].split(":")[0] if not host.startswith("[") else host  # no user, no port
    last = Path(path.rstrip("/")).stem if path.strip("/") else ""
    return f"{host}__{last}" if last else host


def _fetch(task: Task, *, max_bytes: int | None, allow_private: bool | Sequence[str]) -> None:
    """Fetch the page of a web-address task into ``task.data`` (its error into ``task.error``)."""
    from ..article.url import fetch

    try:
        page = fetch(task.input, allow_private=allow_private, max_bytes=max_bytes)
    except InputError as exc:
        task.error = str(exc)
        return
    task.data, task.fetched_url = page.data, page.final_url
    task.sha256 = hashlib.sha256(page.data).hexdigest()


def _read_stdin(limit: int) -> bytes:
    return sys.stdin.buffer.read(limit)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _finished(out_dir: Path, task: Task, fingerprint: str) -> bool:
    """Every output of ``task`` is there, and its JSON was made from this input with these options."""
    if not all((out_dir / name).is_file() for name in task.outputs.values()):
        return False
    try:
        run = json.loads((out_dir / task.outputs["json"]).read_text(encoding="utf-8")).get("run", {})
    except (OSError, ValueError):
        return False
    return run.get("input_sha256") == task.sha256 and run.get("options") == fingerprint


# -- processing ---------------------------------------------------------------------------------

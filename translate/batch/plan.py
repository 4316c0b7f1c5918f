"""Planning a batch: find the inputs, give each a safe output name, mark what ``resume`` can skip.

PATH arguments are files, folders (searched recursively for .txt/.md/.html/.htm) or ``-`` for
standard input. Standard input is read here (at most one byte over the size limit); files are read
when processed.
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

from ..article import INPUT_SUFFIXES, max_bytes_limit
from ..errors import UsageError

INDEX_NAME = "index.jsonl"


STDIN = "-"


@dataclass
class Task:
    """One input article and where its outputs go."""

    input: str  # as reported: the path given or found, or "-" for standard input
    stem: str  # output name without suffix, unique in the run
    sha256: str = ""
    data: bytes | None = None  # standard input's bytes (files are read when processed)
    skip: bool = False  # --resume: finished outputs for this input and these options exist
    error: str | None = None  # could not even be read for hashing

    @property
    def outputs(self) -> dict[str, str]:
        return {"json": f"{self.stem}.json", "markdown": f"{self.stem}.md"}


def discover(paths: Sequence[str | Path], out_dir: Path | None = None) -> list[tuple[str, Path | None, Path | None]]:
    """Expand PATH arguments into (reported input, file, root folder) in a stable order.

    Folders are searched recursively for .txt/.md/.html/.htm files (sorted), skipping the output
    folder so a rerun never reads its own outputs. A missing path is a usage error (exit 2).
    """
    found: list[tuple[str, Path | None, Path | None]] = []
    out_resolved = out_dir.resolve() if out_dir else None
    for raw in paths:
        if str(raw) == STDIN:
            found.append((STDIN, None, None))
            continue
        path = Path(raw)
        if path.is_dir():
            if out_resolved == path.resolve():
                raise UsageError(f"{raw}: the output folder is this input folder; choose another output folder")
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
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
         stdin: Callable[[int], bytes | str] | None = None, max_bytes: int | None = None) -> list[Task]:
    """Tasks for every input, in order, with unique safe output names and resume marks.

    Standard input is read here, at most one byte over the size limit (``stdin(n)`` reads it in
    tests); files are read when processed.
    """
    tasks: list[Task] = []
    used: set[str] = {Path(INDEX_NAME).stem}
    found = discover(paths, out_dir)
    inputs = {p.resolve() for _, p, _ in found if p is not None}
    for reported, path, root in found:
        if path is None:
            rel = "stdin"
        else:
            rel = str(path.relative_to(root).with_suffix("")) if root else path.stem
        stem = safe_stem(rel)
        if stem.lower() in used and path is not None:
            stem = safe_stem(f"{rel}_{path.suffix.lstrip('.')}")
        stem = unique_stem(stem, used)
        task = Task(input=reported, stem=stem)
        try:
            if path is None:
                data = (stdin or _read_stdin)(max_bytes_limit(max_bytes) + 1)
                task.data = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
                task.sha256 = hashlib.sha256(task.data).hexdigest()
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


def _read_stdin(limit: int) -> bytes:
    return sys.stdin.buffer.read(limit)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _finished(out_dir: Path, task: Task, fingerprint: str) -> bool:
    json_path, md_path = (out_dir / name for name in task.outputs.values())
    if not (json_path.is_file() and md_path.is_file()):
        return False
    try:
        run = json.loads(json_path.read_text(encoding="utf-8")).get("run", {})
    except (OSError, ValueError):
        return False
    return run.get("input_sha256") == task.sha256 and run.get("options") == fingerprint


# -- processing ---------------------------------------------------------------------------------

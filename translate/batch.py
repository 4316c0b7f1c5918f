"""Batch translation of files and folders: what ``hindi-brief run`` does, as library functions.

Stages, each usable on its own (the Ray engine reuses them):

* :func:`plan` — find the inputs (files, folders searched recursively for .txt/.md/.html/.htm, or
  ``-`` for standard input), give each a safe output name, and mark what ``--resume`` can skip;
* :func:`process` — run a chunk of tasks through a :class:`~translate.pipeline.Pipeline`, sentences
  of the whole chunk sharing the model's batches; one bad article is recorded, the others go on;
* :func:`write_record` / :func:`write_index` — write ``<stem>.md`` then ``<stem>.json`` (each to a
  temporary file renamed into place, JSON last, so a JSON file means a finished article) and
  ``index.jsonl`` (one line per input, in input order, rewritten whole at the end).

Written files hold no timings: the same input, models and options give byte-identical outputs,
which is what makes ``--resume`` after a kill end exactly like an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
import traceback
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from .article import INPUT_SUFFIXES, max_bytes_limit
from .errors import HindiBriefError, UsageError, printable

INDEX_NAME = "index.jsonl"
STDIN = "-"
_UMASK = os.umask(0o022)
os.umask(_UMASK)


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


@dataclass
class Record:
    """What happened to one task: the files to write, or the error."""

    task: Task
    status: str  # "ok" | "error"
    error: str | None = None
    json_text: str | None = None
    markdown: str | None = None
    sentences: int = 0
    warnings: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    def index_line(self) -> dict[str, Any]:
        ok = self.status == "ok"
        return {
            "input": self.task.input,
            "outputs": self.task.outputs if ok else {},
            "status": self.status,
            "error": self.error,
            "sha256": self.task.sha256,
        }


# -- planning -----------------------------------------------------------------------------------


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
                raise UsageError(f"{raw}: the output folder is this input folder; choose another -o")
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


def options_fingerprint(options: dict[str, Any]) -> str:
    """A short hash of everything that changes an article's output (models, revisions, options)."""
    return hashlib.sha256(json.dumps(options, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:16]


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
                raise UsageError(f"{out_dir / output}: output would overwrite an input; choose another -o folder")
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


def process(pipeline: Any, tasks: Sequence[Task], *, fingerprint: str, brief_words: int | None = None,
            max_bytes: int | None = None) -> list[Record]:
    """Translate a chunk of tasks; sentences of all its articles share the model's batches."""
    from .article import load_article, load_bytes

    records: dict[int, Record] = {}
    prepared: list[tuple[int, Any]] = []
    for i, task in enumerate(tasks):
        if task.error:
            records[i] = Record(task, "error", task.error)
            continue
        try:
            if task.data is not None:
                article = load_bytes(task.data, "<stdin>", max_bytes=max_bytes)
            else:
                article = load_article(task.input, max_bytes=max_bytes)
            prepared.append((i, pipeline.preprocess(article)))
        except Exception as exc:
            records[i] = _error_record(task, exc)

    def finish(batch: list[tuple[int, Any]]) -> None:
        results = pipeline.translate_prepared([p for _, p in batch], brief_words=brief_words)
        for (i, _), result in zip(batch, results):
            records[i] = _record(tasks[i], result, fingerprint)

    if prepared:
        try:
            finish(prepared)
        except Exception:  # one article broke the shared batch: find it, keep the others
            for item in prepared:
                try:
                    finish([item])
                except Exception as exc:
                    records[item[0]] = _error_record(tasks[item[0]], exc)
    return [records[i] for i in range(len(tasks))]


def _error_record(task: Task, exc: Exception) -> Record:
    """An article's failure as one line: the error's own message, or for an unexpected exception
    (a bug) its type and message, with the traceback printed only when HINDI_BRIEF_DEBUG is set."""
    if isinstance(exc, UsageError):
        raise exc  # a bad option fails the whole run, not each article
    if isinstance(exc, HindiBriefError):
        return Record(task, "error", str(exc))
    if os.environ.get("HINDI_BRIEF_DEBUG"):
        traceback.print_exception(exc)
    return Record(task, "error", f"{printable(task.input)}: internal error: {type(exc).__name__}: {exc}")


def _record(task: Task, result: Any, fingerprint: str) -> Record:
    data = result.to_dict(timings=False)
    data["run"] = {"input": task.input, "input_sha256": task.sha256, "options": fingerprint}
    return Record(
        task,
        "ok",
        json_text=json.dumps(data, ensure_ascii=False, indent=2) + "\n",
        markdown=result.to_markdown(),
        sentences=len(result.segments),
        warnings=len(result.warnings),
        timings=dict(result.timings),
    )


# -- writing ------------------------------------------------------------------------------------


def remove_stale_temporaries(out_dir: Path) -> list[Path]:
    """Delete the temporary files a killed run left in ``out_dir`` (only :func:`atomic_write`'s own)."""
    removed = []
    if out_dir.is_dir():
        for stale in out_dir.glob(".*.tmp"):
            if _TEMPORARY.fullmatch(stale.name) and stale.is_file():
                stale.unlink(missing_ok=True)
                removed.append(stale)
    return removed


# ".<output name>.<random>.tmp", as tempfile.mkstemp(prefix=".<name>.", suffix=".tmp") names them.
_TEMPORARY = re.compile(r"\..+\.(?:json|md|jsonl)\.[A-Za-z0-9_]+\.tmp")


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs get the usual permissions
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_record(out_dir: Path, record: Record) -> None:
    """Markdown first, JSON last: an existing JSON marks a finished article."""
    if record.status != "ok":
        return
    atomic_write(out_dir / record.task.outputs["markdown"], record.markdown or "")
    atomic_write(out_dir / record.task.outputs["json"], record.json_text or "")


def skipped_record(out_dir: Path, task: Task) -> Record:
    """The record of an article ``--resume`` did not redo, read back from its JSON."""
    data = json.loads((out_dir / task.outputs["json"]).read_text(encoding="utf-8"))
    return Record(task, "ok", sentences=len(data.get("segments", [])), warnings=len(data.get("warnings", [])))


def write_index(out_dir: Path, records: Iterable[Record]) -> Path:
    lines = "".join(json.dumps(r.index_line(), ensure_ascii=False) + "\n" for r in records)
    path = out_dir / INDEX_NAME
    atomic_write(path, lines)
    return path


def write_dataset(out_dir: Path, dataset_dir: Path, records: Iterable[Record]) -> int:
    """Save the finished articles as a Hugging Face ``datasets`` dataset (one row per article)."""
    import datasets

    rows = []
    for record in records:
        if record.status != "ok":
            continue
        data = json.loads((out_dir / record.task.outputs["json"]).read_text(encoding="utf-8"))
        rows.append({
            "input": record.task.input,
            "title": data["title"],
            "title_hi": data.get("title_hi", ""),
            "brief": data["brief"],
            "translation": "\n\n".join(block["text"] for block in data["translation"]),
            "segments": [{"block": s["block"], "hi": s["hi"], "en": s["en"]} for s in data["segments"]],
            "metadata": json.dumps(data["metadata"], ensure_ascii=False, sort_keys=True),
            "warnings": [w["message"] for w in data["warnings"]],
            "models": json.dumps(data["models"], ensure_ascii=False, sort_keys=True),
        })
    datasets.Dataset.from_list(rows).save_to_disk(str(dataset_dir))
    return len(rows)

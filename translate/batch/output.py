"""Writing a batch's files: ``<stem>.md`` then ``<stem>.json`` (each to a temporary file renamed into
place, JSON last, so a JSON file means a finished article), ``index.jsonl`` (one line per input, in
input order, rewritten whole at the end) and the optional ``datasets`` dataset.
"""

from __future__ import annotations

import errno
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable

from ..errors import OutputError
from .plan import INDEX_NAME, Task
from .process import Record

#: The process's umask (read by setting and restoring it): outputs get the usual permissions.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


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
_TEMPORARY = re.compile(r"\..+\.(?:json|md|jsonl|txt|docx)\.[A-Za-z0-9_]+\.tmp")


def atomic_write(path: Path, text: str | bytes) -> None:
    """Write ``text`` (or bytes) to a temporary file beside ``path``, then rename it into place.

    A full disk or an unwritable folder is an :class:`~translate.errors.OutputError` naming the file
    (the temporary file is removed: nothing half-written stays).
    """
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs get the usual permissions
        binary = isinstance(text, bytes)
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(str(path), _why_not_written(exc)) from None
        raise


def _why_not_written(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disk full, cannot write this output; free some space and run again with resume"
    return f"cannot write this output: {exc.strerror or exc}"


def write_record(out_dir: Path, record: Record) -> None:
    """The task's outputs (Markdown, plain text, Word, as asked), JSON last: an existing JSON marks a
    finished article. Text and Word are made here from the JSON (so that a Ray worker sends back only
    the JSON and the Markdown)."""
    if record.status != "ok":
        return
    outputs = record.task.outputs
    if "markdown" in outputs:
        atomic_write(out_dir / outputs["markdown"], record.markdown or "")
    if "text" in outputs or "docx" in outputs:
        from ..export import to_docx, to_text
        from ..pipeline import Result

        result = Result.from_dict(json.loads(record.json_text or "{}"))
        if "text" in outputs:
            atomic_write(out_dir / outputs["text"], to_text(result))
        if "docx" in outputs:
            atomic_write(out_dir / outputs["docx"], to_docx(result, bilingual=record.task.bilingual))
    atomic_write(out_dir / outputs["json"], record.json_text or "")


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


def write_results(tasks: list[Task], out_dir: Path, records: Iterable[Record], *,
                  on_record: Callable[[Record], None] | None = None) -> list[Record]:
    """Write each record's files as it arrives (any order); all records in task order.

    ``records`` holds one record for every task not marked ``skip``, each pointing at its task object;
    the skipped ones are read back from their finished JSON.
    """
    done = {id(t): skipped_record(out_dir, t) for t in tasks if t.skip}
    for record in records:
        write_record(out_dir, record)
        done[id(record.task)] = record
        if on_record is not None:
            on_record(record)
        # The files are on disk now: a day's archive must not keep every article's text in memory
        # (whoever needs the results again, the dataset or the digest, reads them back).
        record.json_text = record.markdown = None
    return [done[id(t)] for t in tasks]


DIGEST_NAMES = ("digest.json", "digest.md")


def write_digest(out_dir: Path, records: Iterable[Record], *, words: int) -> Any:
    """The digest of the finished articles (read back from their JSON, in input order) written to
    ``digest.json`` and ``digest.md`` in ``out_dir``; returns the :class:`translate.digest.Digest`."""
    from ..digest import digest

    finished = [r for r in records if r.status == "ok"]
    results = [json.loads((out_dir / r.task.outputs["json"]).read_text(encoding="utf-8")) for r in finished]
    found = digest(results, [r.task.input for r in finished], words=words)
    atomic_write(out_dir / DIGEST_NAMES[0], found.to_json())
    atomic_write(out_dir / DIGEST_NAMES[1], found.to_markdown())
    return found

"""Processing a chunk of tasks through one :class:`~translate.pipeline.Pipeline`: the sentences of
all its articles share the model's batches; one bad article is recorded, the others go on.

Written files hold no timings: the same input, models and options give byte-identical outputs,
which is what makes a resumed run end exactly like an uninterrupted one.
"""

from __future__ import annotations

import json
import os
import traceback
from dataclasses import dataclass, field
from typing import Any, Sequence

from ..errors import HindiBriefError, UsageError, printable
from ..export import to_markdown
from .plan import Task


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


def process(pipeline: Any, tasks: Sequence[Task], *, fingerprint: str, brief_words: int | None = None,
            max_bytes: int | None = None, on_event: Any = None) -> list[Record]:
    """Translate a chunk of tasks; sentences of all its articles share the model's batches.
    ``on_event``: the pipeline's progress events (:meth:`translate.pipeline.Pipeline.translate_prepared`)."""
    from ..article import load_article, load_bytes

    records: dict[int, Record] = {}
    prepared: list[tuple[int, Any]] = []
    for i, task in enumerate(tasks):
        if task.error:
            records[i] = Record(task, "error", task.error)
            continue
        try:
            if task.fetched_url is not None:
                from ..article.url import Fetched, page_article

                article = page_article(Fetched(task.input, task.fetched_url, "text/html", task.data or b""),
                                       max_bytes=max_bytes)
            elif task.data is not None:
                article = load_bytes(task.data, "<stdin>", max_bytes=max_bytes)
            else:
                article = load_article(task.input, max_bytes=max_bytes)
            prepared.append((i, pipeline.preprocess(article)))
        except Exception as exc:
            records[i] = _error_record(task, exc)

    def finish(batch: list[tuple[int, Any]]) -> None:
        extra = {"on_event": on_event} if on_event is not None else {}
        results = pipeline.translate_prepared([p for _, p in batch], brief_words=brief_words, **extra)
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
        markdown=to_markdown(result),
        sentences=len(result.segments),
        warnings=len(result.warnings),
        timings=dict(result.timings),
    )


# -- writing ------------------------------------------------------------------------------------

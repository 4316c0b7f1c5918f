"""The page's HTML, as pure functions of results: every string that comes from an article (titles,
sentences, removed lines, warnings, file names) is HTML-escaped here, and nowhere else is HTML made."""

from __future__ import annotations

import html
import zipfile
from pathlib import Path
from typing import Any, Callable, NamedTuple, Sequence

from ..batch import safe_stem, unique_stem
from ..faithful.warnings import problem_line
from ..pipeline import Result

PASTED = "pasted text"


class Translated(NamedTuple):
    """One article's result and the name it is shown under (file name or "pasted text")."""

    name: str
    result: Result


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _section(item: Translated, several: bool) -> str:
    return f'<div class="hb-source">{_e(item.name)}</div>' if several else ""


def _cited_brief(result: Result, article: int) -> str:
    """The brief, each sentence a focusable span naming its sources (``data-sources``, 0-based, for
    the page's script) followed by their numbers as the sentence table shows them."""
    parts = []
    for sentence, sources in result.cited_brief():
        cite = (f'<span class="hb-cite">[{", ".join(_jump(article, i, f"s{i + 1}") for i in sources)}]</span>'
                if sources else "")
        parts.append(f'<span class="hb-bs" tabindex="0" data-article="{article}" '
                     f'data-sources="{" ".join(str(i) for i in sources)}">{_e(sentence)}</span>{cite}')
    return " ".join(parts) if parts else _e(result.brief)


def _copy_text(result: Result) -> str:
    """What Copy brief puts on the clipboard: the headline, the brief with its citations, and the
    caveat, as the Markdown writes them."""
    return f"{result.headline}\n\n{result.brief_cited()}\n\n(Machine translation from Hindi: check before quoting.)"


def _jump(article: int, segment: int, label: str) -> str:
    """A link that lights up and shows sentence ``segment`` of ``article`` in the sentence table."""
    return (f'<a class="hb-dcite" href="#segments" data-article="{article}" data-seg="{segment}">'
            f'{_e(label)}</a>')


def _problems(result: Result, article: int) -> str:
    """The card's problems: each error as one line linking to its sentence, then the findings that
    may be false alarms, folded, as quiet notes."""
    def line(warning: Any) -> str:
        text = problem_line(warning)
        if warning.segment is not None and 0 <= warning.segment < len(result.segments):
            return f"<li>{_jump(article, warning.segment, text)}</li>"
        return f"<li>{_e(text)}</li>"

    errors = [w for w in result.warnings if w.is_error]
    checks = [w for w in result.warnings if not w.is_error]
    parts = []
    if errors:
        parts.append(f'<div class="hb-problems"><b>{len(errors)} problem{"s" if len(errors) != 1 else ""} to fix '
                     f'before quoting</b><ul>{"".join(line(w) for w in errors)}</ul></div>')
    if checks:
        parts.append(f'<details class="hb-notes"><summary>{len(checks)} thing{"s" if len(checks) != 1 else ""} to '
                     f'check (may be false alarms)</summary><ul>{"".join(line(w) for w in checks)}</ul></details>')
    return "".join(parts)


def render_briefs(items: Sequence[Translated], failed: Sequence[str] = ()) -> str:
    """Headline and brief of every article (what the eye meets first), then what failed. Pointing at
    or clicking a brief sentence lights up the sentences supporting it in the sentence table."""
    several = len(items) + len(failed) > 1
    parts = []
    for article, item in enumerate(items):
        r = item.result
        count = len(r.warnings)
        parts.append(
            '<article class="hb-card">'
            f"{_section(item, several)}"
            f'<h2 class="hb-headline" lang="en">{_e(r.headline or "Untitled article")}</h2>'
            + (f'<div class="hb-title-hi" lang="hi">{_e(r.title_hi)}</div>' if r.title_hi.strip() else "")
            + f'<p class="hb-brief" lang="en">{_cited_brief(r, article)}</p>'
            + f'<button type="button" class="hb-copy" data-copy="{_e(_copy_text(r))}">Copy brief</button>'
            + _problems(r, article) +
            f'<div class="hb-meta">{len(r.segments)} sentences · '
            f'{count} warning{"s" if count != 1 else ""} · machine translation, check before quoting</div>'
            "</article>"
        )
    if failed:
        parts.append('<div class="hb-failed"><strong>Not translated</strong><ul>'
                     + "".join(f"<li>{_e(message)}</li>" for message in failed) + "</ul></div>")
    return "".join(parts)


def render_translation(items: Sequence[Translated]) -> str:
    """The full English translation, headings as headings."""
    several = len(items) > 1
    parts = []
    for item in items:
        blocks = "".join(
            f'<h3 lang="en">{_e(b["text"])}</h3>' if b["kind"] == "heading" else f'<p lang="en">{_e(b["text"])}</p>'
            for b in item.result.translation
        )
        parts.append(f'<section class="hb-translation">{_section(item, several)}'
                     f'<h2 lang="en">{_e(item.result.headline or "Untitled article")}</h2>{blocks}</section>')
    return "".join(parts)


def _confidence(value: float | None, doubtful: bool) -> str:
    """The model's confidence in a sentence, subtly: a number, a "?" on the least confident ones."""
    if value is None:
        return ""
    title = "the model's confidence in this translation (mean token probability)"
    if doubtful:
        title += "; among the article's least confident: read it against the Hindi"
    return f'<span class="hb-conf{" hb-doubtful" if doubtful else ""}" title="{title}">{value:.2f}{"?" if doubtful else ""}</span>'


def render_segments(items: Sequence[Translated]) -> str:
    """Every Hindi sentence beside its English, with the model's confidence and the sentence's
    warnings (and a note where it was translated again)."""
    several = len(items) > 1
    parts = []
    for article, item in enumerate(items):
        by_segment: dict[int, list[str]] = {}
        for warning in item.result.warnings:
            if warning.segment is not None:
                by_segment.setdefault(warning.segment, []).append(warning.message)
        for repair in item.result.repairs:
            if repair.get("changed") and repair.get("segment") is not None:
                problems = ", ".join(repair["problems_before"])
                by_segment.setdefault(repair["segment"], []).append(f"Translated again (the first try had: {problems}).")
        doubtful = item.result.least_confident()
        rows = []
        for index, segment in enumerate(item.result.segments):
            notes = by_segment.get(index, [])
            rows.append(
                f'<tr class="hb-seg{" hb-flagged" if notes else ""}" data-article="{article}" data-seg="{index}">'
                f'<td class="hb-n">{index + 1}<br>{_confidence(segment.confidence, index in doubtful)}</td>'
                f'<td lang="hi">{_e(segment.hi)}</td><td lang="en">{_e(segment.en)}</td>'
                f'<td class="hb-checks">{"<br>".join(_e(n) for n in notes)}</td></tr>'
            )
        parts.append(
            f'{_section(item, several)}<table class="hb-segments">'
            '<colgroup><col class="hb-col-n"><col><col><col class="hb-col-checks"></colgroup>'
            "<thead><tr><th>#</th><th>Hindi</th><th>English</th><th>Checks</th></tr></thead>"
            f'<tbody>{"".join(rows)}</tbody></table>'
        )
    return "".join(parts)


class InProgress(NamedTuple):
    """One article while it is being translated: its shown name, Hindi headline and sentences, and the
    English of those done so far (segment -> (English, confidence, warning messages); None: the headline)."""

    name: str
    title_hi: str
    sentences: list[str]
    done: dict[int | None, tuple[str, float | None, list[str]]]


def render_progress(articles: Sequence[InProgress], done: int, total: int, stage: str = "") -> str:
    """The line that says how far the work is (shown by the button while it runs)."""
    what = stage or f"Translating: {done} of {total} sentence{'s' if total != 1 else ''} done"
    return f'<div class="hb-progress" role="status" aria-live="polite" data-done="{done}" data-total="{total}">{_e(what)}</div>'


def render_done(sentences: int, seconds: float, request: int = 0) -> str:
    """The status line once the work is done (``request``: which of the server's requests, so that a
    script can tell this result from the last one)."""
    return (f'<div class="hb-done" role="status" data-request="{request}">Done: {sentences} '
            f'sentence{"s" if sentences != 1 else ""} translated in {seconds:.1f} s</div>')


def render_error(message: str, request: int = 0) -> str:
    """The status line when a request failed: the message stays beside the button until the next
    request (``request`` as in :func:`render_done`)."""
    return (f'<div class="hb-error" role="alert" data-request="{request}"><b>Not translated:</b> '
            f'{_e(message)}</div>')


def render_partial(articles: Sequence[InProgress]) -> str:
    """The sentence table as far as the model has gone: each Hindi sentence, its English where done
    (with its first checks), "translating…" where not yet."""
    several = len(articles) > 1
    parts = []
    for article, item in enumerate(articles):
        headline = item.done.get(None)
        # An article without a title line has no headline row (not an empty Hindi one).
        rows = [f'<tr class="hb-title-row" data-article="{article}"><td class="hb-n">H</td>'
                f'<td lang="hi">{_e(item.title_hi)}</td>'
                f'<td lang="en">{_e(headline[0]) if headline else _PENDING}</td><td class="hb-checks"></td></tr>'
                ] if item.title_hi.strip() else []
        for index, hi in enumerate(item.sentences):
            found = item.done.get(index)
            english, confidence, notes = found if found else (None, None, [])
            rows.append(
                f'<tr class="hb-seg{" hb-flagged" if notes else ""}{"" if found else " hb-pending"}" '
                f'data-article="{article}" data-seg="{index}">'
                f'<td class="hb-n">{index + 1}<br>{_confidence(confidence, False)}</td>'
                f'<td lang="hi">{_e(hi)}</td><td lang="en">{_e(english) if found else _PENDING}</td>'
                f'<td class="hb-checks">{"<br>".join(_e(n) for n in notes)}</td></tr>')
        name = f'<div class="hb-source">{_e(item.name)}</div>' if several else ""
        parts.append(f'{name}<table class="hb-segments hb-partial">'
                     '<colgroup><col class="hb-col-n"><col><col><col class="hb-col-checks"></colgroup>'
                     "<thead><tr><th>#</th><th>Hindi</th><th>English</th><th>Checks</th></tr></thead>"
                     f'<tbody>{"".join(rows)}</tbody></table>')
    return "".join(parts)


_PENDING = '<span class="hb-wait">translating…</span>'


def _digest_cite(citation: Any) -> str:
    """A clickable ``[A2, s4]``: article 2's sentence 4, lit up in the sentence table on click."""
    label = f"A{citation.article + 1}, s{citation.segment + 1}"
    return (f'<a class="hb-dcite" href="#segments" data-article="{citation.article}" '
            f'data-seg="{citation.segment}">[{label}]</a>')


def render_digest(digest: Any) -> str:
    """The stories several articles tell (a :class:`translate.digest.Digest`): each with its cited
    brief, how many outlets report each fact, where they disagree, who is named, when things
    happened, and its articles. Every citation is a link to the sentence it cites."""
    parts = []
    for number, story in enumerate(digest.stories, start=1):
        sentences = []
        for sentence in story.sentences:
            cites = " ".join(_digest_cite(c) for c in sentence.sources)
            by = f' <span class="hb-by">reported by {sentence.reported_by} outlets</span>' if sentence.reported_by > 1 else ""
            disputed = (f' <span class="hb-disputed">outlets disagree: {_e(", ".join(sentence.disputed))}</span>'
                        if sentence.disputed else "")
            sentences.append(f'<li lang="en">{_e(sentence.text)} {cites}{by}{disputed}</li>')
        conflicts = "".join(
            f'<li>{_e(conflict.what)}: ' + "; ".join(
                f'{_e(digest.outlets[v.article].name)} says <b>{_e(v.value)}</b> '
                f'(<span lang="hi">{_e(v.source)}</span>) {_digest_cite(v)}' for v in conflict.versions) + "</li>"
            for conflict in story.conflicts)
        names = ", ".join(f"{_e(n.name)} ({len(set(n.articles))})" for n in story.names)
        timeline = "".join(f'<li><b>{_e(d.date)}</b>: {_e(d.text)} {" ".join(_digest_cite(c) for c in d.sources)}</li>'
                           for d in story.timeline)
        articles = "".join(f'<li>A{k + 1} · {_e(digest.outlets[k].name)} · {_e(digest.inputs[k])}</li>' for k in story.articles)
        parts.append(
            f'<section class="hb-story"><h3 lang="en">Story {number}: {_e(story.title)}</h3>'
            f'<ul class="hb-story-brief">{"".join(sentences)}</ul>'
            + (f'<div class="hb-conflicts"><b>Where the outlets disagree</b><ul>{conflicts}</ul></div>' if conflicts else "")
            + (f'<div class="hb-names"><b>Named</b>: {names}</div>' if names else "")
            + (f'<div class="hb-timeline"><b>When</b><ul>{timeline}</ul></div>' if timeline else "")
            + f'<div class="hb-why">Grouped for: {_e(", ".join(story.why)) or "a single article"}</div>'
            f'<ul class="hb-story-articles">{articles}</ul></section>'
        )
    count = len(digest.stories)
    return (f'<div class="hb-meta">{len(digest.inputs)} articles, {count} stor{"ies" if count != 1 else "y"}; '
            f'[A2, s4] is article 2, sentence 4: click it to see the sentence.</div>' + "".join(parts))


def render_removed(items: Sequence[Translated]) -> str:
    """The lines cleaning took out of each article, with the reason."""
    return _lists(items, "hb-removed", "Nothing was removed.", lambda item: [
        f'<span class="hb-reason">{_e(r["reason"])}</span>: <span lang="hi">{_e(r["line"])}</span>'
        for r in item.result.removed
    ])


def render_warnings(items: Sequence[Translated]) -> str:
    """Every warning, naming its sentence where it has one."""
    return _lists(items, "hb-warnings", "No warnings.", lambda item: [
        _e(item.result.warning_location(w) + w.message) for w in item.result.warnings
    ])


def _lists(items: Sequence[Translated], css: str, empty: str, entries: Callable[[Translated], list[str]]) -> str:
    """Per article, a ``<ul class=css>`` of its ``entries`` (already escaped HTML), or ``empty``."""
    several = len(items) > 1
    parts = []
    for item in items:
        lines = "".join(f"<li>{entry}</li>" for entry in entries(item))
        parts.append(f'{_section(item, several)}<ul class="{css}">{lines}</ul>' if lines
                     else f'{_section(item, several)}<p class="hb-none">{empty}</p>')
    return "".join(parts)


class Downloads(NamedTuple):
    """The files of one request (None where not made)."""

    json: Path | None = None
    markdown: Path | None = None
    docx: Path | None = None
    bilingual: Path | None = None
    zip: Path | None = None


def write_downloads(items: Sequence[Translated], folder: Path, digest: Any = None) -> Downloads:
    """The results as files in ``folder``: one article gives its .json, .md, .docx and bilingual
    (Hindi | English) .docx, named after its headline; several give one zip holding those four per
    article, named after each input (its file name; a pasted article after its headline), and the
    digest's .json and .md."""
    from ..export import file_stem, to_docx, to_markdown

    used: set[str] = {"digest"}
    if len(items) == 1:
        names = [file_stem(items[0].result)]
    else:
        names = [Path(item.name).stem if item.name != PASTED else file_stem(item.result) for item in items]
    stems = [unique_stem(safe_stem(name), used) for name in names]
    files: dict[str, str | bytes] = {}
    for stem, item in zip(stems, items):
        files[f"{stem}.json"] = item.result.to_json()
        files[f"{stem}.md"] = to_markdown(item.result)
        files[f"{stem}.docx"] = to_docx(item.result)
        files[f"{stem}-bilingual.docx"] = to_docx(item.result, bilingual=True)
    if len(items) == 1:
        paths = []
        for name, content in files.items():
            path = folder / name
            path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
            paths.append(path)
        return Downloads(json=paths[0], markdown=paths[1], docx=paths[2], bilingual=paths[3])
    if digest is not None:
        files["digest.json"], files["digest.md"] = digest.to_json(), digest.to_markdown()
    archive = folder / "hindi-briefs.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            zf.writestr(name, files[name])
    return Downloads(zip=archive)


# -- the app ----------------------------------------------------------------------------------------


CSS = """
.hb-card { border-left: 5px solid var(--color-accent); padding: 0.6em 1.1em; margin: 0.4em 0 1em;
           background: var(--background-fill-secondary); border-radius: 6px; }
.hb-headline { font-size: 1.7em; line-height: 1.25; margin: 0.2em 0 0.1em; }
.hb-title-hi { color: var(--body-text-color-subdued); margin-bottom: 0.5em; }
.hb-brief { font-size: 1.2em; line-height: 1.55; margin: 0.3em 0 0.5em; }
.hb-meta, .hb-source, .hb-none { color: var(--body-text-color-subdued); font-size: 0.9em; }
.hb-source { font-family: var(--font-mono); margin-top: 0.6em; }
.hb-failed { color: var(--error-text-color); }
.hb-progress { font-weight: 600; padding: 0.3em 0; }
.hb-pending td[lang="en"], .hb-wait { color: var(--body-text-color-subdued); font-style: italic; }
[lang="hi"] { font-family: "Noto Sans Devanagari", "Noto Sans", var(--font), sans-serif; }
.hb-translation p, .hb-translation h3 { line-height: 1.55; overflow-wrap: anywhere; }
table.hb-segments { width: 100%; border-collapse: collapse; table-layout: fixed; font-size: 0.95em; }
table.hb-segments th, table.hb-segments td { text-align: left; vertical-align: top; padding: 0.45em 0.6em;
           border-bottom: 1px solid var(--border-color-primary); overflow-wrap: anywhere; }
table.hb-segments thead th { position: sticky; top: 0; background: var(--background-fill-primary); }
table.hb-segments td[lang="hi"] { font-size: 1.05em; line-height: 1.7; }
col.hb-col-n { width: 3em; } col.hb-col-checks { width: 18%; }
tr.hb-flagged td { background: color-mix(in srgb, var(--color-accent) 10%, transparent); }
td.hb-checks { color: var(--error-text-color); font-size: 0.9em; }
.hb-reason { font-weight: 600; }
.hb-bs { cursor: pointer; border-radius: 3px; }
.hb-bs:hover, .hb-bs:focus, .hb-bs.hb-pinned { background: color-mix(in srgb, var(--color-accent) 18%, transparent);
           outline: none; }
.hb-cite { font-size: 0.8em; margin-left: 0.2em; white-space: nowrap; }
.hb-cite .hb-dcite { font-size: 1em; color: var(--link-text-color); }
.hb-problems { color: var(--error-text-color); margin: 0.4em 0; }
.hb-problems ul, .hb-notes ul { margin: 0.2em 0 0.2em 1.2em; }
.hb-problems .hb-dcite { font-size: 1em; color: var(--error-text-color); text-decoration: underline; }
.hb-notes { color: var(--body-text-color-subdued); font-size: 0.9em; margin: 0.3em 0; }
.hb-notes .hb-dcite { font-size: 1em; }
.hb-error { color: var(--error-text-color); border: 1px solid var(--error-border-color, currentColor);
            border-radius: 4px; padding: 0.3em 0.6em; }
.hb-copy { font-size: 0.85em; padding: 0.15em 0.7em; border: 1px solid var(--border-color-primary);
           border-radius: 4px; background: var(--button-secondary-background-fill); cursor: pointer; }
.hb-conf { color: var(--body-text-color-subdued); font-size: 0.75em; }
.hb-conf.hb-doubtful { color: var(--error-text-color); font-weight: 600; }
.hb-story { border-left: 4px solid var(--color-accent); padding: 0.2em 1em 0.6em; margin: 0.6em 0 1em; }
.hb-story h3 { margin: 0.3em 0; }
.hb-story-brief li { line-height: 1.55; margin: 0.2em 0; }
.hb-dcite { font-size: 0.75em; color: var(--body-text-color-subdued); text-decoration: none; white-space: nowrap;
            padding: 0 !important; }  /* Gradio pads every link like a button: "[ s1 ]" */
.hb-dcite:hover { text-decoration: underline; }
.hb-by { font-size: 0.8em; color: var(--body-text-color-subdued); }
.hb-disputed, .hb-conflicts b { color: var(--error-text-color); font-size: 0.9em; }
.hb-why, .hb-story-articles { color: var(--body-text-color-subdued); font-size: 0.85em; }
tr.hb-source-lit td { background: color-mix(in srgb, var(--color-accent) 28%, transparent) !important; }
"""

#: The page's only script: pointing at (or focusing, or clicking to pin) a brief sentence lights up
#: the rows of the sentence table it cites; clicking also scrolls the first of them into view. A
#: digest citation ([A2, s4]), clicked, lights up and shows the sentence it cites. Event
#: delegation on the document, so it keeps working when a new result replaces the HTML. Reads only
#: the data- attributes this module writes.
SCRIPT = """
<script>
(() => {
  const rows = (span) => {
    const article = span.dataset.article;
    return (span.dataset.sources || "").split(" ").filter(Boolean).map((seg) =>
      document.querySelector(`#segments tr.hb-seg[data-article="${article}"][data-seg="${seg}"]`)).filter(Boolean);
  };
  const light = (span, on) => rows(span).forEach((row) => row.classList.toggle("hb-source-lit", on));
  const clear = () => {
    document.querySelectorAll("tr.hb-source-lit").forEach((row) => row.classList.remove("hb-source-lit"));
    document.querySelectorAll(".hb-bs.hb-pinned").forEach((span) => span.classList.remove("hb-pinned"));
  };
  const pinned = () => document.querySelector(".hb-bs.hb-pinned");
  const target = (event) => event.target instanceof Element ? event.target.closest(".hb-bs") : null;
  document.addEventListener("mouseover", (event) => { const s = target(event); if (s && !pinned()) light(s, true); });
  document.addEventListener("mouseout", (event) => { const s = target(event); if (s && !pinned()) light(s, false); });
  document.addEventListener("focusin", (event) => { const s = target(event); if (s && !pinned()) light(s, true); });
  document.addEventListener("focusout", (event) => { const s = target(event); if (s && !pinned()) light(s, false); });
  const copy = async (button) => {  // Copy brief: the clipboard API, else a hidden textarea
    const text = button.dataset.copy || "";
    try { await navigator.clipboard.writeText(text); } catch (error) {
      const area = Object.assign(document.createElement("textarea"), { value: text });
      document.body.appendChild(area); area.select(); document.execCommand("copy"); area.remove();
    }
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = "Copy brief"; }, 2000);
  };
  document.addEventListener("click", (event) => {
    const copier = event.target instanceof Element ? event.target.closest(".hb-copy") : null;
    if (copier) { copy(copier); return; }
    const cite = event.target instanceof Element ? event.target.closest(".hb-dcite") : null;
    if (cite) {  // a digest citation: light up and show the sentence it cites
      event.preventDefault();
      clear();
      const row = document.querySelector(
        `#segments tr.hb-seg[data-article="${cite.dataset.article}"][data-seg="${cite.dataset.seg}"]`);
      if (row) { row.classList.add("hb-source-lit"); row.scrollIntoView({ block: "center", behavior: "smooth" }); }
      return;
    }
    const span = target(event);
    if (!span) return;
    const was = span.classList.contains("hb-pinned");
    clear();
    if (was) return;
    span.classList.add("hb-pinned");
    light(span, true);
    const first = rows(span)[0];
    if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
  });
})();
</script>
"""

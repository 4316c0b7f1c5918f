"""A :class:`~translate.pipeline.Result` as the files people paste into their work: Markdown, plain
text and Word (one home for the output formats; the JSON is ``Result.to_json``).

    from translate.export import to_markdown, to_text, to_docx
    Path("out/story.md").write_text(to_markdown(result), encoding="utf-8")
    Path("out/story.txt").write_text(to_text(result), encoding="utf-8")
    Path("out/story.docx").write_bytes(to_docx(result, bilingual=True))

Both put the English headline and brief first, then the translation with its headings, then the
warnings grouped by the sentence they point at (its Hindi and its English shown once, each message
under it), then where the text came from and which models made it, like
:func:`to_markdown`.  ``to_docx(bilingual=True)`` adds a two-column
Hindi | English table with one row per sentence (after a header row).

Both are deterministic: the same result gives the same text and the same ``.docx`` bytes (the
document's dates are fixed and its ZIP entries carry a fixed time).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from datetime import datetime, timezone

from .faithful.warnings import Warning, by_severity
from .pipeline import Result

__all__ = ["to_markdown", "to_text", "to_docx", "file_stem", "FIXED_DATE"]

#: The creation and modification date written into every .docx (so the bytes do not depend on when).
FIXED_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)
_FOOTNOTE = "Machine translation; check before quoting."
# Characters XML 1.0 cannot hold (python-docx refuses them): C0 controls but tab/newline/CR, lone
# surrogates, U+FFFE/U+FFFF.  A model's output or a result read from JSON may carry them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def to_markdown(result: Result) -> str:
    """The Markdown ``hindi-brief run`` writes: headline, brief (each sentence followed by the
    sentences supporting it, ``[s3, s7]``), the translation with its headings, every sentence followed
    by its number (``[s3]``; ``[s3?]`` for the least confident), then what was translated again and
    any warnings."""
    lines = [f"# {result.headline or 'Untitled article'}", "", f"**Brief.** {result.brief_cited()}", ""]
    doubtful = result.least_confident()
    for block, text in zip(result.translation, result.blocks_marked(doubtful, numbered=True)):
        lines += [f"## {text}" if block["kind"] == "heading" else text, ""]
    lines += ["*[s3] numbers the translation's sentences (the brief cites them so; the Hindi of each is in the "
              "JSON and the bilingual Word file)" + ("; [s3?] marks those the model was least sure of" if doubtful
                                                      else "") + ".*", ""]
    changed = [repair for repair in result.repairs if repair.get("changed")]
    if changed:
        lines += ["---", "", "**Translated again**", ""]
        for repair in changed:
            how = next((t["how"] for t in repair["tried"] if t["text"] == repair["after"]), "another try")
            where = "the headline" if repair["segment"] is None else f"sentence {repair['segment'] + 1}"
            lines.append(f"- {where}: {', '.join(repair['problems_before'])} in "
                         f"\"{repair['before']}\"; kept \"{repair['after']}\" ({how})")
        lines.append("")
    if result.warnings:
        errors = [w for w in result.warnings if w.is_error]
        checks = [w for w in result.warnings if not w.is_error]
        lines += ["---", "", "**Warnings**", ""]
        for warning in errors:
            lines.append(f"- **Error:** {result.warning_location(warning)}{warning.message}")
        if checks:  # folded: GitHub and most Markdown viewers render <details> closed
            lines += ["", f"<details><summary>To check ({len(checks)}: may be false alarms)</summary>", ""]
            lines += [f"- Check: {result.warning_location(w)}{w.message}" for w in checks]
            lines += ["", "</details>"]
        lines.append("")
    source = result.metadata.get("source")
    models = ", ".join(f"{task}: {info.get('id', '?')}" for task, info in result.models.items() if isinstance(info, dict))
    lines += ["---", "", f"*Source: {source or 'pasted text'}. Models: {models}. Machine translation; check before quoting.*", ""]
    return "\n".join(lines)


def file_stem(result: Result, default: str = "article") -> str:
    """A file name (without suffix) after the result's headline: its first words, lower case, ASCII
    letters and digits joined by hyphens, at most 60 characters ("india-and-russia-sign-a-trade-deal");
    ``default`` when the headline has none."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", result.headline).encode("ascii", "ignore")
                       .decode().lower())
    stem = ""
    for word in words:
        if len(stem) + len(word) + 1 > 60:
            break
        stem = f"{stem}-{word}" if stem else word
    return stem or (words[0][:60] if words else default)


def _clean(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def _warning_groups(result: Result) -> list[tuple[int | None, list[str]]]:
    """``(segment index or None, messages)``: the sentences with an ``error`` first, then those with
    only ``check`` findings, each part in the order the warnings first point there (the title or the
    brief, no segment, first of its part); each message starts with "Error: " or "Check: ", errors
    first, and one repeated for the same sentence is kept once."""

    def where(warning: Warning) -> int | None:
        segment = warning.segment
        return segment if segment is not None and 0 <= segment < len(result.segments) else None

    first: dict[int | None, int] = {}
    for position, warning in enumerate(result.warnings):
        first.setdefault(where(warning), position)
    with_error = {where(warning) for warning in result.warnings if warning.is_error}
    groups: dict[int | None, list[str]] = {}
    for warning in by_severity(result.warnings):
        messages = groups.setdefault(where(warning), [])
        message = ("Error: " if warning.is_error else "Check: ") + warning.message
        if message not in messages:
            messages.append(message)
    order = sorted(groups, key=lambda key: (key not in with_error, key is not None, first[key]))
    return [(key, groups[key]) for key in order]


def _source_line(result: Result) -> str:
    source = result.metadata.get("url") or result.metadata.get("source") or "pasted text"
    models = ", ".join(f"{task}: {info.get('id', '?')}" for task, info in result.models.items() if isinstance(info, dict))
    return f"Source: {source}. Models: {models}. {_FOOTNOTE}"


def to_text(result: Result) -> str:
    """The result as plain text: headline (underlined with ``=``), ``Brief:``, the translation with
    its headings (underlined with ``-``), the warnings with their sentences, the source line.  One
    line per paragraph (no wrapping), blank lines between blocks; ends with a newline."""
    title = _clean(result.headline) or "Untitled article"
    lines = [title, "=" * len(title), "", f"Brief: {_clean(result.brief)}", ""]
    for block in result.translation:
        text = _clean(block["text"])
        lines += [text, "-" * len(text), ""] if block["kind"] == "heading" else [text, ""]
    groups = _warning_groups(result)
    if groups:
        lines += ["Warnings", "========", ""]
        for index, messages in groups:
            if index is None:
                lines.append("The title or the brief:")
            else:
                segment = result.segments[index]
                lines += [f"Sentence {index + 1}:", f"  Hindi:   {_clean(segment.hi)}", f"  English: {_clean(segment.en)}"]
            lines += [f"  - {_clean(message)}" for message in messages]
            lines.append("")
    lines += ["--", _clean(_source_line(result)), ""]
    return "\n".join(lines)


def to_docx(result: Result, *, bilingual: bool = False) -> bytes:
    """The result as a Word document (the bytes of a ``.docx``).

    Title style: the English headline; a paragraph "**Brief.** ..."; Heading 1 "Translation" with
    the article's headings as Heading 2 and its paragraphs, each sentence followed by its number
    as a superscript (``s3``, the numbers the brief's ``[s3, s7]`` cite); with *bilingual* a Heading 1 "Hindi and
    English" and a two-column table (a header row "Hindi | English", repeated on every page, then
    one row per sentence); Heading 1 "Warnings" when there are any: for each sentence pointed at,
    its number, Hindi and English, then each message as a bullet; last, the source line in italics.
    """
    import docx  # imported here: only Word output needs it
    from docx.oxml import OxmlElement
    from docx.shared import Pt

    document = docx.Document()
    document.add_heading(_clean(result.headline) or "Untitled article", level=0)
    brief = document.add_paragraph()
    brief.add_run("Brief. ").bold = True
    brief.add_run(_clean(result.brief_cited()))

    document.add_heading("Translation", level=1)
    by_block: dict[int, list[int]] = {}
    for index, segment in enumerate(result.segments):
        if segment.en:
            by_block.setdefault(segment.block, []).append(index)
    for number, block in enumerate(result.translation):
        paragraph = (document.add_heading("", level=2) if block["kind"] == "heading" else document.add_paragraph())
        sentences = by_block.get(number)
        if not sentences:
            paragraph.add_run(_clean(block["text"]))
            continue
        for position, index in enumerate(sentences):  # each sentence, then its number as a superscript
            paragraph.add_run((" " if position else "") + _clean(result.segments[index].en))
            paragraph.add_run(f"s{index + 1}").font.superscript = True

    if bilingual:
        document.add_heading("Hindi and English", level=1)
        table = document.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        header = table.rows[0]
        for cell, label in zip(header.cells, ("Hindi", "English")):
            cell.paragraphs[0].add_run(label).bold = True
        header_properties = header._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")  # python-docx has no API for a repeated header row
        header_properties.append(repeat)
        for segment in result.segments:
            cells = table.add_row().cells
            _hindi_run(cells[0].paragraphs[0], segment.hi)
            cells[1].paragraphs[0].add_run(_clean(segment.en))

    groups = _warning_groups(result)
    if groups:
        document.add_heading("Warnings", level=1)
        for index, messages in groups:
            if index is None:
                document.add_paragraph().add_run("The title or the brief").bold = True
            else:
                segment = result.segments[index]
                document.add_paragraph().add_run(f"Sentence {index + 1}").bold = True
                hindi = document.add_paragraph()
                hindi.add_run("Hindi: ").italic = True
                _hindi_run(hindi, segment.hi)
                english = document.add_paragraph()
                english.add_run("English: ").italic = True
                english.add_run(_clean(segment.en))
            for message in messages:
                document.add_paragraph(_clean(message), style="List Bullet")

    footer = document.add_paragraph().add_run(_clean(_source_line(result)))
    footer.italic = True
    footer.font.size = Pt(9)

    properties = document.core_properties
    properties.title = (_clean(result.headline) or "Untitled article")[:255]
    properties.author = properties.last_modified_by = "hindi-brief"
    properties.comments = _FOOTNOTE
    properties.created = properties.modified = properties.last_printed = FIXED_DATE
    properties.revision = 1
    properties.language = "en"
    return _fixed_zip(document)


def _hindi_run(paragraph, text: str) -> None:
    """A run of Hindi text marked as Hindi (``w:lang w:bidi="hi-IN"``, the complex-script language),
    so that Word picks its Devanagari font and spelling for it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run(_clean(text))
    lang = OxmlElement("w:lang")
    lang.set(qn("w:bidi"), "hi-IN")
    run._r.get_or_add_rPr().append(lang)


def _fixed_zip(document) -> bytes:
    """The saved document with every ZIP entry dated 1980-01-01 (python-docx stamps the current time),
    in python-docx's order.  Hand-written: python-docx has no option for it."""
    saved = io.BytesIO()
    document.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()

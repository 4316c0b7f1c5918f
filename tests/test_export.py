"""Exports (translate.export): a result made by the pipeline with the stub engines, as .txt and .docx."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import docx.oxml.ns
import pytest
from stubs import HonestSummarizer, HonestTranslator

from translate.export import to_docx, to_markdown, to_text
from translate.pipeline import Pipeline, Result

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))


class NumberDropper(HonestTranslator):
    """Loses every number: the checks warn about those sentences (twice for '11 जुलाई, 2025')."""

    def translate_one(self, sentence: str) -> str:
        return re.sub(r"\d+", "", super().translate_one(sentence))


@pytest.fixture(scope="module")
def result() -> Result:
    return Pipeline(NumberDropper(), HonestSummarizer())(SEEDS[2])


def warned(result: Result) -> list[int]:
    return sorted({w.segment for w in result.warnings if w.segment is not None})


def test_the_seed_result_has_headings_and_warnings_to_export(result: Result) -> None:
    assert [b["kind"] for b in result.translation].count("heading") == 2
    assert warned(result) == [2, 9]
    assert len([w for w in result.warnings if w.segment == 2]) == 2  # the same message twice


# --- plain text ------------------------------------------------------------------------------------


def test_text_gives_headline_brief_translation_then_warnings_with_their_sentences(result: Result) -> None:
    text = to_text(result)
    lines = text.split("\n")
    assert lines[:4] == [result.title, "=" * len(result.title), "", f"Brief: {result.brief}"]
    positions = [text.index(block["text"] + "\n", text.index("Brief: ") + 7) for block in result.translation]
    assert positions == sorted(positions)  # the blocks in order, after the brief
    for block in result.translation:
        if block["kind"] == "heading":
            assert f"\n{block['text']}\n{'-' * len(block['text'])}\n" in text
    warnings = text[text.index("\nWarnings\n========\n"):]
    assert positions[-1] < text.index("\nWarnings\n")
    for index in warned(result):
        segment = result.segments[index]
        assert f"Sentence {index + 1}:\n  Hindi:   {segment.hi}\n  English: {segment.en}\n" in warnings
    assert warnings.count("'11 जुलाई, 2025' (11 July 2025) is missing") == 1  # shown once under its sentence
    assert lines[-2].startswith(f"Source: {result.metadata['source']}. Models: translator: stub-honest")
    assert text.endswith("Machine translation; check before quoting.\n")


def test_a_result_without_warnings_has_no_warnings_section() -> None:
    clean = Pipeline(HonestTranslator(), HonestSummarizer())(SEEDS[4])
    assert clean.warnings == []
    assert "Warnings" not in to_text(clean)
    assert [p.text for p in docx.Document(io.BytesIO(to_docx(clean))).paragraphs if p.style.name == "Heading 1"] == \
        ["Translation"]


# --- Word ----------------------------------------------------------------------------------------


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_the_word_document_holds_headline_brief_headings_paragraphs_and_warnings_in_order(result: Result) -> None:
    data = to_docx(result)
    document = docx.Document(io.BytesIO(data))
    found = paragraphs(data)
    assert found[0] == ("Title", result.title)
    assert found[1] == ("Normal", f"Brief. {result.brief_cited()}")
    assert "[s1]" in found[1][1]  # the brief cites the numbered sentences below
    assert document.paragraphs[1].runs[0].bold
    assert found[2] == ("Heading 1", "Translation")
    story = found[3:3 + len(result.translation)]
    numbered = [" ".join(f"{s.en}s{i + 1}" for i, s in enumerate(result.segments) if s.block == b) or block["text"]
                for b, block in enumerate(result.translation)]
    assert story == [("Heading 2" if b["kind"] == "heading" else "Normal", text)
                     for b, text in zip(result.translation, numbered)]
    marks = [run for p in document.paragraphs[3:3 + len(result.translation)] for run in p.runs if run.font.superscript]
    assert [run.text for run in marks] == [f"s{i + 1}" for i, s in enumerate(result.segments) if s.en]
    rest = found[3 + len(result.translation):]
    assert rest[0] == ("Heading 1", "Warnings")
    for index in warned(result):
        segment = result.segments[index]
        at = rest.index(("Normal", f"Sentence {index + 1}"))
        assert rest[at + 1:at + 3] == [("Normal", f"Hindi: {segment.hi}"), ("Normal", f"English: {segment.en}")]
        messages = {("Error: " if w.is_error else "Check: ") + w.message for w in result.warnings if w.segment == index}
        assert rest[at + 3:at + 3 + len(messages)] == [("List Bullet", m) for m in messages]
    assert rest[-1][1].startswith(f"Source: {result.metadata['source']}.")
    assert document.tables == []
    assert document.core_properties.title == result.title


def test_the_bilingual_word_document_has_a_hindi_english_table_with_one_row_per_sentence(result: Result) -> None:
    document = docx.Document(io.BytesIO(to_docx(result, bilingual=True)))
    (table,) = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Hindi", "English"]
    assert rows[1:] == [[s.hi, s.en] for s in result.segments]
    assert len(table.columns) == 2
    assert table.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None  # repeated on every page
    hindi_run = table.rows[1].cells[0].paragraphs[0].runs[0]._r
    assert hindi_run.rPr.find(docx.oxml.ns.qn("w:lang")).get(docx.oxml.ns.qn("w:bidi")) == "hi-IN"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Translation", "Hindi and English", "Warnings"]


def test_the_same_result_gives_the_same_bytes_whenever_it_is_exported(result: Result, monkeypatch) -> None:
    first = to_docx(result, bilingual=True)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3 * 86400)  # another day: ZIP entries would carry it
    again = to_docx(result, bilingual=True)
    assert again == first
    from_json = Result.from_dict(json.loads(result.to_json()))  # exporting a saved result later
    assert to_docx(from_json, bilingual=True) == first and to_text(from_json) == to_text(result)
    assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_characters_word_cannot_hold_do_not_break_the_export(result: Result) -> None:
    data = result.to_dict()
    data["brief"] = "A brief\x0b with a vertical tab\x1b[31m and an escape."
    data["segments"][0]["en"] = "Control\x00 characters\x08 here."
    broken = Result.from_dict(data)
    text = to_text(broken)
    assert "Brief: A brief with a vertical tab[31m and an escape." in text
    document = docx.Document(io.BytesIO(to_docx(broken, bilingual=True)))
    assert document.paragraphs[1].text == "Brief. A brief with a vertical tab[31m and an escape. [s1]"
    assert document.tables[0].rows[1].cells[1].text == "Control characters here."


def test_an_untitled_result_is_headed_by_its_lede() -> None:
    text = "भारत और रूस ने मंगलवार को व्यापार पर एक समझौता किया। दोनों देशों के मंत्री मॉस्को में मिले।"
    untitled = Pipeline(HonestTranslator(), HonestSummarizer())(text)
    assert untitled.title == ""
    headline = untitled.headline
    assert headline and headline != "Untitled article"  # the lede's first sentence heads it
    assert to_text(untitled).startswith(f"{headline}\n{'=' * len(headline)}\n")
    assert paragraphs(to_docx(untitled))[0] == ("Title", headline)


# --- severities ------------------------------------------------------------------------------------


def _with_a_check_before_an_error(result: Result) -> Result:
    from translate.faithful.warnings import warning

    check = warning("length-ratio", 0, "The translation is 0.50 times the source's length.", ratio=0.5)
    return replace(result, warnings=[check, *result.warnings])


def test_every_export_shows_errors_first_and_says_which_findings_are_only_checks(result: Result) -> None:
    both = _with_a_check_before_an_error(result)
    assert both.warnings[0].severity == "check" and any(w.severity == "error" for w in both.warnings)
    text = to_text(both)
    warnings = text[text.index("\nWarnings\n"):]
    assert warnings.index("Error: ") < warnings.index("Check: The translation is 0.50")
    assert warnings.index("Sentence 3:") < warnings.index("Sentence 1:")  # the error's sentence first
    markdown = to_markdown(both)
    section = markdown[markdown.index("**Warnings**"):]
    assert section.index("**Error:**") < section.index("<details><summary>To check (1: may be false alarms)")
    folded = section[section.index("<details>"):section.index("</details>")]
    assert "- Check: " in folded and "The translation is 0.50" in folded and "Error" not in folded
    document = docx.Document(io.BytesIO(to_docx(both)))
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets[0].startswith("Error: ") and bullets[-1].startswith("Check: The translation is 0.50")
    assert json.loads(json.dumps(both.to_dict()))["warnings"][0]["severity"] == "check"

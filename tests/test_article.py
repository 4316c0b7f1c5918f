"""Loading articles: the five seeds line by line, the input formats, and bad files."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from translate.article import (
    DEFAULT_MAX_BYTES,
    Article,
    decode_bytes,
    ensure_hindi,
    load_article,
    parse_article,
)
from translate.article.segment import split_sentences
from translate.errors import InputError, UsageError

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))

# Story lines of each seed (1-based line numbers, read by hand): headings and paragraphs, first copy
# of repeated paragraphs only, and the title line.
STORY = {
    0: {"title": 2, "headings": [19, 21], "paragraphs": [13, 14, 20, 22, 23]},
    1: {"title": None, "headings": [7], "paragraphs": [3, 5, 8, 9]},
    2: {"title": 1, "headings": [7, 13], "paragraphs": [3, 5, 9, 11, 15, 17]},
    3: {"title": 1, "headings": [10, 16, 20], "paragraphs": [6, 8, 12, 14, 18, 22, 24]},
    4: {"title": 7, "headings": [11, 17, 22, 26, 30], "paragraphs": [9, 13, 15, 19, 20, 24, 28, 32, 34]},
}


def seed_lines(index: int) -> list[str]:
    return SEEDS[index].read_text(encoding="utf-8").split("\n")


def nonspace(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def seeds() -> list[Article]:
    return [load_article(path) for path in SEEDS]


@pytest.mark.parametrize("index", range(5))
def test_seed_keeps_its_story_in_order_and_nothing_else(seeds: list[Article], index: int) -> None:
    article, lines, story = seeds[index], seed_lines(index), STORY[index]
    expected = sorted([(n, "heading") for n in story["headings"]] + [(n, "paragraph") for n in story["paragraphs"]])
    assert [(b.kind, b.text) for b in article.blocks] == [(kind, " ".join(lines[n - 1].split())) for n, kind in expected]
    assert article.title == ("" if story["title"] is None else " ".join(lines[story["title"] - 1].split()))
    # every story sentence is kept, split as split_sentences splits its line
    assert [s for _, s in article.sentences()] == [s for n, _ in expected for s in split_sentences(" ".join(lines[n - 1].split()))]


@pytest.mark.parametrize("index", range(5))
def test_every_other_line_is_in_removed_with_a_reason(seeds: list[Article], index: int) -> None:
    article, lines, story = seeds[index], seed_lines(index), STORY[index]
    story_lines = {story["title"], *story["headings"], *story["paragraphs"]}
    others = [" ".join(line.split()) for n, line in enumerate(lines, 1) if line.strip() and n not in story_lines]
    assert [r["line"] for r in article.removed] == others
    assert all(r["reason"] for r in article.removed)


def reasons(article: Article) -> dict[str, str]:
    return {r["line"]: r["reason"] for r in article.removed}


def test_seed_000_header_summary_duplicates_and_photo(seeds: list[Article]) -> None:
    article = seeds[0]
    header = json.loads(seed_lines(0)[0])
    assert article.title == header["title_hn"]
    assert article.metadata["category"] == "World"
    assert article.metadata["slug"] == header["slug"]
    assert article.metadata["author"] == "कीर्तिवर्धन मिश्र"
    assert article.metadata["dateline"] == "Fri, 28 Nov 2025 11:11 AM IST"
    assert article.metadata["site"] == "वर्ल्ड डेस्क, अमर उजाला, इस्लामाबाद"
    assert article.metadata["summary"] == seed_lines(0)[6]
    assert article.metadata["source"] == str(SEEDS[0])
    texts = [b.text for b in article.blocks]
    assert len(texts) == len(set(texts))  # the body repeats paragraphs two or three times: each kept once
    assert "विज्ञापन" not in texts and "Trending Videos" not in texts and "अन्य वीडियो" not in texts
    got = reasons(article)
    assert got["पाकिस्तान-रूस।"] == "photo caption"
    assert got["- फोटो : Adobe Stock"] == "photo credit"
    assert got["विज्ञापन"] == "advertisement marker"
    assert got[seed_lines(0)[15]] == "duplicate paragraph"
    assert article.removed[0]["reason"] == "metadata: JSON header"


def test_seed_001_loses_its_share_label_and_has_no_title(seeds: list[Article]) -> None:
    article = seeds[1]
    assert reasons(article) == {"Spread the love": "share label"}
    assert article.title == ""
    assert article.blocks[0].text.startswith("मॉस्को: रूस के राष्ट्रपति")


def test_seed_002_loses_its_cross_links(seeds: list[Article]) -> None:
    got = reasons(seeds[2])
    assert got["Read More at www.abplive.com"] == "cross-link"
    assert got[seed_lines(2)[18].strip()] == "cross-link"
    assert seeds[2].blocks[2] .kind == "heading" and seeds[2].blocks[2].text.endswith("क्या कहा?")


def test_seed_003_loses_latest_news_and_everything_after(seeds: list[Article]) -> None:
    article = seeds[3]
    assert not any("गुयाना" in b.text or "Guyana" in b.text for b in article.blocks)
    assert article.removed[-5:] == [
        {"line": "Latest News", "reason": "trailing block: Latest News"},
        *({"line": " ".join(line.split()), "reason": "after Latest News"} for line in seed_lines(3)[29:36] if line.strip()),
    ]
    assert article.metadata["author"] == "Aarti Kushwaha"
    assert article.metadata["site"] == "The Printlines (Part of Bharat Express News Network)"
    # "है.इस" splits without losing a character
    assert "पाकिस्तान यात्रा पर है." in [s[-len("पाकिस्तान यात्रा पर है."):] for _, s in article.sentences()]


def test_seed_004_loses_widgets_and_popular_articles(seeds: list[Article]) -> None:
    article = seeds[4]
    assert reasons(article) == {
        "Wednesday, November 19, 2025": "metadata: dateline",
        "Top 5 This Week": "widget heading",
        "Related Posts": "widget heading",
        "Popular Articles": "trailing block: Popular Articles",
    }
    assert article.title == "मॉस्को में रूसी विदेश मंत्री से मिले जयशंकर"
    assert article.metadata["dateline"] == "Wednesday, November 19, 2025"
    assert any("डॉ. एस. जयशंकर ने मॉस्को" in s for _, s in article.sentences())


def test_article_json_round_trip_and_helpers(seeds: list[Article]) -> None:
    article = seeds[2]
    data = json.loads(json.dumps(article.to_dict(), ensure_ascii=False))
    assert set(data) == {"title", "metadata", "blocks", "removed"}
    assert set(data["blocks"][0]) == {"kind", "text", "sentences"}
    assert Article.from_dict(data) == article
    assert article.text == "\n\n".join(b.text for b in article.blocks)
    assert [i for i, _ in article.sentences()] == sorted(i for i, _ in article.sentences())
    assert len(article.metadata["sha256"]) == 64


# --- formats ------------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>रूस ने की बड़ी डील - ABP</title>
<style>p {{ color: red }} .x::after {{ content: 'STYLEMARKER' }}</style>
<script>var SCRIPTMARKER = 'दुर्भावनापूर्ण';</script></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>रूस ने पाकिस्तान के साथ कर ली बड़ी डील</h1>{paragraphs}
<script>document.write('SCRIPTMARKER');</script></article><footer>Copyright ABP</footer></body></html>"""


def test_html_main_text_headings_and_no_script(tmp_path: Path) -> None:
    lines = [line for line in seed_lines(2) if line.strip()][1:9]
    paragraphs = "".join(f"<h2>{line}</h2>" if line.endswith("?") else f"<p>{line}</p>" for line in lines)
    path = tmp_path / "story.html"
    path.write_text(HTML.format(paragraphs=paragraphs), encoding="utf-8")
    article = load_article(path)
    dumped = json.dumps(article.to_dict(), ensure_ascii=False)
    assert "SCRIPTMARKER" not in dumped and "STYLEMARKER" not in dumped and "color" not in dumped
    assert article.title == "रूस ने पाकिस्तान के साथ कर ली बड़ी डील"
    assert [b.text for b in article.blocks if b.kind == "heading"] == ["पाकिस्तानी पीएम के विशेष सचिव ने क्या कहा?"]
    assert nonspace(article.text) == nonspace("".join(lines))


def test_short_html_page_falls_back_to_lxml() -> None:
    html = ("<html><body><h1>छोटी खबर</h1><h2>उप शीर्षक</h2><p>रूस और भारत ने बात की।</p><script>SCRIPTMARKER</script>"
            "</body></html>")
    article = parse_article(html, "page.htm")
    assert article.title == "छोटी खबर"
    assert [(b.kind, b.text) for b in article.blocks] == [("heading", "उप शीर्षक"), ("paragraph", "रूस और भारत ने बात की।")]


def test_html_is_sniffed_in_a_txt_file(tmp_path: Path) -> None:
    path = tmp_path / "saved.txt"
    path.write_text("<!doctype html><html><body><p>रूस और भारत ने बात की। फिर समझौता हुआ।</p></body></html>", encoding="utf-8")
    assert [b.text for b in load_article(path).blocks] == ["रूस और भारत ने बात की। फिर समझौता हुआ।"]


def test_markdown_headings_links_and_code(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text("# रूस और भारत\n\nविदेश मंत्री ने [मॉस्को](https://example.com) में **लावरोव** से\nमुलाकात की।\n\n"
                    "## व्यापार पर जोर\n\n- दोनों देशों ने व्यापार बढ़ाने पर सहमति जताई।\n\n```\ncode here\n```\n\nविज्ञापन\n",
                    encoding="utf-8")
    article = load_article(path)
    assert article.title == "रूस और भारत"
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", "विदेश मंत्री ने मॉस्को में लावरोव से मुलाकात की।"),
        ("heading", "व्यापार पर जोर"),
        ("paragraph", "दोनों देशों ने व्यापार बढ़ाने पर सहमति जताई।"),
    ]
    assert [r["reason"] for r in article.removed] == ["code block", "advertisement marker"]


def test_json_header_with_lone_surrogates_is_parsed_not_kept() -> None:
    header = json.dumps({"slug": "russia-pakistan", "title_hn": "रूस \ud800 पाकिस्तान", "category": {"title": "World"}})
    article = parse_article(header + "\n" + seed_lines(1)[2], source="x.txt")
    assert article.title == "रूस पाकिस्तान"
    assert article.metadata["slug"] == "russia-pakistan" and article.metadata["category"] == "World"
    assert len(article.blocks) == 1 and "slug" not in article.text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_boms_decide_the_encoding(tmp_path: Path, encoding: str) -> None:
    text = SEEDS[4].read_text(encoding="utf-8")
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = (codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE) + data
    path = tmp_path / "seed.txt"
    path.write_bytes(data)
    article = load_article(path)
    assert [b.text for b in article.blocks] == [b.text for b in load_article(SEEDS[4]).blocks]


def test_crlf_and_no_break_spaces_change_nothing(tmp_path: Path) -> None:
    path = tmp_path / "seed.txt"
    path.write_bytes(SEEDS[3].read_bytes().replace(b"\n", b"\r\n"))
    assert load_article(path).blocks == load_article(SEEDS[3]).blocks


def test_legacy_code_page_text_decodes_and_is_then_not_hindi() -> None:
    text = decode_bytes("Russia’s “historic” deal — €5 million".encode("cp1252"), "old.txt")
    assert text == "Russia’s “historic” deal — €5 million"
    with pytest.raises(InputError, match="no Hindi"):
        ensure_hindi(parse_article(text * 3, "old.txt"))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\r\n\xc2\xa0\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (bytes(range(1, 9)) * 50, "binary file"),
        (codecs.BOM_UTF8 + b"\xe0\xa4", "undecodable"),
        (codecs.BOM_UTF16_LE + "रूस".encode("utf-16-le") + b"\x00", "undecodable"),
        ("रूस और भारत".encode("utf-8")[:-1] + b" \xff more", "undecodable"),
        ("Spread the love\nविज्ञापन\nRead More at www.abplive.com".encode(), "nothing left after cleaning"),
    ],
)
def test_bad_files_are_input_errors_naming_the_file(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=reason) as info:
        load_article(path)
    assert str(info.value).startswith(str(path) + ": ") and "\n" not in str(info.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_article(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        load_article(tmp_path)


def test_size_limit_from_argument_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert DEFAULT_MAX_BYTES == 5 * 1024 * 1024
    path = tmp_path / "big.txt"
    path.write_bytes(SEEDS[1].read_bytes() * 200)  # about 1.5 MB
    with pytest.raises(InputError, match=r"file is 1\.\d MiB, over the 1 MiB limit \(--max-bytes / HINDI_BRIEF_MAX_BYTES\)"):
        load_article(path, max_bytes=2**20)
    monkeypatch.setenv("HINDI_BRIEF_MAX_BYTES", "1000")
    with pytest.raises(InputError, match="over the 1000 bytes limit"):
        load_article(path)
    assert load_article(path, max_bytes=2 * 2**20).blocks  # an explicit limit beats the variable
    monkeypatch.setenv("HINDI_BRIEF_MAX_BYTES", "lots")
    with pytest.raises(UsageError, match="HINDI_BRIEF_MAX_BYTES"):
        load_article(path)


def test_ensure_hindi_accepts_hindi_with_english_words_and_refuses_urdu(seeds: list[Article]) -> None:
    for article in seeds:
        ensure_hindi(article)
    urdu = parse_article("روس اور پاکستان کے درمیان تجارت اور توانائی کے شعبوں میں تعاون پر اتفاق ہوا ہے۔", "urdu.txt")
    with pytest.raises(InputError, match=r"^urdu.txt: no Hindi \(Devanagari\) text: "):
        ensure_hindi(urdu)


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown input format 'rtf'"):
        parse_article("रूस।", fmt="rtf")


def test_a_document_format_given_text_says_to_pass_its_bytes() -> None:
    """PDF became a known format (issue 17); given already-decoded text, it names the right call."""
    with pytest.raises(UsageError, match="pdf documents are read from their bytes"):
        parse_article("रूस।", fmt="pdf")

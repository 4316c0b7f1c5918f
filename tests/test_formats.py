"""Word and PDF articles (translate.article.formats): the files are made here, with python-docx and
fpdf2 (HarfBuzz shaping, Noto Sans Devanagari), from the seeds."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import fpdf
import pytest

from translate.article import formats as formats_module
from translate.article import load_article
from translate.article.cleaning import clean_units, text_units
from translate.article.formats import legacy_font_sample, read_docx, read_pdf, repair_visual_order, sniff
from translate.article.segment import split_sentences
from translate.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FONTS = Path("/usr/share/fonts/truetype/noto")
DEVANAGARI_FONT = FONTS / "NotoSansDevanagari-Regular.ttf"
LATIN_FONT = FONTS / "NotoSans-Regular.ttf"


def cleaned(units):
    """What load_article does with a reader's units: clean, then split sentences."""
    page = clean_units(units)
    return page.title, page.blocks, [s for _, text in page.blocks for s in split_sentences(text)]


def expected(article):
    return article.title, [(b.kind, b.text) for b in article.blocks], [s for _, s in article.sentences()]


# --- Kruti Dev: how Hindi typed in the legacy font reads as text ---------------------------------

_KD = {
    "अ": "v", "आ": "vk", "इ": "b", "ई": "bZ", "उ": "m", "ऊ": "Å", "ए": ",", "ऐ": ",s", "ओ": "vks", "औ": "vkS",
    "ऋ": "_", "क": "d", "ख": "[k", "ग": "x", "घ": "?k", "ङ": "³", "च": "p", "छ": "N", "ज": "t", "झ": ">",
    "ञ": "¥", "ट": "V", "ठ": "B", "ड": "M", "ढ": "<", "ण": ".k", "त": "r", "थ": "Fk", "द": "n", "ध": "/k",
    "न": "u", "प": "i", "फ": "Q", "ब": "c", "भ": "Hk", "म": "e", "य": ";", "र": "j", "ल": "y", "व": "o",
    "श": "'k", "ष": '"k', "स": "l", "ह": "g", "ा": "k", "ी": "h", "ु": "q", "ू": "w", "ृ": "`", "े": "s",
    "ै": "S", "ो": "ks", "ौ": "kS", "ं": "a", "ँ": "¡", "ः": "%", "़": "+", "।": "A", ",": "]", "ॉ": "kW",
    "ऑ": "vkW", "ऱ": "j", "–": "&", "—": "&", "‘": "^", "’": "*", "“": "^", "”": "*",
}
_KD_HALF = {"क": "D", "ग": "X", "च": "P", "ज": "T", "त": "R", "न": "U", "प": "I", "ब": "C", "म": "E", "ल": "Y",
            "व": "O", "स": "L", "य": "¸"}
_CONSONANTS = set("कखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसह")


def kruti_dev(text: str) -> str:
    """Unicode Hindi as a Kruti Dev 010 document holds it (the common letters; enough to look real):
    ``ि`` typed before its consonant, half forms for consonant + virama, reph as ``Z``."""
    out: list[str] = []
    cluster_start = 0
    reph = False
    i = 0
    while i < len(text):
        ch = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        after = text[i + 2] if i + 2 < len(text) else ""
        if ch == "र" and nxt == "्" and after in _CONSONANTS:
            reph, i = True, i + 2
            continue
        if ch in _CONSONANTS:
            if not (out and out[-1].endswith("\x00")):
                cluster_start = len(out)
            else:
                out[-1] = out[-1][:-1]
            if ch == "र" and nxt == "ू":
                out.append(":")
                i += 2
                continue
            if nxt == "्" and after in _CONSONANTS:
                half = _KD_HALF.get(ch) or (_KD[ch][:-1] if _KD[ch].endswith("k") else _KD[ch] + "~")
                out.append(half + "\x00")  # \x00: the cluster goes on
                i += 2
                continue
            out.append(_KD[ch])
            if reph:
                out.append("Z")
                reph = False
        elif ch == "ि":
            out.insert(cluster_start, "f")
        else:
            out.append(_KD.get(ch, ch))
        i += 1
    return "".join(out).replace("\x00", "")


def test_the_kruti_dev_helper_reads_like_the_real_thing() -> None:
    assert kruti_dev("भारत और रूस ने समझौता किया।") == "Hkkjr vkSj :l us le>kSrk fd;kA"


# --- legacy-font detection ---------------------------------------------------------------------


@pytest.mark.parametrize("index", range(5))
def test_every_seed_typed_in_kruti_dev_is_recognised_and_the_unicode_seed_is_not(index: int) -> None:
    text = load_article(SEEDS[index]).text
    assert legacy_font_sample(text) is None
    sample = legacy_font_sample(kruti_dev(text))
    assert sample is not None and sample == " ".join(kruti_dev(text).split()[:4])


@pytest.mark.parametrize("text", [
    "India and Russia signed an agreement on Tuesday. The foreign minister, Dr. S. Jaishankar, met his Russian "
    "counterpart Sergey Lavrov in Moscow and said that bilateral trade would grow by 10 per cent this year.",
    "Bharat aur Rus ne mangalvaar ko ek samjhauta kiya. Videsh mantri ne kaha ki dono deshon ke beech vyapaar "
    "badhega aur kisanon ki sthiti mein sudhaar hoga, jo ek achhi baat hai.",
    "L'Inde et la Russie ont signé un accord mardi. Le ministre des Affaires étrangères a rencontré son homologue "
    "russe à Moscou et a déclaré que le commerce bilatéral augmenterait cette année.",
])
def test_english_french_and_romanised_hindi_are_not_taken_for_a_legacy_font(text: str) -> None:
    assert legacy_font_sample(text) is None


# --- sniffing ----------------------------------------------------------------------------------


def test_sniff_tells_the_format_from_the_content_then_the_suffix(docx_bytes: bytes, seed_pdf: bytes) -> None:
    assert sniff(seed_pdf, ".txt") == "pdf"
    assert sniff(docx_bytes, None) == "docx"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".doc") == "docx"  # read_docx explains
    assert sniff("<html><body><p>नमस्ते</p></body></html>".encode(), ".pdf") == "pdf"  # read_pdf says "not a PDF"
    assert sniff("भारत और रूस".encode(), ".txt") is None
    assert sniff("एक लेख जो %PDF- लिखता है।".encode(), ".txt") is None  # a mention is no PDF header
    assert sniff("भारत और रूस".encode(), ".DOCX") == "docx"
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as package:
        package.writestr("a.txt", "x")
    assert sniff(plain_zip.getvalue(), ".zip") is None


# --- Word --------------------------------------------------------------------------------------


def styled_docx(article) -> bytes:
    """The article as an editor would write it in Word: Title, Heading 2 headings, Normal paragraphs."""
    document = docx.Document()
    document.add_heading(article.title, level=0)
    for block in article.blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=2)
        else:
            document.add_paragraph(block.text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return styled_docx(load_article(SEEDS[4]))


@pytest.mark.parametrize("index", [0, 2, 4])
def test_a_styled_word_document_reads_back_as_the_seeds_title_blocks_and_sentences(index: int) -> None:
    article = load_article(SEEDS[index])
    units = read_docx(styled_docx(article), "article.docx")
    assert units[0].hint == "title"
    assert cleaned(units) == expected(article)


@pytest.mark.parametrize("index", range(5))
def test_a_word_document_of_the_raw_seed_lines_cleans_exactly_like_the_text_file(index: int) -> None:
    """No styles at all: each line of the scraped seed pasted as a Normal paragraph."""
    lines = SEEDS[index].read_text(encoding="utf-8").split("\n")
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    from_word = clean_units(read_docx(out.getvalue(), "seed.docx"))
    from_text = clean_units(text_units("\n".join(lines)))
    assert (from_word.title, from_word.blocks, from_word.removed) == (from_text.title, from_text.blocks, from_text.removed)


def test_word_tracked_changes_tables_links_and_custom_heading_styles() -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    custom = document.styles.add_style("Zwischentitel", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = document.styles["Heading 2"]
    paragraph = document.add_paragraph("भारत और रूस ने ")

    def tracked(change: str, number: str, tag: str, words: str) -> None:
        """A tracked insertion (w:ins, w:t) or deletion (w:del, w:delText) of *words* in the paragraph."""
        element = OxmlElement(change)
        element.set(qn("w:id"), number)
        element.set(qn("w:author"), "editor")
        run = OxmlElement("w:r")
        text = OxmlElement(tag)
        text.text = words
        run.append(text)
        element.append(run)
        paragraph._p.append(element)

    tracked("w:ins", "1", "w:t", "मंगलवार को ")
    tracked("w:del", "2", "w:delText", "कल ")
    paragraph.add_run("समझौता किया।")
    document.add_paragraph("व्यापार पर चर्चा", style="Zwischentitel")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "पहली कोठरी का वाक्य।"
    table.cell(0, 1).text = "दूसरी कोठरी का वाक्य।"
    out = io.BytesIO()
    document.save(out)
    units = read_docx(out.getvalue(), "changes.docx")
    assert [(u.text, u.hint) for u in units] == [
        ("भारत और रूस ने मंगलवार को समझौता किया।", None),
        ("व्यापार पर चर्चा", "heading"),
        ("पहली कोठरी का वाक्य।", None),
        ("दूसरी कोठरी का वाक्य।", None),
    ]


def test_a_word_document_typed_in_kruti_dev_is_refused_in_one_line() -> None:
    document = docx.Document()
    for block in load_article(SEEDS[1]).blocks:
        run = document.add_paragraph().add_run(kruti_dev(block.text))
        run.font.name = "Kruti Dev 010"
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(InputError) as caught:
        read_docx(out.getvalue(), "kruti.docx")
    message = str(caught.value)
    assert message.startswith("kruti.docx: looks like a legacy-font (Kruti Dev) Word document: its text is not Unicode")
    assert "\n" not in message


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in files.items():
            package.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("data, reason", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "is an old-format Office file (Word 97-2003 .doc) or a password-protected"),
    ("भारत और रूस ने समझौता किया।".encode(), "not a Word .docx document (it is not a ZIP package)"),
    (b"PK\x03\x04" + b"\x00" * 40, "damaged Word .docx document"),
    (zip_of({"mimetype": b"application/epub+zip"}), "a ZIP package without word/document.xml"),
    (zip_of({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<not-word/>"}), "damaged Word .docx document"),
])
def test_bad_word_files_are_refused_in_one_line(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        read_docx(data, "bad.docx")
    assert str(caught.value).startswith("bad.docx: ") and reason in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_word_file_that_unpacks_past_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch, docx_bytes: bytes) -> None:
    monkeypatch.setattr(formats_module, "MAX_DOCX_UNPACKED", 20_000)
    with pytest.raises(InputError, match=r"bomb.docx: Word document unpacks to \d+ bytes, over the 20000 bytes limit"):
        read_docx(docx_bytes, "bomb.docx")


# --- PDF ---------------------------------------------------------------------------------------


class _Paper(fpdf.FPDF):
    def footer(self) -> None:  # a page number at the foot of every page, as printed articles have
        self.set_y(-12)
        self.set_font("Noto", size=9)
        self.cell(0, 6, str(self.page_no()), align="C")


def article_pdf(article, *, shaping: bool = True) -> bytes:
    """The article typeset as a newspaper PDF: title 22 pt, headings 16 pt, body 12 pt, Devanagari
    line spacing (1.65), so long paragraphs wrap over lines and pages."""
    pdf = _Paper()
    pdf.add_font("Noto", fname=str(DEVANAGARI_FONT))
    pdf.add_font("NotoLatin", fname=str(LATIN_FONT))
    pdf.set_fallback_fonts(["NotoLatin"])
    pdf.set_text_shaping(shaping)
    pdf.add_page()
    pdf.set_font("Noto", size=22)
    pdf.multi_cell(0, 11, article.title)
    pdf.ln(4)
    for block in article.blocks:
        pdf.set_font("Noto", size=16 if block.kind == "heading" else 13)
        pdf.multi_cell(0, 10 if block.kind == "heading" else 9, block.text)
        pdf.ln(3)
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def seed_pdf() -> bytes:
    return article_pdf(load_article(SEEDS[4]))


def test_a_shaped_devanagari_pdf_reads_back_as_the_seeds_title_blocks_and_sentences(seed_pdf: bytes) -> None:
    """Shaped like every real PDF (ि drawn before its consonant, conjuncts as one glyph), over two
    pages with page numbers: the text comes back in logical order, paragraphs whole."""
    article = load_article(SEEDS[4])
    units = read_pdf(seed_pdf, "article.pdf")
    assert [u.text for u in units if u.reason] == ["1", "2"]  # the page numbers, removed
    assert cleaned(units) == expected(article)


@pytest.mark.parametrize("index", [1, 3])  # two pages each, paragraphs running over the page break
def test_other_seeds_as_pdfs_read_back_too(index: int) -> None:
    article = load_article(SEEDS[index])
    if not article.title:  # seed 1 has none: its PDF starts with the first paragraph
        article.title = "रूस और पाकिस्तान"
    assert cleaned(read_pdf(article_pdf(article), "article.pdf")) == expected(article)


def test_a_pdf_holding_vowel_signs_in_visual_order_is_repaired() -> None:
    """Some producers map each glyph to its own character but keep the drawing order: ``ि`` first."""
    logical = "किसान की स्थिति में सुधार हुआ और किया गया विकास दिखा।"
    visual = "िकसान की िस्थित में सुधार हुआ और िकया गया िवकास िदखा।"
    assert repair_visual_order(visual) == logical
    assert repair_visual_order(logical) == logical
    pdf = fpdf.FPDF()
    pdf.add_font("Noto", fname=str(DEVANAGARI_FONT))
    pdf.add_page()
    pdf.set_font("Noto", size=12)
    pdf.multi_cell(0, 7, visual)
    assert [u.text for u in read_pdf(bytes(pdf.output()), "visual.pdf")] == [logical]


def refusal(data: bytes, name: str = "paper.pdf") -> str:
    with pytest.raises(InputError) as caught:
        read_pdf(data, name)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{name}: ")
    return message


def test_a_kruti_dev_pdf_is_refused_with_one_clear_line() -> None:
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)  # the Latin letters a Kruti Dev font draws as Hindi
    for block in load_article(SEEDS[4]).blocks[:4]:
        pdf.multi_cell(0, 7, kruti_dev(block.text))
        pdf.ln(3)
    message = refusal(bytes(pdf.output()))
    assert "looks like a legacy-font (Kruti Dev) PDF: its text is not Unicode Devanagari" in message
    assert "'Hkkjr vkSj :l ds" in message  # the user sees what the PDF's text really is


def test_a_pdf_set_in_a_kruti_dev_font_is_refused_even_when_its_text_is_too_short_to_judge(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    font = TTFont(str(LATIN_FONT))  # a Latin font renamed: what matters is the name the PDF carries
    for record in font["name"].names:
        if record.nameID in (1, 4, 6):
            record.string = "KrutiDev010"
    font.save(str(tmp_path / "KrutiDev010.ttf"))
    pdf = fpdf.FPDF()
    pdf.add_font("KrutiDev010", fname=str(tmp_path / "KrutiDev010.ttf"))
    pdf.add_page()
    pdf.set_font("KrutiDev010", size=12)
    pdf.cell(0, 7, "Hkkjr ljdkj")  # "भारत सरकार" typed in Kruti Dev
    message = refusal(bytes(pdf.output()))
    assert "looks like a legacy-font (Kruti Dev) PDF" in message and "('Hkkjr ljdkj')" in message


def scanned_pdf(caption: str | None = None) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (400, 300), 255)
    ImageDraw.Draw(image).rectangle((40, 40, 360, 80), fill=0)
    pdf = fpdf.FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(image, x=10, y=10, w=190)
        if caption:
            pdf.set_font("Helvetica", size=8)
            pdf.cell(0, 5, caption)
    return bytes(pdf.output())


def test_a_scanned_pdf_without_a_text_layer_is_refused_with_one_clear_line() -> None:
    assert refusal(scanned_pdf()) == "paper.pdf: PDF has no text layer: its 2 page(s) are images (a scanned PDF?); " \
                                     "it needs OCR before it can be translated"
    # a line of text over the scans (the paper's name) changes nothing
    assert "PDF has almost no text layer: its 2 page(s) are images with 28 letters of text (a scanned PDF?)" in \
        refusal(scanned_pdf("Dainik Samachar"))


def test_a_pdf_whose_glyphs_map_to_nothing_is_refused(seed_pdf: bytes) -> None:
    """What Chromium's "Save as PDF" writes for Devanagari: vowel signs and conjuncts mapped to U+0000."""
    pdf = fpdf.FPDF()
    pdf.add_font("Noto", fname=str(DEVANAGARI_FONT))
    pdf.set_text_shaping(True)
    pdf.set_compression(False)
    pdf.add_page()
    pdf.set_font("Noto", size=12)
    pdf.multi_cell(0, 7, load_article(SEEDS[4]).blocks[0].text)
    data = bytes(pdf.output())
    broken = data.replace(b"<0915093F>", b"<00000000>").replace(b"<0938094D>", b"<00000000>")  # same length
    assert broken != data
    assert "PDF's text layer is broken: " in refusal(broken)


def test_an_empty_pdf_and_a_password_protected_one_are_refused() -> None:
    pdf = fpdf.FPDF()
    pdf.add_page()
    assert refusal(bytes(pdf.output())) == "paper.pdf: PDF holds no text"
    pdf = fpdf.FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_font("Noto", fname=str(DEVANAGARI_FONT))
    pdf.add_page()
    pdf.set_font("Noto", size=12)
    pdf.cell(0, 7, "भारत और रूस ने समझौता किया।")
    assert refusal(bytes(pdf.output())) == "paper.pdf: PDF is password-protected; remove the password and try again"


def test_bad_pdf_bytes_are_refused_in_one_line(seed_pdf: bytes) -> None:
    assert refusal("भारत और रूस".encode()) == "paper.pdf: not a PDF document (no %PDF- header)"
    assert "damaged or unreadable PDF" in refusal(seed_pdf[:600])
    assert "damaged or unreadable PDF" in refusal(b"%PDF-1.7\n" + bytes(range(256)) * 20)


def test_a_pdf_that_unpacks_past_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch, seed_pdf: bytes) -> None:
    monkeypatch.setattr(formats_module, "MAX_PDF_UNPACKED", 10_000)
    assert "PDF unpacks to over 10000 bytes (a compression bomb?)" in refusal(seed_pdf)


def test_a_compression_bomb_is_refused_before_the_text_extractor_inflates_it() -> None:
    """80 MB of spaces as a 78 kB content stream: pypdf stops at its limit, pdfminer never sees it."""
    import time
    import zlib

    bomb = zlib.compress(b" " * 80_000_000, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    started = time.monotonic()
    assert refusal(bytes(out)) == "paper.pdf: PDF holds a stream that unpacks past pypdf's limits (a compression bomb?)"
    assert time.monotonic() - started < 5


def test_a_pdf_over_the_page_limit_is_refused(monkeypatch: pytest.MonkeyPatch, seed_pdf: bytes) -> None:
    monkeypatch.setattr(formats_module, "MAX_PDF_PAGES", 1)
    assert refusal(seed_pdf) == "paper.pdf: PDF has 2 pages, over the 1-page limit for one article"

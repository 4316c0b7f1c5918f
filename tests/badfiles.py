"""Folders of hostile input files for the robustness tests (issue 7, item 1).

    from badfiles import write_bad_files, write_odd_files
    bad = write_bad_files(folder)   # {"empty.txt": "empty file (0 bytes)", ...}

:func:`write_bad_files` writes files the tool must REFUSE, each with a one-line error naming the
file and the reason (``REASONS`` gives the word the reason must contain). :func:`write_odd_files`
writes files that look hostile but hold a real Hindi article, which the tool must PROCESS
(``ODD_MARKERS`` gives text hidden in each that must never reach the output).

Every file is derived from the seeds or written literally here, so the folders are the same on
every run. Names end in .txt/.html so that ``hindi-brief run FOLDER`` picks them up.
"""

from __future__ import annotations

import json
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

#: The 10 MB file: twice the default 5 MiB limit of translate.article.DEFAULT_MAX_BYTES.
HUGE_BYTES = 10 * 1024 * 1024

_ENGLISH = (
    "Russia and Pakistan agreed on Thursday to expand cooperation in trade and energy.\n\n"
    "The minister’s visit — the first in a decade — was called “historic” by officials.\n\n"
    "A deal worth €5 million was signed for a new pipeline study.\n"
)
_URDU = (
    "روس اور پاکستان کے درمیان تجارت اور توانائی کے شعبوں میں تعاون پر اتفاق ہوا ہے۔\n\n"
    "دونوں ممالک کے وزرا نے اسلام آباد میں ملاقات کی اور کئی معاہدوں پر دستخط کیے۔\n\n"
    "حکام کے مطابق یہ دورہ ایک دہائی میں پہلا اعلیٰ سطحی دورہ تھا۔\n"
)
# Hindi only inside <script>/<style>: none of it is story text, so nothing is left to translate.
_SCRIPT_ONLY_HTML = (
    "<!DOCTYPE html><html><head><title></title>"
    "<script>document.write('रूस और पाकिस्तान के बीच व्यापार बढ़ा है। दोनों देशों ने समझौते किए।');</script>"
    "<style>body::after { content: 'भारत और रूस के संबंध मजबूत हैं।'; }</style>"
    "</head><body><script>var x = 'मॉस्को में बैठक हुई।';</script></body></html>\n"
)
# Lines the seeds show as page furniture, and nothing else.
_FURNITURE_ONLY = "Spread the love\n\nविज्ञापन\n\nविज्ञापन\n\nTrending Videos\n\nRead More at www.abplive.com\n"


def seed_text(index: int = 1) -> str:
    """The text of seed ``index`` (sorted by name), as UTF-8 text."""
    return sorted(SEEDS.glob("*.txt"))[index].read_text(encoding="utf-8")


def write_bad_files(folder: Path) -> dict[str, str]:
    """Write one file per kind of input that must be refused; return file name -> what it is."""
    folder.mkdir(parents=True, exist_ok=True)
    binary = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64
    controls = bytes(c for c in range(1, 32) if c not in (9, 10, 13)) * 200
    hindi = seed_text(1).encode("utf-8")
    files: dict[str, tuple[bytes, str]] = {
        "empty.txt": (b"", "empty file (0 bytes)"),
        "whitespace.txt": (b"  \n\t\n\r\n   \n\xc2\xa0\n", "whitespace only (spaces, tabs, CRLF, no-break space)"),
        "binary.txt": (binary, "binary data (a PNG header and every byte value, NULs included)"),
        "controls.txt": (controls, "control characters only (no NUL, no text)"),
        "cp1252_english.txt": (_ENGLISH.encode("cp1252"), "English news in Windows-1252 (curly quotes, dash, euro sign): no Hindi"),
        "latin1_english.txt": ("Café résumé: naïve São Paulo façade, 12 °C.\n".encode("latin-1") * 20, "English/Latin text in Latin-1: no Hindi"),
        "english.txt": (_ENGLISH.encode("utf-8"), "English-only article in UTF-8: no Hindi"),
        "urdu.txt": (_URDU.encode("utf-8"), "Urdu-script (Arabic letters) article: no Hindi"),
        "script_only.html": (_SCRIPT_ONLY_HTML.encode("utf-8"), "HTML whose only Hindi is inside <script>/<style>"),
        "furniture_only.txt": (_FURNITURE_ONLY.encode("utf-8"), "page furniture only (share label, ad markers, widget, cross-link)"),
        "huge.txt": ((hindi * (HUGE_BYTES // len(hindi) + 1))[:HUGE_BYTES], "10 MiB of Hindi text: over the default 5 MiB limit"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return {name: what for name, (_, what) in files.items()}


#: For each bad file, words the one-line reason must contain (case-insensitive), any of them.
REASONS: dict[str, tuple[str, ...]] = {
    "empty.txt": ("empty",),
    "whitespace.txt": ("empty",),
    "binary.txt": ("binary",),
    "controls.txt": ("binary", "empty", "hindi", "nothing left"),
    "cp1252_english.txt": ("hindi",),
    "latin1_english.txt": ("hindi",),
    "english.txt": ("hindi",),
    "urdu.txt": ("hindi",),
    "script_only.html": ("hindi", "nothing left", "empty"),
    "furniture_only.txt": ("hindi", "nothing left"),
    "huge.txt": ("limit",),
}

#: For each odd file, text hidden in it that must not appear in any output (script, style, controls).
ODD_MARKERS: dict[str, tuple[str, ...]] = {
    "script_style.html": ("SCRIPTMARKER", "STYLEMARKER", "दुर्भावनापूर्ण", "function(", "{color"),
    "ansi_controls.txt": ("\x1b", "\x07", "\x0b", "[31m"),
    "unicode_oddities.txt": ("\u202e", "\u200f", "\ufeff", "\ud800"),
}


def write_odd_files(folder: Path) -> dict[str, str]:
    """Write hostile-looking files that hold a real Hindi article; return file name -> what it is."""
    folder.mkdir(parents=True, exist_ok=True)
    text = seed_text(1)
    paragraphs = [p for p in text.split("\n") if len(p) > 80]
    long_line = " ".join(["रूस और पाकिस्तान के बीच ऊर्जा सहयोग पर बातचीत जारी रही"] * 400)[:20_000].rstrip()
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>रूस और पाकिस्तान</title>"
        "<style>p {color: red} .SCRIPTMARKER { content: 'STYLEMARKER' }</style>"
        "<script>function(){ var a = 'SCRIPTMARKER दुर्भावनापूर्ण कोड'; }</script></head><body><article>"
        "<h1>पाकिस्तान के नजदीक जाता दिख रहा रूस</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs[:4])
        + "<script>document.write('SCRIPTMARKER दुर्भावनापूर्ण');</script>"
        "</article></body></html>\n"
    )
    controls = "\n".join(
        f"\x1b[31m{p}\x07" if i % 2 == 0 else f"{p}\x0b\x0c" for i, p in enumerate(paragraphs)
    )
    header = json.dumps({"slug": "russia-pakistan", "title_hn": "रूस \ud800 पाकिस्तान \udfff", "category": {"title": "World"}})
    oddities = header + "\n" + "\n".join(
        f"\u200f{p[:30]}\u200b{p[30:60]}\u202e{p[60:]}\ufeff" for p in paragraphs
    ) + "\n"
    files: dict[str, tuple[bytes, str]] = {
        "utf16_hindi.txt": (text.encode("utf-16"), "a seed in UTF-16 with BOM"),
        "utf8_bom.txt": (b"\xef\xbb\xbf" + text.encode("utf-8"), "a seed in UTF-8 with BOM"),
        "crlf.txt": (text.replace("\n", "\r\n").encode("utf-8"), "a seed with Windows line ends"),
        "long_line.txt": (long_line.encode("utf-8"), "a 20,000-character Hindi line with no terminator or newline"),
        "script_style.html": (html.encode("utf-8"), "an HTML article with <script>/<style> holding marker text"),
        "ansi_controls.txt": (controls.encode("utf-8"), "a seed's paragraphs with ANSI escapes, BEL, vertical tab and form feed"),
        "unicode_oddities.txt": (
            oddities.encode("utf-8"),
            "RTL marks, zero-width characters, and a JSON header with lone surrogates escaped (\\ud800)",
        ),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return {name: what for name, (_, what) in files.items()}

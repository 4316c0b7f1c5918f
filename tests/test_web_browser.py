"""The web page in a real headless Chromium (Debian `chromium` driven by Playwright): paste, upload,
download, escaping, errors. Saves a screenshot under test-artifacts/ for a person to look at."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from stubs import HonestSummarizer, HonestTranslator
from test_run_inputs import site  # noqa: F401  (a fixture: the seeds served on 127.0.0.1)
from test_web_api import ROOT, SEEDS, free_port, source_sentences, tiny_app  # noqa: F401  (tiny_app is a fixture)

from translate.pipeline import Pipeline
from translate.web import WebApp

CHROMIUM = Path("/usr/bin/chromium")
# Without the network flags Chromium keeps calling home, which floods a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-quic", "--no-first-run", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
TIMEOUT_MS = int(os.environ.get("BROWSER_TIMEOUT_MS", 120_000))
# Markup in an article: the loader reads a text holding <script> as HTML (dropping the script), and
# the escaped markup in it comes out of the pipeline as literal "<b>", "<img ... onerror=...>" text,
# which the page must show as text and never run.
EVIL = """<h1>रूस और &lt;b&gt;भारत&lt;/b&gt; की साझेदारी</h1>
<p>रूस और भारत की दोस्ती &lt;b&gt;पुरानी&lt;/b&gt; है। <script>alert(1)</script>उन्होंने कहा
&lt;img src=x onerror=alert(2)&gt; कि ${alert(3)} {{value}} व्यापार बढ़ेगा।</p>
<p>दोनों देशों के <b>रिश्ते</b> मजबूत हैं। <img src=x onerror="alert(4)"> <a href="javascript:alert(5)">यहां</a> देखें।</p>
"""

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module (Playwright's sync API allows one at a time per thread)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: the browser test needs Debian's chromium and fonts-noto-core "
                    f"(`make browser-deps`, or: sudo apt-get install chromium fonts-noto-core)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def open_page(browser, url: str):
    """A page of its own on *url*, recording every dialog; yields the page."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.dialogs = []  # every alert/confirm/prompt the page opens
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url)
    page.locator("#translate-button").wait_for()
    yield page
    context.close()


@pytest.fixture(scope="module")
def browser_page(browser, tiny_app):  # noqa: F811
    """The page over the tiny random-weight models."""
    yield from open_page(browser, tiny_app[1])


@pytest.fixture(scope="module")
def stub_page(browser):
    """The page over the deterministic honest stub engines (tests/stubs.py): their sentences pass
    every check, so a digest has sentences it may cite (the tiny models' word salad has none)."""
    yield from serve_stub(browser, HonestTranslator, "stub-honest")


def serve_stub(browser, make_translator, name: str):
    """A page over ``make_translator()`` with the honest stub summarizer, served on 127.0.0.1."""
    def load(translator: str, summarizer: str, beams: int) -> Pipeline:
        return Pipeline(make_translator(), HonestSummarizer(), extractive=HonestSummarizer())

    app = WebApp(load, translator=name, summarizer="stub-lead", beams=1)
    url = app.launch(port=free_port(), block=False, quiet=True)
    try:
        yield from open_page(browser, url)
    finally:
        app.close()


def translate(page, *, text: str = "", files: list[Path] = (), urls: str = "") -> None:
    """Open the article box if it was folded away, set the inputs, press Translate, wait for the end."""
    fill_article(page, text)
    page.locator("#article-url textarea").fill(urls)
    clear = page.locator("#article-files").get_by_role("button", name="Clear", exact=True)
    if clear.count():
        clear.first.click()
        clear.wait_for(state="detached")
    if files:
        page.locator("#article-files input[type=file]").set_input_files([str(f) for f in files])
        for f in files:  # uploaded: its row links to the server's copy (the name is split in spans)
            try:
                page.locator(f'#article-files a[download="{f.name}"]').first.wait_for()
            except Exception:
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "web-upload-failed.png"), full_page=True)
                raise
    before = page.evaluate("() => (document.querySelector('#status [data-request]') || {dataset: {}}).dataset.request || ''")
    page.locator("#translate-button").click()
    # The end: the status line says this request is done (sentences stream in before) or failed.
    page.wait_for_function(
        "(request) => { const end = document.querySelector('#status [data-request]');"
        " return end && end.dataset.request !== request; }",
        arg=before, timeout=TIMEOUT_MS)


def rows(page) -> int:
    return page.locator("#segments tr.hb-seg").count()


def test_paste_upload_download_escape_in_chromium(browser_page, tmp_path):
    page = browser_page

    # Paste seed 001: the brief, the translation and one row per Hindi sentence appear.
    text = SEEDS[1].read_text(encoding="utf-8")
    expected = source_sentences(text)
    translate(page, text=text)
    page.wait_for_function(f"() => document.querySelectorAll('#segments tr.hb-seg').length === {len(expected)}")
    assert page.locator("#brief .hb-brief").inner_text().strip()
    assert page.locator("#brief .hb-headline").inner_text().strip()
    assert page.locator("#translation p").count() >= 1
    assert rows(page) == len(expected)
    first_hindi = page.locator("#segments tr.hb-seg td[lang=hi]").first.inner_text()
    assert first_hindi.strip() == expected[0].strip()
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "web-page.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"\nscreenshot of the finished page: {shot}")

    # Upload seed 004 as a file; download its JSON, which parses and holds every sentence.
    seed = SEEDS[4]
    expected = source_sentences(seed.read_text(encoding="utf-8"))
    translate(page, files=[seed])
    page.wait_for_function(f"() => document.querySelectorAll('#segments tr.hb-seg').length === {len(expected)}")
    # The downloads sit under the card, above the translation and the sentence table.
    assert page.locator("#download-json").bounding_box()["y"] < page.locator("#translation").bounding_box()["y"]
    assert page.locator("#download-bilingual").is_visible()
    with page.expect_download() as download:
        page.locator("#download-json").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    from translate import Result
    from translate.export import file_stem

    assert saved.name == f"{file_stem(Result.from_dict(data))}.json"  # named after its headline
    assert [s["hi"] for s in data["segments"]] == expected and data["brief"].strip()

    # An article holding markup shows it as text and runs none of it.
    translate(page, text=EVIL)
    page.wait_for_function(f"() => document.querySelectorAll('#segments tr.hb-seg').length === {len(source_sentences(EVIL))}")
    page.locator("#segments").get_by_text("दोस्ती <b>पुरानी</b> है", exact=False).first.wait_for()
    assert page.locator("#brief").get_by_text("रूस और <b>भारत</b> की साझेदारी", exact=False).first.is_visible()
    assert page.locator("#segments").get_by_text("<img src=x onerror=alert(2)>", exact=False).first.is_visible()
    assert page.locator("#segments").get_by_text("${alert(3)} {{value}}", exact=False).first.is_visible()
    assert page.locator("#brief img, #brief b, #translation img, #segments img, #segments b, #segments a").count() == 0
    page.wait_for_timeout(500)  # give any injected handler a chance to fire
    assert page.dialogs == [], f"the page ran article code: {page.dialogs}"

    # Bad input: a clear message in the page, no stack trace; the page keeps working.
    # It stays beside the button (a toast would be gone after 10 s) and the last article is cleared,
    # so nobody takes the old result for this one.
    assert page.locator("#segments tr.hb-seg").count() > 0
    translate(page, text="This article is in English only; there is nothing Hindi to translate here.")
    error = page.locator("#status .hb-error")
    assert "pasted text: no Hindi (Devanagari) text" in error.inner_text()
    assert page.locator("#segments tr.hb-seg").count() == 0
    assert not page.locator("#brief").inner_text().strip() and not page.locator("#translation").inner_text().strip()
    assert not page.locator("#download-json").is_visible() and page.locator("#translate-button").is_enabled()
    page.wait_for_timeout(11_000)
    assert error.is_visible() and "no Hindi" in error.inner_text()
    assert "Traceback" not in page.content()
    page.screenshot(path=str(ARTIFACTS / "web-error.png"), full_page=True)


def test_brief_sentences_light_up_their_sources_and_sentences_show_confidence(browser_page):
    """Issue 14: pointing at a brief sentence highlights the sentences it cites in the sentence table,
    clicking pins the highlight (a second click drops it); every sentence shows the model's
    confidence, the least confident ones marked with a "?"."""
    page = browser_page
    text = SEEDS[0].read_text(encoding="utf-8")
    translate(page, text=text)
    page.wait_for_function(f"() => document.querySelectorAll('#segments tr.hb-seg').length === {len(source_sentences(text))}")
    spans = page.locator("#brief .hb-bs")
    assert spans.count() >= 1
    cited = [(i, spans.nth(i).get_attribute("data-sources").split()) for i in range(spans.count())]
    index, sources = next((i, s) for i, s in cited if s)
    span = spans.nth(index)
    # The numbers shown after the sentence are the rows it lights up (1-based, as the table counts).
    assert span.evaluate("s => s.nextElementSibling.textContent") == f"[{', '.join(f's{int(s) + 1}' for s in sources)}]"

    def lit() -> list[str]:
        return page.locator("#segments tr.hb-source-lit").evaluate_all("rows => rows.map(r => r.dataset.seg)")

    assert lit() == []
    span.hover()
    assert sorted(lit(), key=int) == sorted(sources, key=int)
    page.mouse.move(2, 2)  # pointing away drops the highlight
    assert lit() == []
    span.click()
    page.mouse.move(2, 2)
    assert sorted(lit(), key=int) == sorted(sources, key=int)  # pinned: stays lit
    first = page.locator(f'#segments tr.hb-seg[data-seg="{min(sources, key=int)}"]')
    page.wait_for_function("el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }",
                           arg=first.element_handle())  # scrolled into view
    span.click()
    assert lit() == []
    # A citation is a link: clicking s3 lights up sentence 3 alone.
    page.locator(f'#brief .hb-cite a[data-seg="{sources[-1]}"]').first.click()
    assert lit() == [sources[-1]]

    # The tiny model's word salad loses the seed's names: the page says so, in the table and the list.
    assert page.locator("#segments td.hb-checks").get_by_text("The name '", exact=False).first.is_visible()
    assert page.locator("#warnings").get_by_text("The name '", exact=False).first.is_visible()

    confidences = page.locator("#segments tr.hb-seg .hb-conf").all_inner_texts()
    assert len(confidences) == rows(page)
    values = [float(c.rstrip("?")) for c in confidences]
    assert all(0 < v <= 1 for v in values)
    doubtful = [float(c.rstrip("?")) for c in confidences if c.endswith("?")]
    assert doubtful and max(doubtful) <= min(v for v, c in zip(values, confidences) if not c.endswith("?"))

    # Copy brief puts the headline and the cited brief on the clipboard, ready to paste into notes.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("() => navigator.clipboard.writeText('')")
    page.locator("#brief .hb-copy").first.click()
    page.locator("#brief .hb-copy", has_text="Copied").first.wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    headline = page.locator("#brief .hb-headline").first.inner_text().strip()
    assert copied.startswith(headline + "\n\n")
    sentence = span.inner_text().strip()
    assert f"{sentence} [{', '.join(f's{int(s) + 1}' for s in sources)}]" in copied
    assert copied.rstrip().endswith("check before quoting.)")
    page.screenshot(path=str(ARTIFACTS / "web-sources.png"), full_page=False)


def test_a_web_address_and_a_word_download(browser_page, site, tmp_path):  # noqa: F811
    """Issue 17: the URL box fetches the page and the translation downloads as an editable .docx."""
    import docx

    page = browser_page
    expected = source_sentences(SEEDS[2].read_text(encoding="utf-8"))
    translate(page, urls=f"{site}/seed-002.html")
    page.wait_for_function(f"() => document.querySelectorAll('#segments tr.hb-seg').length === {len(expected)}")
    assert page.locator("#segments tr.hb-seg td[lang=hi]").first.inner_text().strip() == expected[0].strip()
    assert not page.locator("#digest").is_visible()  # one article: no digest
    with page.expect_download() as download:
        page.locator("#download-docx").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    document = docx.Document(str(saved))
    assert saved.suffix == ".docx"
    assert document.paragraphs[0].text == page.locator("#brief .hb-headline").inner_text().strip()



def test_the_digest_of_several_files_cites_sentences_that_light_up(stub_page):
    """Issue 16: several dropped files get a Digest panel first, whose citations show their sentence."""
    page = stub_page
    translate(page, files=[SEEDS[3], SEEDS[4]])
    page.locator("#digest .hb-story").first.wait_for()
    assert page.locator("#digest").get_by_text("Story 1:", exact=False).first.is_visible()
    cite = page.locator("#digest a.hb-dcite").first
    article, segment = cite.get_attribute("data-article"), cite.get_attribute("data-seg")
    label = cite.inner_text()
    assert label == f"[A{int(article) + 1}, s{int(segment) + 1}]"
    cite.click()
    row = page.locator(f'#segments tr.hb-seg[data-article="{article}"][data-seg="{segment}"]')
    page.wait_for_function("row => row.classList.contains('hb-source-lit')", arg=row.element_handle())
    assert page.locator("#segments tr.hb-source-lit").count() == 1
    page.wait_for_function("el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }",
                           arg=row.element_handle())
    page.screenshot(path=str(ARTIFACTS / "web-digest.png"), full_page=False)


@pytest.fixture(scope="module")
def slow_page(browser):
    """The page over a slow honest stub (tests/stubs.py SlowTranslator: 0.4 s per batch of 3 sentences)."""
    from stubs import SlowTranslator

    yield from serve_stub(browser, lambda: SlowTranslator(delay=0.4, batch=3), "stub-slow")


def start(page, text: str) -> None:
    """Paste ``text`` (opening the article box if it was folded away) and press Translate; no waiting."""
    fill_article(page, text)
    page.locator("#translate-button").click()


def fill_article(page, text: str) -> None:
    """Open the article box if it was folded away and put ``text`` in it."""
    box = page.locator("#article-text textarea")
    if not box.is_visible():
        page.get_by_role("button", name="Article").first.click()
    box.fill(text)


def test_the_first_sentences_are_on_screen_before_the_last_is_translated(slow_page):
    page = slow_page
    text = SEEDS[0].read_text(encoding="utf-8")
    expected = source_sentences(text)
    start(page, text)
    page.locator("#segments tr.hb-seg:not(.hb-pending)").first.wait_for()
    pending = page.locator("#segments tr.hb-pending").count()
    assert pending > 0, "every sentence was done before the first one was shown"
    status = page.locator("#status .hb-progress").inner_text()
    assert f"of {len(expected)} sentences done" in status, status
    assert page.locator("#translate-button").is_disabled()  # one request at a time from this page
    box = page.locator("#status").bounding_box()
    assert box and 0 < box["y"] + box["height"] and box["y"] < page.viewport_size["height"]  # in view
    first = page.locator("#segments tr.hb-seg:not(.hb-pending) td[lang=en]").first.inner_text()
    assert first.strip() and "translating" not in first
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-page-at-work.png"), full_page=True)
    page.wait_for_function(f"() => document.querySelectorAll('#segments tr.hb-seg').length === {len(expected)}"
                           " && !document.querySelector('#segments tr.hb-pending') && document.querySelector('#brief .hb-brief')")
    assert page.locator("#brief .hb-headline").inner_text().strip()
    page.wait_for_function("() => !document.querySelector('#translate-button').disabled")  # ready again


def test_stop_ends_a_translation_and_the_page_says_so(slow_page):
    page = slow_page
    start(page, SEEDS[0].read_text(encoding="utf-8"))
    page.locator("#segments tr.hb-seg:not(.hb-pending)").first.wait_for()
    page.locator("#stop-button").click()
    page.wait_for_function("() => (document.querySelector('#status') || {}).innerText?.includes('Stopped')")
    page.wait_for_timeout(2000)
    assert page.locator("#segments tr.hb-pending").count() > 0  # nothing more came in
    assert not page.locator("#brief .hb-brief").count()
    assert page.locator("#translate-button").is_enabled()  # stopped: the button works again


def test_the_sample_articles_are_offered_and_a_click_fills_the_article_box(stub_page):
    """Issue 25: the five seeds the README promises are shown as examples; one click puts its text in."""
    page = stub_page
    fill_article(page, "")
    labels = [page.get_by_text(f"{seed.name[:3]} · ", exact=False).first for seed in SEEDS]
    assert all(label.is_visible() for label in labels)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-empty-page.png"), full_page=False)
    labels[1].click()
    expected = SEEDS[1].read_text(encoding="utf-8")
    page.wait_for_function("(n) => document.querySelector('#article-text textarea').value.length === n",
                           arg=len(expected))
    assert page.locator("#article-text textarea").input_value() == expected


@pytest.fixture
def desk(browser):
    """The page over a hand translation of seed 001 (tests/seed001_en.py: faithful but for one dropped
    name and one changed number); the engine waits at its second batch until ``gate`` is set."""
    import threading
    from types import SimpleNamespace

    from seed001_en import SEED001_EN
    from stubs import DictTranslator

    gate = threading.Event()
    translator = DictTranslator(SEED001_EN, batch=4, gate=gate)
    try:
        for page in serve_stub(browser, lambda: translator, "stub-dict"):
            yield SimpleNamespace(page=page, translator=translator, gate=gate)
    finally:
        gate.set()  # never leave the server's worker waiting


def test_the_page_as_a_journalists_desk(desk, tmp_path):
    """Issue 25, as a journalist meets the page: the samples on the empty page; seed 001 (no title line)
    translated while the button waits, under a real headline; the card's problem lines (the
    hand translation drops a name and changes a number) lead to their sentences; the downloads are
    named after the headline, the bilingual Word file holds both languages; a later failing request
    keeps its message and clears the old result."""
    import re

    import docx
    from seed001_en import CHANGED_NUMBER, DROPPED_NAME

    page, translator = desk.page, desk.translator
    ARTIFACTS.mkdir(exist_ok=True)

    # 1. The empty page offers the five sample articles.
    labels = [page.get_by_text(f"{seed.name[:3]} · ", exact=False).first for seed in SEEDS]
    assert len(labels) == 5 and all(label.is_visible() for label in labels)
    page.screenshot(path=str(ARTIFACTS / "desk-empty.png"), full_page=False)

    # 4. Seed 001 from the samples; while it is translated the button is disabled.
    text = SEEDS[1].read_text(encoding="utf-8")
    expected = source_sentences(text)
    labels[1].click()
    page.wait_for_function("(n) => document.querySelector('#article-text textarea').value.length === n", arg=len(text))
    page.locator("#translate-button").click()
    page.locator("#segments tr.hb-seg:not(.hb-pending)").first.wait_for()
    assert page.locator("#translate-button").is_disabled()
    assert page.locator("#segments tr.hb-pending").count() > 0
    assert "sentences done" in page.locator("#status .hb-progress").inner_text()
    # A title-less article has no empty Hindi headline row in the table at work either.
    assert not [t for t in page.locator("#segments td[lang=hi]").all_inner_texts() if not t.strip()]
    page.screenshot(path=str(ARTIFACTS / "desk-at-work.png"), full_page=True)
    desk.gate.set()
    page.wait_for_function("() => document.querySelector('#status .hb-done') && document.querySelector('#brief .hb-brief')")
    page.wait_for_function("() => !document.querySelector('#translate-button').disabled")
    assert rows(page) == len(expected)
    assert translator.missing == [], "the pipeline handed the engine sentences the hand translation does not hold"

    # 2. The headline of an article without a title line: its translated subheading, no empty Hindi line.
    headline = page.locator("#brief .hb-headline").inner_text().strip()
    assert headline and headline != "Untitled article"
    assert headline == page.locator("#translation h3").first.inner_text().strip()  # the first subheading
    assert page.locator("#translation h2").first.inner_text().strip() == headline
    assert page.locator("#brief .hb-title-hi").count() == 0
    assert "Untitled article" not in page.locator("#brief").inner_text() + page.locator("#translation").inner_text()

    # 3. The card names the two faults, one line each; a click shows (and lights up) the sentence.
    number_at, before, after = CHANGED_NUMBER
    name_at, name = DROPPED_NAME
    card = page.locator("#brief .hb-card")
    number_line = card.locator(".hb-problems li", has_text=f"Sentence {number_at}: {before} became {after}")
    assert number_line.count() == 1 and number_line.is_visible()
    card.locator(".hb-notes summary").click()  # the checks that may be false alarms are folded
    name_line = card.locator(".hb-notes li", has_text=f"Sentence {name_at}: the name ")
    assert name_line.count() == 1 and name_line.is_visible()
    assert name in name_line.inner_text() and name_line.inner_text().rstrip().endswith("is missing")
    assert card.locator(".hb-problems li, .hb-notes li").count() == 2  # the honest sentences raise nothing
    in_view = "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    for line, at in ((number_line, number_at), (name_line, name_at)):
        page.evaluate("() => window.scrollTo(0, 0)")
        line.locator("a").click()
        row = page.locator(f'#segments tr.hb-seg[data-seg="{at - 1}"]')
        page.wait_for_function("row => row.classList.contains('hb-source-lit')", arg=row.element_handle())
        page.wait_for_function(in_view, arg=row.element_handle())
        assert page.locator("#segments tr.hb-source-lit").count() == 1
        assert row.locator("td.hb-checks").inner_text().strip()  # the row says what is wrong with it
    # The brief's citations sit tight in their brackets ("[s1]", not "[ s1 ]"): no wider than their text.
    widths = card.locator(".hb-cite").evaluate_all("""cites => cites.map(c => {
        const plain = Object.assign(document.createElement('span'), {textContent: c.textContent});
        plain.style.font = getComputedStyle(c).font; c.parentElement.appendChild(plain);
        const widths = [c.getBoundingClientRect().width, plain.getBoundingClientRect().width]; plain.remove();
        return widths; })""")
    assert widths and all(shown <= plain + 1 for shown, plain in widths), widths
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "desk-result.png"), full_page=True)

    # 6. The downloads are named after the headline; the bilingual Word file holds Hindi and English.
    stem = "-".join(re.findall(r"[a-z0-9]+", headline.lower()))[:60]
    names = {}
    for button in ("#download-json", "#download-md", "#download-docx", "#download-bilingual"):
        with page.expect_download() as download:
            page.locator(button).click()
        names[button] = download.value.suggested_filename
        download.value.save_as(tmp_path / names[button])
    assert all(n.startswith(stem) and "pasted" not in n for n in names.values()), names
    assert names["#download-bilingual"].endswith(".docx") and names["#download-bilingual"] != names["#download-docx"]
    document = docx.Document(str(tmp_path / names["#download-bilingual"]))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    words = "\n".join([p.text for p in document.paragraphs] + cells)
    first_hi = page.locator("#segments tr.hb-seg td[lang=hi]").first.inner_text().strip()
    first_en = page.locator("#segments tr.hb-seg td[lang=en]").first.inner_text().strip()
    assert first_hi in words and first_en in words and headline in words

    # 5. A failing request after the good one: its message stays, the old result goes.
    fill_article(page, "This article is in English only; there is nothing Hindi to translate here.")
    page.locator("#translate-button").click()
    error = page.locator("#status .hb-error")
    error.wait_for()
    assert "no Hindi" in error.inner_text()
    assert rows(page) == 0
    assert not page.locator("#brief").inner_text().strip() and not page.locator("#translation").inner_text().strip()
    assert not any(page.locator(b).is_visible() for b in names)
    page.wait_for_function("() => !document.querySelector('#translate-button').disabled")
    page.wait_for_timeout(11_000)  # a toast would be gone by now
    assert error.is_visible() and "no Hindi" in error.inner_text()
    assert rows(page) == 0 and not page.locator("#brief .hb-card").count()

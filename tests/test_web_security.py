"""The web app under shared use: sign-in, limits, escaping, one user's failure, temp files, and a load
test of 20 concurrent gradio_client calls against `hindi-brief serve` (tiny models, a subprocess)."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import gradio as gr  # noqa: E402  (imported by translate.web's handlers anyway)
import psutil
import pytest
from gradio_client import Client  # noqa: E402
from stubs import HonestSummarizer, HonestTranslator
from test_run_inputs import site  # noqa: F401  (a fixture: the seeds served on 127.0.0.1)
from test_web_api import SEEDS, free_port, source_sentences

from translate.cli import main
from translate.pipeline import Pipeline, Result
from translate.web import (
    GENERIC_ERROR,
    Limits,
    Translated,
    WebApp,
    render_briefs,
    render_digest,
    render_removed,
    render_segments,
    render_translation,
    render_warnings,
)

USER, PASSWORD = "desk", "s3cret-pass"
# Positions in translate_page's outputs: the article box, the status line, the digest box and its HTML, then these.
BRIEF, SEGMENTS = 4, 6
REQUESTS = 20


# -- in-process, with the deterministic stub engines (fast) ----------------------------------------


def stub_app(**limits) -> WebApp:
    return WebApp(lambda t, s, b: Pipeline(HonestTranslator(), HonestSummarizer()),
                  translator="stub", summarizer="stub-sum", limits=Limits(**limits), seeds_dir=None)


def page(app: WebApp, text: str | None = None, files: list[Path] | None = None, *, glossary: Path | None = None,
         translator: str = "stub", beams: int = 4):
    return final(app.translate_page(text, [str(f) for f in files or []], translator, "stub-sum", 60, beams,
                                    str(glossary) if glossary else None))


def final(updates):
    """The page's outputs once the work is done: the last of what the handler yields."""
    *_, last = updates
    return last


@pytest.fixture
def app():
    app = stub_app(max_chars=5000, max_files=2, max_file_bytes=2000)
    yield app
    app.close()


def test_limits_are_refused_with_a_clear_message(app, tmp_path):
    seed = tmp_path / "seed.txt"
    seed.write_text("रूस और भारत के रिश्ते मजबूत हैं।", encoding="utf-8")
    with pytest.raises(gr.Error, match="the pasted text is 5,001 characters; the limit is 5,000"):
        page(app, "क" * 5001)
    with pytest.raises(gr.Error, match="3 files dropped; at most 2"):
        page(app, files=[seed, seed, seed])
    (tmp_path / "report.rtf").write_text("रूस", encoding="utf-8")
    with pytest.raises(gr.Error, match=r"report\.rtf: not an accepted file type; accepted: \.txt \.md \.html \.htm \.docx \.pdf"):
        page(app, files=[tmp_path / "report.rtf"])
    big = tmp_path / "big.txt"
    big.write_text("रूस " * 400, encoding="utf-8")
    with pytest.raises(gr.Error, match=r"big\.txt: file is 4000 bytes, over the 2000 bytes limit \(--max-file-bytes\)"):
        page(app, files=[big])
    with pytest.raises(gr.Error, match="paste a Hindi article, drop a file"):
        page(app, "   ")


def test_only_offered_models_and_beam_sizes_can_be_asked_for(app):
    with pytest.raises(gr.Error, match="translation model '/etc' is not offered here"):
        page(app, "रूस और भारत के रिश्ते मजबूत हैं।", translator="/etc")
    with pytest.raises(gr.Error, match="beam size must be 1 to 8, got 50"):
        page(app, "रूस और भारत के रिश्ते मजबूत हैं।", beams=50)


def test_a_bad_file_among_good_ones_is_named_and_the_others_translated(app, tmp_path):
    good, empty = tmp_path / "good.txt", tmp_path / "empty.md"
    good.write_text("रूस और भारत के रिश्ते मजबूत हैं। दोनों देश व्यापार बढ़ाएंगे।", encoding="utf-8")
    empty.write_text("", encoding="utf-8")
    _, _, _, _, brief, *_ , zip_button = page(app, files=[good, empty])
    assert "Not translated" in brief and "empty.md" in brief and "good.txt" in brief
    assert str(tmp_path) not in brief  # the user's file name, not the server's path
    with pytest.raises(gr.Error, match=r"empty\.md: "):
        page(app, files=[empty])


def test_uploaded_glossary_is_used_and_a_bad_one_named(app, tmp_path):
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("फोमिन\tFomin-GLOSSARY\n", encoding="utf-8")
    outputs = page(app, "अलेक्जेंडर फोमिन ने कहा कि रिश्ते मजबूत हैं।", glossary=glossary)
    assert "Fomin-GLOSSARY" in outputs[SEGMENTS]
    glossary.write_text("फोमिन Fomin\n", encoding="utf-8")
    with pytest.raises(gr.Error, match=r"terms\.tsv: line 1: expected"):
        page(app, "अलेक्जेंडर फोमिन ने कहा कि रिश्ते मजबूत हैं।", glossary=glossary)


def test_an_unexpected_failure_is_a_generic_message_logged_and_the_next_request_works(tmp_path, caplog):
    class Flaky(HonestTranslator):
        fail = True

        def translate(self, sentences):
            if Flaky.fail:
                Flaky.fail = False
                raise RuntimeError("CUDA out of memory (internal detail)")
            return super().translate(sentences)

    app = WebApp(lambda t, s, b: Pipeline(Flaky(), HonestSummarizer()), translator="stub", summarizer="stub-sum",
                 seeds_dir=None)
    try:
        with caplog.at_level(logging.ERROR, logger="translate.web"):
            with pytest.raises(gr.Error) as error:
                page(app, "रूस और भारत के रिश्ते मजबूत हैं।")
        assert error.value.message == GENERIC_ERROR and "internal detail" not in error.value.message
        assert "internal detail" in caplog.text
        assert "Rus" in page(app, "रूस और भारत के रिश्ते मजबूत हैं।")[BRIEF]
    finally:
        app.close()


def test_article_text_is_escaped_everywhere_it_is_shown():
    evil = "<script>alert(1)</script><b>x</b><img src=x onerror=alert(2)>"
    result = Result(
        title=evil, title_hi=evil, brief=evil, translation=[{"kind": "heading", "text": evil}, {"kind": "paragraph", "text": evil}],
        segments=[{"block": 0, "hi": evil, "en": evil}], metadata={"source": evil},
        warnings=[{"code": "x", "segment": 0, "message": evil, "detail": {}}, {"code": "y", "segment": None, "message": evil, "detail": {}}],
        models={}, removed=[{"line": evil, "reason": evil}],
    )
    items = [Translated(evil, result), Translated("b.txt", result)]
    for html_text in (render_briefs(items, [evil]), render_translation(items), render_segments(items),
                      render_removed(items), render_warnings(items)):
        assert "<script" not in html_text and "<b>" not in html_text and "<img" not in html_text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in html_text


def test_downloads_and_temp_folder_are_removed_on_close(tmp_path):
    app = stub_app()
    page(app, "रूस और भारत के रिश्ते मजबूत हैं।")
    written = list(app.temp_dir.rglob("*.json"))
    assert len(written) == 1 and json.loads(written[0].read_text(encoding="utf-8"))["segments"]
    app.close()
    assert not app.temp_dir.exists()


def test_bad_auth_file_fails_before_any_model_loads(tmp_path, capsys):
    auth = tmp_path / "users.txt"
    auth.write_text("# users\nalice-without-password\n", encoding="utf-8")
    assert main(["serve", "--auth-file", str(auth), "--translator", "not-installed"]) == 2
    err = capsys.readouterr().err
    assert f"{auth}: line 2: expected USER:PASSWORD" in err and "not-installed" not in err


# -- `hindi-brief serve` as a subprocess with the tiny models -------------------------------------


def start_serve(tiny_models: Path, tmp: Path, *extra: str) -> tuple[str, subprocess.Popen]:
    """`hindi-brief serve` with the tiny models on a free port, its TMPDIR in ``tmp``; (URL, process)
    once it answers."""
    (tmp / "tmp").mkdir(exist_ok=True)
    port = free_port()
    env = {**os.environ, "TMPDIR": str(tmp / "tmp"), "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "translate.cli", "serve", "--translator", str(tiny_models / "translator"),
         "--summarizer", str(tiny_models / "summarizer"), "--beams", "1", "--device", "cpu",
         "--port", str(port), *extra],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while True:
        if proc.poll() is not None:
            pytest.fail(f"hindi-brief serve exited with {proc.returncode}:\n{proc.stdout.read()}")
        try:
            urllib.request.urlopen(url + "config", timeout=2)
            break
        except urllib.error.HTTPError:
            break  # it answers (401 without sign-in)
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail("hindi-brief serve did not answer within 180 s")
            time.sleep(0.5)
    return url, proc


def stop_serve(proc: subprocess.Popen, tmp: Path) -> None:
    """SIGTERM must end the server cleanly and leave none of its temp files behind."""
    proc.send_signal(signal.SIGTERM)
    output = proc.communicate(timeout=60)[0]
    assert proc.returncode == 0, output
    assert not list((tmp / "tmp").glob("hindi-brief-web-*")), "the app's temp folder outlived it"


@pytest.fixture(scope="module")
def served(tiny_models, tmp_path_factory):
    """(URL, process, TMPDIR) of `hindi-brief serve` with sign-in; stopped with SIGTERM at the end."""
    tmp = tmp_path_factory.mktemp("serve")
    (tmp / "users").write_text(f"# who may sign in\n{USER}:{PASSWORD}\n", encoding="utf-8")
    url, proc = start_serve(tiny_models, tmp, "--auth-file", str(tmp / "users"))
    yield url, proc, tmp / "tmp"
    stop_serve(proc, tmp)


def test_sign_in_is_required(served):
    url, _, _ = served
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url + "config", timeout=10)
    assert refused.value.code == 401
    with pytest.raises(Exception):
        Client(url, verbose=False, analytics_enabled=False, auth=(USER, "wrong"))


def test_twenty_concurrent_calls_all_answered_correctly(served, capsys):
    url, proc, _ = served
    # The seeds' first lines (the tiny models are slow on whole articles), each request made distinct
    # by a last sentence, so an answer handed to the wrong caller would show.
    texts = [SEEDS[i % len(SEEDS)].read_text(encoding="utf-8") for i in range(REQUESTS)]
    texts = [f"{text[:text.rfind(chr(10), 0, 1500)]}\n\nयह अनुरोध संख्या {i} है।" for i, text in enumerate(texts)]
    server = psutil.Process(proc.pid)
    peak, stop = [0], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            try:
                rss = sum(p.memory_info().rss for p in [server, *server.children(recursive=True)])
            except psutil.Error:
                rss = 0
            peak[0] = max(peak[0], rss)
            time.sleep(0.1)

    def call(text: str) -> dict:
        client = Client(url, verbose=False, analytics_enabled=False, auth=(USER, PASSWORD))
        return client.predict(text=text, api_name="/translate_article")

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
            futures = [pool.submit(call, text) for text in texts]
            results = [future.result(timeout=300) for future in futures]
    finally:
        stop.set()
        sampler.join()
    seconds = time.monotonic() - started
    assert len(results) == REQUESTS
    for text, data in zip(texts, results):
        assert [s["hi"] for s in data["segments"]] == source_sentences(text)
        assert data["brief"].strip()
    with capsys.disabled():
        print(f"\n[web load] {REQUESTS} concurrent calls answered in {seconds:.1f} s; "
              f"peak RSS of the serve process: {peak[0] / 2**20:.0f} MiB")


# -- web addresses, Word downloads, the digest (issues 16, 17) ----------------------------------------


def test_web_addresses_are_fetched_under_the_servers_rule_and_a_refusal_is_named(site, tmp_path):  # noqa: F811
    closed, opened = stub_app(), stub_app(allow_private_urls=True)
    try:
        # This machine is a private address: refused unless the server allows those.
        with pytest.raises(gr.Error, match=r"seed-002\.html: .*127\.0\.0\.1"):
            page(closed, f"{site}/seed-002.html")
        outputs = page(opened, f"{site}/seed-002.html")  # a web address pasted alone is fetched
        assert "समाचार दर्पण" not in outputs[BRIEF] and "Rus" in outputs[BRIEF]
        outputs = final(opened.translate_page(None, [], "stub", "stub-sum", 60, 4, None,
                                              urls=f"{site}/seed-002.html\n{site}/gone.html"))
        assert "Not translated" in outputs[BRIEF] and "gone.html: the server answered HTTP 404 Not Found" in outputs[BRIEF]
        with pytest.raises(gr.Error, match="ftp://x: not a web address"):
            final(opened.translate_page(None, [], "stub", "stub-sum", 60, 4, None, urls="ftp://x"))
        data = opened.translate_article(f"{site}/seed-002.html")  # the API takes a web address too
        assert data["metadata"]["url"] == f"{site}/seed-002.html"
    finally:
        closed.close()
        opened.close()


def test_one_article_downloads_as_word_and_several_get_a_digest_first(app, tmp_path):
    seeds = [tmp_path / f"seed-{i}.txt" for i in range(2)]
    for path, seed in zip(seeds, SEEDS[3:5]):
        text = seed.read_text(encoding="utf-8")
        path.write_text(text[:text.rfind("\n", 0, 700)], encoding="utf-8")  # under the app's 2000 bytes
    outputs = page(app, files=seeds[:1])
    assert outputs[2].visible is False  # one article: no digest
    *_, json_button, md_button, docx_button, bilingual_button, zip_button = outputs
    assert docx_button.visible and Path(docx_button.value["path"]).suffix == ".docx"
    assert zipfile.is_zipfile(docx_button.value["path"])  # a .docx is a zip of XML parts
    import docx

    from translate.export import file_stem

    stem = file_stem(Result.from_dict(json.loads(Path(json_button.value["path"]).read_text(encoding="utf-8"))))
    assert stem and stem != "article" and set(stem) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert [Path(b.value["path"]).name for b in (json_button, md_button, docx_button, bilingual_button)] == \
        [f"{stem}.json", f"{stem}.md", f"{stem}.docx", f"{stem}-bilingual.docx"]  # named after the headline
    (table,) = docx.Document(bilingual_button.value["path"]).tables  # the Hindi | English table
    assert [c.text for c in table.rows[0].cells] == ["Hindi", "English"]
    outputs = page(app, files=seeds)
    assert outputs[2].visible is True and "Story 1:" in outputs[3] and 'class="hb-dcite"' in outputs[3]
    *_, zip_button = outputs
    names = zipfile.ZipFile(zip_button.value["path"]).namelist()
    assert {"digest.json", "digest.md", "seed-0.docx", "seed-1.docx", "seed-0-bilingual.docx"} <= set(names)


def test_the_digest_is_escaped():
    evil = "<script>alert(1)</script><b>x</b>"
    result = Result(title=evil, title_hi="रूस", brief=evil, translation=[{"kind": "paragraph", "text": evil}],
                    segments=[{"block": 0, "hi": "रूस और भारत के बीच 10वीं बैठक हुई।", "en": evil + " 10th meeting."}],
                    metadata={"source": evil, "site": evil}, warnings=[], models={}, removed=[])
    from translate.digest import digest

    html_text = render_digest(digest([result, result], [evil, evil]))
    assert "<script" not in html_text and "<b>x" not in html_text and "&lt;script&gt;" in html_text


def test_the_card_lists_errors_as_links_to_their_rows_and_folds_the_checks():
    """Issue 25: the problems are on the card, errors first as lines that jump to their sentence, the
    findings that may be false alarms folded as quiet notes; brief citations are s-links in text order."""
    from translate.faithful import warning

    segments = [{"block": 0, "hi": "रूस ने 5 समझौते किए।", "en": "Russia signed 7 agreements."},
                {"block": 0, "hi": "फ़ैसल <b>तिर्मिज़ी</b> मिले।", "en": "The ambassador met."}]
    warnings = [warning("number-changed", 0, "…", source="5", value=5, found=["7"]),
                warning("name-missing", 1, "…", source="फ़ैसल <b>तिर्मिज़ी</b>", expected=["Faisal <b>Tirmizi</b>"])]
    result = Result(title="Russia signs deals", title_hi="", brief="Russia signed 7 agreements. The ambassador met.",
                    translation=[{"kind": "paragraph", "text": "Russia signed 7 agreements. The ambassador met."}],
                    segments=segments, metadata={}, warnings=warnings, models={}, removed=[],
                    brief_sources=[[0], [0, 1]])
    card = render_briefs([Translated("pasted text", result)])
    problems = card[card.index('class="hb-problems"'):card.index("</div>", card.index('class="hb-problems"'))]
    assert '1 problem to fix' in problems
    assert 'data-seg="0">Sentence 1: 5 became 7</a>' in problems
    notes = card[card.index("<details"):card.index("</details>")]
    assert "1 thing to check" in notes and 'data-seg="1">Sentence 2: the name Faisal &lt;b&gt;Tirmizi&lt;/b&gt;' in notes
    assert "<b>Tirmizi" not in card and 'class="hb-title-hi"' not in card  # escaped; no empty Hindi title line
    assert '[<a class="hb-dcite" href="#segments" data-article="0" data-seg="0">s1</a>, <a' in card

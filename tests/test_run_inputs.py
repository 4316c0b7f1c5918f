"""`hindi-brief run` on every kind of input (files, folders, Word, PDF, web addresses, standard input,
mixed) and into every output format (JSON, Markdown, plain text, Word with a bilingual table).

Web pages come from a local HTTP server on 127.0.0.1 that serves the seeds as pages; reaching it
needs --allow-private-urls, as any address of this machine or its network does.
"""

from __future__ import annotations

import html
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import docx
import pytest
from stubs import HonestSummarizer, HonestTranslator
from test_formats import article_pdf, styled_docx

from translate.article import load_article
from translate.batch import run_batch
from translate.cli import main
from translate.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def sentences(article) -> list[str]:
    return [sentence for _, sentence in article.sentences()]


def seed_page(seed: Path) -> bytes:
    """The seed as a news site would serve it: its title in <title> and <h1>, then each raw line of
    the text file (ads, share buttons and all) as a paragraph; the JSON header of a scraped seed is
    not part of a page."""
    article = load_article(seed)
    lines = [line for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
    if lines and lines[0].startswith("{"):
        lines = lines[1:]
    if article.title and lines and lines[0].strip() == article.title:
        lines = lines[1:]
    title = html.escape(article.title)
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return (f'<!doctype html><html lang="hi"><head><meta charset="utf-8"><title>{title}</title>'
            '<meta property="og:site_name" content="समाचार दर्पण">'
            f"</head><body><article><h1>{title}</h1>{body}</article></body></html>").encode("utf-8")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture(scope="module")
def site():
    """A news site on 127.0.0.1: /seed-00N.html for each seed, a redirect to a private address, a 404."""
    pages = {f"/seed-{i:03d}.html": seed_page(seed) for i, seed in enumerate(SEEDS)}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            if self.path in pages:
                status, body, headers = 200, pages[self.path], {"Content-Type": "text/html; charset=utf-8"}
            elif self.path == "/moved.html":
                status, body, headers = 301, b"", {"Location": "/seed-002.html"}
            elif self.path == "/to-private.html":
                status, body, headers = 302, b"", {"Location": "http://10.20.30.40/news.html"}
            else:
                status, body, headers = 404, b"<p>not here</p>", {"Content-Type": "text/html"}
            self.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(body))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    httpd = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def stub_pipeline() -> Pipeline:
    return Pipeline(HonestTranslator(), HonestSummarizer(), extractive=HonestSummarizer())


def index(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "index.jsonl").read_text(encoding="utf-8").splitlines()]


# --- web addresses ---------------------------------------------------------------------------------


def test_run_on_a_local_page_gives_the_seed_files_segments(site, tiny_models, tmp_path, capsys):
    out = tmp_path / "out"
    url = f"{site}/seed-002.html"
    code = main(["run", url, "-o", str(out), "--allow-private-urls", "--translator", str(tiny_models / "translator"),
                 "--summarizer", "extractive", "--beams", "1", "-q"])
    assert code == 0
    (row,) = index(out)
    assert row["input"] == url and row["status"] == "ok"
    data = json.loads((out / row["outputs"]["json"]).read_text(encoding="utf-8"))
    seed = load_article(SEEDS[2])
    assert [s["hi"] for s in data["segments"]] == sentences(seed)
    assert data["title_hi"] == seed.title
    assert data["metadata"]["source"] == url and data["metadata"]["url"] == url
    assert data["metadata"]["site"] == "समाचार दर्पण"
    assert row["outputs"]["json"] == "127.0.0.1__seed-002.json"


def test_this_machines_pages_and_redirects_to_private_addresses_are_refused_without_the_flag(site, tiny_models,
                                                                                             tmp_path, capsys):
    out = tmp_path / "out"
    url = f"{site}/seed-002.html"
    code = main(["run", url, "-o", str(out), "--translator", str(tiny_models / "translator"),
                 "--summarizer", "extractive", "--beams", "1", "-q"])
    assert code == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("hindi-brief: error:")]
    assert len(errors) == 1 and errors[0].startswith(f"hindi-brief: error: {url}: ") and "127.0.0.1" in errors[0]
    assert not list(out.glob("*.json"))
    # Allowed to reach this machine only, a redirect to another private address is refused before
    # it is followed (the library takes the networks allowed; the command line allows all or none).
    report = run_batch([f"{site}/to-private.html"], out, pipeline=stub_pipeline(), allow_private_urls=["127.0.0.1/32"])
    (record,) = report.records
    assert record.status == "error" and record.error.startswith(f"{site}/to-private.html: redirected to http://10.20.30.40/")
    assert "private" in record.error and "\n" not in record.error


def test_a_redirect_is_followed_and_a_missing_page_is_one_error_line(site, tmp_path):
    out = tmp_path / "out"
    report = run_batch([f"{site}/moved.html", f"{site}/gone.html"], out, pipeline=stub_pipeline(),
                       allow_private_urls=True)
    moved, gone = report.records
    assert moved.status == "ok"
    data = json.loads((out / moved.task.outputs["json"]).read_text(encoding="utf-8"))
    assert data["metadata"]["url"] == f"{site}/seed-002.html" and data["metadata"]["source"] == f"{site}/moved.html"
    assert gone.status == "error" and gone.error == f"{site}/gone.html: the server answered HTTP 404 Not Found"


# --- every input kind at once ---------------------------------------------------------------------


def test_files_folders_word_pdf_pages_and_stdin_mixed_one_error_line_per_bad_input(site, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "story.docx").write_bytes(styled_docx(load_article(SEEDS[4])))
    (folder / "paper.pdf").write_bytes(article_pdf(load_article(SEEDS[3])))
    (folder / "~$story.docx").write_bytes(b"\x00lock")  # Word's lock file: not an article
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "notes.txt").write_text("This is English only.", encoding="utf-8")
    stdin = SEEDS[1].read_bytes()
    out = tmp_path / "out"
    report = run_batch([str(SEEDS[0]), str(folder), f"{site}/seed-002.html", f"{site}/gone.html", "-"], out,
                       pipeline=stub_pipeline(), allow_private_urls=True, stdin=lambda n: stdin[:n])
    rows = index(out)
    assert [Path(r["input"]).name for r in rows] == [
        SEEDS[0].name, "broken.docx", "notes.txt", "paper.pdf", "story.docx", "seed-002.html", "gone.html", "-"]
    status = {Path(r["input"]).name: r for r in rows}
    assert {name for name, r in status.items() if r["status"] == "error"} == {"broken.docx", "notes.txt", "gone.html"}
    for name in ("broken.docx", "notes.txt", "gone.html"):
        error = status[name]["error"]
        assert "\n" not in error and error.split(": ")[0].endswith(name)
    expected = {"story.docx": SEEDS[4], "paper.pdf": SEEDS[3], "seed-002.html": SEEDS[2], "-": SEEDS[1],
                SEEDS[0].name: SEEDS[0]}
    for name, seed in expected.items():
        data = json.loads((out / status[name]["outputs"]["json"]).read_text(encoding="utf-8"))
        assert [s["hi"] for s in data["segments"]] == sentences(load_article(seed)), name
    assert report.exit_code == 1


# --- output formats --------------------------------------------------------------------------------


def test_every_format_is_written_and_the_word_file_is_editable_with_a_bilingual_table(tmp_path):
    out = tmp_path / "out"
    report = run_batch([str(SEEDS[4])], out, pipeline=stub_pipeline(), formats="md,txt,docx", bilingual=True)
    (record,) = report.records
    stem = SEEDS[4].stem
    assert record.task.outputs == {"json": f"{stem}.json", "markdown": f"{stem}.md", "text": f"{stem}.txt",
                                   "docx": f"{stem}.docx"}
    assert sorted(p.name for p in out.iterdir()) == sorted([*record.task.outputs.values(), "index.jsonl"])
    data = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
    text = (out / f"{stem}.txt").read_text(encoding="utf-8")
    assert text.startswith(f"{data['title']}\n{'=' * len(data['title'])}\n\nBrief: {data['brief']}\n")
    document = docx.Document(io.BytesIO((out / f"{stem}.docx").read_bytes()))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == data["title"] and any(p.startswith("Brief.") for p in paragraphs)
    (table,) = document.tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == ["Hindi", "English"]
    assert cells[1:] == [[s["hi"], s["en"]] for s in data["segments"]]
    assert index(out)[0]["outputs"] == record.task.outputs


def test_json_alone_and_resume_makes_only_what_is_missing(tmp_path):
    out = tmp_path / "out"
    pipe = stub_pipeline()
    run_batch([str(SEEDS[0]), str(SEEDS[1])], out, pipeline=pipe, formats="json")
    assert sorted(p.suffix for p in out.glob(f"{SEEDS[0].stem}.*")) == [".json"]
    calls = len(pipe.translator.calls)
    again = run_batch([str(SEEDS[0]), str(SEEDS[1])], out, pipeline=pipe, formats="json", resume=True)
    assert again.skipped == 2 and len(pipe.translator.calls) == calls
    more = run_batch([str(SEEDS[0]), str(SEEDS[1])], out, pipeline=pipe, formats="json,docx", resume=True)
    assert more.skipped == 0 and (out / f"{SEEDS[0].stem}.docx").is_file()  # a new format: made


def test_an_unknown_format_is_a_usage_error_naming_the_choices(tmp_path, capsys):
    try:
        code = main(["run", str(SEEDS[0]), "-o", str(tmp_path), "--format", "json,pdf"])
    except SystemExit as stop:  # argparse
        code = stop.code
    assert code == 2
    assert "unknown output format 'pdf'; choose from json, md, txt, docx" in capsys.readouterr().err

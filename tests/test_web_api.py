"""The web app's named API endpoint, called with gradio_client, against the app serving the tiny models
on a free loopback port (launched once for this module)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from gradio_client import Client  # noqa: E402
from gradio_client.exceptions import AppError  # noqa: E402

from translate.article import parse_article  # noqa: E402
from translate.pipeline import Pipeline  # noqa: E402
from translate.web import API_NAME, Limits, WebApp  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def source_sentences(text: str) -> list[str]:
    """The Hindi sentences the pipeline should return one segment each for."""
    return [sentence for _, sentence in parse_article(text).sentences()]


@pytest.fixture(scope="module")
def tiny_app(tiny_models: Path):
    """(WebApp, URL): the page with the tiny models, serving on a free port for this module."""

    def load(translator: str, summarizer: str, beams: int) -> Pipeline:
        return Pipeline.from_pretrained(translator=translator, summarizer=summarizer, device="cpu", beams=beams)

    # Private addresses allowed: the browser test's pages come from a local server on 127.0.0.1.
    app = WebApp(load, translator=str(tiny_models / "translator"), summarizer=str(tiny_models / "summarizer"), beams=1,
                 limits=Limits(allow_private_urls=True))
    url = app.launch(port=free_port(), block=False, quiet=True)
    yield app, url
    app.close()


@pytest.fixture(scope="module")
def client(tiny_app) -> Client:
    return Client(tiny_app[1], verbose=False, analytics_enabled=False, download_files=False)


def test_named_endpoint_returns_the_results_json(client: Client):
    text = SEEDS[1].read_text(encoding="utf-8")
    data = client.predict(text=text, api_name=f"/{API_NAME}")
    assert data["brief"].strip()
    assert any(block["text"].strip() for block in data["translation"])
    assert [s["hi"] for s in data["segments"]] == source_sentences(text)
    assert all(s["en"].strip() for s in data["segments"])
    assert data["models"]["translator"]["id"].endswith("translator")


def test_brief_length_is_a_parameter_and_is_checked(client: Client):
    text = SEEDS[2].read_text(encoding="utf-8")
    short = client.predict(text=text, brief_words=10, api_name=f"/{API_NAME}")
    assert short["brief"].strip()
    with pytest.raises(AppError, match="brief length must be 10 to 300 words, got 5"):
        client.predict(text=text, brief_words=5, api_name=f"/{API_NAME}")


def test_bad_input_is_one_clear_message_and_the_app_keeps_serving(client: Client):
    with pytest.raises(AppError, match="no Hindi") as error:
        client.predict(text="This article is written in English only, nothing to translate.", api_name=f"/{API_NAME}")
    assert "Traceback" not in str(error.value)
    text = SEEDS[0].read_text(encoding="utf-8")
    assert len(client.predict(text=text, api_name=f"/{API_NAME}")["segments"]) == len(source_sentences(text))


def test_pasted_text_over_the_limit_is_refused(client: Client, tiny_app):
    limit = tiny_app[0].limits.max_chars
    with pytest.raises(AppError, match=f"{limit + 1:,} characters; the limit is {limit:,}"):
        client.predict(text="क" * (limit + 1), api_name=f"/{API_NAME}")


def test_only_the_named_endpoint_is_public(client: Client):
    endpoints = client.view_api(print_info=False, return_format="dict")
    assert list(endpoints["named_endpoints"]) == [f"/{API_NAME}"]
    assert not endpoints["unnamed_endpoints"]

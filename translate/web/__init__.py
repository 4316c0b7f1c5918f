"""The web page: a Gradio app over the one pipeline (:mod:`.app`) and its pure HTML renderers
(:mod:`.render`)."""

from __future__ import annotations

from .app import API_NAME, GENERIC_ERROR, Limits, Translated, WebApp
from .render import (
    Downloads,
    render_briefs,
    render_digest,
    render_removed,
    render_segments,
    render_translation,
    render_warnings,
    write_downloads,
)

__all__ = ["API_NAME", "GENERIC_ERROR", "Downloads", "Limits", "Translated", "WebApp", "render_briefs", "render_digest",
           "render_removed", "render_segments", "render_translation", "render_warnings", "write_downloads"]

"""Bytes to a clean, sentence-split :class:`Article`, read top-down: :mod:`.load` (decode, formats,
metadata; Word and PDF through :mod:`.formats`, links through :mod:`.url`) -> :mod:`.cleaning` (the
declarative rules of ``cleaning_rules.toml``) -> :mod:`.segment` (Hindi and English sentences)."""

from __future__ import annotations

from .load import (
    DEFAULT_MAX_BYTES,
    FORMATS,
    INPUT_SUFFIXES,
    MAX_BYTES_ENV,
    Article,
    Block,
    decode_bytes,
    ensure_hindi,
    format_size,
    is_url,
    load_article,
    load_bytes,
    max_bytes_limit,
    parse_article,
    web_address,
)
from .segment import split_sentences

__all__ = [
    "Article", "Block", "DEFAULT_MAX_BYTES", "FORMATS", "INPUT_SUFFIXES", "MAX_BYTES_ENV", "decode_bytes",
    "ensure_hindi", "format_size", "is_url", "load_article", "load_bytes", "load_url", "max_bytes_limit", "parse_article", "web_address",
    "split_sentences",
]


def __getattr__(name: str):
    # load_url needs httpx: imported on first use, so that reading files never loads a web client.
    if name == "load_url":
        from .url import load_url

        return load_url
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

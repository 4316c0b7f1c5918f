"""Bytes to a clean, sentence-split :class:`Article`, read top-down: :mod:`.load` (decode, formats,
metadata) -> :mod:`.cleaning` (the declarative rules of ``cleaning_rules.toml``) -> :mod:`.segment`
(Hindi and English sentences)."""

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
    load_article,
    load_bytes,
    max_bytes_limit,
    parse_article,
)
from .segment import split_sentences

__all__ = [
    "Article", "Block", "DEFAULT_MAX_BYTES", "FORMATS", "INPUT_SUFFIXES", "MAX_BYTES_ENV", "decode_bytes",
    "ensure_hindi", "format_size", "load_article", "load_bytes", "max_bytes_limit", "parse_article", "split_sentences",
]

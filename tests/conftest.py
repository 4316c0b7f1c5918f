"""Shared test set-up: no network, a throw-away model store, tiny models built once per session."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

# Set at import, before any test imports huggingface_hub (which reads these once): no test may
# reach a hub or touch the real model store.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
# The tiny models gain nothing from threads, and on a busy 2-core machine torch's spinning
# OpenMP threads made generation about 30x slower than one thread.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ["HINDI_BRIEF_MODELS"] = tempfile.mkdtemp(prefix="hindi-brief-test-store-")
atexit.register(shutil.rmtree, os.environ["HINDI_BRIEF_MODELS"], ignore_errors=True)

sys.path.insert(0, str(Path(__file__).resolve().parent))  # makes `import tiny_models` work

from tiny_models import build_tiny_models  # noqa: E402


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder holding tiny random-weight ``translator/`` (NLLB), ``summarizer/`` (BART), ``marian/``."""
    root = tmp_path_factory.mktemp("tiny_models")
    build_tiny_models(root)
    return root

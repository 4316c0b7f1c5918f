"""Talking to the model hub: cached snapshots, a fast reachability check, downloads.

Everything here goes through ``huggingface_hub``; the only hand-written part is
:func:`hub_reachable`, a plain TCP connect with a short timeout, because huggingface_hub retries
unreachable hosts for a long time before giving up and the tool must fail in seconds instead.
"""

from __future__ import annotations

import contextlib
import fnmatch
import logging
import os
import re
import socket
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

from ..errors import ModelNotFoundError

#: Seconds to wait for the hub before calling it unreachable.
REACH_TIMEOUT_S = 3.0
_TRUE = {"1", "ON", "YES", "TRUE"}


def hub_offline() -> bool:
    """True when ``HF_HUB_OFFLINE`` is set (read now, not at import like huggingface_hub does)."""
    from huggingface_hub import constants

    return constants.HF_HUB_OFFLINE or os.environ.get("HF_HUB_OFFLINE", "").upper() in _TRUE


def hub_reachable(timeout: float = REACH_TIMEOUT_S) -> bool:
    """Whether a TCP connection to the hub endpoint (``HF_ENDPOINT``) opens within ``timeout``."""
    from huggingface_hub import constants

    url = urlparse(constants.ENDPOINT)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname or "", port), timeout=timeout):
            return True
    except OSError:
        return False


def weight_patterns(*, allow_pickle: bool, trust_remote_code: bool) -> list[str]:
    """File patterns worth downloading: configs, tokenizer files and safetensors weights.

    Pickle weights (``*.bin``) only with ``allow_pickle``; Python files only with
    ``trust_remote_code`` (they are executed when the model loads).
    """
    patterns = ["*.json", "*.model", "*.spm", "*.txt", "*.safetensors"]
    if allow_pickle:
        patterns.append("*.bin")
    if trust_remote_code:
        patterns.append("*.py")
    return patterns


#: Files the loaders read, by name: configurations and every tokenizer format the presets use.
#: Anything else in a repository (flax_model.msgpack, rust_model.ot, tf_model.h5, onnx/, README.md,
#: the other format of weights already present) is never downloaded.
LOADER_FILES = frozenset({
    "config.json", "generation_config.json",
    "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
    "sentencepiece.bpe.model", "spiece.model", "source.spm", "target.spm", "vocab.json", "merges.txt",
    "vocab.txt", "dict.SRC.json", "dict.TGT.json", "model.SRC", "model.TGT",
})
_SAFE_WEIGHTS = re.compile(r"model(?:-\d{5}-of-\d{5})?\.safetensors|model\.safetensors\.index\.json")
_PICKLE_WEIGHTS = re.compile(r"pytorch_model(?:-\d{5}-of-\d{5})?\.bin|pytorch_model\.bin\.index\.json")


def files_to_fetch(files: list[str], *, trust_remote_code: bool = False) -> list[str]:
    """Which of a repository's ``files`` a model needs: :data:`LOADER_FILES`, and its weights as
    safetensors where the repository has them, else as pickle (``pytorch_model.bin``, made safe
    after the download by :mod:`translate.backends.weights`). Python files only with ``trust_remote_code``."""
    top = [name for name in files if "/" not in name]
    wanted = [name for name in top if name in LOADER_FILES]
    safe = [name for name in top if _SAFE_WEIGHTS.fullmatch(name)]
    wanted += safe or [name for name in top if _PICKLE_WEIGHTS.fullmatch(name)]
    if trust_remote_code:
        wanted += [name for name in top if fnmatch.fnmatch(name, "*.py")]
    return sorted(wanted)


@contextlib.contextmanager
def quiet_hub() -> Iterator[None]:
    """huggingface_hub's own log lines (retries, resumes) silenced: a failure is reported once, by us."""
    logger = logging.getLogger("huggingface_hub")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def one_line(exc: BaseException) -> str:
    """An exception as one short line (huggingface_hub's messages span several)."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__


def repo_files(repo_id: str, revision: str | None, *, how_to: str = "") -> list[str]:
    """The file names of ``repo_id`` at ``revision`` on the hub (one API call, no download).

    Raises :class:`ModelNotFoundError` (with ``how_to``) when the hub is off or unreachable, the
    repository or revision does not exist, or the listing fails.
    """
    from huggingface_hub import HfApi
    from huggingface_hub.errors import RepositoryNotFoundError, RevisionNotFoundError

    suffix = f" {how_to}" if how_to else ""
    _check_reachable(repo_id, suffix)
    try:
        with quiet_hub():
            return HfApi().list_repo_files(repo_id, revision=revision)
    except RevisionNotFoundError:
        raise ModelNotFoundError(f"{repo_id}: the hub has no revision {revision!r} of this model.{suffix}") from None
    except RepositoryNotFoundError:
        raise ModelNotFoundError(f"{repo_id}: no such model on the hub.{suffix}") from None
    except Exception as exc:  # httpx, OSError, HfHubHTTPError, ...: whatever the network does
        raise ModelNotFoundError(f"{repo_id}: cannot list the model's files: {one_line(exc)}.{suffix}") from None


def _check_reachable(repo_id: str, suffix: str) -> None:
    if hub_offline():
        raise ModelNotFoundError(f"{repo_id}: cannot download, the hub is switched off (HF_HUB_OFFLINE=1; unset it to download).{suffix}")
    if not hub_reachable():
        raise ModelNotFoundError(f"{repo_id}: cannot download, the model hub is unreachable.{suffix}")


def fetch_files(repo_id: str, revision: str | None, files: list[str], local_dir: Path, *, how_to: str = "") -> Path:
    """Download exactly ``files`` of ``repo_id`` at ``revision`` into ``local_dir`` (progress bars
    unless HF_HUB_DISABLE_PROGRESS_BARS). A failure (a dropped connection included, after
    huggingface_hub's own retries) is a one-line :class:`ModelNotFoundError`; what was written to
    ``local_dir`` is the caller's to remove."""
    from huggingface_hub import snapshot_download

    suffix = f" {how_to}" if how_to else ""
    try:
        with quiet_hub():
            folder = snapshot_download(repo_id, revision=revision, local_dir=str(local_dir), allow_patterns=files)
    except Exception as exc:  # as in repo_files
        raise ModelNotFoundError(f"{repo_id}: download failed: {one_line(exc)}.{suffix}") from None
    return Path(folder)


def cached_snapshot(repo_id: str, revision: str | None) -> Path | None:
    """The folder of ``repo_id`` at ``revision`` in the local Hugging Face cache, or None."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        return Path(snapshot_download(repo_id, revision=revision, local_files_only=True))
    except (LocalEntryNotFoundError, FileNotFoundError, ValueError):
        return None


def download(
    repo_id: str,
    revision: str | None,
    *,
    local_dir: Path | None = None,
    allow_pickle: bool = False,
    trust_remote_code: bool = False,
    how_to: str = "",
) -> Path:
    """Download ``repo_id`` (with huggingface_hub's progress bars) and return its folder.

    With ``local_dir`` the files land there, else in the Hugging Face cache. Raises
    :class:`ModelNotFoundError` (with ``how_to`` appended) within seconds when the hub is
    switched off (``HF_HUB_OFFLINE=1``) or unreachable, and when the download fails.
    """
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError

    suffix = f" {how_to}" if how_to else ""
    if hub_offline():
        raise ModelNotFoundError(f"{repo_id}: cannot download, the hub is switched off (HF_HUB_OFFLINE=1; unset it to download).{suffix}")
    if not hub_reachable():
        raise ModelNotFoundError(f"{repo_id}: cannot download, the model hub is unreachable.{suffix}")
    try:
        folder = snapshot_download(
            repo_id,
            revision=revision,
            local_dir=str(local_dir) if local_dir else None,
            allow_patterns=weight_patterns(allow_pickle=allow_pickle, trust_remote_code=trust_remote_code),
        )
    except (HfHubHTTPError, OSError, ValueError) as exc:
        raise ModelNotFoundError(f"{repo_id}: download failed: {exc}.{suffix}") from exc
    return Path(folder)

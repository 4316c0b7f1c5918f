"""Talking to the model hub: cached snapshots, a fast reachability check, downloads.

Everything here goes through ``huggingface_hub``; the only hand-written part is
:func:`hub_reachable`, a plain TCP connect with a short timeout, because huggingface_hub retries
unreachable hosts for a long time before giving up and the tool must fail in seconds instead.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from urllib.parse import urlparse

from .errors import ModelNotFoundError

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

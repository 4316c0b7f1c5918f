"""A local model hub for tests: serves folders through the HTTP endpoints ``huggingface_hub`` calls.

    python tests/local_hub.py ROOT [--port N] [--port-file FILE]

``ROOT`` holds one folder per repository and commit, ``ROOT/<org>/<name>/<40-hex commit>/...``,
and optionally ``ROOT/<org>/<name>/refs.json`` mapping branch names to commits (``{"main": sha}``).
Point ``HF_ENDPOINT`` at ``http://127.0.0.1:<port>`` and ``snapshot_download`` / ``hindi-brief models
pull`` run their real code path against it:

* ``GET /api/models/<repo>[/revision/<rev>]``: the repository's info (``sha``, ``siblings``);
* ``GET /api/models/<repo>/tree/<rev>?recursive=...``: the file listing (``oid``, ``size``, ``lfs``);
* ``HEAD|GET /<repo>/resolve/<rev>/<path>``: a file, with ``X-Repo-Commit``, ``ETag`` (LFS files:
  ``X-Linked-Etag`` = their sha256, as the hub sends) and byte ranges.

Errors look like the hub's (404 with ``X-Error-Code: RepoNotFound | RevisionNotFound |
EntryNotFound``), which ``huggingface_hub`` turns into its own exception types. For fault tests,
:attr:`LocalHub.drop_after` makes the server close the connection after that many bytes of any file
whose name matches :attr:`LocalHub.drop_pattern`, as a dropped connection would.

Hand-written on ``http.server`` (standard library): no installable package serves a folder as a
hub without an upstream hub to mirror. Listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import re
import sys
import threading
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

_COMMIT = re.compile(r"[0-9a-f]{40}")
#: Files at least this large are served as LFS files (weights), like the hub does for binaries.
_LFS_MIN_BYTES = 1024
_LFS_SUFFIXES = (".bin", ".safetensors", ".msgpack", ".ot", ".h5", ".model", ".spm", ".SRC", ".TGT", ".onnx")


@lru_cache(maxsize=None)
def _sha(path: Path, algorithm: str, mtime: int) -> str:
    digest = hashlib.new(algorithm)
    if algorithm == "sha1":  # git's blob id
        digest.update(f"blob {path.stat().st_size}\0".encode())
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _is_lfs(path: Path) -> bool:
    return path.suffix in _LFS_SUFFIXES or path.stat().st_size >= _LFS_MIN_BYTES * 1024


class LocalHub:
    """Serves ``root`` on 127.0.0.1 in a background thread; use as a context manager."""

    def __init__(self, root: str | Path, port: int = 0):
        self.root = Path(root)
        self.drop_after: int | None = None  # bytes of a matching file sent before the connection drops
        self.drop_pattern = "*"
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request, for assertions
        hub = self

        class Handler(_Handler):
            pass

        Handler.hub = hub
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "LocalHub":
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "LocalHub":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def downloaded(self) -> list[str]:
        """Paths of the files fetched with GET so far (``<repo>/<file>``)."""
        return [path.split("/resolve/", 1)[0].lstrip("/") + "/" + path.split("/resolve/", 1)[1].split("/", 1)[1]
                for method, path in self.requests if method == "GET" and "/resolve/" in path]

    # -- repository look-ups ------------------------------------------------------------------

    def repo_dir(self, repo: str) -> Path | None:
        folder = self.root / repo
        return folder if repo.count("/") == 1 and folder.is_dir() else None

    def commit(self, repo_dir: Path, revision: str) -> str | None:
        if _COMMIT.fullmatch(revision):
            return revision if (repo_dir / revision).is_dir() else None
        refs = repo_dir / "refs.json"
        branches = json.loads(refs.read_text()) if refs.is_file() else {}
        if revision == "main" and "main" not in branches:  # one commit and no refs: it is main
            commits = [p.name for p in repo_dir.iterdir() if _COMMIT.fullmatch(p.name)]
            return commits[0] if len(commits) == 1 else None
        return branches.get(revision)


class _Handler(BaseHTTPRequestHandler):
    hub: LocalHub
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # quiet: tests read hub.requests instead
        pass

    def do_HEAD(self) -> None:
        self._route(head=True)

    def do_GET(self) -> None:
        self._route(head=False)

    # -- routing ------------------------------------------------------------------------------

    def _route(self, *, head: bool) -> None:
        path = unquote(urlparse(self.path).path)
        self.hub.requests.append(("HEAD" if head else "GET", path))
        api = re.fullmatch(r"/api/models/([^/]+/[^/]+)(?:/(revision|tree)/([^/]+))?/?", path)
        if api:
            return self._api(api.group(1), api.group(2), api.group(3) or "main")
        resolve = re.fullmatch(r"/([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path)
        if resolve:
            return self._file(resolve.group(1), resolve.group(2), resolve.group(3), head=head)
        self._error(404, "EntryNotFound", "no such endpoint")

    def _locate(self, repo: str, revision: str) -> tuple[Path, str] | None:
        repo_dir = self.hub.repo_dir(repo)
        if repo_dir is None:
            self._error(404, "RepoNotFound", f"Repository Not Found for url: {self.path}.")
            return None
        commit = self.hub.commit(repo_dir, revision)
        if commit is None:
            self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}")
            return None
        return repo_dir / commit, commit

    def _api(self, repo: str, kind: str | None, revision: str) -> None:
        found = self._locate(repo, revision)
        if found is None:
            return
        folder, commit = found
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        if kind == "tree":
            listing = []
            for p in files:
                stat = p.stat()
                entry = {"type": "file", "oid": _sha(p, "sha1", stat.st_mtime_ns), "size": stat.st_size,
                         "path": p.relative_to(folder).as_posix()}
                if _is_lfs(p):
                    entry["lfs"] = {"oid": _sha(p, "sha256", stat.st_mtime_ns), "size": stat.st_size, "pointerSize": 134}
                listing.append(entry)
            return self._json(listing)
        self._json({"id": repo, "modelId": repo, "sha": commit, "private": False, "disabled": False,
                    "siblings": [{"rfilename": p.relative_to(folder).as_posix()} for p in files]})

    def _file(self, repo: str, revision: str, name: str, *, head: bool) -> None:
        found = self._locate(repo, revision)
        if found is None:
            return
        folder, commit = found
        path = folder / name
        if ".." in Path(name).parts or not path.is_file():
            return self._error(404, "EntryNotFound", f"{name} does not exist at {revision}")
        stat = path.stat()
        size = stat.st_size
        start, end = 0, size - 1
        ranged = self.headers.get("Range")
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", ranged or "")
        if match:
            start = int(match.group(1))
            end = int(match.group(2)) if match.group(2) else size - 1
        self.send_response(206 if match else 200)
        self.send_header("X-Repo-Commit", commit)
        if _is_lfs(path):
            self.send_header("X-Linked-Etag", f'"{_sha(path, "sha256", stat.st_mtime_ns)}"')
            self.send_header("X-Linked-Size", str(size))
        self.send_header("ETag", f'"{_sha(path, "sha1", stat.st_mtime_ns)}"')
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(end - start + 1))
        if match:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if head:
            return
        drop = self.hub.drop_after if fnmatch.fnmatch(path.name, self.hub.drop_pattern) else None
        with path.open("rb") as handle:
            handle.seek(start)
            remaining = end - start + 1
            sent = 0
            while remaining > 0:
                chunk = handle.read(min(remaining, 1 << 16))
                if not chunk:
                    break
                if drop is not None and sent + len(chunk) > drop:
                    self.wfile.write(chunk[: max(0, drop - sent)])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)  # the connection drops mid-file
                    return
                self.wfile.write(chunk)
                sent += len(chunk)
                remaining -= len(chunk)

    # -- answers ------------------------------------------------------------------------------

    def _json(self, data) -> None:
        body = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, code: str, message: str) -> None:
        body = json.dumps({"error": message}).encode()
        self.send_response(status)
        self.send_header("X-Error-Code", code)
        self.send_header("X-Error-Message", message)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="folder of <org>/<name>/<commit>/ repositories")
    parser.add_argument("--port", type=int, default=0, help="port (default: any free one)")
    parser.add_argument("--port-file", type=Path, help="write the port here once listening")
    args = parser.parse_args(argv)
    hub = LocalHub(args.root, args.port)
    if args.port_file:
        args.port_file.write_text(str(hub.server.server_address[1]))
    print(f"local hub: {hub.url} serving {args.root}", file=sys.stderr, flush=True)
    try:
        hub.server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The shape of the package (issue 13): no import cycle, imports only go down the layers, the library
never names a command-line flag, and a wheel installed elsewhere finds its presets and sample articles.

    python tests/test_architecture.py      # prints the module graph's layers and any violation
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "translate"

#: Top to bottom; a module may import its own layer's modules (without cycles) and any layer below.
LAYERS = ["cli", "web", "watch", "batch", "digest", "export", "evaluate", "pipeline", "faithful", "engines", "store",
          "backends", "article", "options", "errors"]
#: Levels where they differ from LAYERS' positions: rooms that sit side by side (neither imports the other).
SAME_LEVEL = {"digest": 4, "export": 4, "evaluate": 5, "pipeline": 5}


def level(module: str) -> int:
    room = module.split(".")[1] if "." in module else module
    return SAME_LEVEL.get(room, LAYERS.index(room))


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of the package that ``name`` imports, at module level or inside functions."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package) if node.level else node.module or ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                targets.add(candidate if candidate in known else base)
        elif isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
    return {t for t in targets if t in known and t != name}


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports(name, path, known) for name, path in found.items() if name != "translate"}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, result, counter = {}, {}, [], set(), [], [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return result


def upward(edges: dict[str, set[str]]) -> list[str]:
    """Imports that go up the layers (or sideways between different rooms of one level)."""
    bad = []
    for source, targets in edges.items():
        for target in targets:
            if target == "translate":
                continue
            room_s, room_t = source.split(".")[1], target.split(".")[1]
            if room_s != room_t and level(target) <= level(source):
                bad.append(f"{source} -> {target}")
    return sorted(bad)


def test_no_import_cycle_in_the_package() -> None:
    assert cycles(graph()) == []


def test_imports_only_go_down_the_layers() -> None:
    edges = graph()
    assert {name.split(".")[1] for name in edges} <= set(LAYERS)  # every module is in a named room
    assert upward(edges) == []


def test_torch_and_ctranslate2_are_imported_only_by_the_backends() -> None:
    for name, path in modules().items():
        if name.startswith("translate.backends"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        heavy = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        heavy |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and not node.level}
        assert not heavy & {"torch", "ctranslate2"}, name


def test_the_library_never_names_a_command_line_flag() -> None:
    """Messages of the library say what is wrong; the command line adds which flag to change."""
    flagged = []
    for name, path in modules().items():
        if name.startswith("translate.cli"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("UsageError", "ModelError", "InputError",
                                                                               "ModelNotFoundError"):
                text = ast.unparse(node)
                for flag in ("-o ", "--dataset", "--ray-address", "--workers", "--engine", "--gpus-per-worker"):
                    if flag in text:
                        flagged.append(f"{name}: {flag}")
    assert flagged == []


@pytest.mark.timeout(900)
def test_a_wheel_installed_elsewhere_finds_its_presets_and_cleans(tmp_path: Path) -> None:
    """``pip install .`` (not editable) into a fresh venv, then from another folder: `models list`
    and `clean <a seed>` work (the registry, glossary and cleaning rules are package data)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "HOME": str(tmp_path / "home")}
    env.pop("HINDI_BRIEF_MODELS", None)
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels),
                    str(ROOT)], check=True, env=env, timeout=600, capture_output=True)
    (wheel,) = wheels.glob("hindi_brief-*.whl")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True, env=env,
                   timeout=300, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    command = venv / "bin" / "hindi-brief"
    listed = subprocess.run([str(command), "models", "list"], cwd=elsewhere, env=env, capture_output=True, text=True,
                            timeout=300)
    assert listed.returncode == 0, listed.stderr
    assert "hplt" in listed.stdout and "distilbart-cnn" in listed.stdout
    assert str(tmp_path / "home" / ".local" / "share" / "hindi-brief" / "models") in listed.stdout  # not site-packages
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    cleaned = subprocess.run([str(command), "clean", str(seed)], cwd=elsewhere, env=env, capture_output=True,
                             text=True, timeout=300)
    assert cleaned.returncode == 0, cleaned.stderr
    assert cleaned.stdout.startswith("# ") and "Read More" not in cleaned.stdout
    where = subprocess.run([str(python), "-c", "import translate; print(translate.__file__)"], cwd=elsewhere, env=env,
                           capture_output=True, text=True, timeout=120)
    assert str(venv) in where.stdout  # the installed copy, not the checkout
    # The page's five sample articles travel with it (issue 25): the same texts as the checkout's seeds/.
    samples = subprocess.run([str(python), "-c", "from translate.web.app import SEEDS_DIR\n"
                              "for p in sorted(SEEDS_DIR.glob('*.txt')): print(p.name, len(p.read_bytes()))"],
                             cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert samples.returncode == 0, samples.stderr
    assert samples.stdout.split("\n")[:-1] == [f"{p.name} {len(p.read_bytes())}"
                                                for p in sorted((ROOT / "seeds").glob("*.txt"))]


@pytest.mark.timeout(1500)
def test_a_plain_pip_install_reads_html_files_and_web_pages(tmp_path: Path, tiny_models: Path) -> None:
    """``pip install hindi-brief.whl`` with its declared dependencies only (no extras: the indictrans2
    extra once brought lxml_html_clean along by chance) into an empty venv, then an HTML file and a page
    served on 127.0.0.1 translated with the tiny models: jusText, under trafilatura, imports
    lxml.html.clean, which lxml 5.2 moved out (lxml[html_clean])."""
    import http.server
    import threading

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "HINDI_BRIEF_MODELS": str(tmp_path / "store"),
           "HF_HUB_OFFLINE": "1"}
    env.pop("PYTHONPATH", None)
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels),
                    str(ROOT)], check=True, env=env, timeout=600, capture_output=True)
    (wheel,) = wheels.glob("hindi_brief-*.whl")
    for spec in (["torch==2.13.0"], [str(wheel)]):  # torch first, as the README says (a local CPU wheel here)
        proc = subprocess.run([str(python), "-m", "pip", "install", "-q", *spec], env=env, timeout=1200,
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-3000:]
    probe = subprocess.run([str(python), "-c", "import importlib.util as u; print(u.find_spec('lxml_html_clean') is not None, "
                            "u.find_spec('IndicTransToolkit') is not None)"], env=env, capture_output=True, text=True,
                           timeout=120, cwd=tmp_path)
    assert probe.stdout.split() == ["True", "False"], probe.stdout + probe.stderr  # declared, and no extra installed

    page = ("<html><head><title>भारत और रूस</title></head><body><article><h1>भारत और रूस ने समझौते किए</h1>"
            "<p>भारत और रूस ने आज दस समझौते किए। दोनों देशों के नेताओं ने व्यापार पर लंबी बात की।</p>"
            "<p>अगली बैठक मॉस्को में होगी।</p></article></body></html>")
    site = tmp_path / "site"
    site.mkdir()
    (site / "story.html").write_text(page, encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/story.html"
        proc = subprocess.run([str(venv / "bin" / "hindi-brief"), "run", str(site / "story.html"), url, "-o",
                               str(tmp_path / "out"), "--translator", str(tiny_models / "translator"), "--summarizer",
                               "extractive", "--beams", "1", "--no-cache", "--allow-private-urls"],
                              env=env, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    finally:
        server.shutdown()
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    outputs = sorted((tmp_path / "out").glob("*.json"))
    assert len(outputs) == 2, outputs
    for output in outputs:
        record = json.loads(output.read_text(encoding="utf-8"))
        assert [s["hi"] for s in record["segments"]][:2] == ["भारत और रूस ने आज दस समझौते किए।",
                                                             "दोनों देशों के नेताओं ने व्यापार पर लंबी बात की।"]


if __name__ == "__main__":
    edges = graph()
    for room in LAYERS:
        members = sorted(name for name in edges if name.split(".")[1] == room)
        print(f"{room:10} {', '.join(m.split('.', 2)[-1] if m.count('.') > 1 else '(module)' for m in members)}")
    print("cycles:", cycles(edges) or "none")
    print("upward imports:", upward(edges) or "none")

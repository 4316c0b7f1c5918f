"""The shape of the package (issue 13): no import cycle, imports only go down the layers, the library
never names a command-line flag, and a wheel installed elsewhere finds its presets.

    python tests/test_architecture.py      # prints the module graph's layers and any violation
"""

from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "translate"

#: Top to bottom; a module may import its own layer's modules (without cycles) and any layer below.
LAYERS = ["cli", "web", "batch", "digest", "export", "evaluate", "pipeline", "faithful", "engines", "store",
          "backends", "article", "options", "errors"]
#: Levels where they differ from LAYERS' positions: rooms that sit side by side (neither imports the other).
SAME_LEVEL = {"digest": 3, "export": 3, "evaluate": 4, "pipeline": 4}


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
    assert "nllb-600m" in listed.stdout and "distilbart-cnn" in listed.stdout
    assert str(tmp_path / "home" / ".local" / "share" / "hindi-brief" / "models") in listed.stdout  # not site-packages
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    cleaned = subprocess.run([str(command), "clean", str(seed)], cwd=elsewhere, env=env, capture_output=True,
                             text=True, timeout=300)
    assert cleaned.returncode == 0, cleaned.stderr
    assert cleaned.stdout.startswith("# ") and "Read More" not in cleaned.stdout
    where = subprocess.run([str(python), "-c", "import translate; print(translate.__file__)"], cwd=elsewhere, env=env,
                           capture_output=True, text=True, timeout=120)
    assert str(venv) in where.stdout  # the installed copy, not the checkout


if __name__ == "__main__":
    edges = graph()
    for room in LAYERS:
        members = sorted(name for name in edges if name.split(".")[1] == room)
        print(f"{room:10} {', '.join(m.split('.', 2)[-1] if m.count('.') > 1 else '(module)' for m in members)}")
    print("cycles:", cycles(edges) or "none")
    print("upward imports:", upward(edges) or "none")

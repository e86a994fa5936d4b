"""Layering contract: ui -> services -> store, ctgov -> domain; only tracker/ui imports Qt."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "tracker"

# What each layer may import from tracker (besides itself). Top-level modules are listed too.
ALLOWED = {
    "domain": set(),
    "curated": {"domain"},
    "store": {"domain"},
    "ctgov": {"domain", "__init__"},
    "services": {"domain", "store", "ctgov", "curated", "bundled", "settings", "settings_url",
                 "__init__"},
    # the CLI is an outer layer like the window: it borrows Qt's PDF writer from tracker.ui
    "cli": {"domain", "store", "services", "ctgov", "context", "settings", "settings_url", "paths",
            "ui", "__init__"},
    "ui": {"domain", "store", "services", "ctgov", "context", "settings", "settings_url", "bundled", "paths",
           "__init__"},
    "context": {"services", "settings", "settings_url", "store", "ctgov", "domain", "paths", "__init__"},
    "settings": {"settings_url"},  # the URL check, without pydantic (`tracker show`)
    "settings_url": set(),
    "paths": set(),
    "bundled": set(),
    "__main__": {"cli", "domain", "ui", "context", "__init__"},
    "__init__": set(),
}


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _layer(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py") if relative.parts else ""


def _python_files() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "_bundled" not in p.parts]


def test_only_the_ui_package_imports_pyside6():
    offenders = [
        str(path.relative_to(REPO_ROOT)) for path in _python_files()
        if _layer(path) != "ui"
        and any(name.split(".")[0] in {"PySide6", "shiboken6"} for name in _imports(path))
    ]
    assert offenders == []


def test_layers_import_only_downwards():
    violations = []
    for path in _python_files():
        layer = _layer(path)
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] != "tracker" or len(parts) == 1:
                if name == "tracker":
                    target = "__init__"
                else:
                    continue
            else:
                target = parts[1]
            if target != layer and target not in ALLOWED[layer]:
                violations.append(f"{path.relative_to(REPO_ROOT)} imports {name}")
    assert violations == []


def test_the_contract_itself_catches_a_violation(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from PySide6.QtCore import QObject\nimport tracker.ui.app\n")
    assert _imports(sample) == ["PySide6.QtCore", "tracker.ui.app"]


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_cycles(package: Path, root: Path = REPO_ROOT) -> list[list[str]]:
    """Cycles among the modules of `package`, counting imports inside functions too."""
    modules = {_module_name(p, root): p for p in package.rglob("*.py")}
    graph = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            graph[name] |= {t for t in targets if t in modules and t != name}
    cycles, done, stack = [], set(), []

    def visit(name: str) -> None:
        if name in stack:
            cycles.append(stack[stack.index(name):] + [name])
            return
        if name in done:
            return
        stack.append(name)
        for target in sorted(graph[name]):
            visit(target)
        stack.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)
    return cycles


def test_the_command_line_modules_import_one_way():
    assert _import_cycles(PACKAGE / "cli") == []


def test_the_cycle_finder_finds_a_cycle_through_an_import_inside_a_function(tmp_path):
    package = tmp_path / "tracker" / "cli"
    package.mkdir(parents=True)
    (package / "a.py").write_text("def f():\n    from tracker.cli import b\n")
    (package / "b.py").write_text("from tracker.cli.a import f\n")
    (package / "c.py").write_text("from tracker.cli.a import f\n")
    assert _import_cycles(package, root=tmp_path) == [["tracker.cli.a", "tracker.cli.b",
                                                      "tracker.cli.a"]]

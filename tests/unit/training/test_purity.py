"""The training package is a pure functional core: its imports and calls prove it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import lanterne_rouge.training

PACKAGE = Path(lanterne_rouge.training.__file__).resolve().parent
MODULES = sorted(PACKAGE.rglob("*.py"))

FORBIDDEN_MODULES = {
    "asyncio",
    "builtins",
    "http",
    "httpx",
    "huggingface_hub",
    "io",
    "logging",
    "openai",
    "os",
    "pathlib",
    "requests",
    "shutil",
    "socket",
    "sqlalchemy",
    "sqlite3",
    "structlog",
    "subprocess",
    "sys",
    "tempfile",
    "time",
    "urllib",
}
FORBIDDEN_CALLS = {"open", "print", "input", "exec", "eval", "__import__", "breakpoint"}
CLOCK_READS = {"now", "utcnow", "today", "time", "monotonic", "perf_counter"}
OUTSIDE_PACKAGES = ("lanterne_rouge.",)


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_package_has_modules_to_check() -> None:
    assert {p.stem for p in MODULES} >= {"fitness", "load", "readiness", "flags"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_no_io_logging_database_network_or_llm_imports(path: Path) -> None:
    for name in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        assert name.split(".")[0] not in FORBIDDEN_MODULES, f"{path.name} imports {name}"
        if name.startswith(OUTSIDE_PACKAGES):
            assert name.startswith("lanterne_rouge.training"), f"{path.name} imports {name}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_no_file_console_or_clock_calls(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name):
            assert node.func.id not in FORBIDDEN_CALLS, f"{path.name} calls {node.func.id}()"
        if isinstance(node.func, ast.Attribute):
            assert node.func.attr not in CLOCK_READS, f"{path.name} calls .{node.func.attr}()"


def test_the_checker_catches_what_it_forbids() -> None:
    source = "import logging\nfrom datetime import date\nx = date.today()\nopen('f')\n"
    tree = ast.parse(source)
    assert "logging" in _imports(tree)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert any(isinstance(c.func, ast.Attribute) and c.func.attr in CLOCK_READS for c in calls)
    assert any(isinstance(c.func, ast.Name) and c.func.id in FORBIDDEN_CALLS for c in calls)

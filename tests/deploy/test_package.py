"""One importable name: ``claimex``, whose subpackages are the repository's top-level folders."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

import claimex.workers.keys

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("api", "cli", "client", "extractors", "workers")
SOURCES = ("api", "bench", "cli", "client", "extractors", "tests", "training", "workers")


@pytest.mark.parametrize("part", PARTS)
def test_each_part_is_a_link_to_its_top_level_folder(part: str) -> None:
    link = ROOT / "claimex" / part
    assert link.is_symlink()
    assert link.resolve() == (ROOT / part).resolve()


def test_the_distribution_installs_only_claimex() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert project["tool"]["setuptools"]["packages"]["find"]["include"] == ["claimex*"]
    script = project["project"]["scripts"]["claimex"]
    assert script.startswith("claimex.")


def _bare_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found += [n for n in names if n.split(".")[0] in PARTS]
    return found


def test_no_module_imports_a_part_by_its_bare_name() -> None:
    """``workers.keys`` and ``claimex.workers.keys`` would be two modules with two states."""
    offenders = {
        str(path.relative_to(ROOT)): bare
        for folder in SOURCES
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (bare := _bare_imports(path))
    }
    assert offenders == {}


def test_the_package_resolves_into_the_folders() -> None:
    assert Path(claimex.__file__).parent == ROOT / "claimex"
    assert Path(claimex.workers.keys.__file__).resolve() == ROOT / "workers" / "keys.py"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return found


def test_the_http_layer_reads_table_names_only_through_the_workers() -> None:
    """``api/`` ranks and compares tables by the names ``workers.placement`` gives it.

    The extractor's naming rules (``extractors.canonical``) stay behind that boundary.
    """
    offenders = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "api").rglob("*.py")
        if any(name.startswith("claimex.extractors.canonical") for name in _imports(path))
    )
    assert offenders == []

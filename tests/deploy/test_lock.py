"""requirements.lock: the suite runs on exactly the locked versions, and the lock covers them.

``scripts/lockfile.py --check`` compares the installed dependency closure of claimex[dev]
(requirements read from ``pyproject.toml`` itself) with the lock; bootstrap, the Dockerfile
and the refresh command all go through the lock.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from packaging.requirements import Requirement

if TYPE_CHECKING:
    from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "lockfile.py"


def _lockfile() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lockfile", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lockfile = _lockfile()


def test_installed_versions_are_the_locked_ones() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_every_pyproject_requirement_is_locked_at_a_version_it_allows() -> None:
    locked = lockfile.read_lock()
    for requirement in lockfile.top_level():
        name = lockfile.canonicalize_name(requirement.name)
        assert name in locked, f"{requirement} is not in requirements.lock"
        assert requirement.specifier.contains(locked[name], prereleases=True), requirement


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("surely-not-installed-pkg>=1", "surely-not-installed-pkg>=1 (needed by"),
        ("msgspec<0.1", "msgspec 0."),  # installed, but not a version the requirement allows
    ],
)
def test_closure_names_what_is_missing_or_unfit(line: str, problem: str) -> None:
    _, problems = lockfile.closure([Requirement(line)])
    assert any(p.startswith(problem) for p in problems), problems


def test_closure_follows_dependencies_and_evaluates_their_markers() -> None:
    versions, problems = lockfile.closure([Requirement("pytest")])
    assert not problems
    assert {"pytest", "pluggy", "iniconfig", "pip"} <= set(versions)
    # Not on Linux / Python 3.11 ("colorama; sys_platform == 'win32'", "tomli; python < 3.11"),
    # nor pytest's "dev" extra that nobody asked for.
    assert not {"colorama", "tomli", "xmlschema", "pexpect"} & set(versions)
    with_extra, _ = lockfile.closure([Requirement("pytest[dev]")])
    assert {"hypothesis", "numpy"} <= set(with_extra)


def test_a_pyproject_requirement_missing_from_the_lock_is_reported(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\ndependencies = ["msgspec", "brand-new-dep>=2"]\n'
        '[project.optional-dependencies]\ndev = ["pytest"]\n'
    )
    roots = lockfile.top_level(pyproject)
    assert [r.name for r in roots] == ["msgspec", "brand-new-dep", "pytest"]
    _, problems = lockfile.closure(roots)
    assert any("brand-new-dep" in p for p in problems)


@pytest.mark.parametrize(
    ("installed", "locked", "expected"),
    [
        ({"a": "1"}, {"a": "1"}, []),
        ({"a": "2"}, {"a": "1"}, ["a 2 is installed, the lock says 1"]),
        ({"a": "1", "b": "3"}, {"a": "1"}, ["b 3 is needed but not in the lock"]),
        ({}, {"a": "1"}, ["a==1 is locked but no longer needed"]),
    ],
)
def test_differences(
    installed: dict[str, str], locked: dict[str, str], expected: list[str]
) -> None:
    found = lockfile.differences(installed, locked)
    assert [f.split(" (")[0] for f in found] == expected


def test_a_rendered_lock_reads_back(tmp_path: Path) -> None:
    versions = {"b-pkg": "2.0", "a": "1"}
    path = tmp_path / "requirements.lock"
    path.write_text(lockfile.render(versions))
    assert path.read_text().startswith("#")
    assert lockfile.read_lock(path) == versions


@pytest.mark.parametrize(
    ("path", "needle"),
    [
        ("scripts/bootstrap", "-c requirements.lock -e"),
        ("deploy/Dockerfile", "-c requirements.lock"),
        ("scripts/lock", "lockfile.py --write"),
    ],
)
def test_installs_go_through_the_lock(path: str, needle: str) -> None:
    assert needle in (ROOT / path).read_text()

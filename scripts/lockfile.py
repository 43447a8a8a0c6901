"""The lock file: exact versions of every package claimex[dev] needs, as installed here.

    python scripts/lockfile.py --write   # requirements.lock from this environment
    python scripts/lockfile.py --check   # exit 1, naming each difference, unless they agree

The set is the dependency closure of ``pyproject.toml``'s ``dependencies`` and its ``dev``
extra (read from the file itself, so a requirement added there and not locked is caught),
walked through the installed distributions' metadata with their markers evaluated here. Stray
packages someone installed by hand are not in it; ``pip`` is, so bootstrap pins it too.
``scripts/lock`` refreshes the file; ``scripts/bootstrap`` installs from it.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
EXTRA = "dev"
ALSO = ("pip",)
"""Installed by bootstrap before anything else; pinned like the rest."""

HEADER = """\
# Exact versions of claimex[dev]'s dependency closure that the whole suite (scripts/test)
# passed with, on CPython 3.11 / Linux. scripts/bootstrap installs from it (pip -c).
# Refresh: scripts/lock   (upgrades .venv within pyproject.toml, rewrites this file, runs
# scripts/test, and puts the previous file back if the suite fails). Do not edit by hand.
"""


def _wanted(requirement: Requirement, extras: frozenset[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": e}) for e in ("", *sorted(extras)))


def top_level(pyproject: Path = ROOT / "pyproject.toml") -> list[Requirement]:
    """The requirements claimex itself states, its ``dev`` extra included, in ``pyproject.toml``."""
    project = tomllib.loads(pyproject.read_text())["project"]
    lines = [*project["dependencies"], *project["optional-dependencies"][EXTRA]]
    return [r for r in map(Requirement, lines) if _wanted(r, frozenset())]


def closure(roots: list[Requirement]) -> tuple[dict[str, str], list[str]]:
    """Installed version of every package the roots need, and what is missing or unfit."""
    versions: dict[str, str] = {}
    problems: list[str] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(r, "pyproject.toml") for r in roots]
    todo += [(Requirement(name), "scripts/lockfile.py") for name in ALSO]
    while todo:
        requirement, wanted_by = todo.pop()
        name = canonicalize_name(requirement.name)
        extras = frozenset(requirement.extras)
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{requirement} (needed by {wanted_by}) is not installed")
            continue
        version = distribution.version
        if not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{name} {version} is installed, {wanted_by} needs {requirement}")
        versions[name] = version
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        for line in distribution.requires or []:
            child = Requirement(line)
            if _wanted(child, extras):
                todo.append((child, f"{name} {version}"))
    return versions, problems


def render(versions: dict[str, str]) -> str:
    """The lock file's text: the header, then one ``name==version`` line per package, sorted."""
    return HEADER + "".join(f"{name}=={versions[name]}\n" for name in sorted(versions))


def read_lock(path: Path = LOCK) -> dict[str, str]:
    """The pinned version of each package in the lock file, by normalised name."""
    pins = {}
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins


def differences(installed: dict[str, str], locked: dict[str, str]) -> list[str]:
    """Each package whose installed version is not the locked one, in words."""
    out = []
    for name in sorted(set(installed) | set(locked)):
        have, want = installed.get(name), locked.get(name)
        if have == want:
            continue
        if want is None:
            out.append(f"{name} {have} is needed but not in the lock (run scripts/lock)")
        elif have is None:
            out.append(f"{name}=={want} is locked but no longer needed (run scripts/lock)")
        else:
            out.append(f"{name} {have} is installed, the lock says {want} (run scripts/bootstrap)")
    return out


def main(argv: list[str] | None = None) -> int:
    """Write the lock (``--write``) or compare it with this environment (``--check``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="write requirements.lock")
    action.add_argument("--check", action="store_true", help="compare with requirements.lock")
    args = parser.parse_args(argv)
    installed, problems = closure(top_level())
    for problem in problems:
        print(f"lockfile: {problem}", file=sys.stderr)
    if problems:
        return 1
    if args.write:
        LOCK.write_text(render(installed))
        print(f"lockfile: wrote {len(installed)} pins to {LOCK.name}")
        return 0
    found = differences(installed, read_lock())
    for line in found:
        print(f"lockfile: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

"""deploy/: what can be checked without Docker or a cluster.

Every file parses; every ``claimex …`` command in them is a real subcommand with real flags
(parsed by the console script's own parser); ports, environment names and the queue key match
the code that reads them.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml  # type: ignore[import-untyped]
from rq import Queue

from claimex.cli.main import build_parser
from claimex.settings import VARIABLES, ServiceSettings
from claimex.workers import keys

if TYPE_CHECKING:
    from collections.abc import Iterator

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
COMPOSE = DEPLOY / "compose.yaml"
K8S = DEPLOY / "k8s"
PORT = 8000
SHELL_OPERATORS = frozenset({"|", ">", "&&", "||", ";"})


def _documents() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(DEPLOY.rglob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            assert isinstance(document, dict), path
            found.append((str(path.relative_to(DEPLOY)), document))
    return found


def _k8s(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for _, d in _documents() if d.get("kind") == kind}


def _containers() -> Iterator[tuple[str, dict[str, Any]]]:
    for name, document in _documents():
        spec = document.get("spec", {}).get("template", {}).get("spec", {})
        for container in spec.get("containers", []):
            yield f"{name}:{container['name']}", container


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(loaded, dict)
    return loaded


def _dockerfile_lines() -> list[str]:
    """Instructions with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def _commands() -> Iterator[tuple[str, list[str]]]:
    """Every ``claimex`` command line the deploy files run, as argv."""
    for where, container in _containers():
        argv = [*container.get("command", []), *container.get("args", [])]
        if argv and argv[0] == "claimex":
            yield where, argv
    for name, service in _compose()["services"].items():
        command = service.get("command")
        if command and command[0] == "claimex":
            yield f"compose:{name}", command
    for line in _dockerfile_lines():
        instruction, _, rest = line.partition(" ")
        if instruction in {"CMD", "ENTRYPOINT"} and rest.startswith("["):
            argv = yaml.safe_load(rest)
            if argv[0] == "claimex":
                yield f"Dockerfile {instruction}", argv
        elif instruction == "RUN":
            tokens = shlex.split(rest, posix=True)
            for n, token in enumerate(tokens):
                # A command starts the line or follows an operator ("useradd … claimex" is not one).
                if token == "claimex" and (n == 0 or tokens[n - 1] in SHELL_OPERATORS):
                    ends = [i for i in range(n + 1, len(tokens)) if tokens[i] in SHELL_OPERATORS]
                    end = ends[0] if ends else len(tokens)
                    yield "Dockerfile RUN", tokens[n:end]


def test_deploy_yaml_files_parse() -> None:
    names = {name for name, _ in _documents()}
    assert {"compose.yaml", "k8s/api.yaml", "k8s/worker.yaml", "k8s/keda.yaml"} <= names


def test_deploy_commands_exist() -> None:
    commands = list(_commands())
    assert {tuple(argv[:2]) for _, argv in commands} >= {
        ("claimex", "serve"),
        ("claimex", "worker"),
        ("claimex", "extract"),
    }


@pytest.mark.parametrize(("where", "argv"), list(_commands()), ids=str)
def test_deploy_command_parses(where: str, argv: list[str]) -> None:
    try:
        build_parser().parse_args(argv[1:])
    except SystemExit:
        pytest.fail(f"{where}: {shlex.join(argv)} is not a valid claimex command")


def test_deploy_environment_names_are_settings() -> None:
    names: set[str] = set()
    for line in _dockerfile_lines():
        if line.startswith("ENV "):
            names |= {pair.split("=")[0] for pair in shlex.split(line[4:])}
    compose = _compose()
    for service in compose["services"].values():
        names |= set(service.get("environment", {}))
    for document in _k8s("ConfigMap").values():
        names |= set(document["data"])
    claimex_names = {n for n in names if n.startswith("CLAIMEX_") or n == "REDIS_URL"}
    assert "REDIS_URL" in claimex_names
    assert claimex_names <= set(VARIABLES)
    configmap = _k8s("ConfigMap")["claimex"]["data"]
    assert ServiceSettings.from_env(configmap).port == PORT  # the values parse as the service would


def test_deploy_ports_agree() -> None:
    lines = _dockerfile_lines()
    assert f"EXPOSE {PORT}" in lines
    assert any(f"CLAIMEX_PORT={PORT}" in line for line in lines if line.startswith("ENV "))
    assert any(f"127.0.0.1:{PORT}/health" in line for line in lines if "HEALTHCHECK" in line)
    api = _compose()["services"]["api"]
    assert api["environment"]["CLAIMEX_PORT"] == str(PORT)
    assert api["ports"] == [f"{PORT}:{PORT}"]

    (container,) = [c for w, c in _containers() if w.startswith("k8s/api.yaml")]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": PORT}
    for probe in ("readinessProbe", "startupProbe"):
        assert container[probe]["httpGet"] == {"path": "/health", "port": "http"}
    assert container["livenessProbe"]["tcpSocket"] == {"port": "http"}
    service = _k8s("Service")["claimex-api"]
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    assert service["spec"]["selector"] == container_labels("claimex-api")


def container_labels(deployment: str) -> dict[str, str]:
    labels: dict[str, str] = _k8s("Deployment")[deployment]["spec"]["template"]["metadata"][
        "labels"
    ]
    return labels


def test_deploy_every_container_requests_resources() -> None:
    for where, container in _containers():
        requests = container.get("resources", {}).get("requests", {})
        assert {"cpu", "memory"} <= set(requests), where


def test_deploy_image_runs_unprivileged_and_is_warmed() -> None:
    lines = _dockerfile_lines()
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users
    assert users[-1] not in {"root", "0"}
    warm = [line for line in lines if line.startswith("RUN ") and "claimex extract" in line]
    assert warm, "the image should run one extraction at build time"
    for _, document in _documents():
        pod = document.get("spec", {}).get("template", {}).get("spec", {})
        if document.get("kind") == "Deployment":
            assert pod["securityContext"]["runAsNonRoot"] is True


def test_deploy_redis_persists_with_aof() -> None:
    compose_redis = _compose()["services"]["redis"]["command"]
    (k8s_redis,) = [c for w, c in _containers() if w.startswith("k8s/redis.yaml")]
    for command in (compose_redis, k8s_redis["command"]):
        assert command[:3] == ["redis-server", "--appendonly", "yes"]


def test_deploy_keda_scales_workers_on_the_rq_queue() -> None:
    (scaled,) = _k8s("ScaledObject").values()
    assert scaled["spec"]["scaleTargetRef"]["name"] in _k8s("Deployment")
    (trigger,) = scaled["spec"]["triggers"]
    assert trigger["type"] == "redis"
    assert trigger["metadata"]["listName"] == Queue.redis_queue_namespace_prefix + keys.QUEUE
    redis_url = _k8s("ConfigMap")["claimex"]["data"]["REDIS_URL"]
    host_port = re.match(r"redis://([^/:]+):(\d+)/(\d+)", redis_url)
    assert host_port is not None
    host, port, db = host_port.groups()
    assert trigger["metadata"]["address"].startswith(f"{host}.")
    assert trigger["metadata"]["address"].endswith(f":{port}")
    assert trigger["metadata"]["databaseIndex"] == db


def test_deploy_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    assert listed == {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}

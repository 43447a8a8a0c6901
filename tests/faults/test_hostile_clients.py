"""Hostile clients against real `claimex serve` processes.

A spoofed X-Forwarded-For, two API processes sharing one rate limit under concurrency, and an
oversized request head.
"""

from __future__ import annotations

import asyncio
import socket
from typing import TYPE_CHECKING

import httpx
import pytest

if TYPE_CHECKING:
    from tests.faults.conftest import Processes

LIMIT = 5


def _serve(procs: Processes, **env: str) -> str:
    return procs.serve(**env)


async def _burst(bases: list[str], count: int, headers: list[dict[str, str]]) -> list[int]:
    async with httpx.AsyncClient(timeout=20) as http:
        answers = await asyncio.gather(
            *(
                http.post(
                    f"{bases[n % len(bases)]}/v1/abstracts",
                    json={"text": f"Burst {n} reaches {n}.5% F1."},
                    headers=headers[n % len(headers)],
                )
                for n in range(count)
            )
        )
    return [a.status_code for a in answers]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("trusted", "passed"),
    [
        pytest.param("", LIMIT, id="untrusted-forwarded-for-is-ignored"),
        pytest.param("127.0.0.1", 20, id="trusted-proxy-forwards-each-client"),
    ],
)
def test_forwarded_for_counts_only_from_trusted_proxies(
    procs: Processes, trusted: str, passed: int
) -> None:
    env = {"CLAIMEX_RATE_LIMIT": f"{LIMIT}/minute"}
    if trusted:
        env["CLAIMEX_TRUSTED_PROXIES"] = trusted
    base = _serve(procs, **env)
    spoofed = [{"x-forwarded-for": f"203.0.113.{n}"} for n in range(20)]
    statuses = asyncio.run(_burst([base], 20, spoofed))
    assert statuses.count(202) == passed, statuses
    assert set(statuses) <= {202, 429}


@pytest.mark.slow
def test_two_api_processes_share_one_exact_limit(procs: Processes) -> None:
    env = {"CLAIMEX_RATE_LIMIT": f"{LIMIT}/minute"}
    first, second = _serve(procs, **env), _serve(procs, **env)
    statuses = asyncio.run(_burst([first, second], 40, [{}]))
    assert statuses.count(202) == LIMIT, statuses
    assert statuses.count(429) == 40 - LIMIT


def _raw(base: str, head: bytes) -> bytes:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks) and b"connection: close" not in chunk.lower():
                break
    return b"".join(chunks)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("header_bytes", "status"),
    [
        pytest.param(8_000, b"200", id="8-kB-of-headers"),
        pytest.param(200_000, b"431", id="200-kB-of-headers"),
        pytest.param(5_000_000, b"431", id="5-MB-of-headers"),
    ],
)
def test_request_head_over_the_limit_is_431(
    procs: Processes, header_bytes: int, status: bytes
) -> None:
    base = _serve(procs, CLAIMEX_MAX_HEADER_BYTES="32768")
    filler = b"X-Filler: " + b"a" * 1000 + b"\r\n"
    head = b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
    head += filler * (header_bytes // len(filler)) + b"\r\n"
    try:
        answer = _raw(base, head)
    except (BrokenPipeError, ConnectionResetError):
        answer = b"HTTP/1.1 431 (reset while sending)"
    assert answer.split(b" ", 2)[1] == status, answer[:200]

"""Tables benchmark: GET of the table list and of the largest table over 10,000 stored abstracts.

    .venv/bin/python -m bench.tables [--abstracts N] [--requests N]

The store is filled with *synthetic* abstracts and claims written directly through the store's
write path (``store.write_claims`` in one MULTI per batch, exactly as the extraction job writes
them, table indexes included) — not through the extractor, which would take minutes and is
measured elsewhere. Each abstract has a few result claims on (dataset, metric) pairs drawn with
a skew, so one table is large (as ImageNet top-1 would be) and most are small; names come in
case, spacing and alias variants, values as percentages and as fractions, scores, deltas and
ratios, in a few settings.

Then one ``claimex serve`` process on loopback answers ``--requests`` sequential keep-alive GETs
of each route; latency is measured per request at the client. Redis is ``REDIS_URL``, else
127.0.0.1:6379, else an embedded one; database 14 is used and flushed. All traffic stays on
127.0.0.1 and the request count is bounded.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from typing import TYPE_CHECKING

import httpx
import redis

from bench.service import HOST, api_process, redis_for_bench
from claimex.extractors.model import Abstract, Claim, abstract_id
from claimex.workers import keys, store

if TYPE_CHECKING:
    from collections.abc import Sequence

TARGET_P99_MS = 20.0

# (dataset variants, metric variants, metric is a percentage): variants are merged into one table.
PAIRS: tuple[tuple[tuple[str, ...], tuple[str, ...], bool], ...] = (
    (
        ("ImageNet-1K", "ImageNet-1k", "imagenet 1k"),
        ("top-1 accuracy", "Top-1 Accuracy", "top-1"),
        True,
    ),
    (("GSM8K", "GSM-8K"), ("accuracy", "Accuracy"), True),
    (("WMT'14 En-De", "WMT14 En-De"), ("BLEU", "BLEU score"), False),
    (("PTB", "Penn Treebank"), ("perplexity", "PPL"), False),
    (("COCO", "MS COCO"), ("mAP",), True),
    (("HumanEval",), ("pass@1",), True),
    (("MMLU",), ("accuracy",), True),
    (("LibriSpeech",), ("WER", "word error rate"), True),
    (("CIFAR-10",), ("accuracy",), True),
    (("FFHQ",), ("FID",), False),
)
SETTINGS = (None, None, None, "zero-shot", "few-shot", "5-shot", "fine-tuned")


def _skewed_pair(rng: random.Random, extra_pairs: int) -> int:
    """Pair index: the first pair gets about a fifth of the claims, then a long tail."""
    count = len(PAIRS) + extra_pairs
    return min(int(rng.paretovariate(0.9)) - 1, count - 1)


def _names(index: int) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    if index < len(PAIRS):
        return PAIRS[index]
    return ((f"Bench-{index:04d}",), (f"metric {index % 7}",), index % 2 == 0)


def synthetic(n: int, rng: random.Random, extra_pairs: int) -> tuple[Abstract, tuple[Claim, ...]]:
    """One abstract with 2 to 5 result claims, each its own sentence, offsets exact."""
    subject = f"Model{n:05d}"
    sentences: list[str] = []
    claims: list[Claim] = []
    at = 0
    for _ in range(rng.randint(2, 5)):
        datasets, metrics, percent = _names(_skewed_pair(rng, extra_pairs))
        dataset, metric = rng.choice(datasets), rng.choice(metrics)
        kind = rng.choices(("score", "delta", "ratio"), weights=(7, 2, 1))[0]
        setting = rng.choice(SETTINGS)
        if kind == "score" and percent and rng.random() < 0.2:
            span, value, unit = f"{rng.uniform(0.3, 0.99):.3f}", 0.0, None
            value = float(span)
        elif kind == "score":
            value, unit = round(rng.uniform(10, 99), 1), "%" if percent else None
            span = f"{value}%" if percent else f"{value}"
        elif kind == "delta":
            value, unit = round(rng.uniform(0.1, 9.9), 1), "%"
            span = f"{value}%"
        else:
            value, unit = round(rng.uniform(1.1, 9.9), 1), "x"
            span = f"{value}x"
        head = f"{subject}" + (f" ({setting})" if setting else "") + " reaches "
        sentence = f"{head}{span} {metric} on {dataset}."
        start = at + len(head)
        claims.append(
            Claim(
                span=span,
                start=start,
                end=start + len(span),
                value=value,
                unit=unit,
                kind=kind,  # type: ignore[arg-type]
                metric=metric,
                dataset=dataset,
                subject=subject,
                setting=setting,
                baseline="ResNet-50" if kind != "score" else None,
                sentence=sentence,
                sentence_start=at,
                sentence_end=at + len(sentence),
            )
        )
        sentences.append(sentence)
        at += len(sentence) + 1
    text = " ".join(sentences)
    record = Abstract(
        id=abstract_id(text), text=text, title=f"Paper {n}", source="bench", received_at=1e9 + n
    )
    return record, tuple(claims)


def fill(connection: redis.Redis, abstracts: int, batch: int = 250) -> float:
    """Write ``abstracts`` synthetic abstracts and claims; seconds it took."""
    rng = random.Random(6)
    begun = time.perf_counter()
    for first in range(0, abstracts, batch):
        items = [synthetic(n, rng, 300) for n in range(first, min(first + batch, abstracts))]
        pipe = connection.pipeline(transaction=False)
        for record, _ in items:
            pipe.set(keys.abstract(record.id), store.encode_abstract(record))
        pipe.execute()
        multi = connection.pipeline(transaction=True)
        store.write_claims(multi, [store.Extracted(r, c) for r, c in items])
        multi.execute()
    return time.perf_counter() - begun


def timed_gets(client: httpx.Client, url: str, requests: int) -> tuple[list[float], int]:
    """Latencies (ms) of ``requests`` GETs of ``url`` after a few warm-up ones; body size."""
    size = 0
    for _ in range(10):
        size = len(client.get(url).content)
    latencies = []
    for _ in range(requests):
        begun = time.perf_counter()
        response = client.get(url)
        latencies.append((time.perf_counter() - begun) * 1000)
        assert response.status_code == 200, response.text[:200]
    return latencies, size


def cold_gets(
    client: httpx.Client, connection: redis.Redis, table_id: str, requests: int
) -> list[float]:
    """Latencies (ms) of GETs that each find the table changed, so the API rebuilds it."""
    latencies = []
    for _ in range(requests):
        connection.hincrby(keys.table_versions(), table_id, 1)
        begun = time.perf_counter()
        response = client.get(f"/v1/tables/{table_id}?limit=50")
        latencies.append((time.perf_counter() - begun) * 1000)
        assert response.status_code == 200
    return latencies


def _line(name: str, latencies: Sequence[float], size: int) -> str:
    cuts = statistics.quantiles(latencies, n=100)
    p50, p99 = statistics.median(latencies), cuts[98]
    verdict = "ok" if p99 < TARGET_P99_MS else f"OVER {TARGET_P99_MS:.0f} ms"
    return (
        f"  {name:<34} p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  max {max(latencies):6.2f} ms"
        f"  {size / 1024:7.1f} KiB  {verdict}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Fill the store, time the GETs of the list and the largest table, and print the figures."""
    parser = argparse.ArgumentParser(prog="bench.tables", description=__doc__.split("\n")[0])
    parser.add_argument("--abstracts", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=500, help="GETs per route (bounded)")
    args = parser.parse_args(argv)
    requests = max(20, min(args.requests, 5_000))
    with redis_for_bench() as url:
        connection = redis.Redis.from_url(url)
        connection.flushdb()
        seconds = fill(connection, args.abstracts)
        tables = connection.zcard(keys.table_catalog())
        largest = store.as_bytes(
            connection.zrange(keys.table_catalog(), 0, 0, desc=True)[0]
        ).decode()
        cells = int(connection.hget(keys.table_claims(), largest) or 0)
        print(
            f"store: {args.abstracts} synthetic abstracts written through store.write_claims "
            f"in {seconds:.1f} s; {tables} tables, the largest {largest} with {cells} claims"
        )
        with api_process(url) as port, httpx.Client(base_url=f"http://{HOST}:{port}") as client:
            routes = (
                ("GET /v1/tables", "/v1/tables"),
                ("GET /v1/tables?q=imagenet", "/v1/tables?q=imagenet"),
                ("GET /v1/tables/{largest}", f"/v1/tables/{largest}"),
                ("GET /v1/tables/{largest}?limit=50", f"/v1/tables/{largest}?limit=50"),
                ("GET /v1/tables/{largest}?format=csv", f"/v1/tables/{largest}?format=csv"),
            )
            print(f"{requests} sequential keep-alive GETs per route, one API process (warm cache):")
            worst = 0.0
            for name, path in routes:
                latencies, size = timed_gets(client, path, requests)
                print(_line(name, latencies, size))
                if path in ("/v1/tables", f"/v1/tables/{largest}"):
                    worst = max(worst, statistics.quantiles(latencies, n=100)[98])
            cold = cold_gets(client, connection, largest, max(20, requests // 10))
            print("the largest table rebuilt on every request (its counter bumped before each):")
            print(_line("GET /v1/tables/{largest}, cold", cold, 0))
        connection.flushdb()
        connection.close()
    print(f"target p99 < {TARGET_P99_MS:.0f} ms for the list and the largest table: ", end="")
    print("met" if worst < TARGET_P99_MS else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())

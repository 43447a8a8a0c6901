"""A method two papers report differently on one table is flagged, in JSON, CSV and the page.

Through the real API and a real RQ worker. EXTRACTOR-DEPENDENT: plain sentences of our own
whose subjects the extractor finds today; if it changes, check these first.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimex.api.consistency import agree, flag, names_in_title
from claimex.api.schemas import TableRow, TableSection
from claimex.workers.worker import make_worker, warm_up
from tests.workers.claims_factory import make_claim

if TYPE_CHECKING:
    import redis
    from litestar import Litestar
    from litestar.testing import TestClient

OWN = ("FooNet: Fast Vision", "We propose FooNet. FooNet reaches 80.1% accuracy on BarSet.")


def _post_and_work(client: TestClient[Litestar], db: redis.Redis, *papers: tuple[str, str]) -> None:
    for title, text in papers:
        accepted = client.post("/v1/abstracts", json={"title": title, "text": text})
        assert accepted.status_code == 202, accepted.text
    warm_up()
    assert make_worker(db).work(burst=True) is True


def _table(client: TestClient[Litestar]) -> dict[str, Any]:
    (listed,) = client.get("/v1/tables").json()["items"]
    table: dict[str, Any] = client.get(listed["url"]).json()
    return table


def _flags(table: dict[str, Any]) -> dict[tuple[str, float], list[tuple[float, bool]]]:
    return {
        (row["claim"]["subject"], row["value"]): [
            (o["value"], o["own_paper"]) for o in row["disagrees_with"]
        ]
        for section in table["sections"]
        for row in section["rows"]
    }


@pytest.mark.parametrize(
    ("a", "b", "unit", "agreed"),
    [
        (80.1, 80.5, "%", True),  # within 0.5 points
        (60.1, 61.3, "%", True),  # within 2% of the larger
        (80.1, 75.0, "%", False),
        (1.10, 1.30, None, False),  # bits per character: 15% apart, not "0.2 points"
        (30.1, 30.5, "BLEU", True),  # within 2%
        (0.0, 0.0, None, True),
    ],
)
def test_agree(a: float, b: float, unit: str | None, agreed: bool) -> None:
    assert agree(a, b, unit) is agreed


@pytest.mark.parametrize(
    ("subject", "title", "named"),
    [
        ("FooNet", "FooNet: Fast Vision", True),
        ("Foo-Net", "Foo Net for vision", True),
        ("T5", "Scaling T5 further", True),
        ("T5", "T50 and beyond", False),
        ("FooNet", None, False),
    ],
)
def test_names_in_title(subject: str, title: str | None, named: bool) -> None:
    assert names_in_title(subject, title) is named


@pytest.mark.slow
def test_a_baseline_reported_differently_is_flagged(
    client: TestClient[Litestar], db: redis.Redis
) -> None:
    other = (
        "BazNet: Faster Vision",
        "We propose BazNet. BazNet reaches 84.0% accuracy on BarSet, against 75.0% for FooNet.",
    )
    _post_and_work(client, db, OWN, other)
    table = _table(client)
    assert table["disagreements"] == 2
    assert _flags(table) == {
        ("BazNet", 84.0): [],
        ("FooNet", 80.1): [(75.0, False)],  # the other paper's FooNet number
        ("FooNet", 75.0): [(80.1, True)],  # ... and FooNet's own paper's
    }
    listed = client.get("/v1/tables").json()["items"][0]
    rows = list(
        csv.DictReader(io.StringIO(client.get(listed["url"], params={"format": "csv"}).text))
    )
    assert sorted(r["disagrees_with"] != "" for r in rows) == [False, True, True]
    page = client.get(f"/tables/{listed['id']}").text
    assert page.count("⚑ reported as") == 2
    assert "(its own paper)" in page


@pytest.mark.slow
def test_a_baseline_reported_alike_is_not_flagged(
    client: TestClient[Litestar], db: redis.Redis
) -> None:
    other = (
        "BazNet: Faster Vision",
        "We propose BazNet. BazNet reaches 84.0% accuracy on BarSet, against 80.3% for FooNet.",
    )
    _post_and_work(client, db, OWN, other)
    table = _table(client)
    assert table["disagreements"] == 0
    assert all(not flags for flags in _flags(table).values())


def _row(n: int, subject: str, value: float, paper: int) -> TableRow:
    sentence = f"{subject} reaches {value}% accuracy on BarSet."
    claim = make_claim(sentence, f"{value}%", subject=subject, dataset="BarSet", metric="accuracy")
    return TableRow(
        rank=None,
        value=value,
        unit="%",
        scaled=False,
        kind="score",
        qualifier=None,
        abstract_id=f"{paper:016x}",
        claim_index=n,
        title=f"Paper {paper}",
        date=None,
        abstract_url="/",
        page_url="/",
        claim=claim,
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(("FooNet", "BazNet")),
            st.floats(min_value=50, max_value=90, allow_nan=False).map(lambda v: round(v, 1)),
            st.integers(min_value=0, max_value=6),
        ),
        max_size=40,
    )
)
def test_flagged_rows_are_those_a_pairwise_check_flags(rows: list[tuple[str, float, int]]) -> None:
    section = TableSection(
        kind="score",
        order="higher is better",
        note="",
        total=len(rows),
        rows=tuple(_row(n, s, v, p) for n, (s, v, p) in enumerate(rows)),
    )
    flagged = [bool(r.disagrees_with) for r in flag(section).rows]
    pairwise = [
        any(s == s2 and p != p2 and not agree(v, v2, "%") for s2, v2, p2 in rows)
        for s, v, p in rows
    ]
    assert flagged == pairwise

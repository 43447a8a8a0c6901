"""The page in a real browser, against a real uvicorn server and a real ``claimex worker``.

The browser is Debian's chromium driven by Playwright; the server listens on 127.0.0.1.

Playwright never downloads a browser here: chromium comes from apt (``scripts/bootstrap``).
Screenshots are saved under the test's ``tmp_path``; their paths are printed (``pytest -s``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING

import httpx
import pytest
import uvicorn

from claimex.api.app import create_app
from claimex.settings import ServiceSettings
from tests.api.test_tables import ABSTRACTS

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path

    from playwright.sync_api import Dialog, Page, ViewportSize

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/bootstrap)"),
]

PASTED = (
    "We introduce OmegaNet <img src=x onerror=alert(1)>. OmegaNet reaches 93.4% top-1 accuracy "
    "on ImageNet-1k, 2.1% higher than ResNet-50."
)
PHONE: ViewportSize = {"width": 390, "height": 844}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def server(redis_url: str) -> Iterator[str]:
    """The API under uvicorn in a thread, and one worker process; yields the base URL."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(ServiceSettings(redis_url=redis_url)),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
    )
    web = uvicorn.Server(config)
    thread = threading.Thread(target=web.run, daemon=True)
    thread.start()
    env = {**os.environ, "REDIS_URL": redis_url}
    worker = subprocess.Popen(
        [sys.executable, "-m", "claimex.cli.main", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while not web.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        yield base
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        web.should_exit = True
        thread.join(timeout=10)


def _fill(base: str, bodies: Sequence[dict[str, str]] | None = None) -> None:
    """Post abstracts through the API and wait until the worker has extracted them all.

    The abstracts are the test abstracts unless ``bodies`` are given.
    """
    if bodies is None:
        bodies = [{"title": title, "text": text} for title, text in ABSTRACTS]
    with httpx.Client(base_url=base, timeout=10) as http:
        status_urls = []
        for body in bodies:
            accepted = http.post("/v1/abstracts", json=body)
            assert accepted.status_code == 202, accepted.text
            status_urls.append(accepted.headers["location"])
        deadline = time.monotonic() + 90
        for url in status_urls:
            while (status := http.get(url).json()["status"]) != "finished":
                assert status != "failed"
                assert time.monotonic() < deadline, "the worker did not finish in time"
                time.sleep(0.2)


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page
        context.close()
        browser.close()


def _shot(page: Page, path: Path) -> None:
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


def test_pages_browse_tables_follow_a_cell_and_submit(
    server: str, page: Page, tmp_path: Path
) -> None:
    _fill(server)
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    outside: list[str] = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(server) else outside.append(request.url),
    )

    # Home: search by dataset, with the keyboard.
    page.goto(server + "/")
    sync_api.expect(page.locator("#table-count")).to_contain_text("4 tables")
    page.get_by_label("Dataset or metric").fill("imagenet")
    page.keyboard.press("Enter")
    sync_api.expect(page.locator("#table-count")).to_contain_text("1 table matching")
    _shot(page, tmp_path / "home.png")

    # A table: chart and ranked rows, merged names shown.
    page.locator("a.table-link").first.click()
    sync_api.expect(page.locator("h1")).to_contain_text("ImageNet-1k")
    sync_api.expect(page.locator("dl.facts")).to_contain_text("ImageNet-1K")
    assert page.locator("figure.chart svg rect.bar").count() == 4
    first_cell = page.locator("table.rows a.cell").first
    sync_api.expect(first_cell).to_have_text("91.2%")
    _shot(page, tmp_path / "table.png")

    # Follow a cell to its abstract: the claim is highlighted, its fields show on focus.
    first_cell.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/abstracts/**")
    mark = page.locator("mark.claim").first
    sync_api.expect(mark).to_contain_text("0.912")
    tip = mark.locator(".tip")
    page.locator("h1").click()  # moves focus (and the pointer) away from the claim
    sync_api.expect(tip).to_be_hidden()
    mark.focus()
    sync_api.expect(tip).to_be_visible()
    sync_api.expect(tip).to_contain_text("dataset: ImageNet-1k")
    _shot(page, tmp_path / "abstract.png")

    # Paste an abstract: the claims appear when the worker is done; its text stays text.
    page.goto(server + "/submit")
    page.get_by_label("Title").fill("OmegaNet <b>bold</b>")
    page.get_by_label("Abstract").fill(PASTED)
    page.get_by_role("button", name="Extract claims").click()
    sync_api.expect(page.locator("#claims-found")).to_be_visible(timeout=60_000)
    sync_api.expect(page.locator("#result table")).to_contain_text("93.4%")
    # The form followed the job's server-sent events, not polling.
    assert page.evaluate("document.body.dataset.followed") == "events"
    _shot(page, tmp_path / "submitted.png")
    page.locator("#abstract-link").click()
    page.wait_for_url("**/abstracts/**")
    sync_api.expect(page.locator("#abstract-text")).to_contain_text("<img src=x onerror=alert(1)>")
    sync_api.expect(page.locator("h1")).to_have_text("OmegaNet <b>bold</b>")
    assert page.locator("#abstract-text img").count() == 0
    assert page.locator("mark.claim").count() >= 2

    # Phone width: the abstract and a table still fit without sideways scrolling of the page.
    page.set_viewport_size(PHONE)
    page.reload()
    _shot(page, tmp_path / "abstract-phone.png")
    page.goto(server + "/?q=imagenet")
    page.locator("a.table-link").first.click()
    _shot(page, tmp_path / "table-phone.png")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width

    assert dialogs == []
    assert outside == []


FLAGGED = (
    ("FooNet: Fast Vision", "We propose FooNet. FooNet reaches 80.1% accuracy on BarSet."),
    (
        "BazNet: Faster Vision",
        "We propose BazNet. BazNet reaches 84.0% accuracy on BarSet, against 75.0% for FooNet.",
    ),
    ("QuxDet", "QuxDet reaches 51.2 AP on COCO test-dev."),
)


def test_pages_table_shows_disagreements_and_splits(
    server: str, page: Page, tmp_path: Path
) -> None:
    _fill(server, [{"title": t, "text": x} for t, x in FLAGGED])
    page.goto(server + "/?q=barset")
    page.locator("a.table-link").first.click()
    sync_api.expect(page.locator("dl.facts")).to_contain_text("2 rows another paper reports")
    flags = page.locator("table.rows .disagrees")
    sync_api.expect(flags).to_have_count(2)
    sync_api.expect(flags.filter(has_text="its own paper")).to_contain_text("80.1%")
    _shot(page, tmp_path / "table-disagreement.png")
    page.goto(server + "/?q=coco")
    page.locator("a.table-link").first.click()
    sync_api.expect(page.locator("table.rows")).to_contain_text("split test-dev")
    _shot(page, tmp_path / "table-split.png")


DATED = (
    ("2021-05-01", "AlphaNet reaches 80.0% accuracy on BarSet."),
    ("2022-02-10", "BetaNet reaches 79.0% accuracy on BarSet."),
    ("2023-06-01", "GammaNet reaches 83.0% accuracy on BarSet."),
    ("2024-01-05", "DeltaNet reaches 85.5% accuracy on BarSet."),
)


def test_pages_table_shows_best_score_over_time(server: str, page: Page, tmp_path: Path) -> None:
    _fill(server, [{"text": t, "date": d} for d, t in DATED])
    page.goto(server + "/?q=barset")
    page.locator("a.table-link").first.click()
    figure = page.locator("figure.timeline")
    sync_api.expect(figure).to_be_visible()
    sync_api.expect(page.locator("#h-timeline")).to_contain_text("4 dated scores")
    assert figure.locator("circle.dot.best").count() == 3  # BetaNet set no new best
    assert figure.locator("circle.dot").count() == 4
    assert figure.locator("path.best-line").count() == 1
    _shot(page, tmp_path / "table-timeline.png")


def test_pages_table_tells_its_reader_when_it_changes(
    server: str, page: Page, tmp_path: Path
) -> None:
    _fill(server, [{"text": t, "date": d} for d, t in DATED[:2]])
    page.goto(server + "/?q=barset")
    page.locator("a.table-link").first.click()
    notice = page.locator("#table-changes")
    sync_api.expect(notice).to_be_hidden()
    # Whenever its event stream connects, it starts from the change before the page was read.
    _fill(server, [{"text": t, "date": d} for d, t in DATED[2:3]])
    sync_api.expect(notice).to_be_visible(timeout=30_000)
    sync_api.expect(notice).to_contain_text("now holds 3 papers")
    _shot(page, tmp_path / "table-changed.png")
    page.locator("#table-reload").click()
    sync_api.expect(page.locator("dl.facts")).to_contain_text("3")
    sync_api.expect(page.locator("#table-changes")).to_be_hidden()

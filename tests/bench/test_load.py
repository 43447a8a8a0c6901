"""bench/load.py, scaled down: every POST accepted, every abstract extracted once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bench import load

if TYPE_CHECKING:
    from pathlib import Path

PARAGRAPH = (
    "We present a transformer for abstractive summarisation that reaches 44.1 ROUGE-1 on "
    "CNN/DailyMail and 47.3 ROUGE-1 on XSum, improving on the previous best by 1.2 points. "
    "Trained on 8 GPUs for 3 days, it is 2.5x faster at inference than BART-large while "
    "using 40% fewer parameters, and it reaches 91.2% accuracy on a factuality probe."
)


@pytest.mark.slow
def test_load_small_run_reports_no_errors_and_nothing_lost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "corpus.txt").write_text(f"{PARAGRAPH}\n\n{PARAGRAPH} Second version.\n")
    argv = ["--corpus", str(tmp_path), "--requests", "300", "--connections", "8"]
    assert load.main([*argv, "--timeout", "180"]) == 0
    out = capsys.readouterr().out
    assert "non-202: 0" in out
    assert "lost 0, failed 0, extractions 300 (twice: 0)" in out
    assert "p99" in out

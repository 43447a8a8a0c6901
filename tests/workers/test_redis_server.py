"""workers/redis_server.py: the embedded Redis starts, answers, stops, and keeps its data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import redis

from claimex.workers.redis_server import EmbeddedRedis, RedisServerError, answers

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.slow
def test_redis_server_data_survives_a_restart(tmp_path: Path) -> None:
    first = EmbeddedRedis(tmp_path)
    first.start()
    try:
        redis.Redis.from_url(first.url).set("claimex:test", "kept")
    finally:
        first.stop()
    assert not answers(first.url)
    second = EmbeddedRedis(tmp_path)
    second.start()
    try:
        assert redis.Redis.from_url(second.url).get("claimex:test") == b"kept"
    finally:
        second.stop()


@pytest.mark.slow
def test_redis_server_one_per_data_directory(tmp_path: Path) -> None:
    first = EmbeddedRedis(tmp_path)
    first.start()
    try:
        with pytest.raises(RedisServerError, match="another claimex"):
            EmbeddedRedis(tmp_path).start()
    finally:
        first.stop()

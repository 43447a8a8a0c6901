"""Settings, read once from an environment mapping and passed to whoever needs them.

Split by who reads them: ``ServiceSettings`` for the API (``claimex serve``, ``claimex up``),
``WorkerSettings`` for ``claimex worker``, which reads no API variable. Each is built with
``from_env(os.environ)`` at a command's entry point, or from any dict in tests: there is no
module-level settings object, and nothing below the entry points reads the environment. A bad
value stops start-up with one line that names the variable.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Literal, TypeVar, cast

import msgspec

from claimex.workers import faults, limits, liveness
from claimex.workers.callbacks import WebhookSettings
from claimex.workers.context import DEFAULT_ATTEMPTS, DEFAULT_BUDGET, WorkerContext

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

T = TypeVar("T")
N = TypeVar("N", int, float)
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


class Secret(str):
    """A key from the environment: a ``str`` whose ``repr`` never shows it (settings get logged)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Secret('***')"


class RateLimit(msgspec.Struct, frozen=True):
    """At most ``count`` writes per ``unit`` from one client address."""

    count: int
    unit: Literal["second", "minute", "hour", "day"]


class SettingsError(ValueError):
    """A variable of the environment has a value claimex cannot use; the message names it."""


class ServiceSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything configurable about the service, with the defaults of a one-machine set-up."""

    redis_url: str = DEFAULT_REDIS_URL
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 2_000_000
    max_batch: int = 500
    max_text_chars: int = 20_000
    max_title_chars: int = 500
    job_ttl: int = 7 * 24 * 3600
    api_key: Secret | None = None
    read_key: Secret | None = None
    rate_limit: RateLimit | None = None
    cors_origins: tuple[str, ...] = ()
    trusted_proxies: tuple[str, ...] = ()
    max_header_bytes: int = 32_768
    webhooks: WebhookSettings = WebhookSettings()

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ServiceSettings:
        """Build settings from ``env``; unset or empty variables keep their defaults."""
        d = cls()
        return cls(
            webhooks=_webhooks(env),
            redis_url=_read(env, "REDIS_URL", _redis_url, d.redis_url),
            host=_read(env, "CLAIMEX_HOST", _host, d.host),
            port=_read(env, "CLAIMEX_PORT", _int_in(1, 65535), d.port),
            max_body_bytes=_read(
                env, "CLAIMEX_MAX_BODY_BYTES", _int_in(1024, 1 << 30), d.max_body_bytes
            ),
            max_batch=_read(env, "CLAIMEX_MAX_BATCH", _int_in(1, 100_000), d.max_batch),
            max_text_chars=_read(
                env, "CLAIMEX_MAX_TEXT_CHARS", _int_in(1, 10_000_000), d.max_text_chars
            ),
            max_title_chars=_read(
                env, "CLAIMEX_MAX_TITLE_CHARS", _int_in(1, 100_000), d.max_title_chars
            ),
            job_ttl=_read(env, "CLAIMEX_JOB_TTL", _int_in(60, 365 * 24 * 3600), d.job_ttl),
            api_key=_read(env, "CLAIMEX_API_KEY", _secret, None, show=False),
            read_key=_read(env, "CLAIMEX_READ_KEY", _secret, None, show=False),
            rate_limit=_read(env, "CLAIMEX_RATE_LIMIT", _rate_limit, None),
            cors_origins=_read(env, "CLAIMEX_CORS_ORIGINS", _origins, ()),
            trusted_proxies=_read(env, "CLAIMEX_TRUSTED_PROXIES", _proxies, ()),
            max_header_bytes=_read(
                env, "CLAIMEX_MAX_HEADER_BYTES", _int_in(1024, 1 << 24), d.max_header_bytes
            ),
        )


class WorkerSettings(msgspec.Struct, frozen=True, kw_only=True):
    """What one extraction worker is configured with."""

    redis_url: str = DEFAULT_REDIS_URL
    heartbeat_ttl: float = liveness.DEFAULT_TTL
    attempts: int = DEFAULT_ATTEMPTS
    budget: float = DEFAULT_BUDGET
    webhooks: WebhookSettings = WebhookSettings()
    faults: dict[str, str] = msgspec.field(default_factory=dict)
    """The test suite's fault hooks (``CLAIMEX_FAULT_*``, ``workers.faults``); never in
    production."""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WorkerSettings:
        """Build settings from ``env``; unset or empty variables keep their defaults."""
        d = cls()
        return cls(
            redis_url=_read(env, "REDIS_URL", _redis_url, d.redis_url),
            heartbeat_ttl=_read(
                env, "CLAIMEX_WORKER_HEARTBEAT", _seconds_in(0.3, 3600), d.heartbeat_ttl
            ),
            attempts=_read(env, "CLAIMEX_EXTRACT_ATTEMPTS", _int_in(1, 100), d.attempts),
            budget=_read(env, "CLAIMEX_EXTRACT_TIMEOUT", _budget, d.budget),
            webhooks=_webhooks(env),
            faults={name: env[name] for name in faults.VARIABLES if env.get(name)},
        )

    def context(self) -> WorkerContext:
        """What the worker hands its jobs (``workers.context``)."""
        return WorkerContext(attempts=self.attempts, budget=self.budget, faults=self.faults)


VARIABLES: dict[str, str] = {
    "REDIS_URL": "Redis to use (redis://, rediss:// or unix://); unset: the running claimex up's",
    "CLAIMEX_HOST": "address the API listens on; default 127.0.0.1",
    "CLAIMEX_PORT": "port the API listens on; default 8000",
    "CLAIMEX_MAX_BODY_BYTES": "largest request body accepted (413 above); default 2000000",
    "CLAIMEX_MAX_BATCH": "most abstracts in one POST; default 500",
    "CLAIMEX_MAX_TEXT_CHARS": "longest abstract text accepted; default 20000",
    "CLAIMEX_MAX_TITLE_CHARS": "longest abstract title accepted; default 500",
    "CLAIMEX_JOB_TTL": "seconds a job's status stays readable; default 604800 (7 days)",
    "CLAIMEX_API_KEY": "if set, every write (POST) needs it (Bearer or X-API-Key); default unset",
    "CLAIMEX_READ_KEY": "if set too, reads need it (or the API key); default unset",
    "CLAIMEX_RATE_LIMIT": "writes per client address, like 100/minute; default unlimited",
    "CLAIMEX_CORS_ORIGINS": "comma-separated origins allowed by CORS; default none (CORS off)",
    "CLAIMEX_TRUSTED_PROXIES": "proxies whose X-Forwarded-For counts (IPs, CIDRs); default none",
    "CLAIMEX_MAX_HEADER_BYTES": "largest request line and headers (431 above); default 32768",
    "CLAIMEX_WEBHOOK_ALLOW": "hosts (*.domain), IPs or CIDRs a callback_url may name; unset: off",
    "CLAIMEX_WEBHOOK_SECRET": "key that signs webhooks (HMAC-SHA256); needed with the allow-list",
    "CLAIMEX_WEBHOOK_ATTEMPTS": "tries of one webhook delivery before it is given up; default 5",
    "CLAIMEX_WORKER_HEARTBEAT": "worker: seconds a worker's heartbeat lives; default 30",
    "CLAIMEX_EXTRACT_ATTEMPTS": "worker: tries of an abstract whose extraction raises; default 3",
    "CLAIMEX_EXTRACT_TIMEOUT": "worker: seconds one abstract may take (0: unbounded); default 10",
    "CLAIMEX_DATA_DIR": "where `claimex up` keeps its embedded Redis's data; default ./data/redis",
}
"""Every variable claimex reads, for the README and ``--help`` texts."""


def _webhooks(env: Mapping[str, str]) -> WebhookSettings:
    """The webhook variables, read by the API and the workers alike."""
    try:
        return WebhookSettings.from_env(env)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None


def _read(
    env: Mapping[str, str], name: str, parse: Callable[[str], T], default: T, *, show: bool = True
) -> T:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return parse(raw)
    except ValueError as exc:
        shown = repr(raw) if show else "<hidden>"
        raise SettingsError(f"{name}={shown}: {exc}") from None


MIN_KEY_CHARS = 16
_UNITS = ("second", "minute", "hour", "day")


def _secret(raw: str) -> Secret:
    if len(raw) < MIN_KEY_CHARS:
        raise ValueError(f"expected a key of at least {MIN_KEY_CHARS} characters")
    if not all("!" <= c <= "~" for c in raw):
        raise ValueError("expected printable ASCII without spaces")
    return Secret(raw)


def _rate_limit(raw: str) -> RateLimit:
    count, sep, unit = raw.partition("/")
    unit = unit.strip().lower().removesuffix("s")
    if not sep or not count.strip().isdigit() or unit not in _UNITS:
        raise ValueError("expected <count>/<second|minute|hour|day>, like 100/minute")
    number = int(count)
    if not 1 <= number <= 1_000_000:
        raise ValueError("expected a count from 1 to 1000000")
    return RateLimit(number, cast("Literal['second', 'minute', 'hour', 'day']", unit))


def _origins(raw: str) -> tuple[str, ...]:
    origins = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    for origin in origins:
        if origin != "*" and not origin.startswith(("http://", "https://")):
            raise ValueError(f"expected * or origins like https://example.org, got {origin!r}")
    return origins


def _proxies(raw: str) -> tuple[str, ...]:
    entries = tuple(p.strip() for p in raw.split(",") if p.strip())
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(f"expected IP addresses or CIDR blocks, got {entry!r}") from None
    return entries


def _in_range(convert: Callable[[str], N], low: N, high: N, what: str) -> Callable[[str], N]:
    """A parser of numbers ``convert`` reads, from ``low`` to ``high`` ("nan" is neither)."""
    message = f"expected {what} from {low} to {high}"

    def parse(raw: str) -> N:
        try:
            value = convert(raw)
        except ValueError:
            raise ValueError(message) from None
        if not low <= value <= high:
            raise ValueError(message)
        return value

    return parse


def _int_in(low: int, high: int) -> Callable[[str], int]:
    return _in_range(int, low, high, "an integer")


def _seconds_in(low: float, high: float) -> Callable[[str], float]:
    return _in_range(float, low, high, "seconds")


_BUDGET_SECONDS = _seconds_in(0.05, limits.MAX_BUDGET)


def _budget(raw: str) -> float:
    """Seconds from 0.05 to ``limits.MAX_BUDGET``, or 0 (extract in the worker, unbounded)."""
    try:
        return 0.0 if float(raw) == 0 else _BUDGET_SECONDS(raw)
    except ValueError:
        raise ValueError(f"expected seconds from 0.05 to {limits.MAX_BUDGET:g}, or 0") from None


def _redis_url(raw: str) -> str:
    if not raw.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("expected a URL starting with redis://, rediss:// or unix://")
    return raw


def _host(raw: str) -> str:
    if any(c.isspace() for c in raw) or "/" in raw:
        raise ValueError("expected a host name or IP address")
    return raw

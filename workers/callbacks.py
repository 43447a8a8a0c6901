"""Which webhook URLs claimex may call: an allow-list, checked at submission and at delivery.

At delivery the URL is checked again, against the addresses its host resolves to then.

``CLAIMEX_WEBHOOK_ALLOW`` lists host names (``hooks.example.org``, or ``*.example.org`` for its
subdomains) and IP addresses or CIDR blocks. Unset, webhooks are off and a ``callback_url`` is
refused. A URL is allowed when it is ``http`` or ``https``, carries no user name or password,
and its host is listed. Its host's addresses must then be public: a private, loopback,
link-local or otherwise special address is used only when an IP entry of the list covers it
(``127.0.0.1`` in tests). So a listed name that resolves into the internal network — by
mistake or by DNS rebinding — is never called.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import msgspec

if TYPE_CHECKING:
    from collections.abc import Mapping

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL_CHARS = 2048
MIN_SECRET_CHARS = 16
DEFAULT_ATTEMPTS = 5


class CallbackRefused(ValueError):
    """A callback URL the allow-list does not admit; the message says why, for the client."""


class WebhookSettings(msgspec.Struct, frozen=True, kw_only=True):
    """The webhook configuration; ``enabled`` only with an allow-list and a secret."""

    hosts: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    secret: str | None = None
    attempts: int = DEFAULT_ATTEMPTS

    def __repr__(self) -> str:  # settings get logged: never show the secret
        shown = "None" if self.secret is None else "'***'"
        return (
            f"WebhookSettings(hosts={self.hosts!r}, networks={self.networks!r}, "
            f"secret={shown}, attempts={self.attempts})"
        )

    @property
    def enabled(self) -> bool:
        """Whether webhooks are on: the allow-list names at least one host or network."""
        return bool(self.hosts or self.networks)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WebhookSettings:
        """Read ``CLAIMEX_WEBHOOK_ALLOW``, ``_SECRET`` and ``_ATTEMPTS`` from ``env``.

        A bad value raises ``ValueError`` whose message starts with the variable's name.
        """
        raw = env.get("CLAIMEX_WEBHOOK_ALLOW", "").strip()
        hosts, networks = parse_allow(raw) if raw else ((), ())
        secret = env.get("CLAIMEX_WEBHOOK_SECRET", "").strip() or None
        if (hosts or networks) and secret is None:
            raise ValueError("CLAIMEX_WEBHOOK_SECRET: must be set when CLAIMEX_WEBHOOK_ALLOW is")
        if secret is not None and len(secret) < MIN_SECRET_CHARS:
            raise ValueError(
                f"CLAIMEX_WEBHOOK_SECRET=<hidden>: expected at least {MIN_SECRET_CHARS} characters"
            )
        attempts_raw = env.get("CLAIMEX_WEBHOOK_ATTEMPTS", "").strip()
        attempts = DEFAULT_ATTEMPTS
        if attempts_raw:
            plain = attempts_raw.isascii() and attempts_raw.isdigit()
            if not plain or not 1 <= int(attempts_raw) <= 20:
                raise ValueError(
                    f"CLAIMEX_WEBHOOK_ATTEMPTS={attempts_raw!r}: expected an integer from 1 to 20"
                )
            attempts = int(attempts_raw)
        return cls(hosts=hosts, networks=networks, secret=secret, attempts=attempts)


def parse_allow(raw: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The host names and the networks of an allow-list written ``a.org, *.b.org, 10.0.0.0/8``."""
    hosts: list[str] = []
    networks: list[str] = []
    for entry in (e.strip().lower() for e in raw.split(",")):
        if not entry:
            continue
        try:
            networks.append(str(ipaddress.ip_network(entry, strict=False)))
            continue
        except ValueError:
            pass
        name = entry.removeprefix("*.")
        if not name or any(c.isspace() or c in "/:@*[]" for c in name):
            raise ValueError(
                f"CLAIMEX_WEBHOOK_ALLOW={raw!r}: expected host names, *.domains, IPs or CIDR "
                f"blocks, got {entry!r}"
            )
        hosts.append(entry)
    return tuple(hosts), tuple(networks)


@functools.cache
def _networks(entries: tuple[str, ...]) -> tuple[IpNetwork, ...]:
    """The allow-list's networks, parsed once per list (they are checked on every POST)."""
    return tuple(ipaddress.ip_network(n) for n in entries)


def _covered(address: IpAddress, settings: WebhookSettings) -> bool:
    return any(address in network for network in _networks(settings.networks))


def _listed(host: str, settings: WebhookSettings) -> bool:
    for entry in settings.hosts:
        if entry.startswith("*."):
            if host.endswith(entry[1:]) and host != entry[2:]:
                return True
        elif host == entry:
            return True
    return False


def _literal(host: str) -> IpAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_url(url: str, settings: WebhookSettings) -> str:
    """``url`` if the allow-list admits it (no DNS lookup: this runs on the request path)."""
    if not settings.enabled:
        raise CallbackRefused("webhooks are off on this server (CLAIMEX_WEBHOOK_ALLOW is unset)")
    if len(url) > MAX_URL_CHARS:
        raise CallbackRefused(f"the URL is longer than {MAX_URL_CHARS} characters")
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        raise CallbackRefused("the URL holds a space or a control character")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise CallbackRefused(f"the URL cannot be parsed: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise CallbackRefused("only http and https URLs can be called back")
    if parts.username is not None or parts.password is not None:
        raise CallbackRefused("the URL must not carry a user name or password")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise CallbackRefused("the URL has no host")
    if port == 0:
        raise CallbackRefused("the URL's port must not be 0")
    address = _literal(host)
    allowed = _covered(address, settings) if address is not None else _listed(host, settings)
    if not allowed:
        raise CallbackRefused(f"the host {host} is not in this server's webhook allow-list")
    return url


def is_public(address: IpAddress) -> bool:
    """Whether an address is an ordinary one of the internet (not private, loopback, …)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
    return address.is_global and not address.is_multicast


def addresses_to_call(host: str, port: int, settings: WebhookSettings) -> list[IpAddress]:
    """The addresses ``host`` resolves to that may be called, in resolver order.

    Raises ``CallbackRefused`` when any is neither public nor covered by an IP entry of the
    allow-list: a name that also resolves inward is not called at all.
    """
    literal = _literal(host)
    if literal is not None:
        found: list[IpAddress] = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise CallbackRefused(f"the host {host} does not resolve: {exc}") from None
        found = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
    refused = [a for a in found if not is_public(a) and not _covered(a, settings)]
    if refused or not found:
        raise CallbackRefused(
            f"the host {host} resolves to an address that is not allowed ({refused[0]})"
            if refused
            else f"the host {host} has no address"
        )
    return found

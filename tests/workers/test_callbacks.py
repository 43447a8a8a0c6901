"""workers/callbacks.py: the webhook settings, and the allow-list at submission and delivery.

The settings are read from the environment; a callback URL is checked against the allow-list
when a job is submitted, and the addresses its host resolves to when the webhook is delivered.
"""

from __future__ import annotations

import ipaddress

import pytest

from claimex.workers.callbacks import (
    MAX_URL_CHARS,
    CallbackRefused,
    WebhookSettings,
    addresses_to_call,
    check_url,
    is_public,
)

SECRET = "correct-horse-battery-staple"
ALLOW = "CLAIMEX_WEBHOOK_ALLOW"
SECRET_VAR = "CLAIMEX_WEBHOOK_SECRET"
ATTEMPTS = "CLAIMEX_WEBHOOK_ATTEMPTS"


# WebhookSettings.from_env


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        pytest.param({}, WebhookSettings(), id="nothing-set-is-off"),
        pytest.param({ALLOW: "  "}, WebhookSettings(), id="blank-allow-is-off"),
        pytest.param({ALLOW: " , ,"}, WebhookSettings(), id="only-commas-is-off"),
        pytest.param(
            {SECRET_VAR: SECRET},
            WebhookSettings(secret=SECRET),
            id="secret-without-allow-is-off",
        ),
        pytest.param(
            {ALLOW: "hooks.example.com", SECRET_VAR: SECRET},
            WebhookSettings(hosts=("hooks.example.com",), secret=SECRET),
            id="one-host",
        ),
        pytest.param(
            {
                ALLOW: " Hooks.Example.COM, *.example.org ,10.1.0.0/16, 127.0.0.1,, ::1",
                SECRET_VAR: f"  {SECRET}  ",
                ATTEMPTS: "3",
            },
            WebhookSettings(
                hosts=("hooks.example.com", "*.example.org"),
                networks=("10.1.0.0/16", "127.0.0.1/32", "::1/128"),
                secret=SECRET,
                attempts=3,
            ),
            id="hosts-networks-and-attempts",
        ),
        pytest.param(
            {ALLOW: "10.1.2.3/16", SECRET_VAR: SECRET},
            WebhookSettings(networks=("10.1.0.0/16",), secret=SECRET),
            id="network-with-host-bits-is-normalised",
        ),
        pytest.param(
            {ALLOW: "127.0.0.1", SECRET_VAR: SECRET, ATTEMPTS: "20"},
            WebhookSettings(networks=("127.0.0.1/32",), secret=SECRET, attempts=20),
            id="most-attempts",
        ),
        pytest.param(
            {ALLOW: "127.0.0.1", SECRET_VAR: SECRET, ATTEMPTS: " "},
            WebhookSettings(networks=("127.0.0.1/32",), secret=SECRET),
            id="blank-attempts-is-default",
        ),
    ],
)
def test_callbacks_from_env_reads(env: dict[str, str], expected: WebhookSettings) -> None:
    settings = WebhookSettings.from_env(env)
    assert settings == expected
    assert settings.enabled is bool(expected.hosts or expected.networks)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        pytest.param({ALLOW: "hooks.example.com"}, SECRET_VAR, id="allow-without-secret"),
        pytest.param(
            {ALLOW: "hooks.example.com", SECRET_VAR: "   "}, SECRET_VAR, id="allow-blank-secret"
        ),
        pytest.param(
            {ALLOW: "hooks.example.com", SECRET_VAR: "s" * 15}, SECRET_VAR, id="short-secret"
        ),
        pytest.param({SECRET_VAR: "tiny"}, SECRET_VAR, id="short-secret-without-allow"),
        pytest.param({ALLOW: "a b", SECRET_VAR: SECRET}, ALLOW, id="allow-space-in-name"),
        pytest.param({ALLOW: "x/y", SECRET_VAR: SECRET}, ALLOW, id="allow-slash-in-name"),
        pytest.param({ALLOW: "10.0.0.0/33", SECRET_VAR: SECRET}, ALLOW, id="allow-bad-prefix"),
        pytest.param({ALLOW: "*", SECRET_VAR: SECRET}, ALLOW, id="allow-bare-star"),
        pytest.param({ALLOW: "*.", SECRET_VAR: SECRET}, ALLOW, id="allow-star-dot"),
        pytest.param({ALLOW: "a.*.org", SECRET_VAR: SECRET}, ALLOW, id="allow-inner-star"),
        pytest.param({ALLOW: "hooks.example.com:8080", SECRET_VAR: SECRET}, ALLOW, id="allow-port"),
        pytest.param(
            {ALLOW: "me@hooks.example.com", SECRET_VAR: SECRET}, ALLOW, id="allow-user-name"
        ),
        pytest.param({ALLOW: "[::1]", SECRET_VAR: SECRET}, ALLOW, id="allow-bracketed-ip"),
        pytest.param(
            {ALLOW: "hooks.example.com, bad entry", SECRET_VAR: SECRET},
            ALLOW,
            id="allow-one-bad-among-good",
        ),
        pytest.param({ALLOW: "127.0.0.1", SECRET_VAR: SECRET, ATTEMPTS: "0"}, ATTEMPTS, id="0"),
        pytest.param({ALLOW: "127.0.0.1", SECRET_VAR: SECRET, ATTEMPTS: "21"}, ATTEMPTS, id="21"),
        pytest.param({ALLOW: "127.0.0.1", SECRET_VAR: SECRET, ATTEMPTS: "-1"}, ATTEMPTS, id="-1"),
        pytest.param(
            {ALLOW: "127.0.0.1", SECRET_VAR: SECRET, ATTEMPTS: "2.5"}, ATTEMPTS, id="fraction"
        ),
        pytest.param(
            {ALLOW: "127.0.0.1", SECRET_VAR: SECRET, ATTEMPTS: "three"}, ATTEMPTS, id="word"
        ),
        pytest.param(
            {ALLOW: "127.0.0.1", SECRET_VAR: SECRET, ATTEMPTS: "²"},
            ATTEMPTS,
            id="superscript-digit",
        ),
    ],
)
def test_callbacks_from_env_refuses(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ValueError, match=f"^{variable}") as raised:
        WebhookSettings.from_env(env)
    secret = env.get(SECRET_VAR, "").strip()
    if secret:
        assert secret not in str(raised.value)  # messages get logged: never the secret


@pytest.mark.parametrize(
    "settings",
    [
        pytest.param(WebhookSettings(networks=("127.0.0.1/32",), secret=SECRET), id="direct"),
        pytest.param(
            WebhookSettings.from_env({ALLOW: "hooks.example.com", SECRET_VAR: SECRET}),
            id="from-env",
        ),
    ],
)
def test_callbacks_settings_repr_hides_the_secret(settings: WebhookSettings) -> None:
    for shown in (repr(settings), str(settings), f"{settings!r}", repr([settings])):
        assert SECRET not in shown
        assert "secret='***'" in shown


def test_callbacks_settings_repr_without_secret() -> None:
    assert "secret=None" in repr(WebhookSettings())


# check_url

LISTED = WebhookSettings(
    hosts=("hooks.example.com", "*.example.org", "localhost"),
    networks=("127.0.0.1/32", "2001:db8::/32"),
    secret=SECRET,
)
"""Host names, a wildcard domain, and networks: one loopback address and an IPv6 block."""

NAMES_ONLY = WebhookSettings(hosts=("localhost",), secret=SECRET)

_HOOKS = "https://hooks.example.com/"


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("https://hooks.example.com/claimex", id="listed-host"),
        pytest.param("http://hooks.example.com:8080/in?job=1#end", id="listed-host-port-query"),
        pytest.param("HTTPS://HOOKS.Example.COM/claimex", id="upper-case"),
        pytest.param("https://hooks.example.com./claimex", id="trailing-dot"),
        pytest.param("https://a.example.org/hook", id="wildcard-subdomain"),
        pytest.param("https://deep.a.example.org/hook", id="wildcard-deeper-subdomain"),
        pytest.param("http://localhost:9999/x", id="localhost-by-name"),
        pytest.param("http://127.0.0.1:9999/x", id="literal-ip-in-network"),
        pytest.param("http://[2001:db8::5]:8443/x", id="literal-ipv6-in-network"),
        pytest.param(_HOOKS + "a" * (MAX_URL_CHARS - len(_HOOKS)), id="longest-url"),
    ],
)
def test_callbacks_check_url_admits(url: str) -> None:
    assert check_url(url, LISTED) == url


@pytest.mark.parametrize(
    ("url", "settings", "why"),
    [
        pytest.param("ftp://hooks.example.com/x", LISTED, "only http and https", id="ftp"),
        pytest.param("file:///etc/passwd", LISTED, "only http and https", id="file"),
        pytest.param("javascript:alert(1)", LISTED, "only http and https", id="javascript"),
        pytest.param("hooks.example.com/x", LISTED, "only http and https", id="no-scheme"),
        pytest.param(
            "https://user:pass@hooks.example.com/", LISTED, "user name or password", id="userinfo"
        ),
        pytest.param("https://user@hooks.example.com/", LISTED, "user name", id="user-name"),
        pytest.param(
            "https://hooks.example.com\\@evil.example.net/",
            LISTED,
            "user name",
            id="backslash-userinfo",
        ),
        pytest.param("https://evil.example.net/", LISTED, "allow-list", id="host-not-listed"),
        pytest.param("https://example.org/", LISTED, "allow-list", id="wildcard-not-apex"),
        pytest.param("https://badexample.org/", LISTED, "allow-list", id="wildcard-suffix-only"),
        pytest.param(
            "https://hooks.example.com.evil.net/", LISTED, "allow-list", id="listed-as-prefix"
        ),
        pytest.param("https://sub.hooks.example.com/", LISTED, "allow-list", id="exact-no-subs"),
        pytest.param("http://127.0.0.2/x", LISTED, "allow-list", id="ip-outside-network"),
        pytest.param("http://10.0.0.1/x", LISTED, "allow-list", id="private-ip-not-listed"),
        pytest.param("http://[::1]/x", LISTED, "allow-list", id="ipv6-loopback-not-listed"),
        pytest.param(
            "http://[::ffff:127.0.0.1]/x", LISTED, "allow-list", id="ipv4-mapped-not-covered"
        ),
        pytest.param("http://2130706433/x", LISTED, "allow-list", id="integer-host"),
        pytest.param(
            "http://127.0.0.1:9999/x", NAMES_ONLY, "allow-list", id="localhost-name-not-its-ip"
        ),
        pytest.param("https:///x", LISTED, "no host", id="no-host"),
        pytest.param("http://hooks.example.com:0/", LISTED, "port must not be 0", id="port-0"),
        pytest.param("http://hooks.example.com:99999/", LISTED, "cannot be parsed", id="port-big"),
        pytest.param("http://hooks.example.com:x/", LISTED, "cannot be parsed", id="port-word"),
        pytest.param("http://[::1/x", LISTED, "cannot be parsed", id="open-bracket"),
        pytest.param(
            _HOOKS + "a" * (MAX_URL_CHARS - len(_HOOKS) + 1),
            LISTED,
            f"longer than {MAX_URL_CHARS}",
            id="too-long",
        ),
        pytest.param("https://hooks.example.com/a b", LISTED, "space", id="space"),
        pytest.param("https://hooks.example.com/\nx", LISTED, "control", id="newline"),
        pytest.param("https://hooks.example.com/\r\nHost: x", LISTED, "control", id="crlf"),
        pytest.param("https://hooks.example.com/\tx", LISTED, "control", id="tab"),
        pytest.param("https://hooks.example.com/\x00", LISTED, "control", id="nul"),
        pytest.param("https://hooks.example.com/\x7f", LISTED, "control", id="del"),
        pytest.param("https://hooks.example.com/", WebhookSettings(), "webhooks are off", id="off"),
        pytest.param(
            "https://hooks.example.com/",
            WebhookSettings(secret=SECRET),
            "webhooks are off",
            id="off-with-secret",
        ),
    ],
)
def test_callbacks_check_url_refuses(url: str, settings: WebhookSettings, why: str) -> None:
    with pytest.raises(CallbackRefused, match=why):
        check_url(url, settings)


def test_callbacks_check_url_names_the_refused_host() -> None:
    with pytest.raises(CallbackRefused, match=r"^the host evil\.example\.net is not in"):
        check_url("https://Evil.Example.NET/hook", LISTED)


# addresses_to_call and is_public

LOOPBACK = ipaddress.ip_address("127.0.0.1")


def test_callbacks_listed_localhost_resolving_to_loopback_is_refused() -> None:
    check_url("http://localhost:9999/x", NAMES_ONLY)  # listed by name on submission …
    with pytest.raises(CallbackRefused, match=r"localhost resolves to an address that is not"):
        addresses_to_call("localhost", 9999, NAMES_ONLY)  # … but not called on delivery


def test_callbacks_listed_localhost_is_called_when_a_network_covers_it() -> None:
    settings = WebhookSettings(
        hosts=("localhost",), networks=("127.0.0.0/8", "::1/128"), secret=SECRET
    )
    found = addresses_to_call("localhost", 9999, settings)
    assert LOOPBACK in found
    assert all(address.is_loopback for address in found)


@pytest.mark.parametrize(
    ("host", "networks", "expected"),
    [
        pytest.param("127.0.0.1", ("127.0.0.1/32",), ["127.0.0.1"], id="covered-loopback"),
        pytest.param("10.1.2.3", ("10.1.0.0/16",), ["10.1.2.3"], id="covered-private"),
        pytest.param("::1", ("::1/128",), ["::1"], id="covered-ipv6-loopback"),
        pytest.param("8.8.8.8", ("127.0.0.1/32",), ["8.8.8.8"], id="public-needs-no-network"),
    ],
)
def test_callbacks_addresses_to_call_literal(
    host: str, networks: tuple[str, ...], expected: list[str]
) -> None:
    settings = WebhookSettings(networks=networks, secret=SECRET)
    assert addresses_to_call(host, 80, settings) == [ipaddress.ip_address(e) for e in expected]


@pytest.mark.parametrize(
    ("host", "networks", "why"),
    [
        pytest.param("127.0.0.2", ("127.0.0.1/32",), r"not allowed \(127\.0\.0\.2\)", id="lo"),
        pytest.param("10.0.0.1", ("127.0.0.1/32",), r"not allowed \(10\.0\.0\.1\)", id="10/8"),
        pytest.param(
            "169.254.169.254", (), r"not allowed \(169\.254\.169\.254\)", id="cloud-metadata"
        ),
        pytest.param("::ffff:127.0.0.1", ("127.0.0.1/32",), "not allowed", id="ipv4-mapped"),
        pytest.param("no-such-host.invalid", (), "does not resolve", id="unresolvable"),
    ],
)
def test_callbacks_addresses_to_call_refuses(
    host: str, networks: tuple[str, ...], why: str
) -> None:
    settings = WebhookSettings(hosts=(host,), networks=networks, secret=SECRET)
    with pytest.raises(CallbackRefused, match=why):
        addresses_to_call(host, 80, settings)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        pytest.param("10.0.0.1", False, id="private-10"),
        pytest.param("172.16.0.1", False, id="private-172"),
        pytest.param("192.168.1.1", False, id="private-192"),
        pytest.param("127.0.0.1", False, id="loopback"),
        pytest.param("169.254.169.254", False, id="link-local-metadata"),
        pytest.param("0.0.0.0", False, id="unspecified"),
        pytest.param("100.64.0.1", False, id="shared-cgnat"),
        pytest.param("224.0.0.1", False, id="multicast"),
        pytest.param("255.255.255.255", False, id="broadcast"),
        pytest.param("::1", False, id="ipv6-loopback"),
        pytest.param("::", False, id="ipv6-unspecified"),
        pytest.param("fc00::1", False, id="ipv6-unique-local"),
        pytest.param("fe80::1", False, id="ipv6-link-local"),
        pytest.param("ff02::1", False, id="ipv6-multicast"),
        pytest.param("::ffff:127.0.0.1", False, id="ipv4-mapped-loopback"),
        pytest.param("::ffff:10.0.0.1", False, id="ipv4-mapped-private"),
        pytest.param("8.8.8.8", True, id="public-ipv4"),
        pytest.param("1.1.1.1", True, id="public-ipv4-other"),
        pytest.param("2001:4860:4860::8888", True, id="public-ipv6"),
        pytest.param("::ffff:8.8.8.8", True, id="ipv4-mapped-public"),
    ],
)
def test_callbacks_is_public(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public

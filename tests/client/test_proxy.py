"""Proxies and bring-your-own pool, through a real forward proxy process on loopback
(proxy.py, CONNECT-capable, with Basic credentials), TLS through the tunnel included."""

from __future__ import annotations

import logging
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sinch_voice as sv
import trustme
import urllib3

from .loopback import Scripted, scripted_server

KEY, SECRET = "app-key", "BeIukql3pTKJ8RGL5zo0DA=="
PASSWORD = "s3cr@t-proxy-pw"
CREDENTIALS = f"proxy-user:{PASSWORD.replace('@', '%40')}"
NewClient = Callable[..., sv.VoiceClient]


class ForwardProxy:
    """proxy.py as a process: its address, and its access log."""

    def __init__(self, folder: Path) -> None:
        self.log = folder / "access.log"
        port_file = folder / "port"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "proxy", "--hostname", "127.0.0.1", "--port", "0",
             "--port-file", str(port_file), "--num-workers", "1", "--num-acceptors", "1",
             "--threaded", "--basic-auth", f"proxy-user:{PASSWORD}",
             "--log-file", str(self.log)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError("proxy.py did not start")
            time.sleep(0.05)
        self.address = f"127.0.0.1:{port_file.read_text().strip()}"
        self.url = f"http://{self.address}"

    def tunnels(self, target: str, at_least: int = 0) -> int:
        """How many CONNECT requests to ``target`` the log holds, once it holds
        ``at_least`` (the access line is written when a tunnel closes, a moment later)."""
        deadline = time.monotonic() + 10
        while True:
            text = self.log.read_text() if self.log.exists() else ""
            count = sum(
                1
                for line in text.splitlines()
                if "access_log" in line and f"CONNECT {target} " in line
            )
            if count >= at_least or time.monotonic() > deadline:
                return count
            time.sleep(0.05)

    def logged(self, fragment: str) -> bool:
        """Whether the log holds ``fragment``, waiting a little for it to be written."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.log.exists() and fragment in self.log.read_text():
                return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ForwardProxy]:
    running = ForwardProxy(tmp_path_factory.mktemp("proxy"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> tuple[trustme.CA, str]:
    ca = trustme.CA()
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return ca, str(path)


@pytest.fixture
def tls_server(authority: tuple[trustme.CA, str]) -> Iterator[tuple[Scripted, str]]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority[0].issue_cert("localhost").configure_cert(context)
    with scripted_server(tls=context) as running:
        yield running


@pytest.fixture(autouse=True)
def no_environment_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def test_an_explicit_proxy_with_credentials_tunnels_tls_to_the_platform(
    proxy: ForwardProxy,
    tls_server: tuple[Scripted, str],
    authority: tuple[trustme.CA, str],
    new_client: NewClient,
) -> None:
    platform, url = tls_server
    with new_client(
        KEY, SECRET, base_url=url, ca_certs=authority[1], proxy=f"http://{CREDENTIALS}@{proxy.address}"
    ) as client:  # fmt: skip
        assert client.calls.get("c1").call_id == "c1"
        assert PASSWORD not in repr(client) + repr(client._transport)
        assert "***@127.0.0.1" in repr(client._transport)
    assert proxy.tunnels(url.removeprefix("https://"), at_least=1) == 1
    received = platform.received[0]["headers"]
    assert received["Authorization"].startswith(f"Application {KEY}:")
    assert "Proxy-Authorization" not in received  # for the proxy only, never the platform


def test_wrong_proxy_credentials_fail_without_showing_them(
    proxy: ForwardProxy,
    tls_server: tuple[Scripted, str],
    authority: tuple[trustme.CA, str],
    caplog: pytest.LogCaptureFixture,
    new_client: NewClient,
) -> None:
    platform, url = tls_server
    wrong = "proxy-user:not-the-pw-9"
    client = new_client(
        KEY, SECRET, base_url=url, ca_certs=authority[1], proxy=f"http://{wrong}@{proxy.address}",
        sleep=lambda _: None,
    )  # fmt: skip
    with caplog.at_level(logging.DEBUG), pytest.raises(sv.ApiConnectionError) as caught:
        client.callouts.custom(ice="{}")
    client.close()
    error = caught.value
    assert error.request_may_have_been_sent is False  # the tunnel was refused
    assert "through the proxy" in str(error)
    shown = str(error) + repr(error) + caplog.text + repr(client._transport)
    assert "not-the-pw-9" not in shown
    assert platform.received == []


def test_the_environment_proxy_is_used_unless_trust_env_is_off_or_no_proxy_says_so(
    proxy: ForwardProxy,
    tls_server: tuple[Scripted, str],
    authority: tuple[trustme.CA, str],
    monkeypatch: pytest.MonkeyPatch,
    new_client: NewClient,
) -> None:
    platform, url = tls_server
    target = url.removeprefix("https://")
    monkeypatch.setenv("HTTPS_PROXY", f"http://{CREDENTIALS}@{proxy.address}")
    before = proxy.tunnels(target)
    with new_client(KEY, SECRET, base_url=url, ca_certs=authority[1]) as client:
        client.calls.get("c1")
    assert proxy.tunnels(target, at_least=before + 1) == before + 1
    with new_client(KEY, SECRET, base_url=url, ca_certs=authority[1], trust_env=False) as c:
        c.calls.get("c1")
    monkeypatch.setenv("NO_PROXY", "localhost")
    with new_client(KEY, SECRET, base_url=url, ca_certs=authority[1]) as client:
        client.calls.get("c1")
    time.sleep(0.3)  # what a tunnel would have logged by now
    assert proxy.tunnels(target) == before + 1  # the last two went direct
    assert len(platform.received) == 3


def test_plain_http_follows_http_proxy(
    proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, new_client: NewClient
) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://{CREDENTIALS}@{proxy.address}")
    with scripted_server() as (platform, url), new_client(
        KEY, SECRET, base_url=url, allow_http=True
    ) as client:  # fmt: skip
        client.calls.get("c1")
    assert proxy.logged(f"GET {url.removeprefix('http://')}/calling/v1/calls/id/c1")
    assert platform.received[0]["path"] == "/calling/v1/calls/id/c1"


def test_a_proxy_url_that_is_not_one_is_shown_masked(new_client: NewClient) -> None:
    with pytest.raises(sv.ConfigurationError, match="proxy: not an http") as caught:
        new_client(KEY, SECRET, proxy="socks5://user:hunter2@127.0.0.1:1080")
    assert "hunter2" not in str(caught.value)
    assert "'socks5://***@127.0.0.1:1080'" in str(caught.value)


def test_a_wrong_environment_proxy_is_named_when_the_client_is_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "socks5://user:hunter2@127.0.0.1:1080")
    with pytest.raises(sv.ConfigurationError, match=r"HTTPS_PROXY \(environment\): not an") as e:
        sv.VoiceClient(KEY, SECRET)
    assert "hunter2" not in str(e.value)
    sv.VoiceClient(KEY, SECRET, trust_env=False).close()  # the way out


class CountingPool(urllib3.PoolManager):
    def __init__(self) -> None:
        super().__init__(retries=False)
        self.sent = 0
        self.cleared = 0

    def urlopen(self, *args: object, **kwargs: object) -> urllib3.BaseHTTPResponse:
        self.sent += 1
        return super().urlopen(*args, **kwargs)  # type: ignore[arg-type]

    def clear(self) -> None:
        self.cleared += 1
        super().clear()


def test_a_pool_passed_in_is_used_and_left_open_for_its_owner() -> None:
    pool = CountingPool()
    with scripted_server() as (platform, url):
        for _ in range(2):
            with sv.VoiceClient(
                KEY, SECRET, base_url=url, allow_http=True, http_client=pool
            ) as client:
                client.calls.get("c1")
                client.with_options(max_retries=0).calls.get("c1")  # views share it
        assert (pool.sent, pool.cleared) == (4, 0)
        assert len(platform.received) == 4
        assert pool.request("GET", f"{url}/calling/v1/calls/id/c1").status == 200  # still open


def test_a_pool_the_client_made_is_closed_with_it() -> None:
    with scripted_server() as (_, url):
        client = sv.VoiceClient(KEY, SECRET, base_url=url, allow_http=True)
        client.calls.get("c1")
        made = list(client._transport._pools.values())
        assert [len(pool.pools) for pool in made] == [1]
        client.close()
        assert [len(pool.pools) for pool in made] == [0]
        with pytest.raises(sv.ConfigurationError, match="this client has been closed"):
            client.calls.get("c1")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"http_client": object()}, "http_client must be a urllib3.PoolManager; got object"),
        ({"http_client": urllib3.PoolManager(), "proxy": "http://h:1"}, "proxy= configures"),
        ({"http_client": urllib3.PoolManager(), "ca_certs": "ca.pem"}, "ca_certs= configures"),
    ],
)
def test_what_applies_to_the_clients_own_pool_is_refused_with_a_given_one(
    options: dict[str, object], message: str
) -> None:
    with pytest.raises(sv.ConfigurationError, match=message):
        sv.VoiceClient(KEY, SECRET, **options)  # type: ignore[arg-type]

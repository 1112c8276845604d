"""The import's HTTP client: one deadline per fetch, and public addresses only.

Against real sockets: a server that trickles its answer one byte at a time (each byte
well within any per-read timeout) and a chain of slow redirects must both end at the
one deadline. Addresses that carry another address (IPv4-mapped, NAT64, 6to4, Teredo)
are judged by the address they carry.
"""

import socket
import threading
import time

import pytest

from sluss_wagtail import http_client, importing

FEED = b'{"version": "https://jsonfeed.org/version/1.1", "items": []}'


class TricklingServer:
    """A real TCP server that sends ``answer`` one byte every ``pause`` seconds.

    ``answer`` is a function of the server (for redirects to itself). It stops after
    ``give_up`` seconds so a client without a deadline does not hang the test run.
    """

    def __init__(self, answer, *, pause=0.1, fast_prefix=0, give_up=8):
        self.answer, self.pause, self.fast_prefix, self.give_up = (
            answer,
            pause,
            fast_prefix,
            give_up,
        )
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/feed/json/"
        self.requests = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stopped.is_set():
            try:
                connection, _address = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self.handle, args=(connection,), daemon=True).start()

    def handle(self, connection):
        self.requests += 1
        started = time.monotonic()
        with connection:
            try:
                connection.recv(65536)
                data = self.answer(self)
                connection.sendall(data[: self.fast_prefix])
                for byte in data[self.fast_prefix :]:
                    if self.stopped.is_set() or time.monotonic() - started > self.give_up:
                        return
                    connection.sendall(bytes([byte]))
                    time.sleep(self.pause)
            except OSError:
                return

    def close(self):
        self.stopped.set()
        self.listener.close()
        self.thread.join(timeout=2)


def ok(server):
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/feed+json\r\n"
        + f"Content-Length: {len(FEED)}\r\nX-Padding: {'x' * 200}\r\n\r\n".encode()
        + FEED
    )


@pytest.fixture
def allow_local(settings):
    settings.SLUSS_WAGTAIL_IMPORT_ALLOW_PRIVATE_ADDRESSES = True
    settings.SLUSS_WAGTAIL_IMPORT_TIMEOUT_SECONDS = 1


def fetch_timed(url):
    started = time.monotonic()
    with pytest.raises(importing.FeedError, match="1 seconds|1 sekund"):
        importing.fetch_url(url)
    return time.monotonic() - started


def test_a_server_that_trickles_its_headers_is_cut_off_at_the_deadline(allow_local):
    # One byte every 0.1 s: no single read waits long, the whole answer takes 30 s.
    server = TricklingServer(ok, pause=0.1)
    try:
        assert fetch_timed(server.url) < 2.5
    finally:
        server.close()


def test_a_server_that_trickles_its_body_is_cut_off_at_the_deadline(allow_local):
    answer = ok(None)
    server = TricklingServer(ok, pause=0.1, fast_prefix=answer.index(b"\r\n\r\n") + 4)
    try:
        assert fetch_timed(server.url) < 2.5
    finally:
        server.close()


def test_redirects_share_the_one_deadline(allow_local):
    def redirect(server):
        return (
            f"HTTP/1.1 302 Found\r\nLocation: {server.url}\r\nContent-Length: 0\r\n"
            "Connection: close\r\nX-Slow: 1234\r\n\r\n"
        ).encode()

    # Each hop takes about 0.7 s, well within the deadline on its own; three do not.
    server = TricklingServer(redirect, pause=0.01, fast_prefix=20)
    try:
        assert fetch_timed(server.url) < 2.5
        assert server.requests <= 3
    finally:
        server.close()


def test_a_quick_server_is_read_whole(allow_local):
    server = TricklingServer(ok, pause=0, fast_prefix=10_000)
    try:
        assert importing.fetch_url(server.url) == FEED
    finally:
        server.close()


def test_nothing_is_left_running_after_a_fetch(allow_local):
    server = TricklingServer(ok, pause=0, fast_prefix=10_000)
    try:
        before = threading.active_count()
        importing.fetch_url(server.url)
        time.sleep(0.05)
        assert threading.active_count() <= before + 1  # the server's own handler at most
    finally:
        server.close()


# Addresses -------------------------------------------------------------------------------

NOT_PUBLIC = [
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.10",
    "127.0.0.1",
    "0.0.0.0",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "192.0.0.8",
    "198.18.0.1",  # benchmarking
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1%eth0",
    "fc00::1",
    "fd12:3456::1",
    "fec0::1",  # site-local (deprecated, still not public)
    "ff02::1",
    "2001:db8::1",  # documentation
    "100::1",  # discard
    "::ffff:10.0.0.1",  # IPv4-mapped
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b:1::808:808",  # local-use NAT64, whatever it carries
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
    "::a00:1",  # IPv4-compatible (deprecated)
    "::ffff:0:a00:1",  # IPv4-translated
    "not an address",
]
PUBLIC = ["8.8.8.8", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808"]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_an_address_that_is_not_public_is_refused(address):
    assert not http_client.is_public(address)


@pytest.mark.parametrize("address", PUBLIC)
def test_a_public_address_is_public_also_when_carried(address):
    assert http_client.is_public(address)


@pytest.mark.parametrize(
    "url",
    [
        "http://[::ffff:10.0.0.1]/feed.json",
        "http://[64:ff9b::a00:1]/feed.json",
        "http://[64:ff9b:1::808:808]/feed.json",
        "http://[2002:a00:1::1]/feed.json",
        "http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/feed.json",
        "http://[fe80::1%25eth0]/feed.json",
        "http://100.64.0.1/feed.json",
        "http://2130706433/feed.json",  # 127.0.0.1 as one number
        "http://0x7f.1/feed.json",
    ],
)
def test_a_feed_on_a_hidden_private_address_is_refused_before_connecting(url, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("connected")

    monkeypatch.setattr(socket, "create_connection", never)
    with pytest.raises(importing.FeedError):
        importing.fetch_url(url)


def test_private_addresses_are_fetched_when_the_setting_allows_them(allow_local):
    assert importing._checked_addresses("::ffff:127.0.0.1", 80)
    assert http_client.checked_addresses("64:ff9b::a00:1", 80, allow_private=True)
    with pytest.raises(http_client.FetchError):
        http_client.checked_addresses("64:ff9b::a00:1", 80)


def test_a_resolver_that_hangs_is_cut_off_at_the_deadline(allow_local, monkeypatch):
    real = socket.getaddrinfo

    def hanging(host, *args, **kwargs):
        if host == "hangs.invalid":
            time.sleep(5)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hanging)
    assert fetch_timed("http://hangs.invalid/feed.json") < 2.5

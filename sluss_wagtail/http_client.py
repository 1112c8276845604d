"""The safe HTTP client that fetches from other installations (``sluss_import``).

What it promises, whatever the other side does:

- **One deadline per fetch.** Looking up the host, connecting, the TLS handshake,
  every redirect, the headers and the body share one clock. A server that trickles
  one byte at a time (each read within a per-read timeout) is cut off when the
  deadline passes: a watchdog shuts the socket down, so no read can outlive it.
- **Public addresses only** (unless the caller allows private ones). Every address
  the host resolves to is checked, and the connection goes to the checked one, not
  to a new DNS answer. Addresses that hide another address are judged by the one
  they carry: IPv4-mapped (``::ffff:10.0.0.1``), NAT64 (``64:ff9b::/96``), 6to4
  (``2002::/16``) and Teredo (``2001::/32``); the local-use NAT64 prefix
  (``64:ff9b:1::/48``) and every range that is not globally reachable are refused.
- **A size limit**, checked while reading, and only http and https.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from urllib.parse import urljoin, urlsplit

from django.utils.translation import gettext_lazy as _

MAX_REDIRECTS = 3
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
CHUNK_BYTES = 64 * 1024

NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL_PREFIX = ipaddress.ip_network("64:ff9b:1::/48")


class FetchError(Exception):
    """An address that cannot be fetched; the message says why, for a person."""


def fetch_error(message, **params):
    return FetchError(str(message) % params if params else str(message))


def embedded_ipv4(ip):
    """The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4, Teredo), or None."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    return None


#: IANA's special-purpose ranges, named here too: which of them ``is_global`` knows changes
#: with the Python version (3.11.7 calls 192.0.0.8 global).
NOT_PUBLIC_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "240.0.0.0/4",
        "::/127",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    )
)


def _is_global(ip):
    if any(ip.version == network.version and ip in network for network in NOT_PUBLIC_NETWORKS):
        return False
    return ip.is_global and not (
        ip.is_multicast
        or ip.is_reserved
        or ip.is_link_local
        or ip.is_loopback
        or ip.is_unspecified
        or getattr(ip, "is_site_local", False)
    )


def is_public(address):
    """Whether ``address`` (an IP address, maybe with an IPv6 zone) is on the public
    internet, judged by the IPv4 address it carries if it carries one."""
    try:
        ip = ipaddress.ip_address(str(address).split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6:
        if ip in NAT64_LOCAL_PREFIX:
            return False
        carried = embedded_ipv4(ip)
        if carried is not None:
            if not _is_global(carried):
                return False
            # Mapped and NAT64 reach the IPv4 address itself; 6to4 and Teredo are
            # tunnels whose own range is not globally reachable either.
            return ip.ipv4_mapped is not None or ip in NAT64_PREFIX or _is_global(ip)
    return _is_global(ip)


def resolve(host, port, timeout=None):
    """``getaddrinfo`` within ``timeout`` seconds: the resolver itself has no timeout, so
    it runs in a thread of its own that is left behind if it hangs."""
    if timeout is None:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    outcome = {}

    def run():
        try:
            outcome["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except Exception as error:  # handed to the caller below
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError
    if "error" in outcome:
        raise outcome["error"]
    return outcome["infos"]


def checked_addresses(host, port, *, allow_private=False, timeout=None):
    """Every address ``host`` resolves to, all of them public (or ``allow_private``)."""
    try:
        infos = resolve(host, port, timeout)
    except (socket.gaierror, UnicodeError, ValueError) as error:
        raise fetch_error(_("The address %(host)s could not be found."), host=host) from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise fetch_error(_("The address %(host)s could not be found."), host=host)
    if not allow_private and not all(is_public(address) for address in addresses):
        raise fetch_error(
            _(
                "%(host)s is an address in a private or local network; feeds are imported "
                "only from public addresses."
            ),
            host=host,
        )
    return addresses


class Deadline:
    """One clock for a whole fetch, and a watchdog that cuts off a socket when it ends."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.ends_at = time.monotonic() + seconds
        self.passed = False
        self._timers = []

    def remaining(self):
        """Seconds left; ``TimeoutError`` once there are none."""
        left = self.ends_at - time.monotonic()
        if left <= 0:
            self.passed = True
            raise TimeoutError
        return left

    def watch(self, sock):
        """Shut ``sock`` down when the deadline passes, whatever is reading from it."""

        def cut_off():
            self.passed = True
            # The plain socket's shutdown, also for a TLS socket: the reading thread
            # wakes up with an error or an end of file.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

        timer = threading.Timer(self.remaining(), cut_off)
        timer.daemon = True
        timer.start()
        self._timers.append(timer)

    def cancel(self):
        for timer in self._timers:
            timer.cancel()


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to a new DNS answer, within the
    deadline."""

    def __init__(self, host, port, *, address, deadline):
        super().__init__(host, port, timeout=deadline.remaining())
        self.checked_address = address
        self.deadline = deadline

    def _open_socket(self):
        sock = socket.create_connection(
            (self.checked_address, self.port), self.deadline.remaining()
        )
        sock.settimeout(self.deadline.remaining())
        return sock

    def connect(self):
        self.sock = self._open_socket()
        self.deadline.watch(self.sock)


class PinnedHTTPSConnection(PinnedHTTPConnection):
    default_port = http.client.HTTPS_PORT

    def connect(self):
        context = ssl.create_default_context()
        # No handshake yet: the watchdog must watch the TLS socket before any I/O on it.
        sock = context.wrap_socket(
            self._open_socket(), server_hostname=self.host, do_handshake_on_connect=False
        )
        self.sock = sock
        self.deadline.watch(sock)
        sock.do_handshake()


def _read_body(response, max_bytes, deadline):
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise fetch_error(_("The feed is larger than %(max)s bytes."), max=max_bytes)
    chunks, size = [], 0
    while True:
        deadline.remaining()
        # read1: what has arrived (up to a chunk), so a trickle never blocks one read for long.
        chunk = response.read1(CHUNK_BYTES)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise fetch_error(_("The feed is larger than %(max)s bytes."), max=max_bytes)
        chunks.append(chunk)
    if deadline.passed:
        raise TimeoutError
    return b"".join(chunks)


def fetch(url, *, timeout, max_bytes, allow_private=False, redirects=MAX_REDIRECTS, headers=None):
    """The body of ``url`` (http or https only): within ``timeout`` seconds in all, at most
    ``max_bytes``, from public addresses only unless ``allow_private``."""
    deadline = Deadline(timeout)
    try:
        for _hop in range(redirects + 1):
            response_url, body = _fetch_once(
                url, deadline, max_bytes=max_bytes, allow_private=allow_private, headers=headers
            )
            if response_url is None:
                return body
            url = response_url
        raise fetch_error(_("The source redirects too many times."))
    except TimeoutError as error:
        raise fetch_error(
            _("The source did not answer within %(seconds)s seconds."), seconds=timeout
        ) from error
    finally:
        deadline.cancel()


def _fetch_once(url, deadline, *, max_bytes, allow_private, headers):
    """``(redirect_to, None)`` for a redirect, ``(None, body)`` for the answer."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fetch_error(_("Only http and https addresses can be imported."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise fetch_error(_("The address has a port that is not a number.")) from error
    address = checked_addresses(
        parts.hostname, port, allow_private=allow_private, timeout=deadline.remaining()
    )[0]
    deadline.remaining()
    connection_class = PinnedHTTPSConnection if parts.scheme == "https" else PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address=address, deadline=deadline)
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers={"User-Agent": "sluss_wagtail", **(headers or {})})
        response = connection.getresponse()
        if deadline.passed:
            raise TimeoutError
        if response.status in REDIRECT_STATUSES and response.getheader("Location"):
            return urljoin(url, response.getheader("Location")), None
        if response.status != 200:
            raise fetch_error(
                _("The source answered with HTTP status %(status)s."), status=response.status
            )
        return None, _read_body(response, max_bytes, deadline)
    except TimeoutError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as error:
        if deadline.passed:
            raise TimeoutError from error
        raise fetch_error(_("The feed could not be fetched: %(error)s"), error=error) from error
    finally:
        connection.close()

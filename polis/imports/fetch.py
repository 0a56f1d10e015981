"""Fetch a page for an import without letting it reach inside the archive's network.

Every address a host name resolves to is checked before any connection (loopback, private,
link-local, reserved, multicast, unspecified, shared, IPv4-mapped IPv6 all refused), the
connection goes to that checked address (no second DNS lookup, so a rebinding resolver gains
nothing), and redirects are followed by hand, at most `MAX_REDIRECTS`, each hop checked the
same way. Hosts in `POLIS_IMPORT_ALLOWED_HOSTS` skip the address check (a test server, an
archive on the same network).
"""

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

MAX_REDIRECTS = 5
USER_AGENT = "Polis-import/1 (+https://github.com/polis-archive)"
Resolver = Callable[[str, int], list[str]]


class FetchRefused(Exception):
    """The URL may not be fetched (its address, its scheme, its size); the message says why."""


def _too_slow() -> FetchRefused:
    return FetchRefused(
        f"The page took too long to arrive (more than {settings.POLIS_IMPORT_TIMEOUT:g} "
        "seconds); try again later, or download it and import the file."
    )


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes

    def text(self) -> str:
        charset = "utf-8"
        for part in self.content_type.split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                charset = value.strip('"')
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchRefused(f"{host} could not be found.") from error
    return list(dict.fromkeys(info[4][0] for info in infos))


def address_refused(address: str) -> bool:
    """Whether an import may not connect to this IP address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if mapped is not None and address_refused(str(mapped)):
            return True
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def allowed_hosts() -> set[str]:
    return {
        host.strip().lower()
        for host in settings.POLIS_IMPORT_ALLOWED_HOSTS.split(",")
        if host.strip()
    }


def checked_address(host: str, port: int, resolver: Resolver) -> str:
    """The address to connect to: every one the host resolves to must be allowed."""
    host = host.lower()
    try:
        addresses = [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        addresses = resolver(host, port)
    if not addresses:
        raise FetchRefused(f"{host} could not be found.")
    if host not in allowed_hosts():
        refused = [address for address in addresses if address_refused(address)]
        if refused:
            raise FetchRefused(
                f"{host} is an address inside a private network ({refused[0]}); "
                "imports only fetch public pages."
            )
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, **kwargs):
        super().__init__(host, **kwargs)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, **kwargs):
        super().__init__(host, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the address.
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def _read_body(
    response: http.client.HTTPResponse, sock: socket.socket, limit: int, deadline: float
) -> bytes:
    """The body as it arrives, refused once past the deadline: each read returns what one
    receive brought (a server trickling a byte at a time cannot hold the fetch), and may wait
    no longer than the time left."""
    chunks: list[bytes] = []
    size = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise _too_slow()
        sock.settimeout(left)
        chunk = response.read1(64 * 1024)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise FetchRefused(f"The page is larger than {limit} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(url: str, *, resolver: Resolver = system_resolver) -> Fetched:
    """GET `url` within the timeout and size limit, following up to 5 checked redirects."""
    limit = settings.POLIS_IMPORT_MAX_BYTES
    # The timeout bounds the whole fetch, redirects included, not only each socket read.
    deadline = time.monotonic() + settings.POLIS_IMPORT_TIMEOUT
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise FetchRefused("Only http and https addresses can be imported.")
        if parts.username or parts.password:
            raise FetchRefused("Addresses with a user name or password cannot be imported.")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as error:
            raise FetchRefused("That address has an invalid port.") from error
        address = checked_address(parts.hostname, port, resolver)
        if time.monotonic() > deadline:
            raise _too_slow()
        connection_class = (
            _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        )
        connection = connection_class(
            parts.hostname, address, port=port, timeout=max(deadline - time.monotonic(), 0.01)
        )
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(
                "GET",
                path,
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": "text/html,application/xhtml+xml,application/epub+zip,*/*;q=0.5",
                    "Accept-Encoding": "identity",
                },
            )
            sock = connection.sock  # the response reads from it after the connection lets go
            response = connection.getresponse()
            if response.status in {301, 302, 303, 307, 308}:
                location = response.getheader("Location")
                if not location:
                    raise FetchRefused("The page redirected without saying where.")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchRefused(f"The page answered {response.status} {response.reason}.")
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise FetchRefused(f"The page is larger than {limit} bytes.")
            body = _read_body(response, sock, limit, deadline)
            return Fetched(
                url=url, content_type=response.getheader("Content-Type") or "", body=body
            )
        except TimeoutError as error:  # a socket read waited longer than the timeout
            raise _too_slow() from error
        except (OSError, http.client.HTTPException) as error:
            raise FetchRefused(f"The page could not be fetched: {error}") from error
        finally:
            connection.close()
    raise FetchRefused(f"The page redirected more than {MAX_REDIRECTS} times.")

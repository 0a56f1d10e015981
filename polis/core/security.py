"""Request hygiene every page shares: the client's real address behind trusted proxies, and
the Content-Security-Policy header.

`ClientAddressMiddleware` runs first: when the direct peer is one of `POLIS_TRUSTED_PROXIES`,
the client is the right-most address of `X-Forwarded-For` that is not itself a trusted proxy,
and `REMOTE_ADDR` is set to it, so every per-address rule (login and comment limits, kudos
and hit de-duplication, API limits) sees the reader, not the proxy. A header from anyone else
is ignored: it is the client's to forge.
"""

import ipaddress
from functools import cache

from django.conf import settings


@cache
def _networks(spec: str) -> tuple:
    """`POLIS_TRUSTED_PROXIES`: comma-separated addresses or networks ("127.0.0.1,10.0.0.0/8")."""
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip()
    )


def _parse(address: str):
    try:
        return ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(meta: dict) -> str:
    """The client's address: `REMOTE_ADDR`, or behind trusted proxies the forwarded one."""
    peer = meta.get("REMOTE_ADDR", "") or ""
    networks = _networks(settings.POLIS_TRUSTED_PROXIES)
    if not networks or not _trusted(_parse(peer), networks):
        return peer
    forwarded = [part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for hop in reversed(forwarded[-32:]):  # a bounded walk: no header makes it long
        address = _parse(hop)
        if address is None:
            return peer  # a malformed chain: trust nothing in it
        if not _trusted(address, networks):
            return str(address)
    return peer


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META["REMOTE_ADDR"] = client_address(request.META)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """`POLIS_CSP` on every response that has none of its own (downloads set a stricter one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.POLIS_CSP and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.POLIS_CSP
        return response

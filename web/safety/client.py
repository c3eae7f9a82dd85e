"""The real client address behind the configured reverse proxies.

``REMOTE_ADDR`` is the client unless it is one of ``settings.TRUSTED_PROXIES`` (addresses or
networks). Then ``X-Forwarded-For`` is read from the right — each trusted proxy appends the
address it received the request from — skipping trusted proxies; the first address that is not
one is the client. Anything a client wrote further left is never believed, so a forged header
cannot choose the address a limit is keyed on.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's address as text, or None when the connection has none we can read."""
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return None
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not networks or not _trusted(remote, networks):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for item in reversed(forwarded.split(",")):
        hop = _address(item)
        if hop is None:
            return str(remote)  # a malformed hop: stop believing the header
        if not _trusted(hop, networks):
            return str(hop)
    return str(remote)

"""The client's address, as the configured chain of trusted proxies reports it (ADR 0020).

Every rate limit keys on `client_ip(request)`. `X-Forwarded-For` is written by whoever sends the
request, so it is believed only as far as the hops we trust: with MOTCUA_TRUSTED_PROXIES empty
(the default) the client is the connection's peer (REMOTE_ADDR) and the header is ignored; when
the peer is a trusted proxy, the header is read from the right — each proxy appends the address it
saw — skipping trusted hops, and the first untrusted address is the client. Anything a client wrote
further left is never reached.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

UNKNOWN = "unknown"


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries if entry)
    except ValueError as exc:
        raise ImproperlyConfigured(f"MOTCUA_TRUSTED_PROXIES: {exc}") from None


def trusted_proxies() -> tuple:
    """MOTCUA_TRUSTED_PROXIES as networks (a list of IPs/CIDRs, or one comma-separated string)."""
    configured = getattr(settings, "MOTCUA_TRUSTED_PROXIES", ()) or ()
    if isinstance(configured, str):
        configured = configured.split(",")
    return _networks(tuple(entry.strip() for entry in configured))


def _address(text: str):
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request) -> str:
    """The address of the client that made `request` (a string, "unknown" when there is none)."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return UNKNOWN
    networks = trusted_proxies()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    client = peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a trusted proxy passed on something that is no address: stop at that proxy
        client = address
        if not _trusted(address, networks):
            break
    return str(client)

"""/healthz, /readyz and /metrics (ADR 0028). No sign-in (a load balancer or Prometheus has
none), never cached, no rate limit: a probe that is refused or served from a cache says nothing.
/metrics is for the monitoring server only: from an address on MOTCUA_METRICS_ALLOWED or with
`Authorization: Bearer <MOTCUA_METRICS_TOKEN>`."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.core.client_address import client_ip, trusted_proxies

from .metrics import metrics_text
from .readiness import readiness

MSG_METRICS_FORBIDDEN = "Không được phép xem số liệu giám sát từ địa chỉ này."


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answers: nothing else is touched (no database), so a restart is
    never ordered because a dependency is down."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when every dependency answers, 503 naming the ones that do not."""
    results = readiness()
    ready = all(result.ok for result in results)
    body: dict[str, object] = {
        "status": "ok" if ready else "fail",
        "checks": {result.name: result.as_dict() for result in results},
    }
    if not ready:
        body["failed"] = [result.name for result in results if not result.ok]
    return JsonResponse(body, status=200 if ready else 503)


@lru_cache(maxsize=8)
def _allowed_networks(entries: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries if entry)
    except ValueError as exc:
        raise ImproperlyConfigured(f"MOTCUA_METRICS_ALLOWED: {exc}") from None


FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def _in(address, networks) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def _proxied_by_a_stranger(request: HttpRequest) -> bool:
    """A request that says it was forwarded, from a peer not on MOTCUA_TRUSTED_PROXIES: a proxy
    on this machine that the settings do not know about would make every visitor look like
    127.0.0.1, so such a request is never let in by its address."""
    if not any(request.META.get(header) for header in FORWARDING_HEADERS):
        return False
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return True
    return not _in(peer, trusted_proxies())


def _address_allowed(request: HttpRequest) -> bool:
    if _proxied_by_a_stranger(request):
        return False
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:  # "unknown"
        return False
    configured = getattr(settings, "MOTCUA_METRICS_ALLOWED", ()) or ()
    if isinstance(configured, str):
        configured = configured.split(",")
    networks = _allowed_networks(tuple(entry.strip() for entry in configured))
    return _in(address, networks)


def _token_presented(request: HttpRequest) -> bool:
    """`Authorization: Bearer <token>` matching MOTCUA_METRICS_TOKEN, compared in constant time;
    never true while no token is configured."""
    expected = getattr(settings, "MOTCUA_METRICS_TOKEN", "")
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    # Digests of equal length: the comparison tells nothing, not even the token's length.
    return hmac.compare_digest(_digest(presented.strip()), _digest(expected))


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def metrics_allowed(request: HttpRequest) -> bool:
    return _token_presented(request) or _address_allowed(request)


@login_not_required
@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus's text format: request rates and latencies by view, errors, jobs' lag,
    dossiers and messages of the day."""
    if not metrics_allowed(request):
        return HttpResponse(
            MSG_METRICS_FORBIDDEN, status=403, content_type="text/plain; charset=utf-8"
        )
    body, content_type = metrics_text(request.headers.get("Accept", ""))
    return HttpResponse(body, content_type=content_type)

"""The one middleware that watches every request (first in MIDDLEWARE, so it sees redirects to
HTTPS, static files and errors too): gives the request its id, times it, counts it for Prometheus
and writes one access line — the view and its URL pattern, never the path or the query string."""

from __future__ import annotations

import logging
import time

from django.conf import settings

from .logs import request_route
from .metrics import request_observe
from .request_context import request_id_choose, request_id_reset, request_id_set

access_logger = logging.getLogger("motcua.access")

REQUEST_ID_HEADER = "X-Request-ID"
UNMATCHED = "unmatched"  # no URL pattern: a 404, or answered by a middleware before the resolver


def _view_label(request) -> tuple[str, str]:
    """The request's view name and URL pattern; for requests no pattern matched, "static" (files
    served by whitenoise) or "unmatched" — a constant, so a random path never becomes a label."""
    view, route = request_route(request)
    if view:
        return view, route
    if request.path.startswith(settings.STATIC_URL):
        return "static", ""
    return UNMATCHED, ""


class RequestObservationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_choose(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = request_id_set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            response.headers[REQUEST_ID_HEADER] = request_id
            view, route = _view_label(request)
            request_observe(view, request.method or "", response.status_code, seconds)
            access_logger.info(
                "%s %s %s %.1f ms",
                request.method,
                view,
                response.status_code,
                seconds * 1000,
                extra={
                    "method": request.method,
                    "view": view,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )
            return response
        finally:
            request_id_reset(token)

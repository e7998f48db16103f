"""Walk every URL pattern of a URLconf, recursively through includes, into concrete paths.

Used by test_url_access.py; kept apart so that the walker itself can be tested on a small URLconf.
"""

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.urls.resolvers import RegexPattern

DUMMY_BY_CONVERTER = {
    IntConverter: "1",
    StringConverter: "x",
    SlugConverter: "x",
    PathConverter: "x",
    UUIDConverter: str(uuid.UUID(int=1)),
}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the pattern text when unnamed
    path: str  # a concrete path with every parameter filled


_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _fill(pattern, values: dict[str, str]) -> str:
    """The pattern text with each parameter replaced by `values[name]` or a dummy for its type."""
    converters = getattr(pattern, "converters", {})

    def value_for(name: str) -> str:
        if name in values:
            return str(values[name])
        return DUMMY_BY_CONVERTER.get(type(converters.get(name)), "1")

    if isinstance(pattern, RegexPattern):
        text = _REGEX_GROUP.sub(lambda m: value_for(m["name"]), pattern._regex)
        return text.lstrip("^").rstrip("$").replace("\\", "")
    return _ROUTE_PARAM.sub(lambda m: value_for(m["name"]), str(pattern))


def walk(urlconf=None, values: dict[str, str] | None = None) -> list[Route]:
    """Every leaf pattern as a Route with a concrete path; `values` fills named parameters."""
    values = values or {}
    routes: list[Route] = []

    def visit(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            part = _fill(entry.pattern, values)
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                visit(entry, prefix + part, ns)
            elif isinstance(entry, URLPattern):
                name = entry.name or str(entry.pattern)
                full = f"{namespace}:{name}" if namespace and entry.name else name
                routes.append(Route(full, "/" + prefix + part))

    visit(get_resolver(urlconf), "", "")
    return routes

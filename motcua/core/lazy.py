"""Heavy libraries loaded on first use, not when a server worker starts (issue [P] 3: a worker's
peak memory ≤ 120 MB).

Every view module is imported when the URLconf loads, and with it whatever those modules import at
their top: the XLSX writer, the XML parser, the JWT and HTTP clients, the barcode makers — about
25 MB a worker of code that most workers never run (a citizen's tracking page needs none of it).
`lazy_module("openpyxl.styles")` returns the module object at once, registered in sys.modules, and
executes it on its first attribute access (importlib.util.LazyLoader), so a module keeps its
`from motcua.core.lazy import lazy_module; etree = lazy_module("lxml.etree")` at the top and its
code unchanged. Type checkers see the real import (`if TYPE_CHECKING:`). tests/core/test_lazy.py
starts a worker's imports in a fresh process and fails if one of LAZY_LIBRARIES is really loaded.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

# The libraries a worker must not load before it needs them (what tests/core/test_lazy.py checks).
LAZY_LIBRARIES = ("openpyxl", "lxml.etree", "jwt", "barcode", "segno", "requests")


def lazy_module(name: str) -> ModuleType:
    """The module `name`, executed on its first attribute access (at once if already loaded)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


def is_loaded(name: str) -> bool:
    """Whether `name` has really been executed (a lazy module not yet touched has not)."""
    module = sys.modules.get(name)
    return module is not None and type(module).__name__ != "_LazyModule"

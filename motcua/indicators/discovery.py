"""The other apps' contributions, found over INSTALLED_APPS — never imported by name, so an app that
does not exist yet (or has no `indicators.py` / `demo.py`) is skipped instead of breaking reports.

The contract (each module optional):

* `<app>.indicators.report_sections(date_from, date_to, unit_code=None) -> dict[str, dict]`
  adds sections to the report ("payments", "postal", "documents", "tasks", "legal_documents", …);
* `<app>.demo.load_demo(stdout=None)` loads the app's part of the demo data set, idempotently;
* a few named selectors feed the rates: see `RATE_SELECTORS`.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterator

from django.apps import apps

logger = logging.getLogger(__name__)

# rate key → (module, function) giving the counts it needs.
RATE_SELECTORS = {
    "paid_online_pct": ("motcua.payments.selectors", "payment_channel_counts"),
    "digitised_pct": ("motcua.indicators.selectors", "document_counts"),
    "postal": ("motcua.postal.selectors", "postal_counts"),
}


def optional_function(module: str, name: str) -> Callable | None:
    """`module.name`, or None when the module does not exist (yet). An ImportError raised *inside*
    an existing module is a bug of that module and is not hidden."""
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name is not None and module.startswith(error.name):
            return None
        raise
    return getattr(loaded, name, None)


def app_functions(module_name: str, function_name: str) -> Iterator[tuple[str, Callable]]:
    """(app label, function) for every installed app that has `<app>.<module_name>.<function>`,
    in INSTALLED_APPS order; this app itself is left out."""
    for config in apps.get_app_configs():
        if config.name == "motcua.indicators":
            continue
        function = optional_function(f"{config.name}.{module_name}", function_name)
        if callable(function):
            yield config.label, function


def app_report_sections(date_from, date_to, unit_code=None) -> dict[str, dict]:
    """Every app's `report_sections` merged; a later app does not overwrite an earlier key."""
    sections: dict[str, dict] = {}
    for label, function in app_functions("indicators", "report_sections"):
        for key, section in (function(date_from, date_to, unit_code=unit_code) or {}).items():
            if key in sections:
                logger.warning(
                    "Phần «%s» của báo cáo đã có; bỏ qua bản của ứng dụng %s.", key, label
                )
                continue
            sections[key] = dict(section)
    return sections


def demo_loaders() -> list[tuple[str, Callable]]:
    return list(app_functions("demo", "load_demo"))

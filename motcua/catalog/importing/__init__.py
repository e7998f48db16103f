"""Reading and checking a catalogue file (docs/catalogue-format.md) before anything is written.

`load_document(source)` turns a JSON or XLSX file (or an already-parsed dict) into one document shape
(the JSON one) plus a `locate(path)` function that names where a value came from: sheet, row and
column for XLSX; procedure code, decision and JSON path for JSON. `check_document(doc, locate)` then
checks every rule against the format and the database and returns an `ImportPlan` holding only what
is new; every problem found is collected, so the user sees all of them at once. Nothing here writes.

The package splits along the file's seams: `format` (the format's constants and shapes), `sources`
(JSON and dispatch), `xlsx` (the XLSX reader) and `checks` (the rules and the plan). Callers import
from `motcua.catalog.importing`.
"""

from .checks import ImportPlan, check_document, existing_versions
from .format import (
    FORMAT,
    LIST_SEPARATOR,
    SHEETS,
    CatalogImportError,
    Document,
    channels_in_order,
    decimal_text,
)
from .sources import json_locator, load_document
from .xlsx import load_xlsx

__all__ = [
    "FORMAT",
    "LIST_SEPARATOR",
    "SHEETS",
    "CatalogImportError",
    "Document",
    "ImportPlan",
    "channels_in_order",
    "check_document",
    "decimal_text",
    "existing_versions",
    "json_locator",
    "load_document",
    "load_xlsx",
]

"""Reading and checking a catalogue file (docs/catalogue-format.md) before anything is written.

`catalogue_file_load(source)` turns a JSON or XLSX file (or an already-parsed dict) into one document shape
(the JSON one) plus a `locate(path)` function that names where a value came from: sheet, row and
column for XLSX; procedure code, decision and JSON path for JSON. `catalogue_file_check(doc, locate)` then
checks every rule against the format and the database and returns an `ImportPlan` holding only what
is new; every problem found is collected, so the user sees all of them at once. Nothing here writes.

The package splits along the file's seams: `format` (the format's constants and shapes), `sources`
(JSON and dispatch), `xlsx` (the XLSX reader) and `checks` (the rules and the plan). Callers import
from `motcua.catalog.importing`.
"""

from .checks import ImportPlan, catalogue_file_check, existing_versions
from .format import (
    FORMAT,
    LIST_SEPARATOR,
    SHEETS,
    CatalogImportError,
    CatalogueFile,
    channels_in_order,
    decimal_text,
)
from .sources import catalogue_file_load, json_locator
from .xlsx import load_xlsx

__all__ = [
    "FORMAT",
    "LIST_SEPARATOR",
    "SHEETS",
    "CatalogImportError",
    "CatalogueFile",
    "ImportPlan",
    "channels_in_order",
    "catalogue_file_check",
    "decimal_text",
    "existing_versions",
    "json_locator",
    "catalogue_file_load",
    "load_xlsx",
]

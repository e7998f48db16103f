"""Run as `python -m tests.backup.snapshot` against an installation: what a restore must give back,
as JSON — the row count of every table, a hash of every dossier's fields (with its components and
their files), and the SHA-256 of every file in the store, read from the store as a stream."""

import hashlib
import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from motcua.documents.storage import storage_chunks, storage_names  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402


def _row(instance) -> dict:
    return {
        field.attname: field.value_to_string(instance) for field in instance._meta.concrete_fields
    }


def dossier_hashes() -> dict[str, str]:
    hashes: dict[str, str] = {}
    if Dossier._meta.db_table not in connection.introspection.table_names():
        return hashes  # an empty database: nothing restored
    for dossier in Dossier.objects.order_by("pk"):
        parts = [_row(dossier)]
        for component in dossier.components.order_by("pk"):
            parts.append(_row(component))
            parts += [
                _row(f) | {"sha256": f.stored_file.sha256} for f in component.files.order_by("pk")
            ]
        parts += [_row(event) for event in dossier.events.order_by("pk")]
        hashes[dossier.code] = hashlib.sha256(
            json.dumps(parts, sort_keys=True).encode()
        ).hexdigest()
    return hashes


def table_counts() -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def file_hashes() -> dict[str, str]:
    hashes = {}
    for name in storage_names():
        digest = hashlib.sha256()
        for chunk in storage_chunks(name):
            digest.update(chunk)
        hashes[name] = digest.hexdigest()
    return hashes


if __name__ == "__main__":
    print(
        json.dumps({"tables": table_counts(), "dossiers": dossier_hashes(), "files": file_hashes()})
    )

"""The catalogue's revision: one number that changes whenever a procedure version, a procedure, a
field, a decision or a unit changes, so that each app process can keep the versions in force in
memory (selectors.version_in_force_shared) and read them again only after a change — one
single-row read per desk intake instead of a six-table join.

Bumped by database triggers (installed by migration catalog.0003), not by the services: an
administrator's edit, a catalogue import and an organisation change all write these tables. On
PostgreSQL the value comes from a sequence, which a rolled-back transaction does not give back, so
a process can never see an old number again after newer data.
"""

from __future__ import annotations

from django.db import connection

TABLES = (
    "catalog_procedureversion",
    "catalog_procedure",
    "catalog_field",
    "catalog_decision",
    "org_unit",
)
_ROW = "catalog_catalogrevision"
_SEQUENCE = "catalog_revision_seq"


def catalog_revision() -> int | None:
    """The current revision, or None when the row is missing (a database flushed since): then
    nothing may be kept, as no later write would be told apart from the data read now."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {_ROW} WHERE id = 1")
        found = cursor.fetchone()
    return found[0] if found else None


def _pg_statements() -> list[str]:
    statements = [
        f"CREATE SEQUENCE IF NOT EXISTS {_SEQUENCE}",
        f"INSERT INTO {_ROW} (id, value) VALUES (1, nextval('{_SEQUENCE}'))",
        # An upsert: a test database flushed between tests loses the row, not the triggers.
        "CREATE OR REPLACE FUNCTION motcua_catalog_revision_bump() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN INSERT INTO {_ROW} (id, value) "
        f"VALUES (1, nextval('{_SEQUENCE}')) ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value; "
        "RETURN NULL; END $$;",
    ]
    for table in TABLES:
        statements.append(
            f"CREATE TRIGGER motcua_catalog_revision AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION motcua_catalog_revision_bump();"
        )
    return statements


def _sqlite_statements() -> list[str]:
    statements = [f"INSERT INTO {_ROW} (id, value) VALUES (1, 1)"]
    bump = (
        f"INSERT INTO {_ROW} (id, value) VALUES (1, 1) "
        "ON CONFLICT (id) DO UPDATE SET value = value + 1;"
    )
    for table in TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = f"motcua_catalog_revision_{table}_{event.lower()}"
            statements.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {bump} END;")
    return statements


def triggers_install(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = _pg_statements() if vendor == "postgresql" else _sqlite_statements()
    for statement in statements:
        schema_editor.execute(statement)

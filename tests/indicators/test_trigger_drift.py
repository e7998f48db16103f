"""The triggers installed by the migrations are the triggers the current code would write (ADR 0016).

The migrations freeze their trigger SQL, so editing `rollup_triggers.py` (say, a column added to
DOSSIER_COLUMNS) changes nothing in an existing database: without a new migration, production would
keep the old triggers while the code says otherwise. This test reads what the test database holds
(built by the migrations) and compares it with what the current code generates; a difference means
"write a migration".

Both sides pass through the database's own catalogue (the code's statements are installed in a
savepoint, read back and rolled back), so PostgreSQL's rewriting of a definition
(pg_get_triggerdef, pg_get_functiondef) never shows as a difference.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction

from motcua.catalog import revision
from motcua.indicators import rollup_triggers

pytestmark = pytest.mark.django_db


# The installers of every trigger set the code defines, in migration order (looked up when
# called, so a test may replace a module's function).
def _installers():
    return (
        revision.triggers_install,
        rollup_triggers.triggers_install,
        rollup_triggers.step_triggers_install,
    )


class _Collector:
    """Stands in for a schema editor: keeps the statements instead of running them."""

    def __init__(self) -> None:
        self.connection = connection
        self.statements: list[str] = []

    def execute(self, statement: str) -> None:
        self.statements.append(statement)


def _normalised(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip().rstrip(";").strip()


def installed_definitions() -> dict[str, str]:
    """Every motcua trigger and trigger function in the database, by name, normalised."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT 'trigger ' || name, sql FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE 'motcua%'"
            )
        else:
            cursor.execute(
                "SELECT 'trigger ' || t.tgname || ' on ' || c.relname, pg_get_triggerdef(t.oid) "
                "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND t.tgname LIKE 'motcua%' "
                "UNION ALL "
                "SELECT 'function ' || p.proname, pg_get_functiondef(p.oid) "
                "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = current_schema() AND p.proname LIKE 'motcua%'"
            )
        return {name: _normalised(sql) for name, sql in cursor.fetchall()}


class _RollBack(Exception):
    pass


def generated_definitions() -> dict[str, str]:
    """What the database would hold had the current code installed the triggers: in a
    savepoint every motcua trigger is dropped, the code's statements run, the result is read
    back, then all of it rolled back."""
    found: dict[str, str] = {}
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            _drop_all(cursor)
            for install in _installers():
                for statement in _statements(install):
                    # Only the definitions: the catalogue's revision row is data, not a trigger.
                    if not statement.lstrip().upper().startswith("INSERT"):
                        cursor.execute(statement)
            found = installed_definitions()
            raise _RollBack
    except _RollBack:
        pass
    return found


def _drop_all(cursor) -> None:
    for name in installed_definitions():
        kind, rest = name.split(" ", 1)
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER {rest}")
        elif kind == "function":
            cursor.execute(f"DROP FUNCTION {rest}() CASCADE")


def _statements(step) -> list[str]:
    collector = _Collector()
    step(None, collector)
    return collector.statements


def trigger_drift() -> list[str]:
    """One line per trigger or function that differs between the database and the code."""
    installed, generated = installed_definitions(), generated_definitions()
    drift = []
    for name in sorted(installed.keys() | generated.keys()):
        if name not in generated:
            drift.append(f"{name}: in the database, no longer in the code")
        elif name not in installed:
            drift.append(f"{name}: in the code, not in the database")
        elif installed[name] != generated[name]:
            drift.append(
                f"{name}: differs\n  database: {installed[name]}\n  code:     {generated[name]}"
            )
    return drift


def _assert_no_drift() -> None:
    drift = trigger_drift()
    assert not drift, (
        "The triggers the code generates differ from those the migrations installed; "
        "write a migration that installs the new SQL (frozen in it, see ADR 0016):\n"
        + "\n".join(drift)
    )


def test_installed_triggers_are_what_the_code_generates():
    installed = installed_definitions()
    # The three sets are there (catalogue revision, dossier rollup, step rollup).
    assert any(name.startswith("trigger motcua_catalog_revision") for name in installed)
    assert any(name.startswith("trigger motcua_rollup_dossier_update") for name in installed)
    assert any(name.startswith("trigger motcua_steprollup_step_update") for name in installed)
    _assert_no_drift()


def test_a_column_added_without_a_migration_is_caught(monkeypatch):
    monkeypatch.setattr(
        rollup_triggers, "DOSSIER_COLUMNS", (*rollup_triggers.DOSSIER_COLUMNS, "status")
    )
    drift = trigger_drift()
    assert any("motcua_rollup_dossier_update" in line for line in drift), drift
    with pytest.raises(AssertionError, match="write a migration"):
        _assert_no_drift()


def test_a_trigger_removed_from_the_code_is_caught(monkeypatch):
    monkeypatch.setattr(rollup_triggers, "_STEP_TRIGGERS", rollup_triggers._STEP_TRIGGERS[:-1])
    monkeypatch.setattr(
        rollup_triggers, "_sqlite_step_statements", lambda: _without_last(_sqlite_step_statements)
    )
    monkeypatch.setattr(
        rollup_triggers, "_pg_step_statements", lambda: _without_last(_pg_step_statements, 2)
    )
    drift = trigger_drift()
    assert any("motcua_steprollup_dossier_update: in the database" in line for line in drift)


_sqlite_step_statements = rollup_triggers._sqlite_step_statements
_pg_step_statements = rollup_triggers._pg_step_statements


def _without_last(statements, count: int = 1) -> list[str]:
    return statements()[:-count]


def test_the_installed_triggers_are_left_as_they_were():
    before = installed_definitions()
    generated_definitions()
    assert installed_definitions() == before

"""The database triggers that mark a reception day dirty whenever a dossier fact the rollup counts
changes (ADR 0015). In the database, not in Python: the bulk import, `QuerySet.update()` callers,
COPY and raw SQL write dossiers too, and a mark missed on any of them would make the report drift.

PostgreSQL: statement-level triggers with transition tables, so a COPY of a million dossiers adds
one mark per distinct day, not a million. SQLite: row-level triggers (one writer at a time; the
demo's 22.128 dossiers add 22.128 small rows, consumed by the first refresh).

Migrations indicators.0002 and 0003 install the SQL these functions generated, frozen inside them
(ADR 0016): a change here changes no database until a new migration installs it, and
tests/indicators/test_trigger_drift.py fails ("write a migration") until one does. The local day
is computed as selectors.LocalDate does.
"""

from __future__ import annotations

from django.conf import settings

MARKS = "indicators_rollupdirtyday"

# Dossier columns a rollup row depends on (DossierRollup's key and the grade's inputs).
DOSSIER_COLUMNS = (
    "received_at",
    "receiving_unit_id",
    "procedure_version_id",
    "channel",
    "return_channel",
    "finished_at",
    "returned_at",
    "due_at",
    "supplement_requests",
)

# (table, how a changed row reaches its dossier's reception instant) for the tables whose rows
# change the documents figures: components (digitised = every component has a file), their files
# (digitised, reused) and the signed electronic results.
_DOSSIER_OF = {
    "dossiers_dossiercomponent": (
        "JOIN dossiers_dossier d ON d.id = r.dossier_id",
        ("INSERT", "DELETE"),
    ),
    "documents_componentfile": (
        "JOIN dossiers_dossiercomponent c ON c.id = r.component_id "
        "JOIN dossiers_dossier d ON d.id = c.dossier_id",
        ("INSERT", "UPDATE", "DELETE"),
    ),
    "documents_issueddocument": (
        "JOIN dossiers_dossier d ON d.id = r.dossier_id",
        ("INSERT", "UPDATE", "DELETE"),
    ),
}


def _zone() -> str:
    return settings.TIME_ZONE


def _sqlite_offset() -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    minutes = int(datetime.now(ZoneInfo(_zone())).utcoffset().total_seconds() // 60)
    return f"{minutes:+d} minutes"


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_day(column: str) -> str:
    return f"({column} AT TIME ZONE '{_zone()}')::date"


def _pg_function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{body} RETURN NULL; END $$;"
    )


def _pg_trigger(name: str, table: str, event: str) -> str:
    referencing = {
        "INSERT": "NEW TABLE AS new_rows",
        "DELETE": "OLD TABLE AS old_rows",
        "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    }[event]
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();"
    )


def _pg_statements() -> list[str]:
    statements = []
    day = _pg_day("received_at")
    for event, rows in (("INSERT", "new_rows"), ("DELETE", "old_rows")):
        name = f"motcua_rollup_dossier_{event.lower()}"
        body = (
            f"INSERT INTO {MARKS} (day) SELECT DISTINCT {day} FROM {rows} "
            "WHERE received_at IS NOT NULL;"
        )
        statements += [_pg_function(name, body), _pg_trigger(name, "dossiers_dossier", event)]
    old = ", ".join(f"o.{c}" for c in DOSSIER_COLUMNS)
    new = ", ".join(f"n.{c}" for c in DOSSIER_COLUMNS)
    name = "motcua_rollup_dossier_update"
    body = (
        f"INSERT INTO {MARKS} (day) SELECT DISTINCT {_pg_day('at')} FROM old_rows o "
        "JOIN new_rows n ON n.id = o.id "
        "CROSS JOIN LATERAL (VALUES (o.received_at), (n.received_at)) AS v(at) "
        f"WHERE ({old}) IS DISTINCT FROM ({new}) AND at IS NOT NULL;"
    )
    statements += [_pg_function(name, body), _pg_trigger(name, "dossiers_dossier", "UPDATE")]
    for table, (join, events) in _DOSSIER_OF.items():
        for event in events:
            name = f"motcua_rollup_{table.split('_', 1)[1]}_{event.lower()}"
            sources = {"INSERT": ["new_rows"], "DELETE": ["old_rows"]}.get(
                event, ["old_rows", "new_rows"]
            )
            selects = " UNION ".join(
                f"SELECT {_pg_day('d.received_at')} AS day FROM {rows} r {join} "
                "WHERE d.received_at IS NOT NULL"
                for rows in sources
            )
            body = f"INSERT INTO {MARKS} (day) SELECT DISTINCT day FROM ({selects}) AS days;"
            statements += [_pg_function(name, body), _pg_trigger(name, table, event)]
    return statements


def _pg_trigger_names() -> list[tuple[str, str]]:
    names = [(f"motcua_rollup_dossier_{e}", "dossiers_dossier") for e in ("insert", "delete")]
    names.append(("motcua_rollup_dossier_update", "dossiers_dossier"))
    for table, (_join, events) in _DOSSIER_OF.items():
        names += [(f"motcua_rollup_{table.split('_', 1)[1]}_{e.lower()}", table) for e in events]
    return names


# --- SQLite -------------------------------------------------------------------------------------


def _sqlite_day(column: str) -> str:
    return f"date({column}, '{_sqlite_offset()}')"


def _sqlite_statements() -> list[str]:
    mark = f"INSERT INTO {MARKS} (day)"
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in DOSSIER_COLUMNS)
    statements = [
        f"CREATE TRIGGER motcua_rollup_dossier_insert AFTER INSERT ON dossiers_dossier "
        f"WHEN NEW.received_at IS NOT NULL BEGIN {mark} VALUES ({_sqlite_day('NEW.received_at')}); "
        "END;",
        f"CREATE TRIGGER motcua_rollup_dossier_delete AFTER DELETE ON dossiers_dossier "
        f"WHEN OLD.received_at IS NOT NULL BEGIN {mark} VALUES ({_sqlite_day('OLD.received_at')}); "
        "END;",
        f"CREATE TRIGGER motcua_rollup_dossier_update AFTER UPDATE ON dossiers_dossier "
        f"WHEN {changed} BEGIN "
        f"{mark} SELECT {_sqlite_day('OLD.received_at')} WHERE OLD.received_at IS NOT NULL; "
        f"{mark} SELECT {_sqlite_day('NEW.received_at')} WHERE NEW.received_at IS NOT NULL "
        "AND NEW.received_at IS NOT OLD.received_at; END;",
    ]
    for table, (join, events) in _DOSSIER_OF.items():
        for event in events:
            name = f"motcua_rollup_{table.split('_', 1)[1]}_{event.lower()}"
            rows = {"INSERT": ["NEW"], "DELETE": ["OLD"]}.get(event, ["OLD", "NEW"])
            marks = " ".join(
                f"{mark} SELECT {_sqlite_day('d.received_at')} FROM (SELECT "
                + ", ".join(f"{row}.{c} AS {c}" for c in _row_columns(table))
                + f") r {join} WHERE d.received_at IS NOT NULL;"
                for row in rows
            )
            statements.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {marks} END;")
    return statements


def _row_columns(table: str) -> tuple[str, ...]:
    return ("component_id",) if table == "documents_componentfile" else ("dossier_id",)


# --- install / drop -----------------------------------------------------------------------------


def triggers_install(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = _pg_statements()
    elif vendor == "sqlite":
        statements = _sqlite_statements()
    else:  # pragma: no cover - the project supports these two (ARCHITECTURE.md)
        raise NotImplementedError(f"rollup triggers for {vendor}")
    for statement in statements:
        schema_editor.execute(statement)


# --- the step rollup: finish days of internal process steps ------------------------------------

STEP_MARKS = "indicators_steprollupdirtyday"
STEP_COLUMNS = ("dossier_id", "assignee_id", "due_at", "finished_at")
# The dossier's columns a step row is keyed by (StepRollup): their change re-marks its steps' days.
STEP_DOSSIER_COLUMNS = ("receiving_unit_id", "procedure_version_id", "channel")


def _pg_step_statements() -> list[str]:
    statements = []
    day = _pg_day("finished_at")
    for event, rows in (("INSERT", "new_rows"), ("DELETE", "old_rows")):
        name = f"motcua_steprollup_step_{event.lower()}"
        body = (
            f"INSERT INTO {STEP_MARKS} (day) SELECT DISTINCT {day} FROM {rows} "
            "WHERE finished_at IS NOT NULL;"
        )
        statements += [_pg_function(name, body), _pg_trigger(name, "dossiers_dossierstep", event)]
    old = ", ".join(f"o.{c}" for c in STEP_COLUMNS)
    new = ", ".join(f"n.{c}" for c in STEP_COLUMNS)
    name = "motcua_steprollup_step_update"
    body = (
        f"INSERT INTO {STEP_MARKS} (day) SELECT DISTINCT {_pg_day('at')} FROM old_rows o "
        "JOIN new_rows n ON n.id = o.id "
        "CROSS JOIN LATERAL (VALUES (o.finished_at), (n.finished_at)) AS v(at) "
        f"WHERE ({old}) IS DISTINCT FROM ({new}) AND at IS NOT NULL;"
    )
    statements += [_pg_function(name, body), _pg_trigger(name, "dossiers_dossierstep", "UPDATE")]
    old = ", ".join(f"o.{c}" for c in STEP_DOSSIER_COLUMNS)
    new = ", ".join(f"n.{c}" for c in STEP_DOSSIER_COLUMNS)
    name = "motcua_steprollup_dossier_update"
    body = (
        f"INSERT INTO {STEP_MARKS} (day) SELECT DISTINCT {_pg_day('s.finished_at')} "
        "FROM old_rows o JOIN new_rows n ON n.id = o.id "
        "JOIN dossiers_dossierstep s ON s.dossier_id = n.id "
        f"WHERE ({old}) IS DISTINCT FROM ({new}) AND s.finished_at IS NOT NULL;"
    )
    statements += [_pg_function(name, body), _pg_trigger(name, "dossiers_dossier", "UPDATE")]
    return statements


def _sqlite_step_statements() -> list[str]:
    mark = f"INSERT INTO {STEP_MARKS} (day)"
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in STEP_COLUMNS)
    dossier_changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in STEP_DOSSIER_COLUMNS)
    return [
        "CREATE TRIGGER motcua_steprollup_step_insert AFTER INSERT ON dossiers_dossierstep "
        f"WHEN NEW.finished_at IS NOT NULL BEGIN {mark} "
        f"VALUES ({_sqlite_day('NEW.finished_at')}); END;",
        "CREATE TRIGGER motcua_steprollup_step_delete AFTER DELETE ON dossiers_dossierstep "
        f"WHEN OLD.finished_at IS NOT NULL BEGIN {mark} "
        f"VALUES ({_sqlite_day('OLD.finished_at')}); END;",
        "CREATE TRIGGER motcua_steprollup_step_update AFTER UPDATE ON dossiers_dossierstep "
        f"WHEN {changed} BEGIN "
        f"{mark} SELECT {_sqlite_day('OLD.finished_at')} WHERE OLD.finished_at IS NOT NULL; "
        f"{mark} SELECT {_sqlite_day('NEW.finished_at')} WHERE NEW.finished_at IS NOT NULL "
        "AND NEW.finished_at IS NOT OLD.finished_at; END;",
        "CREATE TRIGGER motcua_steprollup_dossier_update AFTER UPDATE ON dossiers_dossier "
        f"WHEN {dossier_changed} BEGIN {mark} SELECT {_sqlite_day('s.finished_at')} "
        "FROM dossiers_dossierstep s WHERE s.dossier_id = NEW.id AND s.finished_at IS NOT NULL; "
        "END;",
    ]


_STEP_TRIGGERS = [
    ("motcua_steprollup_step_insert", "dossiers_dossierstep"),
    ("motcua_steprollup_step_delete", "dossiers_dossierstep"),
    ("motcua_steprollup_step_update", "dossiers_dossierstep"),
    ("motcua_steprollup_dossier_update", "dossiers_dossier"),
]


def step_triggers_install(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = _pg_step_statements() if vendor == "postgresql" else _sqlite_step_statements()
    for statement in statements:
        schema_editor.execute(statement)

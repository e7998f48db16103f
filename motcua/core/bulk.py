"""The one bulk writer (ADR 0016) for the paths that add thousands of rows at once: the dossier
import, bank statements, histories of payments and of attached files.

PostgreSQL: COPY — compiling bulk_create's parameters is most of an import's time
(docs/BENCHMARKS.md C5); COPY writes the same columns with the same values, in the caller's
transaction, and fires the same triggers. Elsewhere (SQLite, one writer at a time): batched INSERTs.
Both only add rows, so append-only models stay append-only.

    rows_insert(model, columns, rows)       values already in database form (no model instances)
    objects_insert(model, objects)          model instances, prepared as save() would; with
                                            ids_needed each gets its id, as bulk_create gives
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, connections, models

INSERT_BATCH = 200  # rows per multi-row INSERT: SQLite's default limit of 999 parameters and more
OBJECTS_BATCH = 2000  # objects per bulk_create statement


def rows_insert(model, columns: list[str], rows: Sequence[Sequence], *, batch: int = INSERT_BATCH):
    """Insert `rows` (one value per field name in `columns`, in database form) into `model`."""
    if not rows:
        return
    names = [model._meta.get_field(c).column for c in columns]
    if connection.vendor == "postgresql":
        _copy(model, names, rows)
        return
    quote = connection.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, names))}) "
                f"VALUES {', '.join([one] * len(chunk))}",
                [value for row in chunk for value in row],
            )


def objects_insert(model, objects: list, *, ids_needed: bool = False) -> list:
    """Insert `objects` of `model` (auto_now_add and related objects handled as bulk_create does);
    with `ids_needed` each object gets its id. Returns the objects."""
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objects, batch_size=OBJECTS_BATCH)
    for obj in objects:  # a related object saved since it was assigned gives its id now
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    fields = [f for f in model._meta.concrete_fields if ids_needed or not f.primary_key]
    if ids_needed:
        for obj, pk in zip(objects, _ids_reserve(model, len(objects)), strict=True):
            obj.pk = pk
    database = connections[connection.alias]  # not the proxy: it costs a lookup per value
    prepared = [(f.pre_save, _copy_prep(f)) for f in fields]
    _copy(
        model,
        [f.column for f in fields],
        ([prep(pre_save(obj, True), database) for pre_save, prep in prepared] for obj in objects),
    )
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


def _copy(model, columns: list[str], rows: Iterable[Sequence]) -> None:
    quote = connection.ops.quote_name
    statement = f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) FROM STDIN"
    database = connections[connection.alias]
    # Django's error wrapper, so that a row stored meanwhile is the IntegrityError an INSERT
    # would raise (the dossier import reports it).
    with (
        database.cursor() as cursor,
        database.wrap_database_errors,
        cursor.cursor.copy(statement) as copy,
    ):
        for row in rows:
            copy.write_row(row)


# Fields whose get_db_prep_save gives PostgreSQL the value it was given (aware datetimes, dates,
# numbers, texts, booleans, ids): COPY takes the value as it is. Skipping the call for them halves
# the cost of writing a row; any other field (JSON, decimal, …) is prepared as Django would.
_PASSED_AS_IS = (models.CharField, models.TextField, models.BooleanField, models.IntegerField)


def _copy_prep(field):
    if isinstance(field, models.ForeignKey):
        return _copy_prep(field.target_field)
    if isinstance(field, _PASSED_AS_IS) or type(field) is models.DateField:
        return _as_is
    if type(field) is models.DateTimeField:
        return lambda value, database: (
            value
            if value is None or value.tzinfo is not None
            else field.get_db_prep_save(value, database)  # naive: made aware, with a warning
        )
    return field.get_db_prep_save


def _as_is(value, _database):
    return value


def _ids_reserve(model, count: int) -> list[int]:
    """`count` ids from the table's own sequence, in one statement (COPY returns none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]

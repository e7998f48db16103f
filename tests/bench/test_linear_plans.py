"""Set-based writes stay linear on an empty table (issue [P] 1).

`make bench SCALE=1m` once never finished: the data set's steps were inserted `WHERE NOT EXISTS
(SELECT … FROM dossiers_dossierstep …)`, and on that table, empty and analysed, PostgreSQL planned a
nested loop whose inner side was a sequential scan of the table being filled — each of a million
probes read every row written so far. Two guards:

- every SQL text of the product and the bench is read, and an insert that anti-joins its own target
  is refused wherever it appears (a second path cannot slip in);
- the set-based writes that read big tables are EXPLAINed on empty, analysed tables, and no nested
  loop may scan a table that grows with the dossiers on its inner side.
"""

import json
import re
from pathlib import Path

import pytest
from django.db import connection

from bench import data

ROOT = Path(__file__).resolve().parents[2]
# The tables that grow with the number of dossiers: a nested loop over a sequential scan of one of
# them is quadratic in the province's size.
GROWING = re.compile(r"^(dossiers_|payments_|postal_|documents_|feedback_|indicators_)")


def _sql_texts(path: Path) -> list[str]:
    """The triple-quoted and plain string literals of a source file that look like SQL."""
    text = path.read_text(encoding="utf-8")
    literals = re.findall(r'"""(.*?)"""', text, flags=re.S) + re.findall(r'"([^"\n]{20,})"', text)
    return [literal for literal in literals if re.search(r"\bINSERT\s+INTO\b", literal, re.I)]


def _self_anti_join(sql: str) -> str | None:
    """The target of `INSERT INTO t … NOT EXISTS (SELECT … FROM t …)`, if the statement is one."""
    target = re.search(r"\bINSERT\s+INTO\s+([\w.]+)", sql, re.I)
    if not target:
        return None
    pattern = rf"NOT\s+EXISTS\s*\(\s*SELECT[^()]*?\bFROM\s+{re.escape(target.group(1))}\b"
    return target.group(1) if re.search(pattern, sql, re.I | re.S) else None


OLD_STEPS_SQL = """
INSERT INTO dossiers_dossierstep (dossier_id, "order", name, role, budget_hours)
SELECT d.id, 1, 'Tiếp nhận', 'desk_officer', 4 FROM dossiers_dossier d
WHERE NOT EXISTS (SELECT 1 FROM dossiers_dossierstep x WHERE x.dossier_id = d.id)
"""


def test_the_source_scan_finds_an_insert_that_anti_joins_its_own_target():
    assert _self_anti_join(OLD_STEPS_SQL) == "dossiers_dossierstep"
    assert _self_anti_join(data.STEPS_SQL) is None


def test_no_insert_in_the_product_or_the_bench_anti_joins_the_table_it_fills():
    found = [
        f"{path.relative_to(ROOT)}: INSERT INTO {target} … NOT EXISTS (… FROM {target} …)"
        for folder in ("motcua", "bench")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for sql in _sql_texts(path)
        if (target := _self_anti_join(sql))
    ]
    assert found == []


# --- the plans ------------------------------------------------------------------------------------


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _scanned_below(plan: dict, tables: re.Pattern) -> list[str]:
    """The tables read by a sequential scan under `plan`, not through a hash (built once)."""
    if plan["Node Type"] == "Hash":
        return []
    found = []
    if plan["Node Type"] == "Seq Scan" and tables.match(plan.get("Relation Name", "")):
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found += _scanned_below(child, tables)
    return found


def quadratic_loops(plan: dict, tables: re.Pattern = GROWING) -> list[str]:
    """Each nested loop whose inner side sequentially scans one of `tables`: re-read per outer
    row. For a write, the table it fills is the one that must never be there: it grows while the
    statement runs, whatever the statistics said when it was planned."""
    found = []
    for node in _nodes(plan):
        if node["Node Type"] == "Nested Loop" and len(node.get("Plans", [])) == 2:
            found += _scanned_below(node["Plans"][1], tables)
    return found


def _only(table: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(table)}$")


def _plan(sql: str, params=None) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        found = cursor.fetchone()[0]
    return (json.loads(found) if isinstance(found, str) else found)[0]["Plan"]


def _analyse_empty(*tables: str) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")


postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the plans are PostgreSQL's (the CI's second run)"
)
STEP_OFFICERS = {"desk": 1, "specialist": 2, "head": 3}  # EXPLAIN checks no key


@postgresql
@pytest.mark.django_db
def test_the_old_steps_insert_is_seen_as_a_nested_loop_over_its_own_target():
    _analyse_empty("dossiers_dossier", "dossiers_dossierstep")
    assert quadratic_loops(_plan(OLD_STEPS_SQL), _only("dossiers_dossierstep")) == [
        "dossiers_dossierstep"
    ]


@postgresql
@pytest.mark.django_db
def test_the_bench_steps_are_written_without_rereading_the_table_being_filled():
    _analyse_empty("dossiers_dossier", "dossiers_dossierstep")
    with connection.cursor() as cursor:
        cursor.execute(data.STEPS_TODO_SQL)
        cursor.execute("ANALYZE bench_steps_todo")
    # The list of dossiers without steps is read before the first step is written.
    plan = _plan(data.STEPS_SQL, STEP_OFFICERS)
    assert quadratic_loops(plan, _only("dossiers_dossierstep")) == []


@postgresql
@pytest.mark.django_db
def test_the_contact_backfill_reads_each_person_by_key():
    from importlib import import_module

    migration = import_module("motcua.dossiers.migrations.0009_f_applicant_changes_dossier_contact")
    _analyse_empty("dossiers_dossier", "dossiers_applicant")
    assert quadratic_loops(_plan(migration.COPY_CONTACTS)) == []
    assert quadratic_loops(_plan(migration.COPY_CONTACTS), _only("dossiers_dossier")) == []


def _set_based_writes(queries) -> list[tuple[str, str]]:
    """(target, SQL) of each captured write that reads rows to decide what it writes."""
    found = []
    for query in queries:
        sql = query["sql"]
        target = re.match(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', sql, re.I)
        if target and re.search(r"\bSELECT\b", sql, re.I):
            found.append((target.group(1), sql))
    return found


@postgresql
@pytest.mark.django_db
def test_the_import_and_the_rollup_rebuild_never_reread_a_table_they_fill(desk, tmp_path):
    """Every write the import and the rollup rebuild send, planned on empty analysed tables:
    none loops over a sequential scan of its own target (both write from rows computed first:
    COPY, bulk inserts, deletes by key)."""
    from django.test.utils import CaptureQueriesContext

    from motcua.indicators.rollup import rollup_refresh
    from tests.dossiers.test_import_copy import _import

    _analyse_empty(
        "dossiers_dossier", "dossiers_dossierevent", "dossiers_dossierstep", "dossiers_applicant"
    )
    with CaptureQueriesContext(connection) as captured:
        _import(desk, tmp_path)
        rollup_refresh()
    writes = _set_based_writes(captured.captured_queries)
    for target, sql in writes:
        assert quadratic_loops(_plan(sql), _only(target)) == [], sql

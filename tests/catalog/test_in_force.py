"""The version in force at an instant, across announce → amend → replace → repeal; one query each."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.catalog import selectors
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.services import catalog_import

from .factories import SO, history_document

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def history(units):
    catalog_import(None, history_document())


def _decision(code, at):
    version = selectors.version_in_force(code, at)
    return version.decision.number if version else None


@pytest.mark.parametrize(
    "at, old, new",
    [
        (date(2022, 12, 31), None, None),  # before the first announcement
        (date(2023, 1, 1), "1/QĐ-UBND", None),  # the day it takes effect
        (date(2023, 12, 31), "1/QĐ-UBND", None),
        (date(2024, 1, 1), "2/QĐ-UBND", None),  # amended
        (date(2025, 6, 30), "2/QĐ-UBND", None),
        (date(2025, 7, 1), None, "3/QĐ-UBND"),  # replaced by the new code
        (date(2025, 12, 31), None, "3/QĐ-UBND"),
        (date(2026, 1, 1), None, None),  # repealed
        (date(2030, 1, 1), None, None),
    ],
)
def test_version_in_force_on_each_day(history, at, old, new):
    assert (_decision("2.001417", at), _decision("3.000333", at)) == (old, new)


def test_an_instant_counts_in_vietnam_time(history):
    # 30/06/2025 17:30 UTC is already 1/7/2025 00:30 in Hà Tĩnh: the replacement is in force.
    utc = datetime(2025, 6, 30, 17, 30, tzinfo=ZoneInfo("UTC"))
    assert _decision("2.001417", utc) is None
    assert _decision("3.000333", utc) == "3/QĐ-UBND"
    assert _decision("2.001417", datetime(2025, 6, 30, 23, 59, tzinfo=HCM)) == "2/QĐ-UBND"


def test_whole_catalogue_in_force(history):
    def codes(at, **kw):
        return [v.procedure.code for v in selectors.versions_in_force(at, **kw)]

    assert codes(date(2023, 3, 1)) == ["2.000977", "2.001417"]
    assert codes(date(2023, 6, 1)) == ["2.000977", "2.001417", "LOCAL-STP-091"]
    assert codes(date(2025, 7, 1)) == ["2.000977", "3.000333", "LOCAL-STP-091"]
    assert codes(date(2026, 1, 1)) == ["2.000977", "LOCAL-STP-091"]
    # The Sở's subtree: it decides 2.001417, receives the internal one, and its legal aid centre
    # decides 2.000977; the police's 3.000333 is not the Sở's.
    assert codes(date(2025, 7, 1), agency=SO) == ["2.000977", "LOCAL-STP-091"]


def test_effective_until_chains_the_versions(history):
    chain = list(
        ProcedureVersion.objects.filter(procedure__code="2.001417")
        .order_by("effective_from")
        .values_list("effective_from", "effective_until")
    )
    assert chain == [
        (date(2023, 1, 1), date(2024, 1, 1)),
        (date(2024, 1, 1), date(2025, 7, 1)),
        (date(2025, 7, 1), None),
    ]


def test_in_force_is_one_query(history, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert selectors.version_in_force("2.001417", date(2024, 5, 1)).name.endswith("(sửa đổi)")
    with django_assert_num_queries(1):
        versions = list(selectors.versions_in_force(date(2024, 5, 1)))
        assert [v.receiving_unit.code for v in versions]  # related rows come with the query


def test_in_force_query_uses_the_date_range_index(history):
    from django.db import connection

    sql, params = selectors.versions_in_force(date(2024, 5, 1)).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
        else:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            cursor.execute("SET enable_seqscan = on")
    assert "version_in_force_idx" in plan or "version_proc_from_idx" in plan, plan


def test_search_ignores_accents_and_case_and_matches_codes(history):
    at = date(2023, 3, 1)
    assert [v.procedure.code for v in selectors.procedures_search("ly lich tu phap", at)] == [
        "2.001417"
    ]
    assert [v.procedure.code for v in selectors.procedures_search("LÝ LỊCH", at)] == ["2.001417"]
    assert [v.procedure.code for v in selectors.procedures_search("tro giup", at)] == ["2.000977"]
    assert [v.procedure.code for v in selectors.procedures_search("2.0014", at)] == ["2.001417"]
    assert list(selectors.procedures_search("không có thủ tục này", at)) == []
    # Only versions in force: the old procedure's name is not found once it is replaced.
    found = selectors.procedures_search("cong dan", date(2025, 8, 1))
    assert [v.procedure.code for v in found] == ["3.000333"]


def test_unknown_agency_is_reported(history):
    with pytest.raises(selectors.UnknownAgency, match="000.99.99.H27"):
        list(selectors.versions_in_force(date(2024, 1, 1), agency="000.99.99.H27"))


def test_summary_counts_from_the_selectors(history):
    summary = selectors.catalog_summary(date(2023, 6, 1), agency=SO)
    assert summary.public == 2
    assert summary.internal == 1
    assert summary.postal_intake == 1
    assert summary.by_level == {"toan_trinh": 0, "mot_phan": 1, "none": 1}
    assert [(code, n) for code, _, n in summary.by_receiving_unit] == [
        ("000.00.40.H27", 1),
        ("000.06.12.H27", 1),
    ]

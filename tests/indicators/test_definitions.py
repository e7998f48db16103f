"""The dossier figures under the issue's definitions, edge by edge, on dossiers imported through
`motcua dossiers import` (the reviewers' path). Period: 01/04/2024–30/04/2024 (local days)."""

from datetime import date

import pytest

from motcua.indicators.rollup import rollup_refresh
from motcua.indicators.scope import scope_build
from motcua.indicators.selectors import (
    dossier_counts,
    dossier_counts_by,
    dossier_counts_raw,
    dossier_rates,
    rate,
)

from .helpers import import_rows, row

FROM, TO = date(2024, 4, 1), date(2024, 4, 30)


def counts(**filters):
    """The figures counted from the dossiers (their days just marked dirty by the import), then
    from the rollup rows after a refresh: every definition below is checked on both paths."""
    scope = scope_build(FROM, TO, **filters)
    from_dossiers = dossier_counts(scope)
    rollup_refresh()
    assert dossier_counts(scope) == from_dossiers == dossier_counts_raw(scope)
    return from_dossiers


@pytest.fixture
def base(desk):
    return desk


def test_exactly_at_due_instant_is_on_time(base):
    import_rows([row("2024-04-10 09:00", due="2024-04-24 09:00", finished="2024-04-24 09:00")])
    c = counts()
    assert (c["resolved_early"], c["resolved_on_time"], c["resolved_late"]) == (0, 1, 0)


def test_on_due_date_after_due_instant_is_late(base):
    import_rows([row("2024-04-10 09:00", due="2024-04-24 09:00", finished="2024-04-24 09:01")])
    c = counts()
    assert (c["resolved_early"], c["resolved_on_time"], c["resolved_late"]) == (0, 0, 1)


def test_day_before_due_date_is_early_even_late_in_the_evening(base):
    import_rows([row("2024-04-10 09:00", due="2024-04-24 08:00", finished="2024-04-23 23:59")])
    c = counts()
    assert (c["resolved_early"], c["resolved_on_time"], c["resolved_late"]) == (1, 0, 0)


def test_due_day_is_the_local_day_not_utc(base):
    # 23/04 17:30 UTC is 24/04 00:30 in Hà Nội: the due day, so on time, not early.
    import_rows([row("2024-04-10 09:00", due="2024-04-24 08:00", finished="2024-04-23T17:30:00Z")])
    c = counts()
    assert (c["resolved_early"], c["resolved_on_time"]) == (0, 1)


def test_two_supplement_requests_make_late_one_does_not(base):
    import_rows(
        [
            row(
                "2024-04-10 09:00",
                due="2024-04-24 09:00",
                finished="2024-04-12 10:00",
                supplements=2,
            ),
            row(
                "2024-04-10 09:00",
                due="2024-04-24 09:00",
                finished="2024-04-12 10:00",
                supplements=1,
            ),
        ]
    )
    c = counts()
    assert (c["resolved_early"], c["resolved_on_time"], c["resolved_late"]) == (1, 0, 1)


def test_reception_boundaries_at_local_midnight(base):
    import_rows(
        [
            row("2024-03-31T17:00:00Z"),  # 01/04 00:00 local: inside
            row("2024-03-31T16:59:59Z"),  # 31/03 23:59:59 local: before
            row("2024-04-30 23:59:59"),  # last second of the period: inside
            row("2024-04-30T17:00:00Z"),  # 01/05 00:00 local: after
        ]
    )
    c = counts()
    assert c["received"] == 2 and c["in_progress"] == 2


def test_received_before_the_period_is_not_counted_even_if_finished_in_it(base):
    import_rows(
        [row("2024-03-28 09:00", due="2024-04-11 09:00", finished="2024-04-05 10:00",
             returned="2024-04-05 11:00", return_channel="post")]
    )  # fmt: skip
    c = counts()
    assert c == {key: 0 for key in c}


def test_finished_after_the_period_is_in_progress(base):
    import_rows(
        [
            row("2024-04-25 09:00", due="2024-05-10 09:00", finished="2024-05-01 00:00"),
            row("2024-04-25 09:00", due="2024-05-10 09:00", finished="2024-04-30 23:59"),
        ]
    )
    c = counts()
    assert (c["received"], c["resolved"], c["in_progress"]) == (2, 1, 1)


def test_channels_post_return_and_rates(base):
    import_rows(
        [
            row("2024-04-02 09:00", channel="online", due="2024-04-16 09:00",
                finished="2024-04-10 09:00", returned="2024-04-10 10:00", return_channel="online"),
            row("2024-04-02 09:00", channel="post", due="2024-04-16 09:00",
                finished="2024-04-10 09:00", returned="2024-04-11 10:00", return_channel="post"),
            row("2024-04-02 09:00", channel="desk", due="2024-04-16 09:00",
                finished="2024-04-16 08:00", return_channel="post"),
            row("2024-04-29 09:00", channel="desk", due="2024-05-14 09:00", return_channel="post"),
        ]
    )  # fmt: skip
    c = counts()
    assert c["received"] == 4
    assert (c["received_online"], c["received_post"], c["received_desk"]) == (1, 1, 2)
    assert c["resolved"] == 3 and c["in_progress"] == 1
    assert c["returned_post"] == 2  # the open one's return channel does not count
    r = dossier_rates(c)
    assert r["online_pct"] == 25.0
    assert r["post_intake_pct"] == 33.3  # 1 / (4 − 1)
    assert r["post_return_pct"] == 66.7
    assert r["on_time_pct"] == 100.0


def test_resolved_without_appointment_is_ungraded(base):
    import_rows([row("2024-04-02 09:00", finished="2024-04-03 09:00")])
    c = counts()
    assert c["resolved"] == 1 and c["resolved_ungraded"] == 1
    assert dossier_rates(c)["on_time_pct"] == 0.0


def test_withdrawn_dossier_is_finished(base):
    import_rows(
        [row("2024-04-02 09:00", due="2024-04-16 09:00", finished="2024-04-03 09:00", status="7")]
    )
    assert counts()["resolved"] == 1


def test_filters_channel_and_unknown_codes(base):
    import_rows([row("2024-04-02 09:00", channel="online"), row("2024-04-02 09:00")])
    assert counts(channel="online")["received"] == 1
    assert counts(procedure_code="2.001417")["received"] == 2
    assert counts(unit_code="000.00.12.H27")["received"] == 2  # the Sở decides the procedure


def test_rate_rounding_half_up_and_empty():
    assert rate(2512, 22128 - 1937) == 12.4  # the seed prints 12,5: compute, never copy
    assert rate(9740, 21241) == 45.9
    assert rate(1, 8) == 12.5
    assert rate(1, 0) is None


def test_grouped_figures_add_up_to_the_period_figures(base):
    import_rows(
        [
            row("2024-04-02 09:00", channel="online", due="2024-04-16 09:00",
                finished="2024-04-10 09:00", returned="2024-04-10 10:00", return_channel="post"),
            row("2024-04-29 09:00", channel="post", due="2024-05-14 09:00", finished="2024-05-02 09:00"),
            row("2024-04-30 16:00", due="2024-05-14 09:00", finished="2024-04-30 16:30", supplements=2),
        ]
    )  # fmt: skip
    scope = scope_build(FROM, TO)
    total = dossier_counts(scope)
    for dimensions in (("month",), ("field",), ("procedure",), ("channel", "unit")):
        rows = dossier_counts_by(scope, *dimensions)
        assert {k: sum(r[k] for r in rows) for k in total} == total, dimensions
    (month,) = dossier_counts_by(scope, "month")
    assert month["month"] == date(2024, 4, 1) and month["resolved_late"] == 1
    (field,) = dossier_counts_by(scope, "field")
    assert field["field"] and field["field_name"]

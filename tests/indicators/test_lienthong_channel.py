"""Dossiers received by liên thông from another agency (ADR 0044): counted as received here, on
their own line, never as online, and left out of the intake channels' shares (the citizen chose a
channel at the agency they submitted to, which counts it). Period: 01/04/2024–30/04/2024."""

from datetime import date

import pytest

from motcua.indicators.narrative import default_paragraphs, figures_for_text, paragraph_render
from motcua.indicators.report import report_build
from motcua.indicators.rollup import rollup_refresh
from motcua.indicators.scope import scope_build
from motcua.indicators.selectors import (
    dossier_counts,
    dossier_counts_by,
    dossier_counts_raw,
    dossier_rates,
)
from motcua.indicators.xlsx_report import _shown

from .helpers import import_rows, row

FROM, TO = date(2024, 4, 1), date(2024, 4, 30)


@pytest.fixture
def four(desk):
    """One dossier of each channel, and a second liên thông one, all resolved on time."""
    done = {"due": "2024-04-16 09:00", "finished": "2024-04-10 09:00"}
    import_rows(
        [
            row("2024-04-02 09:00", channel="online", **done),
            row("2024-04-02 09:00", channel="post", **done),
            row("2024-04-02 09:00", channel="desk", **done),
            row("2024-04-03 09:00", channel="lienthong", **done),
            row("2024-04-03 10:00", channel="lienthong", **done),
        ]
    )
    return desk


def test_the_rollup_counts_lienthong_on_its_own_line_and_never_online(four):
    scope = scope_build(FROM, TO)
    from_dossiers = dossier_counts(scope)
    rollup_refresh()
    c = dossier_counts(scope)
    assert c == from_dossiers == dossier_counts_raw(scope)
    assert c["received"] == 5
    assert (c["received_online"], c["received_desk"], c["received_post"]) == (1, 1, 1)
    assert c["received_lienthong"] == 2
    assert c["resolved"] == 5 and c["resolved_early"] == 5  # handled here: timeliness counts it


def test_the_online_share_is_of_the_dossiers_submitted_here(four):
    rollup_refresh()
    rates = dossier_rates(dossier_counts(scope_build(FROM, TO)))
    assert rates["online_pct"] == 33.3  # 1 of the 3 submitted here, not 1 of 5
    assert rates["post_intake_pct"] == 50.0  # 1 of desk + post, not of 4
    assert rates["on_time_pct"] == 100.0


def test_a_figure_frozen_before_lienthong_existed_still_gives_its_rates():
    frozen = {"received": 4, "received_online": 1, "received_post": 1, "resolved": 3}
    frozen |= {"resolved_early": 3, "resolved_on_time": 0, "returned_post": 2}
    rates = dossier_rates(frozen)
    assert (rates["online_pct"], rates["post_intake_pct"]) == (25.0, 33.3)


def test_grouped_by_channel_lienthong_is_a_channel_of_its_own(four):
    rollup_refresh()
    by_channel = {r["channel"]: r for r in dossier_counts_by(scope_build(FROM, TO), "channel")}
    assert set(by_channel) == {"desk", "online", "post", "lienthong"}
    assert by_channel["lienthong"]["received"] == by_channel["lienthong"]["received_lienthong"] == 2
    assert by_channel["lienthong"]["received_online"] == 0
    only = dossier_counts(scope_build(FROM, TO, channel="lienthong"))
    assert (only["received"], only["received_lienthong"], only["received_online"]) == (2, 2, 0)


def test_the_report_says_lienthong_received_only_when_there_is_some(four):
    rollup_refresh()
    report = report_build(scope_build(FROM, TO))
    assert report["dossiers"]["received_lienthong"] == 2
    text = paragraph_render(default_paragraphs()["procedures"], figures_for_text(report))
    assert "Đã tiếp nhận 5 hồ sơ (có 1 hồ sơ tiếp nhận trực tuyến, 2 hồ sơ nhận liên thông" in text
    assert "received_lienthong" in _shown(report["dossiers"])


def test_without_lienthong_the_report_reads_as_before(desk):
    import_rows([row("2024-04-02 09:00", channel="online")])
    rollup_refresh()
    report = report_build(scope_build(FROM, TO))
    text = paragraph_render(default_paragraphs()["procedures"], figures_for_text(report))
    assert "(có 1 hồ sơ tiếp nhận trực tuyến), đã giải quyết" in text
    assert "received_lienthong" not in _shown(report["dossiers"])

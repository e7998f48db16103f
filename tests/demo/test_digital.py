"""The paper side of the demo's H1/2023 dossiers (motcua/demo/digital.py), part by part: the sample
scans, the dossiers left not fully digitised, the applicants who come back. The whole data set, its
rates and its idempotence are checked in test_demo_seed.py."""

import io
from datetime import datetime, timedelta

import pikepdf
import pytest

from motcua.demo import digital
from motcua.demo.dossiers import REPEAT_APPLICANTS, _applicants_assign, _Dossier

PAPER = "Bản chụp giấy tờ tùy thân (Căn cước công dân, Chứng minh nhân dân hoặc Hộ chiếu)"


def test_sample_scans_are_real_pdfs_and_the_same_bytes_at_every_load():
    scans = [digital._scan_pdf(PAPER, variant) for variant in range(digital.SCAN_VARIANTS)]
    assert len(set(scans)) == digital.SCAN_VARIANTS  # the variants differ
    assert digital._scan_pdf(PAPER, 1) == scans[1]  # content-addressed: stored once
    for data in scans:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert len(pdf.pages) == 1


def _row(pk, channel="desk", citizen=None):
    received = datetime(2023, 3, 1, 9) + timedelta(minutes=pk)
    return digital._Row(pk, f"C{pk}", 1, "u", channel, "returned", received, None, None, "desk",
                        f"{pk:012d}" if citizen is None else citizen)  # fmt: skip


def test_between_90_and_100_percent_of_dossiers_are_digitised_and_never_online_ones():
    rows = [_row(pk, "online" if pk % 10 == 0 else "desk") for pk in range(1000)]
    rows += [_row(2000, citizen="042000000001"), _row(2001, citizen="042000000001")]
    gaps = digital._undigitised(rows, {r.pk for r in rows})
    assert len(gaps) == len(rows) - round(len(rows) * digital.DIGITISED_SHARE)
    assert 90 < 100 * (len(rows) - len(gaps)) / len(rows) < 100
    chosen = [r for r in rows if r.pk in gaps]
    assert all(r.channel != "online" for r in chosen)  # an upload is digitised by nature
    assert not {2000, 2001} & set(gaps)  # a repeat applicant's papers are digitised, then reused
    assert set(gaps.values()) == {"missing", "unconfirmed"}
    assert digital._undigitised(rows, {r.pk for r in rows}) == gaps  # deterministic
    # Dossiers of a demo loaded before applicants had numbers are all candidates.
    anonymous = [_row(pk, citizen="") for pk in range(100)]
    assert len(digital._undigitised(anonymous, {r.pk for r in anonymous})) == 6


def test_dossiers_without_official_papers_count_among_the_undigitised():
    rows = [_row(pk) for pk in range(1000)]
    with_papers = {r.pk for r in rows if r.pk >= 50}  # 50 of a procedure without papers
    gaps = digital._undigitised(rows, with_papers)
    assert len(gaps) + 50 == len(rows) - round(len(rows) * digital.DIGITISED_SHARE)
    assert not set(gaps) - with_papers


def test_repeat_applicants_come_back_at_least_three_weeks_later_with_the_same_identity():
    import random

    start = datetime(2023, 1, 3, 8)
    plan = [
        _Dossier(code=f"D{i}", procedure="LOCAL-STP-001", unit="u", name=f"Người {i}",
                 received=start + timedelta(hours=3 * i), due=start)
        for i in range(3 * 24 * 180 // 3)
    ]  # fmt: skip
    _applicants_assign(plan, random.Random(1))
    by_id: dict[str, list] = {}
    for dossier in plan:
        assert len(dossier.applicant_id) == 12 and dossier.applicant_id.startswith("042")
        by_id.setdefault(dossier.applicant_id, []).append(dossier)
    pairs = [ds for ds in by_id.values() if len(ds) > 1]
    assert len(pairs) == REPEAT_APPLICANTS and all(len(ds) == 2 for ds in pairs)
    for first, second in pairs:
        assert second.received - first.received >= timedelta(days=21)
        assert first.name == second.name


@pytest.mark.django_db
def test_nothing_is_loaded_without_the_h1_2023_dossiers():
    assert digital.demo_digital_load() == []


def test_the_load_ends_with_the_papers_the_archive_then_the_rollup(monkeypatch):
    from motcua.demo import loaders

    order = []
    for name in ("load_org_units", "load_calendar", "load_catalogue", "load_report_profile",
                 "load_dossiers", "load_current", "load_digital", "load_outgoing",
                 "load_archive", "load_rollup"):  # fmt: skip
        monkeypatch.setattr(loaders, name, lambda report, _n=name: order.append(_n))
    monkeypatch.setattr(loaders, "load_staff", lambda report, password: None)
    monkeypatch.setattr(
        loaders, "load_other_apps", lambda report, stdout=None: order.append("apps")
    )
    loaders.demo_load()
    # The archive files the dossiers' papers and results, and the registered documents: after the
    # digital part gave the former, and the signed outgoing documents (after the apps: the
    # documents app sets up the signing key) were registered.
    assert order[-5:] == ["apps", "load_digital", "load_outgoing", "load_archive", "load_rollup"]
    # Today's load right after the 2023 dossiers, before the apps pick dossiers of their own.
    assert order.index("load_current") == order.index("load_dossiers") + 1


def test_the_rollup_refresh_is_reported(monkeypatch):
    from motcua.demo import loaders
    from motcua.indicators import rollup

    monkeypatch.setattr(rollup, "rollup_refresh", lambda: rollup.RefreshResult(days=2, rows=10))
    report = loaders.LoadReport()
    loaders.load_rollup(report)
    assert report.notes == [report.notes[0]] and "2 ngày, 10 dòng tổng hợp" in report.notes[0]

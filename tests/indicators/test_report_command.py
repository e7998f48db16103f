"""`motcua report`: stable JSON keys, figures from data, sections from other apps discovered over
INSTALLED_APPS (a fake app here), bad input refused with a Vietnamese message and nothing written."""

import io
import json
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from motcua.indicators import discovery

from .helpers import import_rows, row

REQUIRED_KEYS = [
    "period.from", "period.to", "dossiers.received", "dossiers.received_online",
    "dossiers.received_post", "dossiers.resolved", "dossiers.in_progress",
    "dossiers.resolved_early", "dossiers.resolved_on_time", "dossiers.resolved_late",
    "dossiers.returned_post", "rates.online_pct", "rates.on_time_pct", "rates.post_intake_pct",
    "rates.post_return_pct", "rates.digitised_pct", "rates.paid_online_pct", "catalogue",
    "legal_documents", "tasks", "organisation", "satisfaction", "feedback",
]  # fmt: skip


def report(*args) -> dict:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return json.loads(out.getvalue())


def dig(data, dotted):
    for part in dotted.split("."):
        data = data[part]
    return data


@pytest.fixture
def dossiers(desk):
    import_rows(
        [
            row("2024-04-02 09:00", channel="online", due="2024-04-16 09:00",
                finished="2024-04-10 09:00", returned="2024-04-10 10:00", return_channel="post"),
            row("2024-04-03 09:00", channel="post", due="2024-04-17 09:00"),
        ]
    )  # fmt: skip
    return desk


def test_json_has_the_documented_keys_and_figures(dossiers):
    data = report("--from", "2024-04-01", "--to", "2024-04-30", "--format", "json")
    for key in REQUIRED_KEYS:
        dig(data, key)  # KeyError if missing
    assert data["period"] == {"from": "2024-04-01", "to": "2024-04-30"}
    assert data["dossiers"]["received"] == 2
    assert data["dossiers"]["received_online"] == 1
    assert data["dossiers"]["resolved"] == 1
    assert data["dossiers"]["returned_post"] == 1
    assert data["rates"]["online_pct"] == 50.0
    assert data["rates"]["post_intake_pct"] == 100.0
    assert data["circular_01_2018"]["indicators"][0]["score"] == 2.0


def test_json_to_a_file(dossiers, tmp_path):
    target = tmp_path / "r.json"
    call_command("report", "--from", "2024-04-01", "--to", "2024-04-30", "--output", str(target),
                 stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    assert json.loads(target.read_text(encoding="utf-8"))["dossiers"]["received"] == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2024-13-01", "--to", "2024-04-30"], "không phải ngày hợp lệ"),
        (["--from", "2024-05-01", "--to", "2024-04-30"], "sau ngày kết thúc"),
        (
            ["--from", "2024-04-01", "--to", "2024-04-30", "--unit", "999.99.99.X00"],
            "Không có đơn vị",
        ),
        (["--from", "2024-04-01", "--to", "2024-04-30", "--format", "odt"], "không được hỗ trợ"),
        (["--from", "2024-04-01", "--to", "2024-04-30", "--format", "docx"], "cần --output"),
        (["--from", "2024-04-01", "--to", "2024-04-30", "--channel", "fax"], "không hợp lệ"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(dossiers, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", *args, stdout=io.StringIO())
    assert list(tmp_path.iterdir()) == []


def test_missing_output_directory(dossiers, tmp_path):
    with pytest.raises(CommandError, match="Không có thư mục"):
        call_command("report", "--from", "2024-04-01", "--to", "2024-04-30",
                     "--output", str(tmp_path / "no" / "r.json"))  # fmt: skip


def test_sections_of_other_apps_are_discovered_and_missing_ones_skipped(dossiers, monkeypatch):
    fake = [
        SimpleNamespace(name="tests.indicators.fake_app", label="fake"),
        SimpleNamespace(name="tests.indicators.app_that_does_not_exist", label="ghost"),
    ]
    monkeypatch.setattr(discovery.apps, "get_app_configs", lambda: fake)
    data = report("--from", "2024-04-01", "--to", "2024-04-30")
    assert data["tasks"]["plan"]["total"] == 70
    assert data["extra_section"] == {"from": "2024-04-01", "unit": None}
    assert data["legal_documents"]["available"] is False  # no app gave it: marked, not invented
    assert [label for label, _ in discovery.demo_loaders()] == ["fake"]


def test_a_broken_app_module_is_not_hidden(monkeypatch, tmp_path):
    package = tmp_path / "broken_app_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "indicators.py").write_text("import module_that_is_missing_here\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError):
        discovery.optional_function("broken_app_pkg.indicators", "report_sections")
    assert discovery.optional_function("broken_app_pkg.nothing", "x") is None


def test_rates_without_selectors_are_null_with_a_note(dossiers, monkeypatch):
    monkeypatch.setattr("motcua.indicators.report.optional_function", lambda *a: None)
    data = report("--from", "2024-04-01", "--to", "2024-04-30")
    assert data["rates"]["paid_online_pct"] is None
    assert "payments" in data["rates"]["notes"]["paid_online_pct"]

"""`motcua dvcqg …`: the stand-in as a real process, and the operator's subcommands."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.core.management import CommandError, call_command

from motcua.dvcqg.models import ProcedureMapping
from motcua.dvcqg.standin import DEFAULT_PATHS
from tests.dossiers.test_services import receive
from tests.dvcqg.test_client import minimal_record

ROOT = Path(__file__).resolve().parents[2]


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("dvcqg", *args, stdout=out)
    return out.getvalue()


def test_the_stand_in_command_serves_until_stopped(tmp_path):
    store = tmp_path / "dvcqg.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "dvcqg",
            "stand-in",
            "--port",
            "0",
            "--store",
            str(store),
            "--username",
            "u",
            "--password",
            "p",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
        },
    )
    try:
        first = process.stdout.readline()
        assert first.startswith("Máy chủ giả lập Cổng DVCQG đang chạy tại http://127.0.0.1:")
        url = first.rsplit(" ", 1)[1].strip()
        login = requests.post(
            url + DEFAULT_PATHS["auth"], json={"username": "u", "password": "p"}, timeout=5
        )
        session = login.json()["session"]
        body = {
            "session": session,
            "madonvi": "",
            "service": "DongBoHoSoMC",
            "isUpdating": "False",
            "data": [minimal_record()],
        }
        answer = requests.post(url + DEFAULT_PATHS["integration"], json=body, timeout=5).json()
        assert answer["error_code"] == 0
        assert json.loads(store.read_text(encoding="utf-8"))["dossiers"][minimal_record()["MaHoSo"]]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.django_db
def test_check_procedures_and_procedure_against_the_stand_in(portal):
    assert run("check") == "Đăng nhập Cổng DVCQG thành công.\n"
    lines = run("procedures", "--search", "luật sư").splitlines()
    assert "1.002153\tĐăng ký hành nghề luật sư với tư cách cá nhân" in lines
    assert all("luật sư" in line.casefold() for line in lines)
    assert json.loads(run("procedure", "1.002153"))["MATTHC"] == "1.002153"
    calls = run("calls", "--limit", "2").splitlines()
    assert len(calls) == 2 and "\tLayThuTuc\tThành công\t" in calls[0]


@pytest.mark.django_db
def test_check_says_why_it_cannot(portal, settings):
    settings.DVCQG_PASSWORD = "sai"
    with pytest.raises(CommandError, match="từ chối đăng nhập"):
        run("check")
    settings.DVCQG_ADAPTER_URL = ""
    with pytest.raises(CommandError, match="Chưa bật đồng bộ Cổng DVCQG"):
        run("check")


@pytest.mark.django_db
def test_map_and_record(desk, settings):
    settings.DVCQG_ADAPTER_URL = ""  # offline: the mapping holds the code only
    assert run("map", "2.001417", "3.000333") == (
        "Đã ánh xạ thủ tục 2.001417 với mã TTHC quốc gia 3.000333.\n"
    )
    with pytest.raises(CommandError, match="không đúng dạng"):
        run("map", "2.001417", "3-000333")
    with pytest.raises(CommandError, match="Không có thủ tục"):
        run("map", "9.999999", "1.002153")
    assert ProcedureMapping.objects.get().national_code == "3.000333"
    dossier = receive(desk)
    record = json.loads(run("record", dossier.code))
    assert (record["MaHoSo"], record["MaTTHC"]) == (dossier.code, "3.000333")
    progress = json.loads(run("record", dossier.code, "--progress"))
    assert [p["TrangThai"] for p in progress] == ["2"]
    with pytest.raises(CommandError, match="Không có hồ sơ mã X"):
        run("record", "X")


@pytest.mark.django_db
def test_map_reads_the_portal_when_sync_is_on(desk, portal):
    out = run("map", "2.001417", "1.002153")
    assert out == (
        "Đã ánh xạ thủ tục 2.001417 với mã TTHC quốc gia 1.002153 "
        "(Đăng ký hành nghề luật sư với tư cách cá nhân).\n"
    )
    with pytest.raises(CommandError, match="Không tìm thấy thủ tục 9.999999"):
        run("map", "2.001417", "9.999999")
    assert ProcedureMapping.objects.get().national_code == "1.002153"

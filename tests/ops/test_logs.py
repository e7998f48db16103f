"""Structured logs: one JSON object a line, the request id on every line of its request, and no
personal data — no dossier code, phone, digits typed, query string or exception text."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from motcua.ops.logs import JsonFormatter, RequestContextFilter
from tests.dossiers.test_services import receive

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
REQUEST_ID = "yeu-cau-0001-kiem-thu"


@pytest.fixture
def log_lines():
    """The lines the site's console handler would write (same filter, JSON formatter), parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)

    def read() -> tuple[list[dict], str]:
        text = stream.getvalue()
        return [json.loads(line) for line in text.splitlines()], text

    yield read
    root.removeHandler(handler)


def test_a_tracking_request_logs_its_route_never_the_code_phone_or_digits(desk, log_lines):
    dossier = receive(desk)
    phone = dossier.contact_phone
    assert phone and dossier.code
    client = Client(headers={"X-Request-ID": REQUEST_ID})
    client.get(f"/cong-dan/tra-cuu/{dossier.code}/", {"sdt": phone})
    client.get("/cong-dan/tra-cuu/", {"ma": dossier.code})
    wrong = client.post(f"/cong-dan/tra-cuu/{dossier.code}/chi-tiet/", {"so_cuoi": "9753"})
    assert wrong.status_code == 400  # logged by Django as "Bad Request: <path>"
    lines, text = log_lines()
    for secret in (dossier.code, phone, phone[-4:], "9753", "sdt=", "ma=", "so_cuoi", "tra-cuu/0"):
        assert secret not in text
    access = [line for line in lines if line["logger"] == "motcua.access"]
    assert [(line["method"], line["view"], line["route"]) for line in access] == [
        ("GET", "portal:tracking_detail", "cong-dan/tra-cuu/<str:code>/"),
        ("GET", "portal:tracking_form", "cong-dan/tra-cuu/"),
        ("POST", "portal:tracking_unlock", "cong-dan/tra-cuu/<str:code>/chi-tiet/"),
    ]
    assert [line["status"] for line in access] == [200, 302, 400]  # ?ma= leads to the page
    refused = next(line for line in lines if line["logger"] == "django.request")
    assert refused["message"] == "Bad Request" and refused["level"] == "WARNING"
    assert refused["view"] == "portal:tracking_unlock" and refused["status"] == 400
    assert {line["request_id"] for line in lines} == {REQUEST_ID}


def test_every_line_of_a_request_carries_its_id_and_no_exception_text(log_lines):
    client = Client(raise_request_exception=False, headers={"X-Request-ID": REQUEST_ID})
    with override_settings(ROOT_URLCONF="tests.ops.failing_urls"):
        response = client.get("/thu-nghiem/loi/", {"cccd": "042190001234"})
    assert response.status_code == 500 and response["X-Request-ID"] == REQUEST_ID
    lines, text = log_lines()
    assert "0912345678" not in text and "042190001234" not in text  # the exception's own words
    error = next(line for line in lines if line["logger"] == "django.request")
    assert error["level"] == "ERROR" and error["message"] == "Internal Server Error"
    assert error["exception"]["type"] == "RuntimeError"
    assert any(
        "failing_urls.py" in frame and "in broken" in frame for frame in error["exception"]["stack"]
    )
    access = next(line for line in lines if line["logger"] == "motcua.access")
    assert access["status"] == 500 and access["view"] == "ops_broken"
    assert all(line["request_id"] == REQUEST_ID for line in lines)
    for line in lines:
        assert {"time", "level", "logger", "message"} <= set(line)
        assert line["time"].endswith("+07:00")


def test_a_safe_request_id_is_kept_and_anything_else_replaced(client, log_lines):
    assert (
        client.get("/healthz", headers={"X-Request-ID": REQUEST_ID})["X-Request-ID"] == REQUEST_ID
    )
    for unsafe in ("ngan", "có dấu-123456", 'a" "b', "x" * 65, "abc\r\nX-Injected: 1"):
        answered = client.get("/healthz", headers={"X-Request-ID": unsafe})["X-Request-ID"]
        assert answered != unsafe and len(answered) == 32 and int(answered, 16) >= 0
    lines, text = log_lines()
    assert "Injected" not in text and "ngan" not in text
    generated = [line["request_id"] for line in lines[1:]]
    assert len(set(generated)) == len(generated) == 5


def test_lines_outside_a_request_have_no_request_id(log_lines):
    logging.getLogger("motcua.ops.kiem_thu").warning("tác vụ chạy xong: %d hồ sơ", 3)
    lines, _ = log_lines()
    assert lines == [
        {
            "time": lines[0]["time"],
            "level": "WARNING",
            "logger": "motcua.ops.kiem_thu",
            "message": "tác vụ chạy xong: 3 hồ sơ",
        }
    ]


def _python(code: str, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env}
    environment.pop("DATABASE_URL", None)  # no database is touched
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


LOG_ONE_LINE = (
    "import django, logging; django.setup(); "
    "logging.getLogger('motcua.kiem_thu').warning('một dòng %s', 'nhật ký')"
)


def test_production_writes_json_lines_and_the_demo_plain_ones():
    production = _python(
        LOG_ONE_LINE,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="k" * 64,
    )
    assert production.returncode == 0, production.stderr
    line = json.loads(production.stderr.strip())
    assert line["message"] == "một dòng nhật ký" and line["logger"] == "motcua.kiem_thu"
    demo = _python(LOG_ONE_LINE, DJANGO_SETTINGS_MODULE="config.settings.base")
    assert demo.returncode == 0, demo.stderr
    assert demo.stderr.strip().endswith("WARNING motcua.kiem_thu [-] một dòng nhật ký")


def test_an_unknown_log_format_is_refused_with_a_message():
    result = _python(
        LOG_ONE_LINE, DJANGO_SETTINGS_MODULE="config.settings.base", MOTCUA_LOG_FORMAT="xml"
    )
    assert result.returncode != 0
    assert "MOTCUA_LOG_FORMAT phải là plain hoặc json." in result.stderr

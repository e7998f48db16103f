"""`motcua demo` starts the stand-in national sign-on IdP beside the server and points the
portal's button at it (issue [I] 6); a real IdP configured, or MOTCUA_DEMO_DVCQG=0, keeps it off."""

import io

import pytest
import requests

from motcua.demo.management.commands.demo import national_signon_start

NAMES = (
    "DVCQG_SSO_AUTH_SERVER",
    "DVCQG_SSO_AUTH_ENDPOINT",
    "DVCQG_SSO_TOKEN_ENDPOINT",
    "DVCQG_SSO_USERINFO_ENDPOINT",
    "DVCQG_SSO_CLIENT_ID",
    "DVCQG_SSO_CLIENT_SECRET",
    "DVCQG_SSO_SCOPE",
    "DVCQG_SSO_ACR_VALUES",
    "DVCQG_SSO_PKCE",
    "DVCQG_SSO_JWKS_ENDPOINT",
    "DVCQG_SSO_ISSUER",
)


@pytest.fixture
def restored(settings, monkeypatch):
    """What the demo changes (settings and environment) comes back after the test."""
    for name in NAMES:
        setattr(settings, name, getattr(settings, name))
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("MOTCUA_DEMO_DVCQG", raising=False)
    settings.DVCQG_SSO_AUTH_SERVER = ""
    return settings


@pytest.mark.django_db
def test_the_demo_starts_the_stand_in_and_turns_the_button_on(restored, client):
    out = io.StringIO()
    idp = national_signon_start(out)
    try:
        assert idp is not None and idp.url == restored.DVCQG_SSO_AUTH_SERVER
        assert "Đăng nhập tài khoản Cổng DVCQG giả lập" in out.getvalue()
        page = client.get("/cong-dan/tai-khoan/dang-nhap/").content.decode()
        assert "Cổng Dịch vụ công quốc gia / VNeID" in page
        start = client.get("/cong-dan/tai-khoan/dvcqg/dang-nhap/")
        assert start["Location"].startswith(idp.url + "/oauth2/authorize?")
        assert requests.get(start["Location"], timeout=5).status_code == 200
    finally:
        if idp is not None:
            idp.close()


def test_the_demo_leaves_a_real_idp_alone(restored, monkeypatch):
    restored.DVCQG_SSO_AUTH_SERVER = "https://xacthuc.example.vn"
    assert national_signon_start(io.StringIO()) is None
    restored.DVCQG_SSO_AUTH_SERVER = ""
    monkeypatch.setenv("MOTCUA_DEMO_DVCQG", "0")
    assert national_signon_start(io.StringIO()) is None


def test_the_command_serves_the_stand_in(tmp_path):
    """`motcua dvcqg sso-stand-in --port N` prints the settings and answers on its endpoints."""
    import os
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "motcua.cli", "dvcqg", "sso-stand-in", "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        first = process.stdout.readline()
        assert f"http://127.0.0.1:{port}" in first
        deadline = time.monotonic() + 10
        while True:
            try:
                reply = requests.post(f"http://127.0.0.1:{port}/oauth2/token", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert reply.status_code == 401 and reply.json()["error"] == "invalid_client"
    finally:
        process.terminate()
        process.wait(timeout=10)

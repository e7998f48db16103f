"""`motcua serve` ([O] 12): granian's command line from the environment, the refusals (DEBUG on, a
missing secret key, values granian cannot take) with a clear message and nothing started, and a
real start on a loopback port. And the deploy files: every placeholder of the nginx template is
named where an operator renders it."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bench.nginx import PLACEHOLDERS, TEMPLATE
from bench.server import free_port

ROOT = Path(__file__).resolve().parents[2]


def printed(capsys) -> list[str]:
    call_command("serve", "--print")
    return capsys.readouterr().out.split()


def option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_the_command_line_comes_from_the_environment(monkeypatch, capsys):
    for name, value in {
        "MOTCUA_SERVE_HOST": "0.0.0.0",
        "MOTCUA_SERVE_PORT": "8123",
        "MOTCUA_SERVE_WORKERS": "3",
        "MOTCUA_SERVE_THREADS": "6",
        "MOTCUA_SERVE_TIMEOUT": "40",
        "MOTCUA_SERVE_HEADER_TIMEOUT": "5",
        "MOTCUA_SERVE_MAX_RSS": "700",
        "MOTCUA_SERVE_LIFETIME": "86400",
    }.items():
        monkeypatch.setenv(name, value)
    argv = printed(capsys)
    assert Path(argv[1]).name == "granian" and argv[-1] == "config.wsgi:application"
    assert option(argv, "--interface") == "wsgi"
    assert (option(argv, "--host"), option(argv, "--port")) == ("0.0.0.0", "8123")
    assert (option(argv, "--workers"), option(argv, "--blocking-threads")) == ("3", "6")
    assert option(argv, "--backpressure") == "6"  # no more requests in a worker than threads
    assert option(argv, "--workers-kill-timeout") == "40"
    assert option(argv, "--http1-header-read-timeout") == "5000"
    assert option(argv, "--workers-max-rss") == "700"
    assert option(argv, "--workers-lifetime") == "86400"
    assert option(argv, "--working-dir") == str(ROOT)


def test_defaults_listen_on_loopback_with_four_threads(monkeypatch, capsys):
    for name in list(os.environ):
        if name.startswith("MOTCUA_SERVE_"):
            monkeypatch.delenv(name)
    argv = printed(capsys)
    assert (option(argv, "--host"), option(argv, "--port")) == ("127.0.0.1", "8000")
    assert option(argv, "--blocking-threads") == "4"
    assert "--workers-max-rss" not in argv and "--workers-lifetime" not in argv


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("MOTCUA_SERVE_WORKERS", "hai", "MOTCUA_SERVE_WORKERS='hai': cần một số nguyên."),
        ("MOTCUA_SERVE_PORT", "70000", "MOTCUA_SERVE_PORT=70000: cần một số từ 1 đến 65535."),
        ("MOTCUA_SERVE_THREADS", "0", "MOTCUA_SERVE_THREADS=0: cần một số từ 1 đến 256."),
        ("MOTCUA_SERVE_LIFETIME", "30", "MOTCUA_SERVE_LIFETIME=30: ít nhất 60 giây"),
        ("MOTCUA_SERVE_LOG_LEVEL", "loud", "MOTCUA_SERVE_LOG_LEVEL='loud': một trong critical"),
    ],
)
def test_a_value_granian_cannot_take_is_refused_with_its_name(
    monkeypatch, capsys, name, value, message
):
    monkeypatch.setenv(name, value)
    with pytest.raises(CommandError) as refused:
        call_command("serve", "--print")
    assert str(refused.value).startswith(message)
    assert capsys.readouterr().out == ""


def test_debug_is_refused(settings, capsys):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="DJANGO_DEBUG đang bật"):
        call_command("serve", "--print")
    assert capsys.readouterr().out == ""


def _environment(tmp_path: Path, **values) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MOTCUA_"))}
    return {
        **env,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MOTCUA_VAR_DIR": str(tmp_path / "var"),
        **values,
    }


def test_without_a_secret_key_it_says_so_and_starts_nothing(tmp_path):
    port = free_port()
    done = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "serve"],
        cwd=ROOT,
        env=_environment(tmp_path, MOTCUA_SERVE_PORT=str(port)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Cấu hình chưa đúng: Đặt DJANGO_SECRET_KEY" in done.stderr
    assert "Traceback" not in done.stderr
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_it_serves_with_production_settings(tmp_path):
    port = free_port()
    env = _environment(
        tmp_path,
        DJANGO_SECRET_KEY="serve-test-" + "k" * 60,
        DJANGO_SECURE_SSL_REDIRECT="false",
        MOTCUA_SERVE_PORT=str(port),
        MOTCUA_SERVE_WORKERS="1",
        MOTCUA_SERVE_THREADS="1",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "motcua.cli", "serve"], cwd=ROOT, env=env, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, "motcua serve stopped"
            assert time.monotonic() < deadline, "motcua serve did not listen within 60 s"
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/favicon.svg", timeout=10) as r:
            assert r.status == 200 and b"<svg" in r.read()
        # As nginx sends it: production.py believes its X-Forwarded-Proto and answers with HSTS.
        behind_nginx = urllib.request.Request(
            f"http://127.0.0.1:{port}/cong-dan/tra-cuu/", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(behind_nginx, timeout=10) as r:
            assert r.status == 200 and "Tra cứu" in r.read().decode()
            assert r.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        # The exec: the process started is granian itself (systemd signals it directly).
        command = Path(f"/proc/{server.pid}/cmdline").read_bytes().split(b"\0")
        assert any(part.endswith(b"granian") for part in command)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_every_placeholder_of_the_nginx_template_is_rendered_in_the_guide():
    template = TEMPLATE.read_text()
    used = set(re.findall(r"@[A-Z_]+@", template.split("\nupstream", 1)[1]))
    assert used == set(PLACEHOLDERS)
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert set(re.findall(r"-e 's\|(@[A-Z_]+@)\|", guide)) == used
    header = template.split("\nupstream", 1)[0]
    assert set(re.findall(r"-e 's\|(@[A-Z_]+@)\|", header)) == used

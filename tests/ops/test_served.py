"""A real server: granian with two worker processes on a loopback port, its own SQLite database,
JSON logs, no PROMETHEUS_MULTIPROC_DIR (the default folder per server run). Whichever worker
answers a scrape, the request counters are the sums over both; the server's own log has no
dossier code or phone."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parent.parent.parent
GRANIAN = Path(sys.executable).parent / "granian"
WORKERS = 2


@dataclass(frozen=True)
class Server:
    url: str
    var_dir: Path
    log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, headers: dict | None = None) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("may-chu")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "MOTCUA_VAR_DIR": str(var_dir),
        "MOTCUA_LOG_FORMAT": "json",
        "PYTHONPATH": str(ROOT),
    }
    for name in ("DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    port = _free_port()
    log = var_dir / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(GRANIAN), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(WORKERS), "config.wsgi:application"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{url}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield Server(url, var_dir, log)
    finally:
        process.terminate()
        process.wait(timeout=30)


HEALTHZ = {"view": "healthz", "method": "GET", "status": "2xx"}


def _healthz_in(metrics) -> float:
    """The count of answered /healthz among prometheus_client metric families."""
    for metric in metrics:
        for sample in metric.samples:
            if sample.name == "motcua_http_requests_total" and sample.labels == HEALTHZ:
                return sample.value
    return 0.0


def _healthz_by_process(server: Server) -> dict[str, float]:
    """Each worker's own count, read from its file in the server run's folder."""
    return {
        path.name: _healthz_in(MultiProcessCollector.merge([str(path)]))
        for path in server.var_dir.glob("metrics/server-*/counter_*.db")
    }


def test_request_counts_are_summed_over_every_worker(server):
    # The first /healthz answered the readiness wait above.
    sent = 1
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(10):  # until both workers have answered some (usually the first batch)
            statuses = list(pool.map(lambda _: _get(f"{server.url}/healthz")[0], range(40)))
            assert set(statuses) == {200}
            sent += len(statuses)
            if len([n for n in _healthz_by_process(server).values() if n > 0]) == WORKERS:
                break
    per_process = _healthz_by_process(server)
    assert len([n for n in per_process.values() if n > 0]) == WORKERS, per_process
    assert sum(per_process.values()) == sent
    for _ in range(6):  # each scrape is answered by either worker: always the whole count
        status, _, body = _get(f"{server.url}/metrics")
        assert status == 200
        assert _healthz_in(text_string_to_metric_families(body.decode())) == sent


def test_the_server_is_ready_and_its_json_log_has_no_code_or_phone(server):
    status, _, body = _get(f"{server.url}/readyz")
    assert status == 200, body
    assert json.loads(body)["status"] == "ok"
    code, phone, request_id = "000.00.40.H27-240426-0042", "0912345678", "may-chu-that-0001"
    status, headers, _ = _get(
        f"{server.url}/cong-dan/tra-cuu/{code}/?sdt={phone}", {"X-Request-ID": request_id}
    )
    assert status == 404 and headers["X-Request-ID"] == request_id
    time.sleep(0.5)  # the worker's stderr reaches the file
    text = server.log.read_text()
    assert code not in text and phone not in text and "tra-cuu/0" not in text
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    mine = [line for line in lines if line.get("request_id") == request_id]
    assert {(line["logger"], line["message"]) for line in mine} >= {("django.request", "Not Found")}
    access = next(line for line in mine if line["logger"] == "motcua.access")
    assert access["view"] == "portal:tracking_detail" and access["status"] == 404
    assert access["route"] == "cong-dan/tra-cuu/<str:code>/"

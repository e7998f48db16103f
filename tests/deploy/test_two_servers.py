"""Two app servers (`motcua serve`: granian, production settings) on one PostgreSQL and one Redis,
behind a real nginx configured from deploy/nginx/motcua.conf — issue [O] 9 and 12.

The installation is built once for the module: a PostgreSQL database of its own
(motcua_twoserver_<random>, migrated by `motcua migrate` and filled by twoserver_data.py in their
own processes, dropped at the end), Redis under a key prefix of its own (its keys deleted at the
end), two servers, and nginx rendering the template three times: to both servers (balanced), to
server A only and to server B only, so that a request can be sent "to the other server" through
the same proxy configuration. Clients connect from different loopback addresses (127.0.0.x): nginx
sees each as a different client, as it would see citizens on the Internet.

Needs PostgreSQL (many servers on one database is the point): skipped on SQLite. Redis and nginx
must be installed: skipped without them, except under CI=true, where that fails.
"""

import contextlib
import http.client
import json
import os
import re
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from django.conf import settings

from bench.client import Answer, Browser, call
from bench.nginx import Nginx, Site, nginx_binary
from bench.server import Server
from tests.redis_cache import REDIS_TEST_URL, redis_forget, redis_required, unique_prefix

ROOT = Path(__file__).resolve().parents[2]
TRACKING_PER_MINUTE = 10
RECEIVED = "Đã tiếp nhận, chờ phân công"
IN_PROGRESS = "Đang xử lý"

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="Hai máy chủ trên một cơ sở dữ liệu: chỉ chạy với PostgreSQL (DATABASE_URL=postgres://…)",
)


def _required_tools() -> None:
    redis_required()
    if nginx_binary() is None:
        reason = "Chưa cài nginx (gói Debian nginx, trong DEBIAN_TEST_PACKAGES của Makefile)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


# --- the installation --------------------------------------------------------------------------


@dataclass
class Installation:
    dsn: str
    data: dict
    both: Site
    only_a: Site
    only_b: Site
    redis_prefix: str

    def query(self, sql: str, params=()):
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else cursor.rowcount


def _admin_dsn(database: str) -> str:
    params = settings.DATABASES["default"]
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host, port = params.get("HOST") or "127.0.0.1", params.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{database}"


def _run(command: list[str], env: dict) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    _required_tools()
    name = f"motcua_twoserver_{uuid.uuid4().hex[:10]}"
    prefix = unique_prefix()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MOTCUA_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "two-servers-" + uuid.uuid4().hex * 2,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": _admin_dsn(name),
        "REDIS_URL": REDIS_TEST_URL,
        "MOTCUA_CACHE_KEY_PREFIX": prefix,
        "MOTCUA_TRUSTED_PROXIES": "127.0.0.1",
        "MOTCUA_VAR_DIR": str(tmp_path_factory.mktemp("var")),
        "MOTCUA_TRACKING_PER_MINUTE": str(TRACKING_PER_MINUTE),
        "SMS_GATEWAY": "console",
        "ZALO_GATEWAY": "",
        "LOG_LEVEL": "ERROR",
    }
    with psycopg.connect(_admin_dsn("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        _run([sys.executable, "-m", "motcua.cli", "migrate", "-v0"], env)
        output = _run([sys.executable, "-m", "tests.deploy.twoserver_data"], env)
        data = json.loads(output.strip().splitlines()[-1])
        a, b = Server(env, workers=1, threads=2), Server(env, workers=1, threads=2)
        with contextlib.ExitStack() as servers:
            for server in (a, b):  # both start at once; each is stopped at the end
                servers.callback(server.__exit__)
                server.start()
            a.wait_listening()
            b.wait_listening()
            sites = [Site("both", [a.port, b.port]), Site("a", [a.port]), Site("b", [b.port])]
            # A small request limit, so that one test can go past it (the default is 105m).
            with Nginx(sites, values={"@CLIENT_MAX_BODY_SIZE@": "1m"}):
                yield Installation(_admin_dsn(name), data, *sites, redis_prefix=prefix)
    finally:
        with psycopg.connect(_admin_dsn("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        redis_forget(prefix)


# --- requests ----------------------------------------------------------------------------------


def tracking(site: Site, code: str, source: str) -> Answer:
    return call(site.port, "GET", f"/cong-dan/tra-cuu/{code}/", source=source)


def same_minute(requests: int) -> None:
    """The limits count per clock minute: start where `requests` quick requests fit in one."""
    if 60 - time.time() % 60 < 5 + requests * 0.2:
        time.sleep(60 - time.time() % 60 + 0.1)


BODY = {
    "procedure_code": "2.001417",
    "applicant": {
        "full_name": "Lê Thị Lan",
        "citizen_id": "042190009876",
        "date_of_birth": "1990-03-04",
        "phone": "0912000111",
        "address_line": "Số 9 đường Nguyễn Du, Phường Thành Sen",
    },
    "components": [
        {"name": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "form": "original", "count": 1}
    ],
    "return_channel": "desk",
}


def submit(site: Site, body: dict, key: str, source: str) -> Answer:
    return call(
        site.port,
        "POST",
        "/api/dossiers",
        source=source,
        body=json.dumps(body),
        headers={"Content-Type": "application/json", "Idempotency-Key": key},
    )


# --- the tests ---------------------------------------------------------------------------------


def test_an_idempotent_retry_on_the_other_server_returns_the_same_dossier(installation):
    first = submit(installation.only_a, BODY, "thu-lai-1", "127.0.0.11")
    assert first.status == 201, first.body
    again = submit(installation.only_b, BODY, "thu-lai-1", "127.0.0.11")
    assert again.status == 201, again.body
    assert json.loads(again.body) == json.loads(first.body)
    reference = json.loads(first.body)["reference"]
    rows = installation.query(
        "SELECT count(*) FROM dossiers_dossier WHERE applicant_name = %s", ["Lê Thị Lan"]
    )
    assert rows == [(1,)], reference
    # The same key with another body, on either server: a conflict, and still one dossier.
    other = submit(
        installation.only_b, {**BODY, "return_channel": "post"}, "thu-lai-1", "127.0.0.11"
    )
    assert other.status == 409 and json.loads(other.body)["error"]["code"] == "idempotency_conflict"
    assert installation.query(
        "SELECT count(*) FROM dossiers_dossier WHERE applicant_name = %s", ["Lê Thị Lan"]
    ) == [(1,)]


def test_a_rate_limit_counts_across_both_servers(installation):
    code = installation.data["code"]
    same_minute(TRACKING_PER_MINUTE + 2)
    sites = [installation.only_a, installation.only_b]
    statuses = [
        tracking(sites[n % 2], code, "127.0.0.12").status for n in range(TRACKING_PER_MINUTE)
    ]
    # Each server has seen 5 of this client's pages; together they are at the limit.
    assert statuses == [200] * TRACKING_PER_MINUTE
    over = tracking(installation.only_a, code, "127.0.0.12")
    assert over.status == 429 and over.header("Retry-After") == "60"
    assert tracking(installation.both, code, "127.0.0.12").status == 429
    # Another client (another address as nginx saw it) is not held back by this one's pages.
    assert tracking(installation.only_b, code, "127.0.0.13").status == 200


def test_a_change_on_one_server_removes_the_cached_tracking_page_on_the_other(installation):
    code, dossier_id = installation.data["code"], installation.data["dossier_id"]
    same_minute(8)
    first = tracking(installation.only_b, code, "127.0.0.14")
    assert first.status == 200 and RECEIVED in first.body and "N*** T*** H***" in first.body
    # A change written behind the application's back (no forget): both servers keep serving the
    # page server B stored in Redis, so the page is cached and shared.
    installation.query(
        "UPDATE dossiers_dossier SET applicant_name = 'Trần Văn Minh' WHERE id = %s", [dossier_id]
    )
    for site in (installation.only_a, installation.only_b):
        cached = tracking(site, code, "127.0.0.14")
        assert cached.body == first.body
    # The division head assigns the dossier through server A ...
    head = Browser(installation.only_a.port, "127.0.0.15")
    signed_in = head.sign_in(installation.data["head"], installation.data["password"])
    assert signed_in.status == 302, signed_in.body[:2000]
    [(revision,)] = installation.query(
        "SELECT revision FROM dossiers_dossier WHERE id = %s", [dossier_id]
    )
    moved = head.request(
        "POST",
        f"/can-bo/ho-so/{dossier_id}/thao-tac/assign/",
        {"assignee_id": installation.data["specialist_id"], "revision": revision},
    )
    assert moved.status == 302, moved.body[:2000]
    assert installation.query(
        "SELECT status FROM dossiers_dossier WHERE id = %s", [dossier_id]
    ) == [("in_progress",)]
    # ... and server B no longer serves its page: the new status (and the name) show at once.
    after = tracking(installation.only_b, code, "127.0.0.14")
    assert after.status == 200 and IN_PROGRESS in after.body and RECEIVED not in after.body
    assert "T*** V*** M***" in after.body


def test_a_forged_x_forwarded_for_does_not_change_the_client_address(installation):
    # A refused sign-in records the client's address (motcua.accounts.signin): the one nginx saw.
    visitor = Browser(installation.both.port, "127.0.0.16")
    visitor.request("GET", "/can-bo/dang-nhap/")
    origin = visitor.origin
    refused = call(
        installation.both.port,
        "POST",
        "/can-bo/dang-nhap/",
        source="127.0.0.16",
        body=urlencode(
            {
                "csrfmiddlewaretoken": visitor.cookies["csrftoken"],
                "username": "khong-ton-tai",
                "password": "sai-mat-khau",
            }
        ),
        headers={
            "Cookie": f"csrftoken={visitor.cookies['csrftoken']}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": origin + "/can-bo/dang-nhap/",
            "X-Forwarded-For": "203.0.113.50",
            "X-Real-IP": "203.0.113.50",
        },
    )
    assert refused.status == 200  # the form again, with its message
    assert installation.query(
        "SELECT host(ip) FROM accounts_signinfailure WHERE username = 'khong-ton-tai'"
    ) == [("127.0.0.16",)]
    # A client that writes a new X-Forwarded-For on every request is still one client to the limit.
    code = installation.data["code"]
    same_minute(TRACKING_PER_MINUTE + 1)
    statuses = [
        call(
            installation.both.port,
            "GET",
            f"/cong-dan/tra-cuu/{code}/",
            source="127.0.0.17",
            headers={"X-Forwarded-For": f"198.51.100.{n}", "X-Real-IP": f"198.51.100.{n}"},
        ).status
        for n in range(TRACKING_PER_MINUTE + 1)
    ]
    assert statuses == [200] * TRACKING_PER_MINUTE + [429]


def test_nginx_refuses_a_request_over_its_size_in_vietnamese_and_changes_nothing(installation):
    before = installation.query("SELECT count(*) FROM dossiers_dossier")
    big = {**BODY, "applicant": {**BODY["applicant"], "address_line": "x" * (2 * 1024 * 1024)}}
    answer = submit(installation.both, big, "qua-lon-1", "127.0.0.18")
    assert answer.status == 413 and "Tệp gửi lên quá lớn" in answer.body
    assert installation.query("SELECT count(*) FROM dossiers_dossier") == before


def test_plain_http_is_sent_to_https(installation):
    connection = http.client.HTTPConnection("127.0.0.1", installation.both.http_port, timeout=10)
    connection.request("GET", "/cong-dan/tra-cuu/", headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == "https://127.0.0.1/cong-dan/tra-cuu/"
    connection.close()


def test_static_files_are_served_by_nginx(installation):
    answer = call(installation.both.port, "GET", "/static/loi/bao-tri.html")
    assert answer.status == 200 and "Hệ thống tạm thời chưa phục vụ được" in answer.body
    cache_control = ", ".join(v for k, v in answer.headers if k.lower() == "cache-control")
    assert re.search(r"max-age=604800", cache_control) and "public" in cache_control

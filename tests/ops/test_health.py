"""/healthz and /readyz against the real dependencies: the test database, the cache, a Redis
server on loopback, the documents folder."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _storages_with_documents(location: Path) -> dict:
    return {
        **{k: v for k, v in settings.STORAGES.items() if k != "documents"},
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_probes_need_no_sign_in_and_are_never_rate_limited(client):
    statuses = {client.get(path).status_code for path in ["/healthz", "/readyz"] * 50}
    assert statuses == {200}


def test_probes_answer_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405
    assert client.head("/readyz").status_code == 200


def test_readyz_checks_database_cache_and_storage(client, tmp_path):
    with override_settings(STORAGES=_storages_with_documents(tmp_path / "tai-lieu")):
        response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and "failed" not in body
    assert list(body["checks"]) == ["database", "cache", "storage"]  # no Redis configured
    for check in body["checks"].values():
        assert check["ok"] is True and check["ms"] >= 0
    assert "no-store" in response["Cache-Control"]


def test_readyz_is_503_naming_the_storage_that_cannot_be_written(client, tmp_path):
    not_a_folder = tmp_path / "tai-lieu"
    not_a_folder.write_text("một tệp, không phải thư mục")
    with override_settings(STORAGES=_storages_with_documents(not_a_folder / "con")):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail" and body["failed"] == ["storage"]
    assert body["checks"]["storage"] == {
        "ok": False,
        "ms": body["checks"]["storage"]["ms"],
        "error": "NotADirectoryError",
    }
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
    assert str(tmp_path) not in response.content.decode()  # the path stays in the server's log


def test_readyz_is_503_when_the_cache_cannot_keep_a_value(client):
    # A database cache whose table was never created (`motcua createcachetable` forgotten).
    broken = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "khong_co_bang_nay",
        },
    }
    with override_settings(CACHES=broken):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


def test_readyz_reads_the_documents_bucket_on_s3(client):
    """A real S3 protocol (moto's server): the bucket answers; a missing bucket is a failure."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        ).create_bucket(Bucket="motcua-tai-lieu")

        def storages(bucket: str) -> dict:
            options = {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
            }
            alias = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
            return {
                **{k: v for k, v in settings.STORAGES.items() if k != "documents"},
                "documents": alias,
            }

        with override_settings(STORAGES=storages("motcua-tai-lieu")):
            assert client.get("/readyz").status_code == 200
        with override_settings(STORAGES=storages("khong-co-thung-nay")):
            response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["failed"] == ["storage"]
    finally:
        server.stop()


def _redis_server_missing() -> None:
    if shutil.which("redis-server"):
        return
    reason = "redis-server không có (cài gói Debian redis-server)"
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"CI=true: không được bỏ qua — {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def redis_url(tmp_path):
    """A real Redis server on a loopback port, for this test only."""
    _redis_server_missing()
    port = _free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_readyz_pings_redis_when_one_is_configured(client, redis_url):
    with override_settings(REDIS_URL=redis_url):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"]["ok"] is True


def test_readyz_is_503_when_redis_does_not_answer(client):
    with override_settings(REDIS_URL=f"redis://127.0.0.1:{_free_port()}/0"):  # nobody listens
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["redis"] and body["checks"]["redis"]["error"] == "ConnectionError"

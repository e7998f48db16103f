"""An S3-compatible server for the tests: moto's server in its own process on loopback (so the
memory it uses to hold objects is not counted against ours), one fresh bucket per test, and the
settings a deployment with MOTCUA_S3_* would have (both storage aliases on the bucket)."""

import os
import socket
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.test import override_settings

ACCESS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory):
    """moto's S3 server as a separate process on 127.0.0.1, stopped after the run."""
    port = _free_port()
    log = tmp_path_factory.mktemp("moto") / "server.log"
    env = {**os.environ, "MOTO_S3_DEFAULT_KEY_BUFFER_SIZE": str(1024 * 1024)}
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"moto server did not start: {log.read_text()}") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def s3_client(endpoint: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **ACCESS)


def s3_environment(endpoint: str, bucket: str) -> dict[str, str]:
    """The MOTCUA_S3_* variables a deployment sets (config/settings/base.py reads them)."""
    return {
        "MOTCUA_S3_BUCKET": bucket,
        "MOTCUA_S3_ENDPOINT_URL": endpoint,
        "MOTCUA_S3_REGION": REGION,
        "MOTCUA_S3_ACCESS_KEY": "test",
        "MOTCUA_S3_SECRET_KEY": "test",
    }


class Bucket:
    def __init__(self, client, name: str):
        self.client, self.name = client, name

    def names(self) -> list[str]:
        answer = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in answer.get("Contents", ()))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def s3(moto_endpoint):
    """A fresh bucket, and both storage aliases on it exactly as base.py configures them when
    MOTCUA_S3_BUCKET is set."""
    client = s3_client(moto_endpoint)
    name = f"motcua-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name)
    alias = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": name,
            "endpoint_url": moto_endpoint,
            "region_name": REGION,
            "access_key": "test",
            "secret_key": "test",
            "file_overwrite": False,
            "default_acl": None,
            "max_memory_size": 1024 * 1024,
        },
    }
    others = {k: v for k, v in settings.STORAGES.items() if k not in ("documents", "default")}
    with override_settings(STORAGES={**others, "documents": alias, "default": alias}):
        yield Bucket(client, name)

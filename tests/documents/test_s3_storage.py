"""The same storage API on S3-compatible object storage (django-storages), against moto's server."""

import pytest
from django.conf import settings
from django.test import override_settings

from motcua.documents.models import StoredFile
from motcua.documents.services import stored_file_bytes, stored_file_put
from tests.documents.factories import pdf_bytes

pytestmark = pytest.mark.django_db

BUCKET = "motcua-tai-lieu"


@pytest.fixture
def s3(monkeypatch):
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket=BUCKET)
    alias = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            "access_key": "test",
            "secret_key": "test",
            "file_overwrite": False,
            "default_acl": None,
        },
    }
    storages_setting = {k: v for k, v in settings.STORAGES.items() if k != "documents"}
    with override_settings(STORAGES={**storages_setting, "documents": alias}):
        yield client
    server.stop()


def test_files_go_to_the_bucket_once_and_are_never_overwritten(s3):
    data = pdf_bytes("Bản sao trích lục")
    stored = stored_file_put(data)
    head = s3.head_object(Bucket=BUCKET, Key=stored.storage_name)
    assert head["ContentLength"] == len(data)
    StoredFile.objects.all().delete()
    again = stored_file_put(data)
    assert again.storage_name == stored.storage_name and stored_file_bytes(again) == data
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [stored.storage_name]
    assert (
        s3.head_object(Bucket=BUCKET, Key=stored.storage_name)["LastModified"]
        == head["LastModified"]
    )

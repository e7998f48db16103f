"""The register's attachments move from the database to the one file store (ADR 0042).

Each row's content is written under its content-addressed name (exchange/ab/cd/<sha256>, the
name motcua.exchange.files gives) in the storage alias "documents" (or the default storage where
none is defined, as motcua.documents.storage does), then the column is dropped. Backwards, the
content is read back into the column. Rows are read one at a time (a file is at most
MOTCUA_EXCHANGE_MAX_ATTACHMENT_BYTES). No app code is imported.
"""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import migrations, models

MODELS = ("OutgoingFile", "IncomingFile")


def _storage():
    return storages["documents"] if "documents" in settings.STORAGES else storages["default"]


def _name(sha256: str) -> str:
    return f"exchange/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def to_store(apps, schema_editor):
    storage = _storage()
    for model_name in MODELS:
        model = apps.get_model("exchange", model_name)
        for pk in model.objects.filter(storage_name="").values_list("pk", flat=True).iterator():
            data = bytes(model.objects.filter(pk=pk).values_list("data", flat=True).get())
            sha256 = hashlib.sha256(data).hexdigest()
            name = _name(sha256)
            if not storage.exists(name):
                saved = storage.save(name, ContentFile(data, name=sha256))
                if saved != name:  # a concurrent writer won the name: same bytes, drop ours
                    storage.delete(saved)
            model.objects.filter(pk=pk).update(storage_name=name, sha256=sha256, size=len(data))


def to_database(apps, schema_editor):
    storage = _storage()
    for model_name in MODELS:
        model = apps.get_model("exchange", model_name)
        for pk, name in model.objects.values_list("pk", "storage_name").iterator():
            with storage.open(name, "rb") as handle:
                model.objects.filter(pk=pk).update(data=handle.read())


class Migration(migrations.Migration):
    dependencies = [("exchange", "0002_lienthong_intake")]

    operations = [
        migrations.AddField(
            model_name="incomingfile",
            name="storage_name",
            field=models.CharField(default="", max_length=255, verbose_name="tên lưu trữ"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="outgoingfile",
            name="storage_name",
            field=models.CharField(default="", max_length=255, verbose_name="tên lưu trữ"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="incomingfile",
            name="data",
            field=models.BinaryField(default=b"", verbose_name="nội dung"),
        ),
        migrations.AlterField(
            model_name="outgoingfile",
            name="data",
            field=models.BinaryField(default=b"", verbose_name="nội dung"),
        ),
        migrations.RunPython(to_store, to_database),
        migrations.RemoveField(model_name="incomingfile", name="data"),
        migrations.RemoveField(model_name="outgoingfile", name="data"),
    ]

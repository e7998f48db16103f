"""The files registered before 0004 were never checked for a digital signature (0004 added the
column with False for every row), so the report's share of signed outgoing documents (seed II.6.1)
counted them all as unsigned. Each existing PDF is checked once here, as a new file is when it is
registered (motcua.documents.signing.pdf_signed: a signature intact over the whole file, trusted
or not). The content is read from the file store one row at a time; a file the store no longer
has stays unsigned (the fixity job reports it)."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import migrations

MODELS = ("OutgoingFile", "IncomingFile")


def _storage():
    return storages["documents"] if "documents" in settings.STORAGES else storages["default"]


def signatures_checked(apps, schema_editor):
    from motcua.documents.signing import pdf_signed

    storage = _storage()
    for model_name in MODELS:
        model = apps.get_model("exchange", model_name)
        unchecked = model.objects.filter(signed=False).exclude(storage_name="")
        for row in unchecked.only("pk", "name", "content_type", "storage_name").iterator():
            if row.content_type != "application/pdf" and not row.name.lower().endswith(".pdf"):
                continue
            try:
                with storage.open(row.storage_name, "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            if pdf_signed(data):
                model.objects.filter(pk=row.pk).update(signed=True)


class Migration(migrations.Migration):
    dependencies = [("exchange", "0005_lienthong_answers_by_sweep")]

    operations = [migrations.RunPython(signatures_checked, migrations.RunPython.noop)]

"""Migration 0003 moves the register's attachments from the database to the file store (ADR 0042),
and back when reversed."""

import hashlib
from datetime import date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from motcua.documents.storage import documents_storage
from motcua.exchange.files import exchange_file_bytes, exchange_file_name

BEFORE = [("exchange", "0002_lienthong_intake")]
AFTER = [("exchange", "0003_attachments_in_file_store")]
PDF = b"%PDF-1.4 cong van cu\n" + bytes(range(256)) * 8


@pytest.mark.django_db(transaction=True)
def test_existing_attachments_move_to_the_file_store_and_back():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    unit = old.get_model("org", "Unit").objects.create(
        code="000.00.12.H27", name="Sở Tư pháp", kind="department"
    )
    document = old.get_model("exchange", "OutgoingDocument").objects.create(
        unit=unit, year=2024, number=3, symbol="STP-VP", document_type="1", subject="V/v cũ",
        place="Hà Tĩnh", issued_on=date(2024, 6, 1), signer_name="Nguyễn Văn A",
        registered_at=timezone.make_aware(datetime(2024, 6, 1, 8, 0)),
    )  # fmt: skip
    files = old.get_model("exchange", "OutgoingFile").objects
    files.create(document=document, name="cv.pdf", content_type="application/pdf",
                 content_id="c1", data=PDF, size=len(PDF), sha256="")  # fmt: skip
    try:
        MigrationExecutor(connection).migrate(AFTER)
        # The model as it stands at 0003 (later migrations add columns the table lacks here).
        after = MigrationExecutor(connection).loader.project_state(AFTER).apps
        moved = after.get_model("exchange", "OutgoingFile").objects.get()
        sha256 = hashlib.sha256(PDF).hexdigest()
        assert (moved.storage_name, moved.sha256) == (exchange_file_name(sha256), sha256)
        assert exchange_file_bytes(moved) == PDF and moved.size == len(PDF)
        columns = [c.name for c in connection.introspection.get_table_description(
            connection.cursor(), "exchange_outgoingfile")]  # fmt: skip
        assert "data" not in columns and "storage_name" in columns
        # Backwards: the content is read back into the column.
        MigrationExecutor(connection).migrate(BEFORE)
        back = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        row = back.get_model("exchange", "OutgoingFile").objects.get()
        assert bytes(row.data) == PDF
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
        documents_storage().delete(exchange_file_name(hashlib.sha256(PDF).hexdigest()))

"""`motcua reform iso-sync` and migration 0002 (the old IsoVersion rows become document issues)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from motcua.catalog.services import catalog_import
from motcua.reform.models import IsoProcess
from tests.catalog.factories import SO, history_document, make_units

pytestmark = pytest.mark.django_db


def test_iso_sync_command_reports_what_it_added_and_removed(capsys):
    make_units()
    catalog_import(None, history_document())
    call_command("reform", "iso-sync", "--at", "2023-01-01", "--agency", SO)
    out = capsys.readouterr().out
    assert "Đồng bộ danh mục ISO ngày 01/01/2023: thêm 2, ngừng áp dụng 0, liên kết 0." in out
    assert "Thêm: 2.000977, 2.001417" in out or "Thêm: 2.001417, 2.000977" in out
    call_command("reform", "iso-sync", "--at", "2025-07-01", "--agency", SO)
    assert "Ngừng áp dụng: 2.001417" in capsys.readouterr().out
    assert IsoProcess.objects.filter(in_scope_until__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["iso-sync", "--at", "30/06/2023"], "không đúng dạng"),
        (["iso-sync", "--at", "2023-06-30", "--agency", "000.99.99.H27"], "Không có đơn vị"),
        (["iso-sync", "--at", "2023-06-30"], "Chưa xác định cơ quan"),
    ],
)
def test_iso_sync_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("reform", *args)
    assert not IsoProcess.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_migration_turns_old_versions_into_superseding_issues_with_their_review():
    executor = MigrationExecutor(connection)
    executor.migrate([("reform", "0001_initial")])
    old = MigrationExecutor(connection).loader.project_state([("reform", "0001_initial")]).apps
    unit = old.get_model("org", "Unit").objects.create(
        code="000.01.12.H27", name="Văn phòng Sở", kind="division"
    )
    process = old.get_model("reform", "IsoProcess").objects.create(
        code="QT-VP-01", name="Kiểm soát tài liệu", kind="internal", unit=unit
    )
    versions = old.get_model("reform", "IsoVersion").objects
    versions.create(process=process, version="01", issued_on=date(2022, 3, 1),
                    next_review_on=date(2023, 3, 1), decision="25/QĐ-STP")  # fmt: skip
    versions.create(process=process, version="02", issued_on=date(2023, 3, 15),
                    next_review_on=date(2024, 3, 15), reviewed_on=date(2023, 6, 20))  # fmt: skip
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([("reform", "0002_iso_register")])
        new = (
            MigrationExecutor(connection)
            .loader.project_state([("reform", "0002_iso_register")])
            .apps
        )
        issues = list(
            new.get_model("reform", "IsoDocumentVersion")
            .objects.filter(document__code="QT-VP-01")
            .order_by("issued_on")
        )
        assert [(v.version, v.supersedes_id) for v in issues] == [
            ("01", None), ("02", issues[0].pk),
        ]  # fmt: skip
        review = new.get_model("reform", "IsoDocumentReview").objects.get()
        assert (review.version_id, review.reviewed_on, review.next_review_on) == (
            issues[1].pk, date(2023, 6, 20), date(2024, 3, 15),
        )  # fmt: skip
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )

# A file source for the papers that came with a liên thông dossier (ADR 0044).

from django.db import migrations, models

# SQLite changes a CHECK constraint or a column by rebuilding the table: the rebuilt table's rename
# fails while triggers of other tables name it (the indicator rollup's, indicators/0002-0003), and
# the old table's own triggers are dropped with it. So every trigger is set aside here (its SQL in a
# temporary table) and put back, exactly as it was installed, after the rebuild. PostgreSQL alters
# in place and keeps its triggers.
ASIDE = "motcua_triggers_aside"


def triggers_set_aside(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE {ASIDE} AS "
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        )
        cursor.execute(f"SELECT name FROM {ASIDE}")
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER "{name}"')


def triggers_put_back(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT sql FROM {ASIDE}")
        for (sql,) in cursor.fetchall():
            cursor.execute(sql)
        cursor.execute(f"DROP TABLE {ASIDE}")


def papers_of_packages(apps):
    """The papers ADR 0042 attached, as citizen uploads by nobody, to dossiers opened from liên
    thông packages (dossiers/0015 gives those dossiers their channel)."""
    return apps.get_model("documents", "ComponentFile").objects.filter(
        component__dossier__channel="lienthong", uploaded_by__isnull=True
    )


def source_set(apps, schema_editor):
    papers_of_packages(apps).filter(source="citizen_upload").update(source="lienthong")


def source_unset(apps, schema_editor):
    papers_of_packages(apps).filter(source="lienthong").update(source="citizen_upload")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_j_signers_result_drafts"),
        ("dossiers", "0015_lienthong_channel"),
    ]

    operations = [
        migrations.RunPython(triggers_set_aside, triggers_put_back),
        migrations.RemoveConstraint(
            model_name="componentfile",
            name="componentfile_source_valid",
        ),
        migrations.AlterField(
            model_name="componentfile",
            name="source",
            field=models.CharField(
                choices=[
                    ("desk_scan", "Số hoá tại Bộ phận Một cửa"),
                    ("citizen_upload", "Công dân tải lên"),
                    ("reuse", "Tái sử dụng dữ liệu đã số hoá"),
                    ("lienthong", "Nhận qua liên thông"),
                ],
                max_length=16,
                verbose_name="nguồn",
            ),
        ),
        migrations.AddConstraint(
            model_name="componentfile",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("source__in", ["desk_scan", "citizen_upload", "reuse", "lienthong"])
                ),
                name="componentfile_source_valid",
            ),
        ),
        migrations.RunPython(triggers_put_back, triggers_set_aside),
        migrations.RunPython(source_set, source_unset),
    ]

# Dossier.national_account_verified (ADR 0035). On SQLite, Django adds a NOT NULL column by
# rebuilding the table, and renaming the rebuilt table fails once the indicator rollup's triggers
# (indicators/0002) name dossiers_dossier: so SQLite gets a plain ALTER TABLE ADD COLUMN (a
# constant default is allowed there); other databases the schema editor's own statement.

from django.db import migrations, models

TABLE = "dossiers_dossier"
COLUMN = "national_account_verified"


def _field():
    field = models.BooleanField(default=False)
    field.set_attributes_from_name(COLUMN)
    return field


def column_add(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f'ALTER TABLE "{TABLE}" ADD COLUMN "{COLUMN}" bool NOT NULL DEFAULT 0'
        )
    else:
        schema_editor.add_field(apps.get_model("dossiers", "Dossier"), _field())


def column_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'ALTER TABLE "{TABLE}" DROP COLUMN "{COLUMN}"')
    else:
        schema_editor.remove_field(apps.get_model("dossiers", "Dossier"), _field())


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0012_ops_dossier_finished_idx"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="dossier",
                    name=COLUMN,
                    field=models.BooleanField(
                        default=False, verbose_name="nộp bằng tài khoản Cổng DVCQG/VNeID"
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(column_add, column_drop)],
        ),
    ]

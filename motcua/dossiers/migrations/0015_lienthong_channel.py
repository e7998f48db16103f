# A fourth channel, liên thông (ADR 0044), and return_channel limited to the ways a result is
# handed to the applicant.

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


def opened_from_packages(apps):
    """The dossiers ADR 0042 opened from liên thông packages (recorded online until now)."""
    intakes = apps.get_model("exchange", "LienthongIntake").objects.filter(dossier__isnull=False)
    return apps.get_model("dossiers", "Dossier").objects.filter(pk__in=intakes.values("dossier_id"))


def lienthong_set(apps, schema_editor):
    # After the triggers are back: the change marks those reception days for the rollup.
    dossiers = opened_from_packages(apps).filter(channel="online")
    dossiers.filter(return_channel="online").update(return_channel="")
    dossiers.update(channel="lienthong")


def lienthong_unset(apps, schema_editor):
    dossiers = opened_from_packages(apps).filter(channel="lienthong")
    dossiers.filter(return_channel="").update(return_channel="online")
    dossiers.update(channel="online")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0014_lienthong_exchange"),
        ("exchange", "0002_lienthong_intake"),
    ]

    operations = [
        migrations.RunPython(triggers_set_aside, triggers_put_back),
        migrations.RemoveConstraint(
            model_name="dossier",
            name="dossier_channel_valid",
        ),
        migrations.AlterField(
            model_name="dossier",
            name="channel",
            field=models.CharField(
                choices=[
                    ("desk", "Trực tiếp"),
                    ("online", "Trực tuyến"),
                    ("post", "Bưu chính công ích"),
                    ("lienthong", "Liên thông"),
                ],
                max_length=12,
                verbose_name="kênh nộp",
            ),
        ),
        migrations.AddConstraint(
            model_name="dossier",
            constraint=models.CheckConstraint(
                condition=models.Q(("channel__in", ["desk", "online", "post", "lienthong"])),
                name="dossier_channel_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="dossier",
            constraint=models.CheckConstraint(
                condition=models.Q(("return_channel__in", ["", "desk", "online", "post"])),
                name="dossier_return_channel_valid",
            ),
        ),
        migrations.RunPython(triggers_put_back, triggers_set_aside),
        migrations.RunPython(lienthong_set, lienthong_unset),
    ]

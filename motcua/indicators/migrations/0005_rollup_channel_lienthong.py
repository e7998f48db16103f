# The rollup rows copy the dossier's channel: wide enough for "lienthong" (ADR 0044).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0004_rollup_field_grain"),
    ]

    operations = [
        migrations.AlterField(
            model_name="dossierrollup",
            name="channel",
            field=models.CharField(max_length=12),
        ),
        migrations.AlterField(
            model_name="steprollup",
            name="channel",
            field=models.CharField(max_length=12),
        ),
    ]

# Liên thông over the document exchange (ADR 0034 "Liên thông"): a consultation may name an agency
# of another system by its organ code, with the official letter sent to it.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0013_national_account_flag"),
        ("exchange", "0001_exchange_registers"),
        ("org", "0002_unit_kind_district"),
    ]

    operations = [
        migrations.AlterField(
            model_name="dossierconsultation",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.unit",
                verbose_name="đơn vị được hỏi",
            ),
        ),
        migrations.AddField(
            model_name="dossierconsultation",
            name="organ_id",
            field=models.CharField(
                blank=True, max_length=64, verbose_name="mã định danh cơ quan ngoài"
            ),
        ),
        migrations.AddField(
            model_name="dossierconsultation",
            name="organ_name",
            field=models.CharField(blank=True, max_length=255, verbose_name="tên cơ quan ngoài"),
        ),
        migrations.AddField(
            model_name="dossierconsultation",
            name="outgoing_document",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="consultations",
                to="exchange.outgoingdocument",
                verbose_name="công văn gửi qua trục liên thông",
            ),
        ),
    ]

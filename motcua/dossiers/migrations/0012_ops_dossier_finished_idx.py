# The dossiers finished today, read at every Prometheus scrape (motcua.ops.gauges, ADR 0028).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0011_i_change_feed'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(condition=models.Q(('finished_at__isnull', False)), fields=['finished_at'], name='dossier_finished_idx'),
        ),
    ]

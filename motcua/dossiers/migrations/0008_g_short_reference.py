"""Short references for online submissions (docs/adr/0021), back-filled for existing online
dossiers. The alphabet and the check character are frozen here (no app code imported)."""

import secrets

from django.db import migrations, models

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
BODY = 8


def _check_character(body):
    # The alphabet has a prime number of characters (29): the check makes
    # sum((i + 1) * value[i]) over the nine characters divisible by 29, so every single wrong
    # character and every swap of two neighbours changes the sum and is caught (as ISO 7064).
    n = len(ALPHABET)
    total = sum((i + 1) * ALPHABET.index(char) for i, char in enumerate(body))
    inverse = pow(len(body) + 1, -1, n)  # of the check character's weight
    return ALPHABET[(-total * inverse) % n]


def _new(taken):
    while True:
        body = "".join(secrets.choice(ALPHABET) for _ in range(BODY))
        reference = body + _check_character(body)
        if reference not in taken:
            taken.add(reference)
            return reference


def backfill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    taken = set()
    pending = []
    for dossier in Dossier.objects.filter(channel="online", short_reference__isnull=True).only("pk"):
        dossier.short_reference = _new(taken)
        pending.append(dossier)
        if len(pending) >= 2000:
            Dossier.objects.bulk_update(pending, ["short_reference"])
            pending = []
    Dossier.objects.bulk_update(pending, ["short_reference"])


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0007_report_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="short_reference",
            field=models.CharField(
                blank=True, max_length=12, null=True, unique=True, verbose_name="mã tra cứu ngắn"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]

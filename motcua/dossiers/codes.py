"""Dossier codes per Circular 01/2018/TT-VPCP art. 19: `<receiving unit code>-YYMMDD-XXXX`.

XXXX is the 4-digit sequence of dossiers the unit received that day, restarting at 0001 each day.
A busy unit past 9.999 dossiers in a day gets 5 digits rather than a wrapped or truncated number.
"""

import re
from datetime import date, datetime

from django.db import connection, transaction
from django.utils import timezone

from .models import DailySequence


def dossier_code_next(unit, received_at: datetime) -> str:
    """Take the next code of `unit` for the day of `received_at` (local time).

    Must run inside the transaction that creates the dossier: the number is only final when that
    transaction commits, which keeps the daily sequence gapless.
    """
    day = timezone.localtime(received_at).date()
    return format_dossier_code(unit.code, day, dossier_number_take(unit.pk, day))


def dossier_number_take(unit_id: int, day: date) -> int:
    """Take the next number of unit `unit_id` on `day`, inside the creating transaction.

    The day's row stays locked by this transaction until it ends, so another taker waits for the
    commit (then gets the next number) or the rollback (then gets this one): unique and gapless.
    Take it as late as the transaction allows: every other desk of the unit waits on that lock.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("dossier_code_next phải chạy trong giao dịch tạo hồ sơ.")
    if not connection.features.can_return_columns_from_insert:  # SQLite before 3.35
        return _number_take_in_three_statements(unit_id, day)
    quote = connection.ops.quote_name
    table, unit, day_, last = (
        quote(name) for name in (DailySequence._meta.db_table, "unit_id", "day", "last_value")
    )
    # One statement: insert the day's first number, or add one to the row (locking it) if the
    # day has begun, even when another transaction inserted it a moment ago.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({unit}, {day_}, {last}) VALUES (%s, %s, 1)"
            f" ON CONFLICT ({unit}, {day_}) DO UPDATE SET {last} = {table}.{last} + 1"
            f" RETURNING {last}",
            [unit_id, connection.ops.adapt_datefield_value(day)],
        )
        return cursor.fetchone()[0]


def dossier_code_write(dossier, day: date, **fields) -> None:
    """Take the next number of the dossier's receiving unit on `day` and write the dossier's code,
    with `fields` (other columns of the dossier), as the last write of the creating transaction.

    On PostgreSQL in one statement (the number, then the update, in a data-modifying WITH), so the
    unit's row is locked for one round trip less before the commit; elsewhere in two.
    """
    unit = dossier.receiving_unit
    if connection.vendor != "postgresql":
        dossier.code = format_dossier_code(unit.code, day, dossier_number_take(unit.pk, day))
        type(dossier).objects.filter(pk=dossier.pk).update(code=dossier.code, **fields)
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("dossier_code_next phải chạy trong giao dịch tạo hồ sơ.")
    quote = connection.ops.quote_name
    model = type(dossier)
    columns = [model._meta.get_field(name) for name in fields]
    table = quote(DailySequence._meta.db_table)
    # The number as format_dossier_code writes it: 4 digits at least, more past 9999.
    code = "%s || CASE WHEN n.last_value < 10000 THEN lpad(n.last_value::text, 4, '0')"
    code += " ELSE n.last_value::text END"
    sets = "".join(f", {quote(f.column)} = %s" for f in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH n AS (INSERT INTO {table} (unit_id, day, last_value) VALUES (%s, %s, 1)"
            f" ON CONFLICT (unit_id, day) DO UPDATE SET last_value = {table}.last_value + 1"
            " RETURNING last_value)"
            f" UPDATE {quote(model._meta.db_table)} SET code = {code}{sets} FROM n"
            " WHERE id = %s RETURNING code",
            [
                unit.pk,
                day,
                _code_prefix(unit.code, day),
                *(f.get_db_prep_save(fields[f.name], connection) for f in columns),
                dossier.pk,
            ],
        )
        dossier.code = cursor.fetchone()[0]


def _number_take_in_three_statements(unit_id: int, day: date) -> int:
    # Insert-if-missing cannot race: a conflicting insert is ignored, then every taker locks the row.
    DailySequence.objects.bulk_create(
        [DailySequence(unit_id=unit_id, day=day, last_value=0)], ignore_conflicts=True
    )
    sequence = DailySequence.objects.select_for_update().get(unit_id=unit_id, day=day)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return sequence.last_value


def format_dossier_code(unit_code: str, day, number: int) -> str:
    return f"{_code_prefix(unit_code, day)}{number:04d}"


def _code_prefix(unit_code: str, day) -> str:
    return f"{unit_code}-{day:%y%m%d}-"


# --- short references of online submissions (docs/adr/0021) --------------------------------------
#
# Nine characters: eight random ones and a check character (weighted sum mod 29), from an alphabet
# without the letters people confuse with digits or each other (no 0/O, 1/I/L, no U/V pair).
# 29^8 ≈ 5·10^11 references: with 10.000 dossiers holding one, a guess (that passes the check)
# finds one once in 50 million tries, at 30 tries a minute per address; and it shows only the
# status — the detail needs the phone's or ID's last digits too.

SHORT_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"  # noqa: S105 (no secret: an alphabet)
SHORT_REFERENCE_BODY = 8


def _check_character(body: str) -> str:
    """The alphabet has a prime number of characters (29): the check makes
    sum((i + 1) * value[i]) over the nine characters divisible by 29, so every single wrong
    character and every swap of two neighbours changes the sum and is caught (as ISO 7064)."""
    n = len(SHORT_REFERENCE_ALPHABET)
    total = sum((i + 1) * SHORT_REFERENCE_ALPHABET.index(char) for i, char in enumerate(body))
    inverse = pow(len(body) + 1, -1, n)  # of the check character's weight
    return SHORT_REFERENCE_ALPHABET[(-total * inverse) % n]


def short_reference_new() -> str:
    import secrets

    body = "".join(secrets.choice(SHORT_REFERENCE_ALPHABET) for _ in range(SHORT_REFERENCE_BODY))
    return body + _check_character(body)


def short_reference_parse(text: str) -> str | None:
    """The canonical short reference typed as `text` (any case, spaces and dashes anywhere), or
    None when it is not one (wrong length, a letter outside the alphabet, a failed check)."""
    compact = "".join(ch for ch in (text or "") if ch not in " -\t\n.").upper()
    if len(compact) != SHORT_REFERENCE_BODY + 1:
        return None
    if any(ch not in SHORT_REFERENCE_ALPHABET for ch in compact):
        return None
    body, check = compact[:-1], compact[-1]
    return compact if _check_character(body) == check else None


def short_reference_display(reference: str) -> str:
    """Grouped to read aloud: 'K7MP-X3QA-9'."""
    return f"{reference[:4]}-{reference[4:8]}-{reference[8:]}" if reference else ""


_OFFICIAL_CODE = re.compile(r"^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-*(\d{6})-*(\d{4,})$")


def dossier_code_parse(text: str) -> str | None:
    """The official code `<unit>-YYMMDD-NNNN` as typed with any case, spaces or extra dashes
    ('000.00.99.h26 - 240105 -0001'), or None when it does not have that shape."""
    compact = "".join((text or "").split()).upper()
    found = _OFFICIAL_CODE.match(compact)
    return "-".join(found.groups()) if found else None

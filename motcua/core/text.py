"""Vietnamese text helpers: accent folding for search, number and date formatting."""

import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower-case, accent-free form used for search columns: 'Lý lịch Tư pháp' -> 'ly lich tu phap'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def name_key(name: str) -> str:
    """A person's name as compared for identity (the desk's ID conflict, the national sign-on's
    link): case and spacing aside, diacritics count — Hùng and Hưng are two people."""
    return " ".join(unicodedata.normalize("NFC", name or "").casefold().split())


def format_number(value: int) -> str:
    """22128 -> '22.128' (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def format_decimal(value, places: int = 1) -> str:
    """3.74 → "3,7"; 1.50 → "1,5" (places=2); 22128 → "22.128": rounded half up to `places`,
    trailing zeros dropped, Vietnamese separators (figures in a report, points of the PAR index)."""
    quantum = Decimal(1).scaleb(-places)
    text = f"{Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP):f}"
    integer, _, decimals = text.partition(".")
    integer = format_number(int(integer))
    decimals = decimals.rstrip("0")
    return f"{integer},{decimals}" if decimals else integer


def format_money(amount: int | None) -> str:
    """120000 -> '120.000 đồng', the one way an amount is written for a person; None -> '—'."""
    if amount is None or amount == "":
        return "—"
    return f"{format_number(int(amount))} đồng"


# Names a line must never break inside ("VIỆT / NAM", "HÀ / TĨNH" in a document's header).
PLACE_NAMES = ("Việt Nam",)


def keep_names_together(text: str, names: tuple[str, ...] = ()) -> str:
    """Bind the words of each place name with no-break spaces, in any letter case."""
    for name in (*PLACE_NAMES, *names):
        for variant in (name, name.upper(), name.lower()):
            text = text.replace(variant, variant.replace(" ", "\u00a0"))
    return text


def address_join(line: str, place: str) -> str:
    """The declared address line, then the official ward and province, each said once: a line
    that already names the ward or the province ("…, Hà Tĩnh") does not get it twice."""
    said = {_place_key(part) for part in line.split(",") if part.strip()}
    extra = [part.strip() for part in place.split(",") if _place_key(part) not in said]
    return ", ".join(part for part in (line.strip(), *extra) if part)


_PLACE_PREFIXES = ("thanh pho ", "tinh ", "phuong ", "xa ", "thi tran ", "dac khu ")


def _place_key(part: str) -> str:
    key = fold(part)
    for prefix in _PLACE_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def format_date_long(value: date) -> str:
    """date(2023, 6, 30) -> 'ngày 30 tháng 6 năm 2023'."""
    return f"ngày {value.day:02d} tháng {value.month} năm {value.year}"

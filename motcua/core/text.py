"""Vietnamese text helpers: accent folding for search, number and date formatting."""

import unicodedata
from datetime import date

_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower-case, accent-free form used for search columns: 'Lý lịch Tư pháp' -> 'ly lich tu phap'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def format_number(value: int) -> str:
    """22128 -> '22.128' (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def format_money(amount: int | None) -> str:
    """120000 -> '120.000 đồng', the one way an amount is written for a person; None -> '—'."""
    if amount is None or amount == "":
        return "—"
    return f"{format_number(int(amount))} đồng"


def format_date_long(value: date) -> str:
    """date(2023, 6, 30) -> 'ngày 30 tháng 6 năm 2023'."""
    return f"ngày {value.day:02d} tháng {value.month} năm {value.year}"

"""The banks that VietQR routes to, by BIN (State Bank of Vietnam list + the non-970 BINs that NAPAS
routes), shipped as data in `data/vn_bank_bins.csv` (source: docs/payments.md). The list changes
with mergers and new digital banks, so an unknown 6-digit BIN is never refused by the parser; the
administrator's form only offers the listed ones."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BINS_FILE = Path(__file__).resolve().parent / "data" / "vn_bank_bins.csv"


@dataclass(frozen=True)
class Bank:
    bin: str
    short_name: str
    code: str
    name: str


@cache
def banks() -> dict[str, Bank]:
    with BINS_FILE.open(encoding="utf-8") as handle:
        return {
            row["bin"]: Bank(
                bin=row["bin"],
                short_name=row["short_name"],
                code=row["vietqr_code"] or row["alt_code"],
                name=row["name_vi"],
            )
            for row in csv.DictReader(handle)
        }


def bank_by_bin(bin: str) -> Bank | None:
    return banks().get((bin or "").strip())


def bank_choices() -> list[tuple[str, str]]:
    return sorted(
        ((b.bin, f"{b.short_name} ({b.bin})") for b in banks().values()),
        key=lambda choice: choice[1].lower(),
    )

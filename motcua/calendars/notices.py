"""What each year's official holiday notice decided beyond the statutory days, 2023–2026.

Statutory holidays (Labour Code 2019 art. 112, incl. the lunar ones and their compensatory days)
come from the `holidays` package. The notices (Bộ LĐTBXH until 2025, Bộ Nội vụ since) add the
swaps: a weekday off in exchange for a Saturday worked. They are stored as calendar entries so an
administrator can correct or extend them; these rows seed that table. Migration
0002_official_notices_2023_2026 loads a frozen copy of them into every database, so an installation
computes these years right without the demo; `motcua calendar seed` puts back any that were deleted.
"""

from datetime import date

from .models import EntryKind

NOTICE_2024 = "Thông báo nghỉ lễ 30/4, 1/5 năm 2024 (Bộ LĐTBXH)"
NOTICE_2025 = "Thông báo nghỉ lễ 30/4, 1/5 năm 2025 (Bộ Nội vụ)"
NOTICE_2026 = "Thông báo nghỉ lễ Quốc khánh năm 2026 (Bộ Nội vụ)"

SEED_ENTRIES: tuple[tuple[date, str, str, str], ...] = (
    (
        date(2024, 4, 29),
        EntryKind.DAY_OFF,
        "Nghỉ hoán đổi dịp 30/4–1/5 (làm bù thứ Bảy 04/05/2024)",
        NOTICE_2024,
    ),
    (date(2024, 5, 4), EntryKind.WORKING_DAY, "Làm bù cho thứ Hai 29/04/2024", NOTICE_2024),
    (
        date(2025, 5, 2),
        EntryKind.DAY_OFF,
        "Nghỉ hoán đổi dịp 30/4–1/5 (làm bù thứ Bảy 26/04/2025)",
        NOTICE_2025,
    ),
    (date(2025, 4, 26), EntryKind.WORKING_DAY, "Làm bù cho thứ Sáu 02/05/2025", NOTICE_2025),
    (
        date(2026, 8, 31),
        EntryKind.DAY_OFF,
        "Nghỉ hoán đổi dịp Quốc khánh (làm bù thứ Bảy 22/08/2026)",
        NOTICE_2026,
    ),
    (date(2026, 8, 22), EntryKind.WORKING_DAY, "Làm bù cho thứ Hai 31/08/2026", NOTICE_2026),
)

"""Dossiers for the indicator tests, written through the bulk import path (`motcua dossiers
import`), as the reviewers will: one CSV row per dossier."""

import csv
import io
from datetime import datetime
from itertools import count
from zoneinfo import ZoneInfo

from motcua.dossiers.importing import HEADER, dossiers_import

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
CENTRE = "000.00.40.H27"
PROCEDURE = "2.001417"
_numbers = count(1)


def at(text: str) -> str:
    """'2024-04-26 09:00' (local) → ISO with +07:00; ISO texts with an offset pass unchanged."""
    if "+" in text[10:] or text.endswith("Z"):
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    return datetime.fromisoformat(text).replace(tzinfo=HCM).isoformat()


def row(
    received: str,
    *,
    due: str | None = "",
    finished: str | None = "",
    returned: str | None = "",
    channel: str = "desk",
    return_channel: str = "",
    supplements: int = 0,
    status: str | None = None,
    unit: str = CENTRE,
    procedure: str = PROCEDURE,
) -> dict:
    received_iso = at(received)
    local_day = datetime.fromisoformat(received_iso).astimezone(HCM)
    if status is None:
        status = "10" if returned else ("9" if finished else "4")
    return {
        "code": f"{unit}-{local_day:%y%m%d}-{next(_numbers):04d}",
        "procedure_code": procedure,
        "unit_code": unit,
        "channel": channel,
        "received_at": received_iso,
        "due_at": at(due) if due else "",
        "finished_at": at(finished) if finished else "",
        "returned_at": at(returned) if returned else "",
        "return_channel": return_channel,
        "status": status,
        "supplement_requests": str(supplements),
        "applicant_name": "Nguyễn Văn An",
        "applicant_id": "",
    }


def import_rows(rows: list[dict]):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for item in rows:
        writer.writerow([item[column] for column in HEADER])
    return dossiers_import(None, io.StringIO(buffer.getvalue()))

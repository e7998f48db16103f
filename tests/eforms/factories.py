"""The 2023 judicial-record procedure as the demo catalogue has it (LOCAL-STP-001, announced by
DLM-01/2022, its papers naming Mẫu số 03/2013/TT-LLTP), and a citizen's complete answers; the
same for the forms added since: the judicial-record request in force today (3.000333, DLM-02/2025,
Mẫu số 01/2025/LLTP) and the civil-status confirmation (2.002516)."""

import copy
import json

from motcua.catalog.services import catalog_import
from tests.catalog.factories import DEMO_DATA

CODE = "LOCAL-STP-001"
DECISION = "DLM-01/2022"


def demo_version_document(code: str = CODE, decision: str = DECISION) -> dict:
    """One procedure version of the demo catalogue, alone, as a catalogue document."""
    doc = json.loads((DEMO_DATA / "catalogue.json").read_text(encoding="utf-8"))
    procedure = next(p for p in doc["procedures"] if p["code"] == code)
    version = next(v for v in procedure["versions"] if v["decision"] == decision)
    return copy.deepcopy(
        {
            "format": doc["format"],
            "fields": [f for f in doc["fields"] if f["code"] == version["field"]],
            "decisions": [d for d in doc["decisions"] if d["number"] == decision],
            "procedures": [{**procedure, "versions": [version]}],
        }
    )


def lltp_2023_load() -> None:
    """On top of the `desk` fixture's units (the same codes as the demo's)."""
    catalog_import(None, demo_version_document())


def answers(**overrides) -> dict:
    """What Nguyễn Thị Hương (CCCD 042190001234: a woman born in 1990, Hà Tĩnh) declares."""
    base = {
        "full_name": "NGUYỄN THỊ HƯƠNG",
        "other_name": "",
        "gender": "Nữ",
        "date_of_birth": "05/03/1990",
        "place_of_birth": "Xã Cẩm Xuyên, huyện Cẩm Xuyên, tỉnh Hà Tĩnh",
        "nationality": "Việt Nam",
        "permanent_residence": "Thôn 3, xã Cẩm Xuyên, huyện Cẩm Xuyên, tỉnh Hà Tĩnh",
        "temporary_residence": "",
        "id_kind": "Căn cước công dân",
        "id_number": "042190001234",
        "id_issued_on": "10/05/2021",
        "id_issued_by": "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
        "phone": "0912345678",
        "email": "",
        "father_name": "NGUYỄN VĂN AN",
        "father_birth_date": "01/01/1960",
        "mother_name": "TRẦN THỊ BÌNH",
        "mother_birth_date": "02/02/1962",
        "spouse_name": "",
        "spouse_birth_date": "",
        "residence": [
            {"from": "05/03/2004", "to": "31/08/2008", "place": "Thôn 3, xã Cẩm Xuyên, Hà Tĩnh", "occupation": "Học sinh"},
            {"from": "01/09/2008", "to": "30/06/2012", "place": "Phường Bến Thủy, TP Vinh, Nghệ An", "occupation": "Sinh viên, Trường Đại học Vinh"},
            {"from": "01/07/2012", "to": "01/05/2024", "place": "Thôn 3, xã Cẩm Xuyên, Hà Tĩnh", "occupation": "Giáo viên, Trường THCS Cẩm Xuyên"},
        ],
        "criminal_record": "",
        "card_kind": "Phiếu lý lịch tư pháp số 1",
        "purpose": "Bổ sung hồ sơ xin việc",
        "copies": "2",
        "ban_confirmation": "Không",
    }  # fmt: skip
    base.update(overrides)
    return base


LLTP_TODAY = ("3.000333", "DLM-02/2025")
CIVIL_STATUS_CONFIRMATION = ("2.002516", "DLM-01/2022")


def lltp_today_answers(**overrides) -> dict:
    """Mẫu số 01/2025/LLTP: the 2013 answers and the one field it adds (dân tộc)."""
    return answers(**{"ethnicity": "Kinh", "id_kind": "Thẻ Căn cước công dân", **overrides})


def confirmation_answers(**overrides) -> dict:
    """Nguyễn Thị Hương asks to confirm her father's birth registration."""
    base = {
        "full_name": "NGUYỄN THỊ HƯƠNG",
        "id_number": "042190001234",
        "id_kind": "Thẻ Căn cước công dân",
        "id_issued_on": "10/05/2021",
        "id_issued_by": "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
        "residence_kind": "Thường trú",
        "residence": "Thôn 3, xã Cẩm Xuyên, tỉnh Hà Tĩnh",
        "relationship": "Con đẻ",
        "phone": "0912345678",
        "email": "",
        "subject_name": "NGUYỄN VĂN AN",
        "subject_birth_date": "01/01/1960",
        "subject_gender": "Nam",
        "subject_ethnicity": "Kinh",
        "subject_nationality": "Việt Nam",
        "subject_id_number": "",
        "subject_id_issued_on": "",
        "subject_id_issued_by": "",
        "subject_residence": "Thôn 3, xã Cẩm Xuyên, tỉnh Hà Tĩnh",
        "content": "Ông Nguyễn Văn An đã đăng ký khai sinh tại UBND xã Cẩm Xuyên năm 1960",
        "reason": "Bổ sung hồ sơ hưởng chế độ người có công",
    }
    base.update(overrides)
    return base

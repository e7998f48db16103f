"""Build motcua/demo/data/catalogue.json — the demo department's procedure catalogue, with versions.

    .venv/bin/python -m motcua.demo.build_catalogue --shared ../shared

Reads ../shared/data/doj_catalogue.csv (real names, national codes, times, fees, channels from the
national portal, mid-2026) and writes the catalogue of Sở Tư pháp tỉnh Hà Tĩnh as it stood in
H1/2023 (122 public procedures: 110 at the provincial public administration service centre, 12 legal
aid ones at the Legal Aid Centre; 20 toàn trình + 90 một phần; 14 postal; 2 internal), then the
changes of 1 July 2025 as versions by decision. The output is deterministic; the demo itself never
reads ../shared. Every choice that is a demo assumption rather than a sourced fact is marked here
and summarised in motcua/demo/README.md.
"""

import argparse
import csv
import json
import re
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from motcua.demo import catalogue_rules

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "data" / "catalogue.json"
ORG_UNITS = HERE / "data" / "org_units.json"
# The official content of the procedures whose sources were found (components, results, conditions,
# fee bases), each with its source; every other procedure gets no components and shows "chưa có dữ
# liệu chính thức" (ADR 0033).
CONTENT = HERE / "data" / "procedure_content.json"

# --- Units (codes from data/org_units.json) ---------------------------------------------------
SO = "000.00.12.H27"  # Sở Tư pháp
VP = "000.01.12.H27"  # Văn phòng Sở
XDKT = "000.03.12.H27"  # Phòng Xây dựng, kiểm tra và theo dõi thi hành pháp luật
PBGDPL = "000.04.12.H27"  # Phòng Phổ biến, giáo dục pháp luật
HCBTTP = "000.05.12.H27"  # Phòng Hành chính và Bổ trợ tư pháp
TGPL = "000.06.12.H27"  # Trung tâm Trợ giúp pháp lý nhà nước
TTPVHCC = "000.00.40.H27"  # Trung tâm Phục vụ hành chính công tỉnh
CONG_AN = "000.00.50.H27"  # Công an tỉnh
UBND_TINH = "000.00.00.H27"
HUYEN = "000.00.31.H27"  # UBND thành phố Hà Tĩnh (cấp huyện, until 30/6/2025)
XA = "000.00.71.H27"  # UBND phường Thành Sen (a commune-level unit since 1/7/2025)

# --- Fields --------------------------------------------------------------------------------------
FIELDS = {
    "Lý lịch tư pháp": "LLTP",
    "Hộ tịch": "HT",
    "Chứng thực": "CT",
    "Quốc tịch": "QT",
    "Nuôi con nuôi": "NCN",
    "Luật sư": "LS",
    "Công chứng": "CC",
    "Đấu giá tài sản": "DGTS",
    "Trợ giúp pháp lý": "TGPL",
    "Giám định tư pháp": "GDTP",
    "Thừa phát lại": "TPL",
    "Trọng tài thương mại": "TTTM",
    "Hòa giải thương mại": "HGTM",
    "Quản tài viên": "QTV",
    "Bồi thường nhà nước": "BTNN",
    "Tư vấn pháp luật": "TVPL",
    "Hỗ trợ pháp lý cho doanh nghiệp nhỏ và vừa": "HTPLDN",
    "Phổ biến, giáo dục pháp luật": "PBGDPL",
}

# Legal basis by field; the second text is the basis after 1 July 2025 where it changed.
LEGAL_BASIS = {
    "LLTP": ("Luật Lý lịch tư pháp năm 2009; Thông tư số 244/2016/TT-BTC", None),
    "HT": ("Luật Hộ tịch năm 2014; Nghị định số 123/2015/NĐ-CP", None),
    "CT": ("Nghị định số 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực", None),
    "QT": ("Luật Quốc tịch Việt Nam năm 2008 (sửa đổi, bổ sung năm 2014)", None),
    "NCN": ("Luật Nuôi con nuôi năm 2010; Nghị định số 19/2011/NĐ-CP", None),
    "LS": ("Luật Luật sư năm 2006 (sửa đổi, bổ sung năm 2012)", None),
    "CC": ("Luật Công chứng năm 2014", "Luật Công chứng năm 2024"),
    "DGTS": ("Luật Đấu giá tài sản năm 2016", "Luật Đấu giá tài sản năm 2016 (sửa đổi năm 2024)"),
    "TGPL": ("Luật Trợ giúp pháp lý năm 2017", None),
    "GDTP": ("Luật Giám định tư pháp năm 2012 (sửa đổi, bổ sung năm 2020)", None),
    "TPL": ("Nghị định số 08/2020/NĐ-CP về tổ chức và hoạt động của Thừa phát lại", None),
    "TTTM": ("Luật Trọng tài thương mại năm 2010; Nghị định số 63/2011/NĐ-CP", None),
    "HGTM": ("Nghị định số 22/2017/NĐ-CP về hòa giải thương mại", None),
    "QTV": ("Luật Phá sản năm 2014; Nghị định số 22/2015/NĐ-CP", None),
    "BTNN": ("Luật Trách nhiệm bồi thường của Nhà nước năm 2017", None),
    "TVPL": ("Nghị định số 77/2008/NĐ-CP về tư vấn pháp luật", None),
    "HTPLDN": ("Luật Hỗ trợ doanh nghiệp nhỏ và vừa năm 2017; Nghị định số 55/2019/NĐ-CP", None),
    "PBGDPL": ("Luật Phổ biến, giáo dục pháp luật năm 2012", None),
}
REFORM_2025 = "Nghị định số 120/2025/NĐ-CP, Nghị định số 121/2025/NĐ-CP; Thông tư số 08/2025/TT-BTP"

# --- Decisions -----------------------------------------------------------------------------------
# Only 1106/QĐ-UBND is a real Hà Tĩnh decision (seed report, footnote 12). The others are plainly
# demo decisions: their numbers start with DLM ("dữ liệu mẫu") and their titles say so.
D_BASE = "DLM-01/2022"
D_HUYEN = "DLM-02/2022"
D_INTERNAL = "1106/QĐ-UBND"
D_REFORM = "DLM-01/2025"
D_LLTP = "DLM-02/2025"
DECISIONS = [
    {
        "number": D_BASE,
        "signed_on": "2022-08-10",
        "effective_from": "2022-08-15",
        "issuer": "Chủ tịch UBND tỉnh Hà Tĩnh",
        "title": "Quyết định công bố danh mục TTHC thuộc thẩm quyền giải quyết của Sở Tư pháp "
        "tỉnh Hà Tĩnh (dữ liệu mẫu)",
    },
    {
        "number": D_HUYEN,
        "signed_on": "2022-08-10",
        "effective_from": "2022-08-15",
        "issuer": "Chủ tịch UBND tỉnh Hà Tĩnh",
        "title": "Quyết định công bố danh mục TTHC lĩnh vực hộ tịch thuộc thẩm quyền giải quyết "
        "của UBND cấp huyện (dữ liệu mẫu)",
    },
    {
        "number": D_INTERNAL,
        "signed_on": "2023-05-17",
        "effective_from": "2023-05-17",
        "issuer": "Chủ tịch UBND tỉnh Hà Tĩnh",
        "title": "Quyết định về việc công bố thủ tục hành chính nội bộ thuộc phạm vi quản lý "
        "của Sở Tư pháp tỉnh Hà Tĩnh",
    },
    {
        "number": D_REFORM,
        "signed_on": "2025-06-30",
        "effective_from": "2025-07-01",
        "issuer": "Chủ tịch UBND tỉnh Hà Tĩnh",
        "title": "Quyết định công bố danh mục TTHC được ban hành mới, sửa đổi, bổ sung, thay thế "
        "ngành Tư pháp khi thực hiện chính quyền địa phương hai cấp (dữ liệu mẫu)",
    },
    {
        "number": D_LLTP,
        "signed_on": "2025-06-30",
        "effective_from": "2025-07-01",
        "issuer": "Chủ tịch UBND tỉnh Hà Tĩnh",
        "title": "Quyết định công bố TTHC lĩnh vực lý lịch tư pháp chuyển giao từ Sở Tư pháp "
        "sang Công an tỉnh (dữ liệu mẫu)",
    },
]
EFFECTIVE = {d["number"]: d["effective_from"] for d in DECISIONS}

# --- Which procedures, and how they changed -------------------------------------------------------
# Judicial records in 2023: the old Sở codes are not known (doj_catalogue.md, caveat 2), so local
# codes; each is replaced on 1/7/2025 by the Bộ Công an code carried out by Công an tỉnh.
LLTP_2023 = [
    (
        "LOCAL-STP-001",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
        "3.000333",
    ),
    (
        "LOCAL-STP-002",
        "Cấp Phiếu lý lịch tư pháp cho cơ quan nhà nước, tổ chức chính trị, tổ chức chính trị - "
        "xã hội (đối tượng là công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam)",
        "3.000334",
    ),
    (
        "LOCAL-STP-003",
        "Cấp Phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng (đối tượng là công dân Việt Nam, "
        "người nước ngoài đang cư trú tại Việt Nam)",
        "3.000335",
    ),
]

# Notary procedures in 2023 under Luật Công chứng 2014. Renumbered in 2025 (doj_catalogue.md,
# caveat 3): 1.012019 → 3.000444 is known; the other old codes are not, so local codes replaced by
# the 2025 codes. Names are the 2025 names (the 2014-law wording differed slightly).
CC_RENUMBERED = {"1.012019": "3.000444"}
CC_2023_LOCAL = [
    "1.013807", "1.013808", "1.013810", "1.013812", "1.013816", "1.013818", "1.013859",
    "1.013830", "1.013832", "1.013834", "1.013835", "1.013836", "1.013837", "1.013839",
    "1.013840", "1.013842", "1.013843", "1.013846", "1.013848",
]  # fmt: skip

# Powers that were the ministry's in 2023 and moved to the province on 1/7/2025 (Nghị định
# 121/2025/NĐ-CP) or procedures created by the 2024 laws: announced at the Sở in 2025. The split is
# our reading of the legal bases — a demo assumption, listed in README.md.
FROM_2025 = {
    # Công chứng: appointment of notaries; private-enterprise notary offices (Luật Công chứng 2024)
    "1.013803", "1.013804", "1.013805", "1.013806", "1.013849", "1.013852", "1.013853", "1.013856",
    # Luật sư: practising certificates, recognition of foreign training
    "1.000688", "1.000828", "1.001928", "1.008614", "1.008624", "1.008628",
    # Quản tài viên: practising certificates
    "1.002681", "1.014965", "1.014966", "2.001117", "2.001130",
    # Đấu giá tài sản: practising certificates, probation test, branches (Luật sửa đổi 2024)
    "1.000802", "1.003915", "2.002139", "1.013634", "1.013635",
    # Trọng tài thương mại: licences of centres and foreign branches
    "1.001609", "1.008886", "1.008888", "2.000819", "2.000822",
    # Hòa giải thương mại: licences of centres and foreign branches
    "1.008907", "1.008908", "1.008909", "1.008911",
}  # fmt: skip

# District-level civil-status procedures (with a foreign element) in 2023, at UBND cấp huyện; on
# 1/7/2025 they move to the commune level (same national codes). One district and one ward stand
# for all of them in the demo organisation.
HT_HUYEN = ["2.000528", "2.000806", "1.001766", "2.000779", "2.000748", "2.000522", "2.000513",
            "1.001669"]  # fmt: skip

# The 20 toàn trình procedures of 2023 (seed: 20/110 under QĐ 1656/QĐ-UBND of 15/8/2022; the list
# itself is not public here). Chosen in the fields the seed names for online dossiers (LLTP, hộ tịch,
# đấu giá, luật sư, công chứng) and where the national data has toàn trình evidence.
TOAN_TRINH = {
    "LOCAL-STP-001", "LOCAL-STP-002", "LOCAL-STP-003", "2.000635", "2.002516",
    "1.002010", "1.002032", "1.002055", "1.002079", "1.002099", "1.002153", "1.008709", "1.002218",
    "1.012019", "CC:1.013810", "CC:1.013830", "CC:1.013836",
    "2.001247", "2.001258", "2.001333",
}  # fmt: skip

# The 14 procedures accepting postal dossiers in 2023 (seed: "14/14 TTHC ... bưu chính công ích").
POSTAL = {
    "LOCAL-STP-001", "LOCAL-STP-002", "LOCAL-STP-003", "2.000635", "2.002516", "2.000908",
    "1.005136", "2.001895", "1.002153", "1.002010", "1.002032", "CC:1.013859", "CC:1.013807",
    "2.001395",
}  # fmt: skip

# Processing times where the source has no single "N Ngày làm việc" value: demo estimates from the
# source's text (step durations, unit-less totals), in working days unless marked "h".
TIME_OVERRIDES = {
    "2.002191": "10", "1.013804": "20", "1.013805": "20", "1.013806": "20", "1.013810": "10",
    "2.000635": "4h", "2.002516": "3", "1.002099": "5", "1.008614": "12", "1.003160": "15",
    "1.003198": "15", "1.003976": "60", "1.004878": "90", "1.005136": "5", "2.001895": "5",
    "2.000592": "15", "2.000829": "5", "2.001680": "4h",
}  # fmt: skip

# Fee defects of the source (doj_catalogue.md, caveat 5) corrected: the statutory amount in VND.
FEE_OVERRIDES = {
    "1.002010": 50_000, "1.002079": 50_000, "1.002398": 50_000, "1.005136": 100_000,
    "1.008628": 800_000, "1.002032": 0, "1.002055": 0, "1.013836": 0,
    "1.002198": 1_000_000,  # source: "Miễn phí" but cites a halved fee of 500.000 đ
    "2.001895": None,  # "20 VNĐ" is the fee abroad (USD); the domestic fee is not in the source
}  # fmt: skip

# Who handles what inside the Sở (Quyết định 85/QĐ-STP on the units' duties is cited by the seed
# but not at hand: demo assignment).
HANDLER = {"BTNN": XDKT, "HTPLDN": XDKT, "PBGDPL": PBGDPL, "TGPL": TGPL}

# Procedures with an internal process recorded (the main ones: judicial records and a dozen+ more).
WITH_STEPS = {
    "LOCAL-STP-001", "LOCAL-STP-002", "LOCAL-STP-003", "2.000635", "2.002516", "2.000908",
    "1.002153", "1.002010", "1.002032", "CC:1.013859", "CC:1.013807", "CC:1.013836", "2.001395",
    "2.001333", "2.000587", "2.000829", "1.008927", "1.005136", "2.002193", "1.002626", "1.009832",
}  # fmt: skip

# Legal aid procedures decided by the centre itself (the others are decided by the Sở).
TGPL_BY_CENTRE = {"2.000829", "2.001680", "2.001687"}

# The written rule of a derived internal process (no published Hà Tĩnh quy trình nội bộ was found).
DERIVED_PROCESS = (
    "Suy ra theo quy tắc của dữ liệu mẫu (motcua/demo/README.md, “Internal processes”): tiếp nhận "
    "0,5 ngày, thẩm định, lãnh đạo phòng xem xét, lãnh đạo Sở ký, trả kết quả; chưa tìm được quyết "
    "định phê duyệt quy trình nội bộ của UBND tỉnh Hà Tĩnh cho thủ tục này"
)


def load_content() -> dict:
    data = json.loads(CONTENT.read_text(encoding="utf-8"))
    return {"sources": data["sources"], "procedures": data["procedures"]}


def official(code: str, content: dict) -> dict | None:
    """The official content of a procedure in the catalogue's shape, or None when not found."""
    entry = content["procedures"].get(code)
    if entry is None:
        return None
    components = []
    for c in entry["components"]:
        if c.get("source") not in content["sources"]:
            raise SystemExit(f"{code}: giấy tờ “{c['name']}” ghi nguồn không có trong “sources”")
        source = content["sources"][c["source"]]
        if c["source"] == "NR":
            source = f"{source}bo-*/{code}.json"
        components.append(
            {
                "name": c["name"],
                "form": c["form"],
                "count": c["count"],
                "mandatory": c["mandatory"],
                "condition": c.get("condition", ""),
                "template": c.get("template", ""),
                "legal_basis": c.get("legal_basis", ""),
                "source": source,
            }
        )
    return {
        "components": components,
        "results": entry["results"],
        "conditions": entry.get("conditions", ""),
        "content_source": entry["content_source"],
        "fee_basis": entry.get("fee_basis", ""),
    }


def read_rows(shared: Path) -> dict[str, dict]:
    with open(shared / "data" / "doj_catalogue.csv", encoding="utf-8") as fh:
        return {row["national_code"]: row for row in csv.DictReader(fh)}


def processing_time(code: str, row: dict) -> dict:
    value = TIME_OVERRIDES.get(code)
    if value is None:
        if row["processing_days"]:
            value = row["processing_days"]
        else:
            match = re.fullmatch(r"(\d+) (?:Ngày|ngày)(?: \(nguồn không ghi đơn vị\))?",
                                 row["processing_time_text"])  # fmt: skip
            if not match:
                raise SystemExit(f"{code}: no usable processing time: add it to TIME_OVERRIDES")
            value = match.group(1)  # "N Ngày" without "làm việc": read as working days (demo)
    if value.endswith("h"):
        return {"value": value[:-1], "unit": "working_hours"}
    return {"value": value, "unit": "working_days"}


def fees(code: str, row: dict, field: str) -> list[dict]:
    if code.startswith("LOCAL-STP-00"):
        if code == "LOCAL-STP-001":
            return [
                {"name": "Phí cung cấp thông tin lý lịch tư pháp", "amount": 200_000},
                {
                    "name": "Phí cung cấp thông tin lý lịch tư pháp (sinh viên, người có công với "
                    "cách mạng, thân nhân liệt sĩ)",
                    "amount": 100_000,
                },
            ]
        return []
    if code in FEE_OVERRIDES:
        amount = FEE_OVERRIDES[code]
    else:
        match = re.match(r"([\d,]+) VNĐ", row["fee_text"])
        amount = int(match.group(1).replace(",", "")) if match else 0
    if not amount:
        return []
    name = "Lệ phí" if field in {"QT", "NCN", "HT"} else "Phí thẩm định, lệ phí"
    return [{"name": name, "amount": amount}]


def channels(level: str, postal: bool) -> tuple[list[str], list[str]]:
    intake = ["desk"] if level == "none" else ["desk", "online"]
    returns = ["desk", "post"] if level != "toan_trinh" else ["desk", "online", "post"]
    if postal:
        intake.append("post")
    return intake, returns


def steps_for(total: Decimal, *, receive: str, handler: str, signer: str | None) -> list[dict]:
    """The derived internal process (DERIVED_PROCESS), budgets summing exactly to `total` hours.

    From 3 working days: reception 0,5 day (4 h), the head's review and the leader's signature
    0,5 day each (1 day each from 10 days), return 0,5 day, appraisal the rest. Shorter procedures
    keep the same five steps in the proportions 1/8, 1/2, 1/8, 1/8, 1/8 of their time. Without a
    leader's signature (decided by the legal aid centre) its share goes to the appraisal."""
    if total >= 24:
        edge = Decimal(4)
        review = sign = Decimal(8) if total >= 80 else Decimal(4)
    else:
        edge = review = sign = total / 8
    if signer is None:
        sign = Decimal(0)
    work = total - 2 * edge - review - sign
    assert work > 0, total
    steps = [
        ("Tiếp nhận, kiểm tra và chuyển hồ sơ", receive, "desk_officer", edge),
        ("Thẩm định hồ sơ, dự thảo kết quả", handler, "specialist", work),
        ("Lãnh đạo đơn vị xem xét, trình ký", handler, "division_head", review),
        ("Lãnh đạo Sở ký kết quả", signer, "department_leader", sign),
        ("Trả kết quả", receive, "desk_officer", edge),
    ]
    return [
        {"name": name, "unit": unit, "role": role, "budget_hours": _hours(hours)}
        for name, unit, role, hours in steps
        if hours > 0
    ]


def _hours(value: Decimal) -> str:
    return format(value.normalize(), "f")


def version(
    *,
    decision: str,
    name: str,
    field: str,
    competent: str,
    receiving: str,
    level: str,
    time: dict,
    fee_list: list[dict],
    results: list[str],
    postal: bool,
    legal_basis: str,
    steps: list[dict],
    change: str = "announced",
    replaced_by: str | None = None,
    found: dict | None = None,
) -> dict:
    """One version; `found` is the official content (official()), None when not found: then no
    components at all, never a placeholder paper."""
    intake, returns = channels(level, postal)
    return {
        "decision": decision,
        "change": change,
        "effective_from": EFFECTIVE[decision],
        "replaced_by": replaced_by,
        "name": name,
        "field": field,
        "competent_agency": competent,
        "receiving_unit": receiving,
        "level": level,
        "processing_time": time,
        "fees": [fee | {"legal_basis": found["fee_basis"] if found else ""} for fee in fee_list],
        "components": found["components"] if found else [],
        "results": found["results"] if found else results,
        "intake_channels": intake,
        "return_channels": returns,
        "legal_basis": legal_basis,
        "conditions": found["conditions"] if found else "",
        "content_source": found["content_source"] if found else "",
        "steps": steps,
        "process_source": DERIVED_PROCESS if steps else "",
        "process_derived": bool(steps),
    }


def total_hours(time: dict) -> Decimal:
    value = Decimal(time["value"])
    return value * 8 if time["unit"] == "working_days" else value


def result_for(name: str) -> list[str]:
    if name.startswith("Cấp Phiếu"):
        return ["Phiếu lý lịch tư pháp"]
    return [
        "Văn bản giải quyết thủ tục hành chính (quyết định, giấy tờ được cấp hoặc văn bản trả lời)"
    ]


def build(shared: Path) -> dict:
    rows = read_rows(shared)
    content = load_content()
    tinh = {c: r for c, r in rows.items() if r["authority_level"] == "tinh"}
    lltp_new = {new for _, _, new in LLTP_2023}
    procedures: dict[str, dict] = {}

    def add(code: str, versions: list[dict], internal: bool = False) -> None:
        assert code not in procedures, code
        procedures[code] = {"code": code, "is_internal": internal, "versions": versions}

    def sở_version(key: str, code: str, name: str, field: str, row: dict | None, decision: str,
                   level: str | None = None, postal: bool | None = None) -> dict:  # fmt: skip
        time = (
            {"value": "10", "unit": "working_days"}
            if field == "LLTP"
            else processing_time(code if row is None else row["national_code"], row)
        )
        legal_aid = field == "TGPL"
        receiving = TGPL if legal_aid else TTPVHCC
        handler = HANDLER.get(field, HCBTTP)
        competent = TGPL if code in TGPL_BY_CENTRE else SO
        if level is None:
            level = "none" if legal_aid else ("toan_trinh" if key in TOAN_TRINH else "mot_phan")
        if postal is None:
            postal = key in POSTAL
        if field == "LLTP":
            fee_list = fees(code, {}, field)
        else:
            fee_list = fees(row["national_code"], row, field)
        found = official(code, content)
        steps = []
        if key in WITH_STEPS or found is not None:
            signer = None if code in TGPL_BY_CENTRE else SO
            steps = steps_for(total_hours(time), receive=receiving, handler=handler, signer=signer)
        basis = LEGAL_BASIS[field][0]
        if decision in (D_REFORM, D_LLTP):
            basis = f"{LEGAL_BASIS[field][1] or basis}; {REFORM_2025}"
        return version(
            decision=decision,
            name=name,
            field=field,
            competent=competent,
            receiving=receiving,
            level=level,
            time=time,
            fee_list=fee_list,
            results=result_for(name),
            postal=postal,
            legal_basis=basis,
            steps=steps,
            found=found,
        )

    # 1. Judicial records: Sở in 2023, Công an tỉnh from 1/7/2025.
    for local, name, new in LLTP_2023:
        old = sở_version(local, local, name, "LLTP", None, D_BASE)
        ended = dict(old, decision=D_LLTP, change="replaced", replaced_by=new,
                     effective_from=EFFECTIVE[D_LLTP])  # fmt: skip
        add(local, [old, ended])
    for _, _, new in LLTP_2023:
        row = tinh[new]
        add(new, [version(
            decision=D_LLTP, name=row["name"], field="LLTP", competent=CONG_AN, receiving=CONG_AN,
            level="toan_trinh", time={"value": "10", "unit": "working_days"},
            fee_list=fees("LOCAL-STP-001", {}, "LLTP") if new == "3.000333" else [],
            results=["Phiếu lý lịch tư pháp"], postal=True,
            legal_basis="Luật Lý lịch tư pháp năm 2009; Quyết định số 1025/QĐ-BCA của Bộ Công an "
            "công bố TTHC lĩnh vực lý lịch tư pháp; Thông tư số 244/2016/TT-BTC", steps=[],
            found=official(new, content),
        )])  # fmt: skip

    # 2. Notary procedures: 2023 codes (local where unknown) replaced by the 2025 codes.
    cc_pairs = [(old, new) for old, new in CC_RENUMBERED.items()]
    cc_pairs += [(f"LOCAL-STP-{11 + i:03d}", new) for i, new in enumerate(CC_2023_LOCAL)]
    for old, new in cc_pairs:
        row = tinh[new]
        key = old if old in TOAN_TRINH else f"CC:{new}"
        name = (
            "Công nhận hoàn thành tập sự hành nghề công chứng" if old == "1.012019" else row["name"]
        )
        first = sở_version(key, old, name, "CC", row, D_BASE)
        ended = dict(first, decision=D_REFORM, change="replaced", replaced_by=new,
                     effective_from=EFFECTIVE[D_REFORM])  # fmt: skip
        add(old, [first, ended])
        successor = sở_version(key, new, row["name"], "CC", row, D_REFORM,
                               level=first["level"], postal=row["postal"] == "yes")  # fmt: skip
        add(new, [successor])

    # 3. Every other provincial procedure of the national record.
    renumbered = set(CC_2023_LOCAL) | set(CC_RENUMBERED.values())
    for code, row in sorted(tinh.items()):
        if code in lltp_new or code in renumbered:
            continue
        field = FIELDS[row["field"]]
        if code in FROM_2025:
            level = row["level"] if row["level"] in {"toan_trinh", "none"} else "mot_phan"
            if field == "TGPL":
                level = "none"
            add(code, [sở_version(code, code, row["name"], field, row, D_REFORM, level=level,
                                  postal=row["postal"] == "yes")])  # fmt: skip
        else:
            add(code, [sở_version(code, code, row["name"], field, row, D_BASE)])

    # 4. District-level civil status (2023) → commune level (1/7/2025).
    for code in HT_HUYEN:
        row = rows[code]
        time = processing_time(code, row) if row["processing_days"] else _ht_time(row)
        common = dict(name=row["name"], field="HT", level="mot_phan", time=time, fee_list=[],
                      results=result_for(row["name"]), postal=False, steps=[])  # fmt: skip
        add(code, [
            version(decision=D_HUYEN, competent=HUYEN, receiving=HUYEN,
                    legal_basis=LEGAL_BASIS["HT"][0] + "; lệ phí theo Nghị quyết của HĐND tỉnh",
                    **common),
            version(decision=D_REFORM, change="amended", competent=XA, receiving=XA,
                    legal_basis=f"{LEGAL_BASIS['HT'][0]}; {REFORM_2025}", **common),
        ])  # fmt: skip

    # 5. The two internal procedures (TTHC nội bộ) of QĐ 1106/QĐ-UBND, 17/5/2023. Their names are
    # not in the seed: the báo cáo viên procedures (no longer TTHC since QĐ 1427/QĐ-BTP, 2020)
    # are the usual internal ones of a Sở Tư pháp — a demo assumption.
    for i, name in enumerate(
        ["Công nhận báo cáo viên pháp luật cấp tỉnh", "Miễn nhiệm báo cáo viên pháp luật cấp tỉnh"]
    ):
        add(f"LOCAL-STP-{91 + i:03d}", [version(
            decision=D_INTERNAL, name=name, field="PBGDPL", competent=UBND_TINH, receiving=SO,
            level="none", time={"value": "10", "unit": "working_days"}, fee_list=[],
            results=["Quyết định của Chủ tịch UBND tỉnh"], postal=False,
            legal_basis=LEGAL_BASIS["PBGDPL"][0] + "; Quyết định số 1106/QĐ-UBND ngày 17/5/2023",
            steps=[],
        )], internal=True)  # fmt: skip

    used = {v["field"] for p in procedures.values() for v in p["versions"]}
    return {
        "format": "motcua.catalogue/1",
        "fields": [{"code": c, "name": n} for n, c in FIELDS.items() if c in used],
        "decisions": DECISIONS,
        "procedures": [procedures[c] for c in sorted(procedures, key=_sort_key)],
    }


def _ht_time(row: dict) -> dict:
    text = row["processing_time_text"]
    if text.startswith("Trong ngày"):
        return {"value": "4", "unit": "working_hours"}
    match = re.match(r"(\d+) (?:ngày|Ngày)", text)
    if not match:
        raise SystemExit(f"{row['national_code']}: no usable processing time")
    return {"value": match.group(1), "unit": "working_days"}


def _sort_key(code: str) -> tuple:
    return (code.startswith("LOCAL"), code)


def check(doc: dict) -> dict:
    units = json.loads(ORG_UNITS.read_text(encoding="utf-8"))["units"]
    errors = catalogue_rules.validate(doc, {u["code"] for u in units})
    if errors:
        raise SystemExit("Danh mục không hợp lệ:\n" + "\n".join(errors[:50]))
    kw = {"service_centre": TTPVHCC, "legal_aid_centre": TGPL}
    return {
        "2023-03-01": catalogue_rules.shape(doc, date(2023, 3, 1), **kw),
        "2023-06-30": catalogue_rules.shape(doc, date(2023, 6, 30), **kw),
        "2026-11-01": catalogue_rules.shape(doc, date(2026, 11, 1), **kw),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    doc = build(args.shared)
    shapes = check(doc)
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    args.output.write_text(text, encoding="utf-8")
    print(f"{args.output}: {len(doc['procedures'])} thủ tục")
    for day, figures in shapes.items():
        print(day, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Sentences of the report built from its figures, in the seed report's wording (ADR 0041): the
year-on-year comparison, the announcing decisions with their footnotes, the self-inspection, the
divisions' staffing, the desk's busiest field. Each takes the report dict's sections (so an issued
report, whose figures are frozen, renders the same text) and returns "" or a sentence saying the
data is missing, never a made-up figure. Footnotes are written [[…]] (see narrative.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from motcua.core.text import format_decimal as decimal_vi
from motcua.core.text import format_number

CHANGE_WORDS = {
    "announced": "ban hành mới",
    "amended": "sửa đổi, bổ sung",
    "replaced": "thay thế",
    "repealed": "bị bãi bỏ",
}
CHANGE_ORDER = ("announced", "amended", "replaced", "repealed")


def two_digits(value: int) -> str:
    """01, 02 … 09, then 10, 1.234: how the seed writes small counts ("07/09 Phòng", "03/29")."""
    return f"{value:02d}" if 0 <= value < 10 else format_number(value)


def short_date(day: date | str) -> str:
    """'17/5/2023', '16/01/2023' — as the seed cites decisions: day padded, month padded below 3
    (Nghị định 30/2020/NĐ-CP, Phụ lục I)."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


def compare_text(current: int | None, previous: int | None, year: int, noun: str = "hồ sơ") -> str:
    """'tăng 3,7 lần so với cùng kỳ năm 2022' (ratio ≥ 2), 'tăng 12,5% so với …', 'giảm 4%
    so với …', 'bằng cùng kỳ năm 2022'; with nothing a year earlier: 'cùng kỳ năm 2022 không có
    hồ sơ' — never a division by zero."""
    if current is None or previous is None:
        return f"chưa có số liệu cùng kỳ năm {year} để so sánh"
    if previous == 0:
        return f"cùng kỳ năm {year} không có {noun}"
    if current == previous:
        return f"bằng cùng kỳ năm {year}"
    ratio = Decimal(current) / Decimal(previous)
    if ratio >= 2:
        return f"tăng {decimal_vi(ratio)} lần so với cùng kỳ năm {year}"
    change = (ratio - 1) * 100
    word = "tăng" if change > 0 else "giảm"
    return f"{word} {decimal_vi(abs(change))}% so với cùng kỳ năm {year}"


def yoy_texts(report: dict) -> dict[str, str]:
    previous = report.get("previous_year")
    counts = report["dossiers"]
    if not isinstance(previous, dict):
        year = int(report["period"]["to"][:4]) - 1
        return {
            "received_yoy_text": compare_text(None, None, year),
            "online_yoy_text": compare_text(None, None, year),
        }
    before, year = previous["dossiers"], previous["year"]
    return {
        "received_yoy_text": compare_text(counts["received"], before["received"], year),
        "online_yoy_text": compare_text(counts["received_online"], before["received_online"], year),
        "received_previous_year": format_number(before["received"]),
        "online_previous_year": format_number(before["received_online"]),
    }


def lienthong_text(counts: dict) -> str:
    """', 3 hồ sơ nhận liên thông từ cơ quan khác' after the online count, or "" when there are
    none (the seed report has none; a report frozen before ADR 0044 has no such count)."""
    received = counts.get("received_lienthong") or 0
    if not received:
        return ""
    return f", {format_number(received)} hồ sơ nhận liên thông từ cơ quan khác"


def _decision_footnote(decision: dict) -> str:
    title = decision["title"].strip().rstrip(".")
    if title.lower().startswith("quyết định "):
        title = title[len("quyết định ") :]
    issuer = decision["issuer"].strip()
    if issuer.lower().startswith("chủ tịch "):
        issuer = issuer[len("chủ tịch ") :]
    return f"[[Quyết định số {decision['number']} ngày {short_date(decision['signed_on'])} của {issuer} {title}.]]"


def _changes(by_change: dict) -> str:
    words = [CHANGE_WORDS[k] for k in CHANGE_ORDER if by_change.get(k)]
    if len(words) > 1:
        return ", ".join(words[:-1]) + " và " + words[-1]
    return words[0] if words else "công bố"


def announcements_text(section: dict | None, span: str) -> str:
    """The seed's II.2: 'Sở Tư pháp đã trình UBND tỉnh ban hành Quyết định công bố danh mục … 17
    TTHC được ban hành mới, sửa đổi, bổ sung và bị bãi bỏ … thuộc thẩm quyền giải quyết của Sở¹⁰'
    and '… Quyết định công bố 02 TTHC nội bộ …¹²', one clause per decision signed in the period."""
    if not isinstance(section, dict):
        return "Chưa có dữ liệu về Quyết định công bố TTHC trong kỳ."
    clauses = []
    for decision in section.get("decisions", []):
        note = _decision_footnote(decision)
        parts = []
        if decision["own"]:
            parts.append(
                f"Quyết định công bố danh mục và quy trình nội bộ giải quyết "
                f"{two_digits(decision['own'])} TTHC được {_changes(decision['by_change'])} "
                "thuộc thẩm quyền giải quyết của Sở"
            )
        for agency, count in sorted(decision["other_agencies"].items()):
            parts.append(
                f"Quyết định công bố {two_digits(count)} TTHC thuộc thẩm quyền giải quyết của "
                f"{agency}"
            )
        if decision["internal"]:
            parts.append(
                f"Quyết định công bố {two_digits(decision['internal'])} TTHC nội bộ thuộc phạm vi "
                "quản lý của Sở Tư pháp"
            )
        if parts:
            clauses.append("; ".join(parts) + note)
    if not clauses:
        return f"Trong {span}, không có Quyết định công bố TTHC nào của Sở được ban hành."
    return f"Trong {span}, Sở Tư pháp đã trình UBND tỉnh ban hành " + "; ".join(clauses) + "."


def inspection_text(section: dict | None, units_total: int | None) -> str:
    """The seed's I: 'Sở Tư pháp đã ban hành Kế hoạch⁷ và … kiểm tra … tại 07/09 Phòng, Trung tâm
    thuộc Sở'."""
    if not isinstance(section, dict) or section.get("available") is False:
        return "Chưa có dữ liệu về tự kiểm tra CCHC trong kỳ."
    if not section.get("rounds"):
        return "Trong kỳ, Sở chưa tổ chức đợt tự kiểm tra công tác CCHC tại các Phòng, Trung tâm."
    notes = "".join(
        f"[[{reference} của Sở Tư pháp về {_lower_first(title)}.]]"
        for reference, title in zip(section["references"], section["titles"], strict=False)
    )
    total = f"/{two_digits(units_total)}" if units_total else ""
    return (
        "Để tiếp tục nâng cao chất lượng công tác CCHC tại cơ quan, Sở Tư pháp đã ban hành Kế "
        f"hoạch{notes} và thực hiện kiểm tra việc thực hiện các nhiệm vụ liên quan đến các lĩnh "
        f"vực CCHC tại {two_digits(section['units_inspected'])}{total} Phòng, Trung tâm thuộc Sở."
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def divisions_text(organisation: dict | None) -> str:
    """The seed's II.3: 'Sở bố trí Phòng Xây dựng, … 08 công chức, trong đó có 02 Phó Trưởng
    phòng; bố trí Văn phòng Sở, … mỗi phòng 05 công chức, trong đó có 01 Phó Trưởng phòng; bố trí
    Phòng Thanh tra 04 công chức. Hiện nay, Sở còn 01 cấp Phó dôi dư …'."""
    if not isinstance(organisation, dict) or not organisation.get("divisions"):
        return ""
    groups: dict[tuple[int, int], list[str]] = {}
    for division in organisation["divisions"]:
        groups.setdefault((division["posts"], division["deputies"]), []).append(division["name"])
    clauses = []
    for (posts, deputies), names in groups.items():
        each = " mỗi phòng" if len(names) > 1 else ""
        clause = f"bố trí {', '.join(names)}{each} {two_digits(posts)} công chức"
        if deputies:
            clause += f", trong đó có {two_digits(deputies)} Phó Trưởng phòng"
        clauses.append(clause)
    text = "Sở " + "; ".join(clauses) + "."
    surplus = sum(d["surplus_deputies"] for d in organisation["divisions"])
    if surplus:
        text += (
            f" Hiện nay, Sở còn {two_digits(surplus)} cấp Phó dôi dư so với quy định tại Nghị "
            "định số 107/2020/NĐ-CP."
        )
    else:
        text += " Số lượng cấp Phó của các Phòng phù hợp quy định tại Nghị định số 107/2020/NĐ-CP."
    return text


def civil_service_text(organisation: dict | None, span: str) -> str:
    """The seed's II.4: 'đã thông báo việc thực hiện quy trình xem xét bổ nhiệm lại đối với 01
    công chức và 01 viên chức …; Nâng bậc lương trước thời hạn cho 02 công chức, 03 viên chức;
    Đề nghị nâng bậc lương trước thời hạn cho 01 công chức'."""
    if not isinstance(organisation, dict) or organisation.get("available") is False:
        return ""

    def people(counts: dict | None) -> str:
        counts = counts or {}
        words = (("civil_servant", "công chức"), ("public_employee", "viên chức"),
                 ("worker", "người lao động"))  # fmt: skip
        parts = [f"{two_digits(counts[k])} {w}" for k, w in words if counts.get(k)]
        return " và ".join(parts)

    appointments = organisation.get("appointments") or {}
    raises = organisation.get("early_salary_raises") or {}
    parts = []
    if appointments.get("appointment"):
        parts.append(f"bổ nhiệm {people(appointments['appointment'])} lãnh đạo quản lý")
    if appointments.get("reappointment"):
        parts.append(
            "thực hiện quy trình xem xét bổ nhiệm lại đối với "
            f"{people(appointments['reappointment'])} lãnh đạo quản lý"
        )
    if raises.get("granted"):
        parts.append(f"nâng bậc lương trước thời hạn cho {people(raises['granted'])}")
    if raises.get("proposed"):
        parts.append(f"đề nghị nâng bậc lương trước thời hạn cho {people(raises['proposed'])}")
    if organisation.get("courses"):
        parts.append(
            f"cử {two_digits(organisation['courses'])} lượt công chức, viên chức tham gia các lớp "
            "đào tạo, bồi dưỡng"
        )
    if not parts:
        return ""
    return f"Trong {span}, Sở đã " + "; ".join(parts) + "."


def busiest_text(section: dict | None) -> str:
    """The seed's III.3: 'Số lượng người dân xin cấp Phiếu lý lịch tư pháp … tiếp tục ở mức cao,
    từ 200-300 hồ sơ/ngày'; from the busiest field's days."""
    if not isinstance(section, dict):
        return "Chưa có hồ sơ tiếp nhận trong kỳ."
    low, high = section["busy_low"], section["busy_high"]
    busy = f"{format_number(low)}-{format_number(high)}" if low != high else format_number(high)
    return (
        f"Số lượng hồ sơ lĩnh vực {section['field_name']} tiếp tục ở mức cao: bình quân "
        f"{format_number(section['average'])} hồ sơ/ngày, những ngày cao điểm từ {busy} hồ "
        f"sơ/ngày (cao nhất {format_number(section['peak'])} hồ sơ ngày "
        f"{short_date(section['peak_day'])})"
    )


def feedback_text(received) -> str:
    if received is None:
        return "chưa có dữ liệu về phản ánh, kiến nghị"
    if received == 0:
        return "không nhận được phản ánh, kiến nghị nào"
    return f"nhận được {format_number(received)} phản ánh, kiến nghị"


def _share(part: int, whole: int) -> str:
    return decimal_vi(Decimal(part) * 100 / whole) + "%"


def signed_text(exchange: dict | None, span: str) -> str:
    """The seed's II.6.1: "Từ đầu năm đến nay, 100% văn bản của Sở Tư pháp trên hệ thống gửi nhận
    văn bản đều có chữ ký số" — from the outgoing register (documents issued in the period with a
    signed PDF); nothing when the register has none or is not there."""
    if not isinstance(exchange, dict) or not exchange.get("outgoing"):
        return ""
    total, signed = exchange["outgoing"], exchange.get("outgoing_signed", 0)
    if signed == total:
        return f"Trong {span}, 100% văn bản đi ({format_number(total)} văn bản) đều có chữ ký số."
    return (
        f"Trong {span}, {_share(signed, total)} văn bản đi ({format_number(signed)}/"
        f"{format_number(total)} văn bản) có chữ ký số."
    )


def archived_text(archives: dict | None) -> str:
    """The seed's II.6.1: "Đã thực hiện việc lập hồ sơ lưu trữ điện tử đối với 100% hồ sơ phát
    sinh" — the dossiers finished in the period and filed in an electronic work file (a dossier
    without any electronic file has nothing to file: it counts as not filed)."""
    if not isinstance(archives, dict) or not archives.get("dossiers_finished"):
        return ""
    total, filed = archives["dossiers_finished"], archives.get("dossiers_filed", 0)
    share = "100%" if filed == total else _share(filed, total)
    return (
        f"Đã lập hồ sơ lưu trữ điện tử đối với {share} hồ sơ TTHC đã giải quyết xong "
        f"({format_number(filed)}/{format_number(total)} hồ sơ)."
    )

"""The report's narrative: paragraphs following the seed report's structure (sections I–V), each a
template with {placeholders} filled from the figures, editable before issue.

Footnotes for cited documents are written inline as [[text of the citation]]: the DOCX turns each
into a real footnote, the HTML/PDF fallback into a numbered note at the end of the page.
"""

from __future__ import annotations

import re
import string

from django.core.exceptions import ValidationError

from motcua.core.text import format_number

from . import phrases

MAX_PARAGRAPH = 20_000
FOOTNOTE = re.compile(r"\[\[(.+?)\]\]", re.S)
MISSING = "…"

# (kind, key or text): "h1"/"h2"/"h3" headings are fixed; "p" paragraphs are editable by key.
STRUCTURE: list[tuple[str, str]] = [
    ("p", "opening"),
    ("h1", "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"),
    ("p", "direction"),
    ("p", "communication"),
    ("p", "inspection"),
    ("h1", "II. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH"),
    ("h2", "1. Cải cách thể chế"),
    ("p", "institutions"),
    ("h2", "2. Cải cách thủ tục hành chính"),
    ("p", "procedures"),
    ("p", "digitisation"),
    ("p", "announcements"),
    ("p", "satisfaction"),
    ("p", "feedback"),
    ("h2", "3. Cải cách tổ chức bộ máy"),
    ("p", "organisation"),
    ("p", "divisions"),
    ("h2", "4. Cải cách công vụ"),
    ("p", "civil_service"),
    ("p", "civil_service_activity"),
    ("h2", "5. Cải cách tài chính công"),
    ("p", "public_finance"),
    ("h2", "6. Xây dựng và phát triển chính phủ điện tử"),
    ("h3", "6.1. Ứng dụng công nghệ thông tin trong hoạt động của đơn vị"),
    ("p", "e_government"),
    ("h3", "6.2. Áp dụng ISO trong hoạt động của đơn vị"),
    ("p", "iso"),
    ("h1", "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"),
    ("p", "shortcomings_intro"),
    ("p", "shortcomings_staffing"),
    ("p", "shortcomings"),
    ("p", "shortcomings_desk"),
    ("h1", "IV. MỘT SỐ NHIỆM VỤ TRỌNG TÂM TRONG THỜI GIAN TỚI"),
    ("p", "next_tasks"),
    ("h1", "V. KIẾN NGHỊ, ĐỀ XUẤT"),
    ("p", "proposals"),
    ("p", "closing"),
]
PARAGRAPH_KEYS = [key for kind, key in STRUCTURE if kind == "p"]
PARAGRAPH_LABELS = {
    "opening": "Mở đầu",
    "direction": "I. Chỉ đạo, điều hành",
    "communication": "I. Tuyên truyền",
    "inspection": "I. Tự kiểm tra CCHC",
    "institutions": "II.1. Cải cách thể chế",
    "procedures": "II.2. Cải cách TTHC — hồ sơ",
    "digitisation": "II.2. Số hóa",
    "announcements": "II.2. Công bố TTHC, quy trình nội bộ",
    "satisfaction": "II.2. Đo lường sự hài lòng",
    "feedback": "II.2. Phản ánh, kiến nghị",
    "organisation": "II.3. Tổ chức bộ máy",
    "divisions": "II.3. Bố trí công chức các Phòng",
    "civil_service": "II.4. Cải cách công vụ",
    "civil_service_activity": "II.4. Bổ nhiệm, nâng lương, bồi dưỡng",
    "public_finance": "II.5. Tài chính công",
    "e_government": "II.6.1. Chính phủ điện tử",
    "iso": "II.6.2. ISO",
    "shortcomings_intro": "III. Mở đầu",
    "shortcomings_staffing": "III. Biên chế",
    "shortcomings": "III. Dịch vụ công trực tuyến",
    "shortcomings_desk": "III. Bộ phận Một cửa",
    "next_tasks": "IV. Nhiệm vụ trọng tâm",
    "proposals": "V. Kiến nghị, đề xuất",
    "closing": "Kết thúc",
}

NUMBERING = re.compile(r"^[IVX]+(?:\.\d+)*\.\s+")


def paragraph_title(key: str) -> str:
    """The label without its section number: the editor shows each heading once above it."""
    return NUMBERING.sub("", PARAGRAPH_LABELS[key])


DEFAULTS = {
    "opening": (
        "Thực hiện Kế hoạch công tác cải cách hành chính (CCHC) năm {year} của ngành Tư pháp, "
        "Sở Tư pháp báo cáo kết quả thực hiện công tác CCHC {span} như sau:"
    ),
    "direction": (
        "Ngay từ đầu năm {year}, Đảng ủy, Ban Giám đốc Sở Tư pháp đã quan tâm chỉ đạo thực hiện "
        "quyết liệt công tác CCHC; Sở đã ban hành Kế hoạch CCHC năm {year}"
        "[[Kế hoạch số 08/KH-STP ngày 16/01/2023 của Sở Tư pháp về công tác CCHC năm 2023.]]. "
        "Kế hoạch CCHC của Sở đề ra {tasks_total} nhiệm vụ cụ thể, trong đó đã hoàn thành/đã "
        "triển khai {tasks_done} nhiệm vụ, đang tiếp tục thực hiện {tasks_in_progress} nhiệm vụ, "
        "{tasks_overdue_text}."
    ),
    "communication": (
        "Sở đã tích cực hướng dẫn, hỗ trợ người dân thực hiện dịch vụ công trực tuyến, dịch vụ "
        "bưu chính công ích tại Trung tâm Phục vụ hành chính công tỉnh, qua điện thoại, email và "
        "mạng thông tin điện tử."
    ),
    "inspection": "{inspection_text}",
    "institutions": (
        "Trong {span}, Sở Tư pháp đã thẩm định {legal_appraised} dự thảo văn bản QPPL; góp ý "
        "{legal_commented} dự thảo văn bản QPPL của Trung ương và của tỉnh; tự kiểm tra "
        "{legal_self_checked} văn bản QPPL do UBND tỉnh ban hành; rà soát {legal_reviewed} văn "
        "bản QPPL của HĐND, UBND tỉnh, xác định {legal_expired_full} văn bản hết hiệu lực toàn bộ "
        "và {legal_expired_partly} văn bản hết hiệu lực một phần."
    ),
    "procedures": (
        "Hiện nay, có {procedures_public} TTHC thuộc thẩm quyền giải quyết của Sở Tư pháp, trong "
        "đó có {procedures_centre} TTHC áp dụng tại Trung tâm Phục vụ hành chính công tỉnh, "
        "{procedures_elsewhere} TTHC thực hiện tại đơn vị khác; {procedures_internal} TTHC nội bộ "
        "thuộc phạm vi quản lý của Sở. Đã tiếp nhận {received} hồ sơ (có {received_online} hồ sơ "
        "tiếp nhận trực tuyến{lienthong_text}), đã giải quyết {resolved} hồ sơ và đang giải quyết {in_progress} "
        "hồ sơ, {on_time_pct}% hồ sơ TTHC được trả kết quả đúng và trước hạn; số hồ sơ tiếp nhận "
        "{received_yoy_text}. Trong đó, Sở đã tiếp nhận {received_post} hồ sơ (đạt tỷ lệ {post_intake_pct}%"
        "/tổng số hồ sơ đã tiếp nhận, không bao gồm hồ sơ trực tuyến), gửi trả kết quả "
        "{returned_post} hồ sơ (đạt tỷ lệ {post_return_pct}%/tổng số hồ sơ đã trả kết quả) qua "
        "dịch vụ bưu chính công ích. Có {procedures_with_postal_dossiers}/"
        "{procedures_postal_intake} TTHC có phát sinh hồ sơ gửi, trả qua dịch vụ bưu chính công "
        "ích."
    ),
    "digitisation": (
        "Việc số hóa hồ sơ, giấy tờ, kết quả giải quyết TTHC được chú trọng: tỷ lệ hồ sơ TTHC "
        "đầu vào được số hóa đạt {digitised_pct}%; tỷ lệ hồ sơ thanh toán trực tuyến đạt "
        "{paid_online_pct}%."
    ),
    "announcements": "{announced_text}",
    "satisfaction": (
        "Để đánh giá chất lượng giải quyết TTHC, trong {span} Sở Tư pháp đã thực hiện phát "
        "{survey_forms} Phiếu điều tra xã hội học tại Trung tâm Phục vụ hành chính công tỉnh."
    ),
    "feedback": (
        "Trong {span}, Sở Tư pháp {feedback_text} về hành vi hành chính và quy định hành chính "
        "thuộc thẩm quyền giải quyết."
    ),
    "organisation": (
        "Hiện nay, Sở Tư pháp có {units} Phòng, Trung tâm trực thuộc, với biên chế công chức được "
        "giao {posts} người. Trong {span}, Sở Tư pháp được UBND tỉnh giao thực hiện "
        "{assigned_total} nhiệm vụ, đã hoàn thành {assigned_done} nhiệm vụ, đang tiếp tục thực "
        "hiện {assigned_in_progress} nhiệm vụ, {assigned_overdue_text}."
    ),
    "divisions": "{divisions_text}",
    "civil_service": (
        "Hiện nay, Sở Tư pháp có {staff} công chức, viên chức, người lao động. Về trình độ, "
        "{qualifications}."
    ),
    "civil_service_activity": "{civil_service_text}",
    "public_finance": (
        "Sở tiếp tục thực hiện cơ chế tự chủ, tự chịu trách nhiệm về biên chế và kinh phí hành "
        "chính; rà soát, sửa đổi Quy chế chi tiêu nội bộ và quản lý tài sản công. Trên cơ sở Nghị "
        "định số 60/2021/NĐ-CP ngày 21/6/2021 của Chính phủ quy định cơ chế tự chủ tài chính của "
        "đơn vị sự nghiệp công lập, Sở đã tiếp tục chỉ đạo, hướng dẫn {public_service_units} đơn "
        "vị sự nghiệp thuộc Sở sửa đổi, bổ sung và hoàn thiện Quy chế chi tiêu nội bộ, Quy chế "
        "quản lý tài sản công theo đúng quy định."
    ),
    "e_government": (
        "Sở Tư pháp cung cấp dịch vụ công trực tuyến một phần đối với {level_mot_phan}/"
        "{procedures_centre} TTHC và dịch vụ công trực tuyến toàn trình đối với "
        "{level_toan_trinh}/{procedures_centre} TTHC áp dụng tại Trung tâm Phục vụ hành chính "
        "công tỉnh; trong {span} đã tiếp nhận {received_online} hồ sơ dịch vụ công trực tuyến "
        "(đạt tỷ lệ {online_pct}%, {online_yoy_text}). {signed_text} {archived_text}"
    ),
    "iso": "Việc áp dụng, duy trì và cải tiến hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 "
    "tiếp tục được thực hiện. {iso_text}",
    "shortcomings_intro": (
        "Bên cạnh những kết quả đã đạt được, việc triển khai công tác CCHC của Sở Tư pháp trong "
        "{span} vẫn còn một số tồn tại, hạn chế như sau:"
    ),
    "shortcomings_staffing": (
        "1. Khối lượng công việc giao cho Sở ngày càng tăng, thường xuyên phát sinh các nhiệm vụ "
        "đột xuất; trong khi đó, hiện nay, Sở chưa có mặt {posts_vacant}/{posts_padded} biên chế "
        "công chức được giao."
    ),
    "shortcomings": (
        "2. Tỷ lệ hồ sơ được xử lý theo hình thức dịch vụ công trực tuyến còn thấp ({online_pct}%); "
        "người dân ở khu vực nông thôn còn hạn chế trong việc sử dụng tài khoản dịch vụ công, "
        "thanh toán trực tuyến."
    ),
    "shortcomings_desk": (
        "3. {busiest_text}, trong khi biên chế trực tại Bộ phận Tiếp nhận và Trả kết quả còn hạn "
        "chế, do đó việc số hóa thành phần hồ sơ đầu vào, hỗ trợ, hướng dẫn người dân tạo lập, sử "
        "dụng tài khoản dịch vụ công, thanh toán trực tuyến gặp nhiều khó khăn."
    ),
    "next_tasks": (
        "Tiếp tục triển khai hiệu quả Kế hoạch CCHC năm {year} và tổ chức tự kiểm tra công tác "
        "CCHC tại các Phòng, Trung tâm thuộc Sở theo Kế hoạch; thực hiện công tác thẩm định, góp "
        "ý, kiểm tra và rà soát văn bản QPPL; rà soát, sửa đổi, bổ sung danh mục và quy trình nội "
        "bộ giải quyết TTHC; tăng cường hỗ trợ, hướng dẫn người dân, doanh nghiệp tạo lập, sử "
        "dụng tài khoản dịch vụ công trực tuyến và thanh toán trực tuyến; tiếp tục khai thác, ứng "
        "dụng hiệu quả các phần mềm quản lý, điều hành; duy trì, cải tiến Hệ thống quản lý chất "
        "lượng theo tiêu chuẩn TCVN ISO 9001:2015."
    ),
    "proposals": (
        "Đề nghị Sở Nội vụ sớm tham mưu UBND tỉnh hoàn thiện phần mềm hỗ trợ đánh giá, theo dõi "
        "CCHC để các cơ quan, đơn vị, địa phương áp dụng thử."
    ),
    "closing": (
        "Trên đây là báo cáo kết quả thực hiện CCHC {span} của Sở Tư pháp, Sở Tư pháp báo cáo Sở "
        "Nội vụ và các cơ quan liên quan để tổng hợp./."
    ),
}


def default_paragraphs() -> dict[str, str]:
    return dict(DEFAULTS)


def paragraphs_complete(paragraphs: dict[str, str] | None) -> dict[str, str]:
    """A draft's paragraphs with the default text for any paragraph its version predates (the
    template gained paragraphs, ADR 0041), so an older draft can still be edited and rendered."""
    return {**default_paragraphs(), **(paragraphs or {})}


def placeholders_in(text: str) -> set[str]:
    names = set()
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None:
            names.add(name)
    return names


def paragraphs_validate(paragraphs: dict[str, str]) -> dict[str, str]:
    """Every paragraph key known and present, text non-empty and bounded, placeholders known and
    braces balanced. ValidationError (Vietnamese, naming the paragraph) otherwise."""
    if not isinstance(paragraphs, dict):
        raise ValidationError("Nội dung báo cáo không hợp lệ.")
    unknown = sorted(set(paragraphs) - set(PARAGRAPH_KEYS))
    if unknown:
        raise ValidationError(f"Đoạn không có trong mẫu báo cáo: {', '.join(unknown)}.")
    allowed = set(FIGURE_NAMES)
    errors = []
    cleaned = {}
    for key in PARAGRAPH_KEYS:
        text = (paragraphs.get(key) or "").strip()
        label = PARAGRAPH_LABELS[key]
        if not text:
            errors.append(f"Đoạn «{label}» không được để trống.")
            continue
        if len(text) > MAX_PARAGRAPH:
            errors.append(f"Đoạn «{label}» dài quá {format_number(MAX_PARAGRAPH)} ký tự.")
            continue
        try:
            names = placeholders_in(text)
        except ValueError:
            errors.append(
                f"Đoạn «{label}» có dấu ngoặc {{ }} không khớp; số liệu viết dạng {{received}}."
            )
            continue
        bad = sorted(n for n in names if n not in allowed)
        if bad:
            errors.append(
                f"Đoạn «{label}» dùng số liệu không có: {', '.join('{' + n + '}' for n in bad)}."
            )
            continue
        cleaned[key] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


# --- figures for the text -------------------------------------------------------------------------


def _pct(value) -> str:
    if value is None:
        return MISSING
    return f"{value:.1f}".replace(".", ",").removesuffix(",0")


def _n(value) -> str:
    if value is None:
        return MISSING
    if isinstance(value, int):
        return format_number(value)
    return str(value)


def _first(section: dict | None, *keys):
    if not section or section.get("available") is False:
        return None
    for key in keys:
        if section.get(key) is not None:
            return section[key]
    return None


def _none_overdue(overdue) -> str:
    if overdue is None:
        return f"{MISSING} nhiệm vụ quá hạn"
    return (
        "không có nhiệm vụ quá hạn"
        if overdue == 0
        else f"{format_number(overdue)} nhiệm vụ quá hạn"
    )


def span_text(date_from, date_to) -> str:
    if (date_from.month, date_from.day) == (1, 1) and (date_to.month, date_to.day) == (6, 30):
        return "6 tháng đầu năm " + str(date_to.year)
    if (date_from.month, date_from.day) == (1, 1) and (date_to.month, date_to.day) == (12, 31):
        return "năm " + str(date_to.year)
    return f"kỳ từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}"


def figures_for_text(report: dict) -> dict[str, str]:
    """Every placeholder's text, Vietnamese style (22.128; 12,4); "…" where the data is missing."""
    from datetime import date

    d, r, c = report["dossiers"], report["rates"], report["catalogue"]
    tasks, legal = report.get("tasks"), report.get("legal_documents")
    org, sat, fb, iso = (
        report.get("organisation"),
        report.get("satisfaction"),
        report.get("feedback"),
        report.get("iso"),
    )
    date_from = date.fromisoformat(report["period"]["from"])
    date_to = date.fromisoformat(report["period"]["to"])
    centre = sum(u["procedures"] for u in c["by_receiving_unit"] if u["code"].endswith(".40.H27"))
    plan = _first(tasks, "plan") if tasks else None
    plan = plan if isinstance(plan, dict) else tasks
    assigned = _first(tasks, "assigned", "assigned_by_province")
    qualifications = _first(org, "qualifications_text") or qualifications_text(
        _first(org, "qualifications")
    )
    values = {
        "year": str(date_to.year),
        "span": span_text(date_from, date_to),
        **{key: _n(d[key]) for key in d},
        **{key: _pct(r.get(key)) for key in r if key.endswith("_pct")},
        "procedures_public": _n(c["procedures_public"]),
        "procedures_centre": _n(centre),
        "procedures_elsewhere": _n(c["procedures_public"] - centre),
        "procedures_postal_intake": _n(c["procedures_postal_intake"]),
        "procedures_with_postal_dossiers": _n(c["procedures_with_postal_dossiers"]),
        "level_toan_trinh": _n(c["by_level"].get("toan_trinh")),
        "level_mot_phan": _n(c["by_level"].get("mot_phan")),
        "tasks_total": _n(_first(plan, "total")),
        "tasks_done": _n(_first(plan, "done", "completed")),
        "tasks_in_progress": _n(_first(plan, "in_progress")),
        "tasks_overdue_text": _none_overdue(_first(plan, "overdue")),
        "assigned_total": _n(_first(assigned, "total")),
        "assigned_done": _n(_first(assigned, "done", "completed")),
        "assigned_in_progress": _n(_first(assigned, "in_progress")),
        "assigned_overdue_text": _none_overdue(_first(assigned, "overdue")),
        "legal_appraised": _n(_first(legal, "appraised")),
        "legal_commented": _n(_first(legal, "commented")),
        "legal_self_checked": _n(_first(legal, "self_checked", "checked")),
        "legal_reviewed": _n(_first(legal, "reviewed")),
        "legal_expired_full": _n(_first(legal, "expired_fully", "expired_full", "expired_wholly")),
        "legal_expired_partly": _n(_first(legal, "expired_partly", "expired_partially")),
        "units": _n(_first(org, "units")),
        "posts": _n(_first(org, "posts", "civil_servant_posts")),
        "staff": _n(_first(org, "staff", "people")),
        "qualifications": qualifications or MISSING,
        "survey_forms": _n(_first(sat, "forms", "survey_forms", "responses")),
        "feedback_items": _n(_first(fb, "received", "total", "items")),
        "iso_text": _first(iso, "text", "summary") or iso_text(_first(iso, "register")),
        **phrase_figures(report, org, fb, date_from, date_to),
    }
    return values


def phrase_figures(report: dict, org, fb, date_from, date_to) -> dict[str, str]:
    """The placeholders ADR 0041 added: whole sentences from phrases.py and padded counts."""
    span = span_text(date_from, date_to)
    organisation = org if isinstance(org, dict) and org.get("available") is not False else None
    posts, vacant = _first(org, "posts"), _first(org, "posts_vacant")
    units_total = _first(org, "units")
    return {
        **phrases.yoy_texts(report),
        "procedures_internal": _n2(report["catalogue"].get("procedures_internal")),
        "announced_text": phrases.announcements_text(report.get("announcements"), span),
        "inspection_text": phrases.inspection_text(report.get("inspections"), units_total),
        "divisions_text": phrases.divisions_text(organisation) or MISSING,
        "civil_service_text": phrases.civil_service_text(organisation, span) or MISSING,
        "public_service_units": _n2(_first(org, "public_service_units")),
        "posts_vacant": _n2(vacant),
        "posts_padded": _n2(posts),
        "busiest_text": phrases.busiest_text(report.get("busiest_field")),
        "feedback_text": phrases.feedback_text(_first(fb, "received", "total", "items")),
        "signed_text": phrases.signed_text(report.get("exchange"), span),
        "archived_text": phrases.archived_text(report.get("archives")),
        "lienthong_text": phrases.lienthong_text(report["dossiers"]),
    }


def _n2(value) -> str:
    return MISSING if value is None else phrases.two_digits(value)


def iso_text(register) -> str:
    """The seed's II.6.2 sentence from the ISO register's figures on the report's last day:
    "Hiện nay, Sở Tư pháp có 122/122 TTHC và 14 quy trình nội bộ được đưa vào áp dụng HTQLCL theo
    TCVN ISO 9001:2015. Hiện nay, 04/04 đơn vị sự nghiệp thuộc Sở đã xây dựng, áp dụng …"."""
    if not isinstance(register, dict) or register.get("available") is False:
        return ""
    if register.get("procedures_in_force") is None:
        return ""
    text = (
        f"Hiện nay, Sở Tư pháp có {_n(register['procedures_in_qms'])}/"
        f"{_n(register['procedures_in_force'])} TTHC và "
        f"{_n(register.get('internal_processes'))} quy trình nội bộ được đưa vào áp dụng HTQLCL "
        "theo TCVN ISO 9001:2015."
    )
    if register.get("units_total"):
        text += (
            f" Hiện nay, {register.get('units_applying', 0):02d}/{register['units_total']:02d} "
            "đơn vị sự nghiệp thuộc Sở đã xây dựng, áp dụng hệ thống quản lý chất lượng theo "
            "tiêu chuẩn ISO 9001:2015."
        )
    return text


QUALIFICATIONS = (
    ("master_law", "Thạc sĩ Luật"),
    ("master_other", "Thạc sĩ khác"),
    ("bachelor_law", "Cử nhân Luật"),
    ("bachelor_other", "Cử nhân khác"),
    ("intermediate_other", "người tốt nghiệp Trung cấp khác"),
    ("vocational_other", "người có trình độ lái xe"),
)


def qualifications_text(counts) -> str | None:
    """'có 11 Thạc sĩ Luật, 01 Thạc sĩ khác, … và 02 người có trình độ lái xe' (the seed's II.4)."""
    if not isinstance(counts, dict):
        return None
    parts = [f"{counts[key]:02d} {label}" for key, label in QUALIFICATIONS if counts.get(key)]
    if not parts:
        return None
    text = ", ".join(parts[:-1]) + (" và " if len(parts) > 1 else "") + parts[-1]
    return "có " + text


FIGURE_NAMES = [
    "year", "span", "received", "received_online", "received_desk", "received_post", "resolved",
    "in_progress", "resolved_early", "resolved_on_time", "resolved_late", "resolved_ungraded",
    "returned_post", "online_pct", "on_time_pct", "post_intake_pct", "post_return_pct",
    "digitised_pct", "paid_online_pct", "electronic_results_pct", "reuse_pct",
    "procedures_public", "procedures_centre", "procedures_elsewhere", "procedures_postal_intake",
    "procedures_with_postal_dossiers", "level_toan_trinh", "level_mot_phan", "tasks_total",
    "tasks_done", "tasks_in_progress", "tasks_overdue_text", "assigned_total", "assigned_done",
    "assigned_in_progress", "assigned_overdue_text", "legal_appraised", "legal_commented",
    "legal_self_checked", "legal_reviewed", "legal_expired_full", "legal_expired_partly", "units",
    "posts", "staff", "qualifications", "survey_forms", "feedback_items", "iso_text",
    "received_yoy_text", "online_yoy_text", "received_previous_year", "online_previous_year",
    "procedures_internal", "announced_text", "inspection_text", "divisions_text",
    "civil_service_text", "public_service_units", "posts_vacant", "posts_padded", "busiest_text",
    "feedback_text", "signed_text", "archived_text", "received_lienthong", "lienthong_text",
]  # fmt: skip


EXTRA_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")


class _Missing(dict):
    def __missing__(self, key):
        return MISSING


def paragraph_render(template: str, figures: dict[str, str]) -> str:
    """The paragraph with its figures; footnote markers are kept for the renderer. A sentence
    that has nothing to say is empty: the spaces around it are closed up."""
    return EXTRA_SPACES.sub(" ", template.format_map(_Missing(figures))).rstrip()


def editor_outline(paragraphs: dict[str, str], figures: dict[str, str]) -> list[dict]:
    """The report's outline for the editor: each heading once, each paragraph with its key and the
    text a reader will get (figures filled, footnote markers dropped), so an officer edits prose
    while seeing numbers, not `{received}`."""
    rows = []
    for kind, key in STRUCTURE:
        if kind != "p":
            rows.append({"kind": kind, "title": key})
            continue
        rendered = paragraph_render(paragraphs.get(key, ""), figures)
        preview = "".join(text for text, _ in footnote_split(rendered))
        rows.append({"kind": "p", "key": key, "preview": preview})
    return rows


def footnote_split(text: str) -> list[tuple[str, str | None]]:
    """[(text, footnote or None), …]: each piece of text followed by the footnote cited after it."""
    pieces, last = [], 0
    for match in FOOTNOTE.finditer(text):
        pieces.append((text[last : match.start()], match.group(1).strip()))
        last = match.end()
    pieces.append((text[last:], None))
    return pieces

"""Template helpers of the indicator pages: other apps' sections shown as label/value lists."""

from django import template

from motcua.core.text import format_number

register = template.Library()

LABELS = {
    "total": "Tổng số", "done": "Đã hoàn thành", "in_progress": "Đang thực hiện",
    "not_started": "Chưa thực hiện", "overdue": "Quá hạn", "plan": "Kế hoạch CCHC",
    "assigned_by_province": "UBND tỉnh giao", "appraised": "Thẩm định", "commented": "Góp ý",
    "commented_central": "Góp ý dự thảo Trung ương", "self_checked": "Tự kiểm tra",
    "checked": "Kiểm tra", "reviewed": "Rà soát", "expired_fully": "Hết hiệu lực toàn bộ",
    "expired_partly": "Hết hiệu lực một phần", "forms": "Phiếu khảo sát",
    "index_pct": "Chỉ số hài lòng (%)", "received": "Phản ánh, kiến nghị nhận được",
    "answered": "Đã trả lời", "published": "Đã công khai", "available": "Có dữ liệu",
    "note": "Ghi chú",
    # satisfaction: per SIPAS aspect (feedback.survey_selectors)
    "by_aspect": "Theo nội dung đánh giá", "mean": "Điểm trung bình",
    "satisfied_pct": "Tỷ lệ hài lòng (%)",
    "answers": "Số câu trả lời",
    # feedback: by classification (feedback.models.Classification)
    "by_classification": "Theo phân loại", "regulation": "Quy định hành chính",
    "behaviour": "Hành vi hành chính", "unclassified": "Chưa phân loại",
}  # fmt: skip


@register.filter
def flat_items(section):
    """(dotted key, shown value) pairs of a nested dict; lists shortened."""
    rows = []

    def walk(values, prefix):
        for key, value in values.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                walk(value, f"{name}.")
            elif isinstance(value, list):
                continue
            else:
                rows.append((name, _shown(value)))

    if isinstance(section, dict):
        walk(section, "")
    return rows


def _shown(value):
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int):
        return format_number(value)
    return value


@register.filter
def figure_label(key: str) -> str:
    return " › ".join(LABELS.get(part, part) for part in key.split("."))

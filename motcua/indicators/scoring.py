"""Scored indicators: Decision 766/QĐ-TTg groups and Circular 01/2018/TT-VPCP's nine indicators,
computed where our data allow; where they do not, the value is None and `missing` says which data
is lacking — never a made-up number. Formulas: vn-regulations.md §1.9 and §3; docs/indicators.md.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, LessThan

from motcua.dossiers.models import ChannelKind, DossierStep

from . import rollup
from .models import Grade
from .scope import Scope
from .selectors import (
    dossier_counts,
    local_day,
    rate,
    resolved_details,
    timeliness_766,
)

# 766 group → maximum points (vn-regulations §3.1).
GROUP_MAX = {"CKMB": 18, "TDGQ": 20, "CLGQ": 12, "TTTT": 10, "MDHL": 18, "MDSH": 22}
GROUP_LABELS = {
    "CKMB": "Công khai, minh bạch",
    "TDGQ": "Tiến độ giải quyết",
    "CLGQ": "Dịch vụ công trực tuyến",
    "TTTT": "Thanh toán trực tuyến",
    "MDHL": "Mức độ hài lòng",
    "MDSH": "Số hóa hồ sơ",
}


def one_decimal(value: float | Decimal | None) -> float | None:
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def attainment(value: float | None, full_at: float) -> float | None:
    """766's threshold rule: ≥ full_at % gives full points, else value × max / full_at."""
    if value is None:
        return None
    return min(1.0, value / full_at)


def _indicator(code: str, label: str, value, *, full_at=None, formula: str, missing: str = ""):
    item = {"code": code, "label": label, "value": value, "formula": formula}
    if full_at is not None:
        item["full_points_at"] = full_at
        item["attainment"] = attainment(value, full_at)
    if value is None:
        item["missing"] = missing or "Chưa có dữ liệu."
    return item


def _section_value(report: dict, section: str, *keys: str):
    data = report.get(section) or {}
    if not data.get("available", True):
        return None
    for key in keys:
        if data.get(key) is not None:
            return data[key]
    return None


def decision_766(scope: Scope, report: dict) -> dict:
    """The six groups of Decision 766/QĐ-TTg with the sub-indicators our data allow.

    Sub-indicator weights inside a group are not published (vn-regulations §3.1), so a group's
    `points` is given only as an estimate with equal weights over the sub-indicators computed, and
    only when all of the group's listed sub-indicators have a value."""
    counts, rates = report["dossiers"], report["rates"]
    t = timeliness_766(scope)
    processing = average_processing_days(scope)
    catalogue = report["catalogue"]
    pakn_pct = None
    feedback_items = _section_value(report, "feedback", "received", "total", "items")
    if feedback_items is not None and counts["received"]:
        pakn_pct = rate(feedback_items, counts["received"])
    late_pct = rate(t["late"], t["total"])
    satisfaction = None
    if late_pct is not None and pakn_pct is not None:
        satisfaction = one_decimal(max(0.0, 100 - late_pct - pakn_pct))
    groups = {
        "CKMB": [
            _indicator(
                "1.1-1.4",
                "Công bố, công khai TTHC đúng hạn, đầy đủ; đồng bộ hồ sơ lên Cổng DVCQG",
                None,
                formula="TTHC công bố/công khai đúng hạn ÷ TTHC công bố trong kỳ × 100",
                missing="Chưa lưu ngày công khai trên CSDL quốc gia về TTHC và trạng thái đồng "
                "bộ hồ sơ với Cổng DVCQG.",
            )
        ],
        "TDGQ": [
            _indicator(
                "2.1",
                "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn",
                rate(t["in_time"], t["total"]),
                full_at=100.0,
                formula="hồ sơ (tiếp nhận hoặc đang xử lý trong kỳ) xử lý trước/đúng hạn ÷ "
                "tổng số × 100; > 1 lần yêu cầu bổ sung = quá hạn; hồ sơ chưa xong tính đến "
                "cuối kỳ",
            ),
            _indicator(
                "2.2",
                "Thời gian xử lý trung bình (ngày)",
                processing,
                formula="Σ (kết thúc − tiếp nhận) của hồ sơ đã giải quyết ÷ số hồ sơ, theo ngày",
            ),
        ],
        "CLGQ": [
            _indicator(
                "3.1",
                "Tỷ lệ TTHC cung cấp DVCTT",
                catalogue["online_services_pct"],
                full_at=80.0,
                formula="TTHC toàn trình + một phần ÷ TTHC công khai × 100",
            ),
            _indicator(
                "3.3",
                "Tỷ lệ hồ sơ trực tuyến",
                rates["online_pct"],
                full_at=50.0,
                formula="hồ sơ tiếp nhận trực tuyến ÷ hồ sơ tiếp nhận × 100",
            ),
        ],
        "TTTT": [
            _indicator(
                "3.6",
                "Tỷ lệ hồ sơ thanh toán trực tuyến",
                rates.get("paid_online_pct"),
                formula="hồ sơ thanh toán trực tuyến ÷ hồ sơ có thu phí, lệ phí × 100",
                missing=rates["notes"].get("paid_online_pct", ""),
            )
        ],
        "MDHL": [
            _indicator(
                "5.4",
                "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC",
                satisfaction,
                full_at=90.0,
                formula="100% − (% hồ sơ quá hạn + % hồ sơ có phản ánh, kiến nghị)",
                missing="Chưa có số phản ánh, kiến nghị (ứng dụng feedback).",
            )
        ],
        "MDSH": [
            _indicator(
                "4.2",
                "Tỷ lệ hồ sơ được số hóa",
                rates.get("digitised_pct"),
                full_at=80.0,
                formula="hồ sơ có thành phần số hóa (và kết quả điện tử) ÷ hồ sơ × 100",
                missing=rates["notes"].get("digitised_pct", ""),
            ),
            _indicator(
                "4.3",
                "Tỷ lệ hồ sơ tái sử dụng dữ liệu số hóa",
                rates.get("reuse_pct"),
                full_at=80.0,
                formula="hồ sơ có ≥ 1 thành phần tái sử dụng ÷ hồ sơ tiếp nhận × 100",
                missing=rates["notes"].get("digitised_pct", ""),
            ),
        ],
    }
    result = {}
    for code, indicators in groups.items():
        reached = [i["attainment"] for i in indicators if i.get("attainment") is not None]
        complete = all(i["value"] is not None for i in indicators) and reached
        result[code] = {
            "label": GROUP_LABELS[code],
            "max_points": GROUP_MAX[code],
            "points_estimate": one_decimal(GROUP_MAX[code] * sum(reached) / len(reached))
            if complete
            else None,
            "indicators": indicators,
        }
    result["timeliness_2_1"] = t
    result["note"] = (
        "Trọng số các chỉ tiêu con chưa được công bố; điểm nhóm là ước tính với trọng số bằng "
        "nhau, chỉ khi mọi chỉ tiêu con của nhóm có dữ liệu."
    )
    return result


def average_processing_days(scope: Scope) -> float | None:
    """766 indicator 2.2, in calendar days: mean of (end − reception) over the resolved dossiers."""
    details = resolved_details(scope)
    if not details["resolved"]:
        return None
    return one_decimal(details["seconds"] / details["resolved"] / 86400)


# --- Circular 01/2018 ------------------------------------------------------------------------------

UNIT_BANDS = ((15, "Xuất sắc"), (12, "Tốt"), (9, "Khá"), (6, "Trung bình"), (0, "Yếu"))
OFFICER_BANDS = ((5, "Hoàn thành 100% nhiệm vụ"), (3.5, "Hoàn thành từ 70% đến dưới 100%"),
                 (0, "Hoàn thành dưới 70%"))  # fmt: skip


def band(score: float | None, bands) -> str | None:
    if score is None:
        return None
    return next(label for floor, label in bands if score >= floor)


def _mean_score(two: int, one: int, total: int) -> float | None:
    """TT 01/2018 art. 15: Σ per-dossier scores (2, 1, 0) ÷ number of dossiers, 1 decimal."""
    if not total:
        return None
    return one_decimal(Decimal(2 * two + one) / Decimal(total))


def circular_01(scope: Scope, report: dict) -> dict:
    """The nine indicators of Circular 01/2018/TT-VPCP art. 13, scored 0/1/2 and averaged (art. 15);
    unit rating (max 18) and officer ratings (indicators 1, 2, 3, 4, 7; max 10)."""
    counts, rates = report["dossiers"], report["rates"]
    graded = counts["resolved_early"] + counts["resolved_on_time"] + counts["resolved_late"]
    contacts = supplement_contacts(scope)
    steps = step_grades(scope)
    feedback_items = _section_value(report, "feedback", "received", "total", "items")
    indicators = [
        _tt(1, "Tổng thời gian giải quyết so với quy định",
            _mean_score(counts["resolved_early"], counts["resolved_on_time"], graded),
            "2 trước hạn, 1 đúng hạn, 0 quá hạn; trung bình trên hồ sơ đã giải quyết"),
        _tt(2, "Thời gian thực hiện của từng cơ quan, đơn vị so với quy định",
            _mean_score(steps["early"], steps["on_time"], steps["total"]),
            "như chỉ số 1, cho từng bước của quy trình nội bộ đã xong trong kỳ",
            "Chưa có bước xử lý nào kết thúc trong kỳ (hồ sơ nhập từ hệ thống cũ không có bước)."),
        _tt(3, "Số lần liên hệ để hoàn thiện hồ sơ",
            _mean_score(contacts["none"], contacts["one"], contacts["total"]),
            "2 không lần nào, 1 một lần, 0 quá một lần (theo số lần yêu cầu bổ sung)"),
        _tt(4, "Số cơ quan, đơn vị phải liên hệ", None, "",
            "Cần phiếu đánh giá của người dân (Cổng DVC) — chưa có."),
        _tt(5, "Thực hiện toàn bộ quy trình tại Bộ phận Một cửa", None, "",
            "Chưa lưu danh mục TTHC được giao quyết định tại Bộ phận Một cửa."),
        _tt(6, "Công khai TTHC", None, "",
            "Chưa lưu việc niêm yết bản giấy tại Bộ phận Một cửa."),
        _tt(7, "Thái độ của cán bộ, công chức",
            _attitude(counts, feedback_items, graded),
            "2 trước hạn và không bị phản ánh, 1 đúng hạn và không bị phản ánh, 0 có phản ánh "
            "được xác minh",
            "Chưa có số phản ánh, kiến nghị (ứng dụng feedback)."),
        _tt(8, "Tiếp nhận, xử lý phản ánh, kiến nghị",
            2.0 if feedback_items == 0 else None,
            "2 không có PAKN hoặc 100% đúng hạn; 1 ≥ 90% đúng hạn; 0 còn lại",
            "Chưa có dữ liệu xử lý phản ánh, kiến nghị đúng hạn."),
        _tt(9, "Cung cấp dịch vụ công trực tuyến",
            _online_score(scope, report),
            "2 ≥ 20% TTHC trực tuyến và ≥ 30% hồ sơ trực tuyến và không hồ sơ trực tuyến quá hạn; "
            "1 có TTHC trực tuyến và 15–<30% hồ sơ trực tuyến, không quá hạn; 0 còn lại"),
    ]  # fmt: skip
    available = [i["score"] for i in indicators if i["score"] is not None]
    total = one_decimal(sum(available)) if available else None
    return {
        "indicators": indicators,
        "unit": {
            "score": total,
            "max_available": 2 * len(available),
            "rating": band(total, UNIT_BANDS) if len(available) == 9 else None,
            "note": "Theo Điều 15, chỉ số thiếu dữ liệu được loại ra; xếp loại đơn vị chỉ khi "
            "đủ 9 chỉ số.",
        },
        "officers": officer_ratings(scope),
        "online_pct": rates["online_pct"],
    }


def _tt(number, label, score, formula, missing=""):
    item = {"number": number, "label": label, "score": score, "formula": formula}
    if score is None:
        item["missing"] = missing or "Chưa có dữ liệu."
    return item


def _attitude(counts: dict, feedback_items, graded: int) -> float | None:
    """Indicator 7 without complaints: per dossier 2 early, 1 on time, 0 late; with complaints
    the complaint must be tied to a dossier, which the feedback section does not say."""
    if feedback_items != 0:
        return None
    return _mean_score(counts["resolved_early"], counts["resolved_on_time"], graded)


def _online_score(scope: Scope, report: dict) -> float | None:
    catalogue, online_pct = report["catalogue"], report["rates"]["online_pct"]
    if online_pct is None:
        return None
    online_services_pct = catalogue["online_services_pct"] or 0
    online_late = 0
    if scope.channel in (None, ChannelKind.ONLINE):
        online = dataclasses.replace(scope, channel=ChannelKind.ONLINE)
        online_late = dossier_counts(online)["resolved_late"]
    if online_services_pct >= 20 and online_pct >= 30 and online_late == 0:
        return 2.0
    if catalogue["online_services"] and 15 <= online_pct < 30 and online_late == 0:
        return 1.0
    return 0.0


def supplement_contacts(scope: Scope) -> dict[str, int]:
    """Resolved dossiers by how many times the applicant had to come back (supplement requests)."""
    details = resolved_details(scope)
    return {"total": details["resolved"], "none": details["none"], "one": details["one"]}


def _step_queryset(scope: Scope):
    return DossierStep.objects.filter(
        scope.dossier_q("dossier__"),
        finished_at__gte=scope.start,
        finished_at__lt=scope.end_exclusive,
        due_at__isnull=False,
    )


STEP_IN_TIME = Q(finished_at__lte=F("due_at"))
STEP_AGGREGATES = {
    "total": Count("pk"),
    "early": Count(
        "pk", filter=STEP_IN_TIME & Q(LessThan(local_day("finished_at"), local_day("due_at")))
    ),
    "on_time": Count(
        "pk", filter=STEP_IN_TIME & Q(Exact(local_day("finished_at"), local_day("due_at")))
    ),
}


STEP_SUMS = {
    "total": Coalesce(Sum("steps"), Value(0)),
    "early": Coalesce(Sum("steps", filter=Q(grade=Grade.EARLY)), Value(0)),
    "on_time": Coalesce(Sum("steps", filter=Q(grade=Grade.ON_TIME)), Value(0)),
}


def step_grades(scope: Scope) -> dict[str, int]:
    """Steps of the internal process finished in the period, graded against their due instant:
    the step rollup's clean finish days, the dirty ones from the steps (rollup.py)."""
    rows, dirty = rollup.step_rows_in(scope)
    found = rows.aggregate(**STEP_SUMS)
    if dirty:
        raw = _steps_finished_on(scope, dirty).aggregate(**STEP_AGGREGATES)
        found = {key: found[key] + raw[key] for key in found}
    return found


def step_grades_raw(scope: Scope) -> dict[str, int]:
    """step_grades read from the steps: the reference the step rollup is tested against."""
    return _step_queryset(scope).aggregate(**STEP_AGGREGATES)


def _steps_finished_on(scope: Scope, days) -> QuerySet:
    return _step_queryset(scope).filter(rollup.received_on(days, "finished_at"))


def _steps_by_officer(scope: Scope) -> dict[int, dict]:
    """{assignee id: {total, early, on_time}} over the period's steps (rollup + dirty days)."""
    rows, dirty = rollup.step_rows_in(scope)
    found = {
        row["assignee_id"]: row
        for row in rows.filter(assignee_id__isnull=False)
        .values("assignee_id")
        .annotate(**STEP_SUMS)
        .order_by()
    }
    if dirty:
        raw = (
            _steps_finished_on(scope, dirty)
            .filter(assignee__isnull=False)
            .values("assignee_id")
            .annotate(**STEP_AGGREGATES)
            .order_by()
        )
        for row in raw:
            total = found.setdefault(
                row["assignee_id"],
                {"assignee_id": row["assignee_id"], **dict.fromkeys(STEP_SUMS, 0)},
            )
            for key in STEP_SUMS:
                total[key] += row[key]
    return found


def officer_ratings(scope: Scope) -> list[dict]:
    """Per officer: indicator 2 over the steps they finished in the period (the data we have for
    an officer; 1, 3, 4, 7 need the dossier-level link to the citizen's rating). The rating band
    is applied to the score scaled to 10 over the indicators available, as art. 15 excludes
    indicators lacking data — stated in the note."""
    from motcua.accounts.models import User

    by_officer = _steps_by_officer(scope)
    officers = User.objects.filter(pk__in=by_officer).values("pk", "username", "full_name")
    rows = sorted(
        (
            {**by_officer[o["pk"]], "assignee__username": o["username"],
             "assignee__full_name": o["full_name"]}
            for o in officers
        ),
        key=lambda row: row["assignee__username"],
    )  # fmt: skip
    result = []
    for row in rows:
        score = _mean_score(row["early"], row["on_time"], row["total"])
        scaled = one_decimal(score * 5) if score is not None else None
        result.append(
            {
                "username": row["assignee__username"],
                "full_name": row["assignee__full_name"],
                "steps": row["total"],
                "indicator_2": score,
                "score_scaled_10": scaled,
                "rating": band(scaled, OFFICER_BANDS),
            }
        )
    return result

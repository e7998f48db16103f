"""The PAR-index sub-criteria our own data answers: one table, auto key → the selector that gives
the figure and a readable account of its query. How many points a figure earns is the province's
rule for the year, so it travels with the year's criteria tree (motcua/reform/data/par/*.json,
key "rule") and is applied here, by `rule_points`, the one function that turns a figure into
points (ADR 0040).

A rule is one of
  {"kind": "bands", "bands": [{"min": 100, "points": 2}, {"min": 95, "points": 1}, {"min": 0, "points": 0}]}
      the first band whose `min` the figure reaches gives its points (bands from the highest min);
  {"kind": "proportional"}
      points = maximum × figure ÷ 100, rounded down to 0,01 (a share in per cent);
  {"kind": "any"}
      the maximum when the figure is at least 1 (a count: "có thực hiện"), else 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from motcua.core.text import format_decimal

RULE_KINDS = ("bands", "proportional", "any")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Figure:
    """A figure for a period: the value (None when there is nothing to count), and its parts."""

    value: Decimal | None
    numerator: int | None = None
    denominator: int | None = None
    parts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class AutoFigure:
    label: str
    unit: str  # "%" or "" (a count)
    selector: str  # the selectors that produce it, by name
    query: str  # what is counted, in words the officer checks against the evidence
    compute: Callable[[date, date, str | None], Figure]


def _pct(numerator: int, denominator: int) -> Decimal | None:
    from motcua.indicators.selectors import rate

    value = rate(numerator, denominator)
    return None if value is None else Decimal(str(value))


def _dossiers(date_from: date, date_to: date, unit_code: str | None) -> dict[str, int]:
    from motcua.indicators.scope import scope_build
    from motcua.indicators.selectors import dossier_counts

    return dossier_counts(scope_build(date_from, date_to, unit_code=unit_code))


def dossiers_on_time(date_from: date, date_to: date, unit_code: str | None) -> Figure:
    counts = _dossiers(date_from, date_to, unit_code)
    in_time = counts["resolved_early"] + counts["resolved_on_time"]
    return Figure(_pct(in_time, counts["resolved"]), in_time, counts["resolved"])


def dossiers_online(date_from: date, date_to: date, unit_code: str | None) -> Figure:
    from motcua.indicators.selectors import submitted_here

    counts = _dossiers(date_from, date_to, unit_code)
    here = submitted_here(counts)
    return Figure(_pct(counts["received_online"], here), counts["received_online"], here)


def plan_tasks_on_time(date_from: date, date_to: date, unit_code: str | None) -> Figure:
    from .selectors import plan_tasks_due_counts

    counts = plan_tasks_due_counts(date_from, date_to, unit_code)
    return Figure(_pct(counts["on_time"], counts["due"]), counts["on_time"], counts["due"], counts)


def legal_documents_checked(date_from: date, date_to: date, unit_code: str | None) -> Figure:
    from .selectors import legal_activity_counts

    counts = legal_activity_counts(date_from, date_to, unit_code)
    parts = {key: counts[key] for key in ("self_checked", "checked", "reviewed")}
    total = sum(parts.values())
    return Figure(Decimal(total), total, None, parts)


def satisfaction(date_from: date, date_to: date, unit_code: str | None) -> Figure:
    from motcua.feedback.survey_selectors import responses_in_period, survey_results

    results = survey_results(responses_in_period(date_from, date_to))
    value = None if results.index_pct is None else Decimal(str(results.index_pct))
    return Figure(value, None, results.forms, {"forms": results.forms})


AUTO_FIGURES: dict[str, AutoFigure] = {
    "dossiers_on_time_pct": AutoFigure(
        "Tỷ lệ hồ sơ TTHC giải quyết trước hạn và đúng hạn",
        "%",
        "motcua.indicators.selectors.dossier_counts",
        "Hồ sơ tiếp nhận trong kỳ của đơn vị (và các đơn vị trực thuộc, kể cả hồ sơ của thủ tục "
        "do đơn vị giải quyết tiếp nhận tại Trung tâm Phục vụ hành chính công) đã có kết quả "
        "trước hết kỳ: (trước hạn + đúng hạn) ÷ đã giải quyết × 100. Hồ sơ bổ sung quá một lần "
        "hoặc trả kết quả sau hạn tính là trễ hạn.",
        dossiers_on_time,
    ),
    "dossiers_online_pct": AutoFigure(
        "Tỷ lệ hồ sơ TTHC tiếp nhận trực tuyến",
        "%",
        "motcua.indicators.selectors.dossier_counts",
        "Hồ sơ tiếp nhận trong kỳ của đơn vị: tiếp nhận qua dịch vụ công trực tuyến ÷ tổng số "
        "hồ sơ tiếp nhận × 100.",
        dossiers_online,
    ),
    "plan_tasks_on_time_pct": AutoFigure(
        "Tỷ lệ nhiệm vụ trong Kế hoạch CCHC hoàn thành đúng hạn",
        "%",
        "motcua.reform.selectors.plan_tasks_due_counts",
        "Nhiệm vụ trong Kế hoạch CCHC của đơn vị có thời hạn trong kỳ (đến hôm nay nếu kỳ chưa "
        "hết): hoàn thành không muộn hơn thời hạn (thời hạn rơi vào ngày nghỉ thì lùi sang ngày "
        "làm việc kế tiếp) ÷ số nhiệm vụ đến hạn × 100.",
        plan_tasks_on_time,
    ),
    "legal_documents_checked": AutoFigure(
        "Số lượt kiểm tra, tự kiểm tra, rà soát văn bản QPPL",
        "",
        "motcua.reform.selectors.legal_activity_counts",
        "Lượt tự kiểm tra, kiểm tra và rà soát văn bản QPPL của đơn vị có ngày thực hiện trong kỳ "
        "(sổ theo dõi văn bản QPPL).",
        legal_documents_checked,
    ),
    "satisfaction_pct": AutoFigure(
        "Chỉ số hài lòng của tổ chức, cá nhân (khảo sát của đơn vị)",
        "%",
        "motcua.feedback.survey_selectors.survey_results",
        "Phiếu khảo sát sự hài lòng có ngày khảo sát trong kỳ (toàn Sở): trung bình các yếu tố "
        "của tỷ lệ câu trả lời «hài lòng» hoặc «rất hài lòng» trên số câu có chấm điểm.",
        satisfaction,
    ),
}


def rule_points(rule: dict | None, figure: Decimal | None, max_points: Decimal | None):
    """The points a figure earns under the source's rule; None when the figure, the rule or the
    maximum is missing (then nothing is proposed: the officer scores)."""
    if rule is None or figure is None or max_points is None:
        return None
    kind = rule.get("kind")
    if kind == "proportional":
        points = max_points * min(figure, Decimal(100)) / 100
        return points.quantize(CENT, rounding=ROUND_DOWN)
    if kind == "any":
        return max_points if figure >= 1 else Decimal(0)
    if kind == "bands":
        for band in rule["bands"]:
            if figure >= Decimal(str(band["min"])):
                return Decimal(str(band["points"]))
        return Decimal(0)
    return None


def vn_points(value) -> str:
    """1.50 → "1,5", 2.00 → "2", 22128 → "22.128": how the Vietnamese write points and shares."""
    return format_decimal(value, 2)


def figure_text(figure: Figure, unit: str) -> str:
    if figure.value is None:
        return "Chưa có số liệu trong kỳ"
    text = f"{vn_points(figure.value)} %" if unit == "%" else vn_points(figure.value)
    if unit == "%" and figure.numerator is not None:
        text += f" ({vn_points(figure.numerator)}/{vn_points(figure.denominator)})"
    return text


def rule_text(rule: dict | None, unit: str) -> str:
    """The rule as the page prints it."""
    if rule is None:
        return "Chưa có quy tắc chấm theo số liệu trong văn bản nguồn."
    kind = rule.get("kind")
    if kind == "proportional":
        return "Điểm = điểm tối đa × tỷ lệ đạt được."
    if kind == "any":
        return "Có thực hiện (từ 1 lượt): điểm tối đa; không thực hiện: 0 điểm."
    parts = [
        f"từ {vn_points(band['min'])}{' %' if unit == '%' else ''}: "
        f"{vn_points(band['points'])} điểm"
        for band in rule.get("bands", [])
    ]
    return "; ".join(parts).capitalize() + "."

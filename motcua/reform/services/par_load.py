"""Loading a year's official PAR criteria tree (Bộ tiêu chí xác định Chỉ số CCHC của các sở, ban,
ngành) from its data file, and taking the score a figure proposes.

The file (motcua/reform/data/par/so-ban-nganh-YYYY.json, described in its README.md) is checked as
a whole before anything is written: every problem is reported with the node's position and code,
and a file with any problem changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import permissions
from ..models import ParAssessment, ParCriterion
from ..par_auto import AUTO_FIGURES, RULE_KINDS, vn_points
from .validation import FIRST_YEAR, LAST_YEAR, check_actor

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "par"
TOP_KEYS = {"year", "level", "province", "source", "period", "total_points", "notes", "criteria"}
SOURCE_KEYS = {"decision", "url", "note", "not_found"}
NODE_KEYS = {
    "code", "title", "max_points", "official", "evidence", "guidance", "auto", "rule",
    "sum_children", "children", "note",
}  # fmt: skip


def par_data_file(year: int) -> Path:
    return DATA_DIR / f"so-ban-nganh-{year}.json"


@dataclass
class Node:
    code: str
    title: str
    max_points: Decimal | None
    official: bool
    evidence: str
    guidance: str
    auto: str
    rule: dict | None
    children: list[Node] = field(default_factory=list)


@dataclass
class Tree:
    year: int
    source: str
    source_url: str
    source_note: str
    period: tuple[date, date] | None
    roots: list[Node]


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number >= 10000:
        return None
    if number != number.quantize(Decimal("0.01")):
        return None
    return number


class _Checker:
    def __init__(self):
        self.errors: list[str] = []
        self.seen: dict[str, str] = {}

    def add(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def rule(self, where: str, rule, auto: str, maximum: Decimal | None) -> dict | None:
        if rule is None:
            return None
        if not auto:
            self.add(where, "có quy tắc chấm (rule) nhưng không có số liệu tự động (auto).")
            return None
        if not isinstance(rule, dict) or rule.get("kind") not in RULE_KINDS:
            self.add(where, f"quy tắc chấm phải có kind là một trong: {', '.join(RULE_KINDS)}.")
            return None
        if maximum is None:
            self.add(where, "có quy tắc chấm nhưng chưa có điểm tối đa.")
            return None
        if rule["kind"] != "bands":
            return rule
        bands = rule.get("bands")
        if not isinstance(bands, list) or not bands:
            self.add(where, "quy tắc kind «bands» cần danh sách bands không rỗng.")
            return None
        previous = None
        for number, band in enumerate(bands, start=1):
            low = _decimal(band.get("min")) if isinstance(band, dict) else None
            points = _decimal(band.get("points")) if isinstance(band, dict) else None
            if low is None or points is None:
                self.add(where, f"mức {number} của quy tắc cần min và points là số không âm.")
                return None
            if points > maximum:
                self.add(
                    where,
                    f"mức {number} cho {vn_points(points)} điểm, vượt điểm tối đa "
                    f"{vn_points(maximum)}.",
                )
            if previous is not None and low >= previous:
                self.add(where, f"các mức của quy tắc phải xếp theo min giảm dần (mức {number}).")
            previous = low
        return rule

    def node(self, raw, position: str) -> Node | None:
        where = f"Tiêu chí vị trí {position}"
        if not isinstance(raw, dict):
            self.add(where, "phải là một đối tượng JSON.")
            return None
        code = raw.get("code")
        code = code.strip() if isinstance(code, str) else ""
        if code:
            where = f"Tiêu chí vị trí {position} (mã {code})"
        unknown = sorted(set(raw) - NODE_KEYS)
        if unknown:
            self.add(where, f"khoá không dùng được: {', '.join(unknown)}.")
        if not code:
            self.add(where, "thiếu mã tiêu chí (code).")
        elif len(code) > 16:
            self.add(where, "mã tiêu chí dài quá 16 ký tự.")
        elif code in self.seen:
            self.add(where, f"mã tiêu chí trùng với tiêu chí vị trí {self.seen[code]}.")
        else:
            self.seen[code] = position
        title = raw.get("title")
        title = title.strip() if isinstance(title, str) else ""
        if not title:
            self.add(where, "thiếu tên tiêu chí (title).")
        elif len(title) > 500:
            self.add(where, "tên tiêu chí dài quá 500 ký tự.")
        official = raw.get("official", True)
        if not isinstance(official, bool):
            self.add(where, "official phải là true hoặc false.")
            official = True
        maximum = None
        if raw.get("max_points") is None:
            if official:
                self.add(
                    where,
                    "thiếu điểm tối đa (max_points); nếu văn bản nguồn không ghi điểm thì đặt "
                    '"official": false (chưa có dữ liệu chính thức).',
                )
        else:
            maximum = _decimal(raw["max_points"])
            if maximum is None:
                self.add(where, "điểm tối đa phải là số không âm, tối đa hai chữ số thập phân.")
        auto = raw.get("auto") or ""
        if auto and auto not in AUTO_FIGURES:
            self.add(where, f"số liệu tự động «{auto}» không có; dùng: {', '.join(AUTO_FIGURES)}.")
            auto = ""
        texts = {}
        for key in ("evidence", "guidance", "note"):
            value = raw.get(key, "")
            if isinstance(value, list):
                value = "\n".join(str(v) for v in value)
            if not isinstance(value, str):
                self.add(where, f"{key} phải là chữ.")
                value = ""
            texts[key] = value.strip()
        guidance = "\n".join(t for t in (texts["guidance"], texts["note"]) if t)
        rule = self.rule(where, raw.get("rule"), auto, maximum)
        raw_children = raw.get("children", [])
        if not isinstance(raw_children, list):
            self.add(where, "children phải là danh sách.")
            raw_children = []
        if auto and raw_children:
            self.add(
                where, "chỉ tiêu chí thành phần (không có tiêu chí con) mới có số liệu tự động."
            )
        children = [
            child
            for number, item in enumerate(raw_children, start=1)
            if (child := self.node(item, f"{position}.{number}")) is not None
        ]
        if raw.get("sum_children"):
            self.sum_check(where, maximum, children)
        return Node(
            code, title, maximum, official, texts["evidence"], guidance, auto, rule, children
        )

    def sum_check(self, where: str, maximum, children: list[Node]) -> None:
        missing = [c.code for c in children if c.max_points is None]
        if maximum is None or not children:
            self.add(where, "sum_children cần điểm tối đa của tiêu chí và các tiêu chí con.")
        elif missing:
            self.add(
                where,
                f"không kiểm được tổng điểm: tiêu chí con {', '.join(missing)} chưa có điểm tối đa.",
            )
        else:
            total = sum((c.max_points or Decimal(0) for c in children), Decimal(0))
            if total != maximum:
                self.add(
                    where,
                    f"tổng điểm tối đa các tiêu chí con là {vn_points(total)}, khác điểm tối đa "
                    f"của tiêu chí ({vn_points(maximum)}); văn bản nguồn quy định phải bằng nhau.",
                )


def _period(checker: _Checker, raw, year: int) -> tuple[date, date] | None:
    if raw is None:
        return None
    try:
        first, last = date.fromisoformat(raw["from"]), date.fromisoformat(raw["to"])
    except (TypeError, KeyError, ValueError):
        checker.add("Kỳ số liệu (period)", "cần from và to dạng YYYY-MM-DD.")
        return None
    if first > last or first.year != year:
        checker.add("Kỳ số liệu (period)", f"phải bắt đầu trong năm {year} và không ngược.")
        return None
    return first, last


def par_file_parse(content: bytes | str) -> Tree:
    """The file checked as a whole: a Tree, or ValidationError listing every problem found."""
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"Tệp không đọc được dạng JSON (dòng {exc.lineno}, cột {exc.colno})."
        ) from None
    except ValueError:  # not UTF-8
        raise ValidationError("Tệp không đọc được dạng JSON (không phải UTF-8).") from None
    checker = _Checker()
    if not isinstance(data, dict):
        raise ValidationError("Tệp phải là một đối tượng JSON có year, source và criteria.")
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        checker.add("Tệp", f"khoá không dùng được: {', '.join(unknown)}.")
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        checker.add("Năm (year)", f"phải là số năm từ {FIRST_YEAR} đến {LAST_YEAR}.")
        year = 0
    source = data.get("source")
    decision = source.get("decision", "") if isinstance(source, dict) else ""
    if not isinstance(decision, str) or not decision.strip():
        checker.add("Nguồn (source)", "thiếu văn bản ban hành bộ tiêu chí (source.decision).")
        decision = ""
    source = source if isinstance(source, dict) else {}
    if sorted(set(source) - SOURCE_KEYS):
        checker.add(
            "Nguồn (source)", f"khoá không dùng được: {', '.join(set(source) - SOURCE_KEYS)}."
        )
    period = _period(checker, data.get("period"), year) if year else None
    raw_roots = data.get("criteria")
    if not isinstance(raw_roots, list) or not raw_roots:
        checker.add("Tiêu chí (criteria)", "phải là danh sách không rỗng.")
        raw_roots = []
    roots = [
        node
        for number, raw in enumerate(raw_roots, start=1)
        if (node := checker.node(raw, str(number))) is not None
    ]
    total = data.get("total_points")
    if total is not None:
        declared = _decimal(total)
        known = [r.max_points for r in roots if r.max_points is not None]
        if declared is None:
            checker.add("Tổng điểm (total_points)", "phải là số không âm.")
        elif len(known) == len(roots) and sum(known, Decimal(0)) != declared:
            checker.add(
                "Tổng điểm (total_points)",
                f"các lĩnh vực cộng lại {vn_points(sum(known, Decimal(0)))}, khác "
                f"{vn_points(declared)}.",
            )
    if checker.errors:
        raise ValidationError(checker.errors)
    not_found = source.get("not_found", "")
    note = "\n".join(
        str(t)
        for t in (source.get("note", ""), *(data.get("notes") or []), not_found and "Chưa có dữ "
                  f"liệu chính thức: {not_found}")
        if t
    )  # fmt: skip
    return Tree(year, decision.strip(), str(source.get("url", "")), note, period, roots)


@transaction.atomic
def par_tree_load(
    actor,
    content: bytes | str,
    *,
    unit,
    year: int | None = None,
    period: tuple[date, date] | None = None,
) -> ParAssessment:
    """The year's assessment of `unit` created from the tree file, in one transaction; refused
    (nothing written) when the file has any problem or the unit already has that year's.
    `period` (within the year) replaces the file's period of the figures, e.g. a mid-year check."""
    from motcua.org.models import Unit

    check_actor(actor, permissions.require_edit)
    tree = par_file_parse(content)
    if year is not None and year != tree.year:
        raise ValidationError(f"Tệp là bộ tiêu chí năm {tree.year}, không phải năm {year}.")
    if period is not None:
        first, last = period
        if first > last or first.year != tree.year or last.year != tree.year:
            raise ValidationError(
                f"Kỳ số liệu phải nằm trong năm {tree.year} và ngày đầu không sau ngày cuối."
            )
        tree.period = period
    if not isinstance(unit, Unit):
        found = Unit.objects.filter(code=unit).first()
        if found is None:
            raise ValidationError(f"Không có đơn vị mã «{unit}».")
        unit = found
    if ParAssessment.objects.filter(year=tree.year, unit=unit).exists():
        raise ValidationError(
            f"Đã có bộ chỉ số năm {tree.year} của {unit.name}; không nạp lại để không mất điểm "
            "đã chấm."
        )
    assessment = ParAssessment.objects.create(
        year=tree.year,
        unit=unit,
        source=tree.source[:500],
        source_url=tree.source_url[:500],
        source_note=tree.source_note,
        period_from=tree.period[0] if tree.period else None,
        period_to=tree.period[1] if tree.period else None,
    )

    def create(node: Node, parent: ParCriterion | None) -> None:
        criterion = ParCriterion.objects.create(
            assessment=assessment,
            parent=parent,
            code=node.code,
            title=node.title,
            max_points=node.max_points,
            official=node.official,
            evidence_required=node.evidence,
            guidance=node.guidance,
            auto_key=node.auto,
            rule=node.rule,
        )
        for child in node.children:
            create(child, criterion)

    for root in tree.roots:
        create(root, None)
    return assessment


@transaction.atomic
def par_auto_accept(actor, criterion_id: int) -> ParCriterion:
    """Take the score the figure proposes under the source's rule as the self-assessment; the
    figure, the rule, the query and the day it was read are written as the evidence."""
    from ..selectors import par_auto_rows

    check_actor(actor, permissions.require_edit)
    criterion = (
        ParCriterion.objects.select_for_update()
        .select_related("assessment__unit")
        .filter(pk=criterion_id)
        .first()
    )
    if criterion is None:
        raise ValidationError("Không tìm thấy tiêu chí.")
    row = par_auto_rows(criterion.assessment).get(criterion.pk)
    if row is None:
        raise ValidationError("Tiêu chí này không có số liệu tự động.")
    if row.proposed is None:
        raise ValidationError(
            "Chưa đề xuất được điểm (thiếu số liệu, điểm tối đa hoặc quy tắc chấm chính thức); "
            "hãy tự chấm và ghi tài liệu kiểm chứng."
        )
    first, last = row.period
    criterion.self_score = row.proposed
    criterion.score_basis = "auto"
    criterion.evidence = (
        f"Số liệu hệ thống Một Cửa, kỳ {first:%d/%m/%Y} – {last:%d/%m/%Y}: {row.label} "
        f"{row.figure}.\nCách tính: {row.query}\nQuy tắc chấm: {row.rule}\n"
        f"Nguồn số liệu: {row.selector}"
    )
    criterion.save(update_fields=["self_score", "score_basis", "evidence"])
    return criterion

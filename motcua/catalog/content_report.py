"""Which procedures of a catalogue document carry complete official content (ADR 0033), and how
many dossiers they account for: what `motcua catalog export` reports on stderr beside the file.

The bar is the issue's: an official source, at least two papers each with its source, an internal
process whose step budgets add up to the processing time, and a downloadable blank form. A
procedure whose official announcement lists one paper or prescribes no form cannot reach it; the
report says which rule each procedure misses instead of relaxing the bar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from motcua.catalog.blank_forms import forms_for
from motcua.core.text import format_number

HOURS_PER_DAY = Decimal(8)
NOT_FOUND = "chưa có dữ liệu chính thức"


def decimal_or_none(value) -> Decimal | None:
    """A finite Decimal from a number or text, else None."""
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return result if result.is_finite() else None


def total_hours(version: dict) -> Decimal | None:
    time = version.get("processing_time") or {}
    value = decimal_or_none(time.get("value"))
    if value is None:
        return None
    return value * HOURS_PER_DAY if time.get("unit") == "working_days" else value


def has_blank_form(template: str) -> bool:
    return bool(forms_for(template or ""))


def missing_rules(version: dict, *, has_form=has_blank_form) -> list[str]:
    """The rules of complete content a version misses, in Vietnamese (empty = complete)."""
    if not version.get("content_source"):
        return [NOT_FOUND]
    missing = []
    components = version.get("components", [])
    if len(components) < 2:
        missing.append(f"chỉ {len(components)} giấy tờ (cần ít nhất 2)")
    if not all(c.get("source") for c in components):
        missing.append("có giấy tờ không ghi nguồn")
    steps = version.get("steps", [])
    budget = sum((decimal_or_none(s.get("budget_hours")) or Decimal(0) for s in steps), Decimal(0))
    if not steps:
        missing.append("chưa có quy trình nội bộ")
    elif budget != total_hours(version):
        missing.append("tổng thời gian các bước khác thời hạn giải quyết")
    if not any(has_form(c.get("template", "")) for c in components):
        missing.append("không có mẫu đơn, tờ khai tải về")
    return missing


def content_complete(version: dict, *, has_form=has_blank_form) -> bool:
    return not missing_rules(version, has_form=has_form)


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    dossiers: int
    papers: int
    process_derived: bool
    forms: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def official(self) -> bool:
        return NOT_FOUND not in self.missing

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class ContentReport:
    rows: tuple[Row, ...]
    dossiers_from: date | None
    dossiers_to: date | None

    @property
    def dossiers(self) -> int:
        return sum(r.dossiers for r in self.rows)

    def share(self, rows) -> float:
        total = self.dossiers
        return sum(r.dossiers for r in rows) / total if total else 0.0

    @property
    def official(self) -> list[Row]:
        return [r for r in self.rows if r.official]

    @property
    def complete(self) -> list[Row]:
        return [r for r in self.rows if r.complete]


def content_report(
    document: dict,
    dossier_counts: dict[str, int] | None = None,
    *,
    dossiers_from: date | None = None,
    dossiers_to: date | None = None,
) -> ContentReport:
    """One row per public procedure of an exported document (its last listed version), most
    dossiers first."""
    counts = dossier_counts or {}
    rows = []
    for procedure in document.get("procedures", []):
        if procedure.get("is_internal") or not procedure.get("versions"):
            continue
        version = procedure["versions"][-1]
        components = version.get("components", [])
        forms = tuple(f.code for c in components for f in forms_for(c.get("template", "") or ""))
        rows.append(
            Row(
                code=procedure["code"],
                name=version.get("name", ""),
                dossiers=counts.get(procedure["code"], 0),
                papers=sum(bool(c.get("source")) for c in components),
                process_derived=bool(version.get("process_derived")),
                forms=tuple(dict.fromkeys(forms)),
                missing=tuple(missing_rules(version)),
            )
        )
    rows.sort(key=lambda r: (-r.dossiers, r.code))
    return ContentReport(tuple(rows), dossiers_from, dossiers_to)


def _percent(share: float) -> str:
    """0.8478 -> '84,78 %' (Vietnamese decimal comma)."""
    return f"{share * 100:.2f}".replace(".", ",") + " %"


def report_lines(report: ContentReport) -> list[str]:
    lines = [
        "Nội dung chính thức của thủ tục (ADR 0033):",
        f"  Thủ tục công khai: {format_number(len(report.rows))}",
        f"  Có nội dung chính thức (ghi nguồn): {format_number(len(report.official))}",
        f"  Đánh dấu “{NOT_FOUND}”: {format_number(len(report.rows) - len(report.official))}",
        "  Đầy đủ (≥ 2 giấy tờ có nguồn, quy trình khớp thời hạn, mẫu tải về): "
        f"{format_number(len(report.complete))}",
    ]
    if report.dossiers:
        period = ""
        if report.dossiers_from and report.dossiers_to:
            period = f" tiếp nhận {report.dossiers_from:%d/%m/%Y}–{report.dossiers_to:%d/%m/%Y}"
        lines += [
            f"  Hồ sơ{period}: {format_number(report.dossiers)}",
            f"    thuộc thủ tục có nội dung chính thức: {_percent(report.share(report.official))}",
            f"    thuộc thủ tục có nội dung đầy đủ: {_percent(report.share(report.complete))}",
        ]
    lines.append("Thủ tục có nội dung chính thức:")
    for r in report.official:
        state = "đầy đủ" if r.complete else "thiếu: " + "; ".join(r.missing)
        process = "quy trình suy ra" if r.process_derived else "quy trình"
        forms = ", ".join(r.forms) or "không có mẫu"
        lines.append(
            f"  {r.code}\t{format_number(r.dossiers)} hồ sơ\t{r.papers} giấy tờ có nguồn\t"
            f"{process}\t{forms}\t{state}"
        )
    return lines

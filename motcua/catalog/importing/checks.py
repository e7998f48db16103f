"""Checking a parsed catalogue document against the format and the database. Every problem found is
collected, so the user sees all of them at once; what passes becomes an `ImportPlan` holding only
what is new. Nothing here writes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db.models import Prefetch

from motcua.org.models import Unit

from ..models import (
    ENDING_CHANGES,
    FILE_PAPER_FORMS,
    HOURS_PER_WORKING_DAY,
    PROCEDURE_CODE_PATTERN,
    STEP_ROLES,
    ChangeKind,
    Channel,
    Decision,
    FeeDue,
    Field,
    Level,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    TimeUnit,
)
from .format import (
    FORMAT,
    MAX_DECIMAL_DIGITS,
    MAX_DECIMAL_PLACES,
    CatalogImportError,
    CatalogueFile,
    Path_,
    channels_in_order,
    decimal_text,
)

# --- Checks ------------------------------------------------------------------------------------


@dataclass
class ImportPlan:
    """What the file adds; everything already present with identical content is left out."""

    fields: list[dict] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)
    procedures: list[dict] = field(default_factory=list)  # new: {"code", "is_internal"}
    versions: list[dict] = field(default_factory=list)  # canonical version dicts + "procedure"
    unchanged_versions: int = 0
    touched_codes: set[str] = field(default_factory=set)


class _Checker:
    def __init__(self, doc: dict, locate: Callable[[Path_], str]):
        self.doc = doc
        self.locate = locate
        self.errors: list[str] = []

    def error(self, path: Path_, message: str) -> None:
        self.errors.append(f"{self.locate(path)}: {message}")

    # Typed getters: each returns the value or None after recording an error.

    def text(self, item: dict, key: str, path: Path_, *, required=True, max_length=None):
        value = item.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error((*path, key), "thiếu giá trị (bắt buộc).")
                return None
            return ""
        if not isinstance(value, str):
            self.error((*path, key), f"phải là chuỗi ký tự, không phải {_shown(value)}.")
            return None
        value = value.strip()
        if max_length and len(value) > max_length:
            self.error((*path, key), f"dài quá {max_length} ký tự.")
            return None
        return value

    def day(self, item: dict, key: str, path: Path_):
        value = item.get(key)
        if value is None or value == "":
            self.error((*path, key), "thiếu ngày (bắt buộc).")
            return None
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.error((*path, key), f"{_shown(value)} không phải là ngày hợp lệ (dạng YYYY-MM-DD).")
        return None

    def choice(self, item: dict, key: str, path: Path_, choices, label: str):
        value = item.get(key)
        allowed = [c for c, _ in choices]
        if value is None or value == "":
            self.error((*path, key), f"thiếu {label} (bắt buộc).")
            return None
        if value not in allowed:
            self.error(
                (*path, key),
                f"{label} {_shown(value)} không hợp lệ; giá trị được phép: {', '.join(allowed)}.",
            )
            return None
        return value

    def boolean(self, item: dict, key: str, path: Path_):
        value = item.get(key)
        if not isinstance(value, bool):
            self.error(
                (*path, key),
                f"phải là đúng/sai (true/false hoặc “x”/để trống), không phải {_shown(value)}.",
            )
            return None
        return value

    def integer(self, item: dict, key: str, path: Path_, *, minimum: int, label: str):
        value = item.get(key)
        if value is None or value == "":
            self.error((*path, key), f"thiếu {label} (bắt buộc).")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error((*path, key), f"{label} phải là số nguyên, không phải {_shown(value)}.")
            return None
        if value < minimum:
            bound = "không được âm" if minimum == 0 else f"phải từ {minimum} trở lên"
            self.error((*path, key), f"{label} {bound} (đang là {value}).")
            return None
        return value

    def decimal(self, item: dict, key: str, path: Path_, *, label: str):
        value = item.get(key)
        if value is None or value == "":
            self.error((*path, key), f"thiếu {label} (bắt buộc).")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.error(
                (*path, key),
                f'{label} phải là số thập phân viết dạng chuỗi, ví dụ "10" hoặc "0.5".',
            )
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.error((*path, key), f"{label} {_shown(value)} không phải là số.")
            return None
        if number <= 0:
            self.error((*path, key), f"{label} phải lớn hơn 0 (đang là {value}).")
            return None
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > MAX_DECIMAL_PLACES:
            self.error(
                (*path, key), f"{label} chỉ được có tối đa {MAX_DECIMAL_PLACES} chữ số thập phân."
            )
            return None
        if number >= Decimal(10) ** (MAX_DECIMAL_DIGITS - MAX_DECIMAL_PLACES):
            self.error((*path, key), f"{label} quá lớn.")
            return None
        return number

    def items(self, item: dict, key: str, path: Path_, *, required_non_empty=False) -> list:
        value = item.get(key)
        if value is None:
            value = []
        if not isinstance(value, list):
            self.error((*path, key), "phải là một danh sách.")
            return []
        if required_non_empty and not value:
            self.error((*path, key), "phải có ít nhất một giá trị.")
        return value


def _shown(value) -> str:
    if value is None:
        return "giá trị rỗng"
    if isinstance(value, str):
        return f"“{value}”"
    return f"“{json.dumps(value, ensure_ascii=False)}”"


def catalogue_file_check(document: CatalogueFile) -> ImportPlan:
    """Check everything; raise CatalogImportError listing every problem, or return the plan."""
    doc, check = document.data, _Checker(document.data, document.locate)
    plan = ImportPlan()
    for key in ("format", "fields", "decisions", "procedures"):
        if key not in doc:
            check.error((key,), "thiếu khóa bắt buộc của tệp danh mục.")
    if check.errors:
        raise CatalogImportError(check.errors)
    if doc["format"] != FORMAT:
        check.error(("format",), f"phải là “{FORMAT}”, không phải {_shown(doc['format'])}.")

    fields = _check_fields(doc, check, plan)
    decisions = _check_decisions(doc, check, plan)
    _check_procedures(doc, check, plan, fields, decisions)
    if check.errors:
        raise CatalogImportError(check.errors)
    return plan


def _check_fields(doc, check: _Checker, plan: ImportPlan) -> set[str]:
    entries = check.items(doc, "fields", ())
    existing = dict(Field.objects.values_list("code", "name"))
    seen: set[str] = set()
    for i, item in enumerate(entries):
        path = ("fields", i)
        if not isinstance(item, dict):
            check.error(path, "mỗi lĩnh vực phải là một đối tượng {code, name}.")
            continue
        code = check.text(item, "code", path, max_length=32)
        name = check.text(item, "name", path, max_length=255)
        if code is None:
            continue
        if code in seen:
            check.error((*path, "code"), f"mã lĩnh vực “{code}” xuất hiện hai lần trong tệp.")
            continue
        seen.add(code)
        if name is None:
            continue
        if code in existing:
            if existing[code] != name:
                check.error(
                    (*path, "name"),
                    f"lĩnh vực “{code}” đã có trong hệ thống với tên “{existing[code]}”, "
                    f"khác với tên trong tệp “{name}”.",
                )
        else:
            plan.fields.append({"code": code, "name": name})
    return seen | set(existing)


def _decision_dict(d: Decision) -> dict:
    return {
        "number": d.number,
        "signed_on": d.signed_on.isoformat(),
        "effective_from": d.effective_from.isoformat(),
        "issuer": d.issuer,
        "title": d.title,
    }


DECISION_LABELS = {
    "signed_on": "ngày ký",
    "effective_from": "ngày hiệu lực",
    "issuer": "cơ quan ban hành",
    "title": "trích yếu",
}


def _check_decisions(doc, check: _Checker, plan: ImportPlan) -> set[str]:
    entries = check.items(doc, "decisions", ())
    existing = {d.number: _decision_dict(d) for d in Decision.objects.all()}
    seen: set[str] = set()
    for i, item in enumerate(entries):
        path = ("decisions", i)
        if not isinstance(item, dict):
            check.error(path, "mỗi quyết định phải là một đối tượng.")
            continue
        number = check.text(item, "number", path, max_length=64)
        values = {
            "number": number,
            "signed_on": check.day(item, "signed_on", path),
            "effective_from": check.day(item, "effective_from", path),
            "issuer": check.text(item, "issuer", path, max_length=255),
            "title": check.text(item, "title", path),
        }
        if number is None:
            continue
        if number in seen:
            check.error((*path, "number"), f"quyết định “{number}” xuất hiện hai lần trong tệp.")
            continue
        seen.add(number)
        if any(v is None for v in values.values()):
            continue
        if values["effective_from"] < values["signed_on"]:
            check.error(
                (*path, "effective_from"), "ngày hiệu lực không được trước ngày ký quyết định."
            )
            continue
        canonical = {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}
        if number in existing:
            for key, label in DECISION_LABELS.items():
                if existing[number][key] != canonical[key]:
                    check.error(
                        (*path, key),
                        f"quyết định “{number}” đã có trong hệ thống với {label} "
                        f"“{existing[number][key]}”, khác với tệp “{canonical[key]}”.",
                    )
        else:
            plan.decisions.append(values)
    return seen | set(existing)


def existing_versions(codes) -> dict[str, Procedure]:
    """Procedures by code with their versions and every child, in a fixed number of queries."""
    versions = ProcedureVersion.objects.select_related(
        "decision", "field", "competent_agency", "receiving_unit", "replaced_by"
    ).prefetch_related(
        "fees", "components", Prefetch("steps", queryset=ProcessStep.objects.select_related("unit"))
    )
    procedures = Procedure.objects.filter(code__in=list(codes)).prefetch_related(
        Prefetch("versions", queryset=versions.order_by("effective_from"))
    )
    return {p.code: p for p in procedures}


VERSION_LABELS = {
    "change": "loại thay đổi",
    "effective_from": "ngày hiệu lực",
    "replaced_by": "thay thế bởi",
    "name": "tên thủ tục",
    "field": "lĩnh vực",
    "competent_agency": "cơ quan có thẩm quyền",
    "receiving_unit": "nơi tiếp nhận",
    "level": "mức độ",
    "processing_time": "thời hạn",
    "fees": "phí, lệ phí",
    "fee_due": "thời điểm nộp phí",
    "components": "thành phần hồ sơ",
    "results": "kết quả",
    "intake_channels": "kênh nộp",
    "return_channels": "kênh trả",
    "legal_basis": "căn cứ pháp lý",
    "conditions": "yêu cầu, điều kiện",
    "content_source": "nguồn nội dung",
    "steps": "quy trình nội bộ",
    "process_source": "nguồn quy trình nội bộ",
    "process_derived": "quy trình suy ra theo quy tắc",
}


def _check_procedures(doc, check: _Checker, plan: ImportPlan, fields, decisions) -> None:
    from ..exporting import version_dict

    entries = check.items(doc, "procedures", ())
    codes_in_file = {
        item.get("code")
        for item in entries
        if isinstance(item, dict) and isinstance(item.get("code"), str)
    }
    stored = existing_versions(codes_in_file)
    known_codes = codes_in_file | set(
        Procedure.objects.filter(
            code__in={
                v.get("replaced_by")
                for item in entries
                if isinstance(item, dict) and isinstance(item.get("versions"), list)
                for v in item["versions"]
                if isinstance(v, dict) and isinstance(v.get("replaced_by"), str)
            }
        ).values_list("code", flat=True)
    )
    unit_codes = _referenced_units(entries)
    units = set(Unit.objects.filter(code__in=unit_codes).values_list("code", flat=True))
    seen: set[str] = set()
    for i, item in enumerate(entries):
        path = ("procedures", i)
        if not isinstance(item, dict):
            check.error(path, "mỗi thủ tục phải là một đối tượng.")
            continue
        code = check.text(item, "code", path)
        is_internal = check.boolean(item, "is_internal", path)
        if code is None:
            continue
        if not re.fullmatch(PROCEDURE_CODE_PATTERN, code):
            check.error(
                (*path, "code"),
                f"mã TTHC “{code}” không đúng dạng: mã quốc gia d.dddddd (ví dụ 1.005129) "
                "hoặc mã địa phương LOCAL-<CƠ QUAN>-NNN (ví dụ LOCAL-STP-001).",
            )
            continue
        if code in seen:
            check.error((*path, "code"), f"thủ tục “{code}” xuất hiện hai lần trong tệp.")
            continue
        seen.add(code)
        procedure = stored.get(code)
        if procedure is None and is_internal is not None:
            plan.procedures.append({"code": code, "is_internal": is_internal})
        elif (
            procedure is not None
            and is_internal is not None
            and procedure.is_internal != is_internal
        ):
            check.error(
                (*path, "is_internal"),
                f"thủ tục “{code}” đã có trong hệ thống với đánh dấu TTHC nội bộ "
                f"= {'có' if procedure.is_internal else 'không'}, khác với tệp.",
            )
        versions = check.items(item, "versions", path, required_non_empty=True)
        old = {v.decision.number: v for v in procedure.versions.all()} if procedure else {}
        timeline: dict[date, tuple[str, str, Path_ | None]] = {
            v.effective_from: (v.decision.number, v.change, None) for v in old.values()
        }
        by_decision: set[str] = set()
        for j, raw in enumerate(versions):
            vpath = (*path, "versions", j)
            if not isinstance(raw, dict):
                check.error(vpath, "mỗi phiên bản phải là một đối tượng.")
                continue
            version = _check_version(raw, vpath, check, code, fields, decisions, units, known_codes)
            if version is None:
                continue
            number = version["decision"]
            if number in by_decision:
                check.error(
                    (*vpath, "decision"),
                    f"thủ tục “{code}” có hai phiên bản theo cùng quyết định “{number}” (trùng phiên bản).",
                )
                continue
            by_decision.add(number)
            if number in old:
                current = version_dict(old[number])
                differing = [VERSION_LABELS[k] for k in VERSION_LABELS if current[k] != version[k]]
                if differing:
                    check.error(
                        (*vpath, "decision"),
                        f"phiên bản của thủ tục “{code}” theo quyết định “{number}” đã có trong hệ "
                        f"thống với nội dung khác ({', '.join(differing)}); phiên bản đã công bố "
                        "không được sửa — hãy ghi nhận thay đổi bằng một quyết định mới.",
                    )
                else:
                    plan.unchanged_versions += 1
                continue
            day = date.fromisoformat(version["effective_from"])
            if day in timeline:
                check.error(
                    (*vpath, "effective_from"),
                    f"thủ tục “{code}” đã có phiên bản theo quyết định “{timeline[day][0]}” "
                    f"cùng ngày hiệu lực {day:%d/%m/%Y}.",
                )
                continue
            timeline[day] = (number, version["change"], vpath)
            plan.versions.append(version | {"procedure": code})
            plan.touched_codes.add(code)
        _check_timeline(code, timeline, check)


def _check_timeline(code: str, timeline: dict, check: _Checker) -> None:
    """The first version announces the procedure; after it ends only a new announcement follows."""
    previous = None
    for day in sorted(timeline):
        number, change, vpath = timeline[day]
        if vpath is not None:
            if previous is None and change != ChangeKind.ANNOUNCED:
                check.error(
                    (*vpath, "change"),
                    f"phiên bản đầu tiên của thủ tục “{code}” phải là “announced” (công bố mới), "
                    f"không phải “{change}”.",
                )
            elif previous in ENDING_CHANGES and change != ChangeKind.ANNOUNCED:
                check.error(
                    (*vpath, "change"),
                    f"thủ tục “{code}” đã bị thay thế hoặc bãi bỏ trước ngày {day:%d/%m/%Y}; "
                    "sau đó chỉ có thể công bố lại (announced).",
                )
        previous = change


def _referenced_units(entries) -> set[str]:
    codes: set[object] = set()  # whatever the file holds; strings kept below
    for item in entries:
        if not isinstance(item, dict) or not isinstance(item.get("versions"), list):
            continue
        for v in item["versions"]:
            if not isinstance(v, dict):
                continue
            codes |= {v.get("competent_agency"), v.get("receiving_unit")}
            steps = v.get("steps")
            if isinstance(steps, list):
                codes |= {s.get("unit") for s in steps if isinstance(s, dict)}
    return {c for c in codes if isinstance(c, str)}


def _check_version(raw, path, check: _Checker, code, fields, decisions, units, known_codes):
    """The canonical (export-shaped) version dict, or None when anything in it is wrong."""
    before = len(check.errors)
    v: dict = {}
    v["decision"] = check.text(raw, "decision", path)
    if v["decision"] is not None and v["decision"] not in decisions:
        check.error(
            (*path, "decision"),
            f"quyết định “{v['decision']}” không có trong danh sách quyết định của tệp hay của hệ thống.",
        )
    v["change"] = check.choice(raw, "change", path, ChangeKind.choices, "loại thay đổi")
    day = check.day(raw, "effective_from", path)
    v["effective_from"] = day.isoformat() if day else None
    replaced_by = raw.get("replaced_by")
    if v["change"] == ChangeKind.REPLACED:
        replaced_by = check.text(raw, "replaced_by", path)
        if replaced_by is not None and replaced_by == code:
            check.error((*path, "replaced_by"), "thủ tục không thể được thay thế bởi chính nó.")
        elif replaced_by is not None and replaced_by not in known_codes:
            check.error(
                (*path, "replaced_by"),
                f"thủ tục thay thế “{replaced_by}” không có trong tệp hay trong hệ thống.",
            )
    elif replaced_by not in (None, ""):
        check.error(
            (*path, "replaced_by"),
            "chỉ ghi “thay thế bởi” khi loại thay đổi là “replaced” (thay thế).",
        )
    v["replaced_by"] = replaced_by or None
    v["name"] = check.text(raw, "name", path)
    v["field"] = check.text(raw, "field", path)
    if v["field"] is not None and v["field"] not in fields:
        check.error(
            (*path, "field"),
            f"lĩnh vực “{v['field']}” không có trong danh sách lĩnh vực của tệp hay của hệ thống.",
        )
    for key, label in (
        ("competent_agency", "cơ quan có thẩm quyền"),
        ("receiving_unit", "nơi tiếp nhận"),
    ):
        v[key] = check.text(raw, key, path)
        if v[key] is not None and v[key] not in units:
            check.error(
                (*path, key),
                f"{label}: không có đơn vị mã “{v[key]}” trong cơ cấu tổ chức (xem `motcua org units`).",
            )
    v["level"] = check.choice(raw, "level", path, Level.choices, "mức độ")
    v["processing_time"] = _check_time(raw, path, check)
    v["fees"] = _check_fees(raw, path, check)
    v["fee_due"] = (
        check.choice(raw, "fee_due", path, FeeDue.choices, "thời điểm nộp phí")
        if raw.get("fee_due") not in (None, "")
        else FeeDue.INTAKE.value
    )
    v["components"] = _check_components(raw, path, check)
    v["results"] = _check_results(raw, path, check)
    for key in ("intake_channels", "return_channels"):
        v[key] = _check_channels(raw, key, path, check)
    v["legal_basis"] = check.text(raw, "legal_basis", path, required=False)
    v["conditions"] = check.text(raw, "conditions", path, required=False)
    v["content_source"] = check.text(raw, "content_source", path, required=False)
    v["steps"] = _check_steps(raw, path, check, units, v["processing_time"])
    v["process_source"] = check.text(raw, "process_source", path, required=False)
    v["process_derived"] = (
        check.boolean(raw, "process_derived", path)
        if raw.get("process_derived") is not None
        else False
    )
    if v["steps"] and not v["process_source"]:
        check.error(
            (*path, "process_source"),
            "quy trình nội bộ phải ghi nguồn (quyết định phê duyệt quy trình nội bộ, hoặc quy tắc "
            "suy ra kèm “process_derived”: true).",
        )
    if v["components"] and not v["content_source"]:
        check.error(
            (*path, "content_source"),
            "thủ tục có thành phần hồ sơ phải ghi nguồn nội dung (trang CSDL quốc gia về TTHC, "
            "quyết định công bố và điều khoản); không tìm được nguồn thì để trống thành phần hồ sơ.",
        )
    if len(check.errors) > before:
        return None
    return v


def _check_time(raw, path, check: _Checker):
    time = raw.get("processing_time")
    tpath = (*path, "processing_time")
    if not isinstance(time, dict):
        check.error(tpath, "thời hạn phải có giá trị (value) và đơn vị (unit).")
        return None
    value = check.decimal(time, "value", tpath, label="thời hạn")
    unit = check.choice(time, "unit", tpath, TimeUnit.choices, "đơn vị thời hạn")
    if value is None or unit is None:
        return None
    return {"value": decimal_text(value), "unit": unit}


def _check_fees(raw, path, check: _Checker) -> list:
    fees = []
    for k, fee in enumerate(check.items(raw, "fees", path)):
        fpath = (*path, "fees", k)
        if not isinstance(fee, dict):
            check.error(fpath, "mỗi khoản phí phải là một đối tượng {name, amount}.")
            continue
        fees.append(
            {
                "name": check.text(fee, "name", fpath),
                "amount": check.integer(fee, "amount", fpath, minimum=0, label="số tiền (đồng)"),
                "legal_basis": check.text(fee, "legal_basis", fpath, required=False),
            }
        )
    return fees


def _check_components(raw, path, check: _Checker) -> list:
    components = []
    for k, item in enumerate(check.items(raw, "components", path)):
        cpath = (*path, "components", k)
        if not isinstance(item, dict):
            check.error(cpath, "mỗi thành phần hồ sơ phải là một đối tượng.")
            continue
        component = {
            "name": check.text(item, "name", cpath),
            "form": check.choice(item, "form", cpath, FILE_PAPER_FORMS, "loại bản"),
            "count": check.integer(item, "count", cpath, minimum=1, label="số lượng"),
            "mandatory": check.boolean(item, "mandatory", cpath),
            "condition": check.text(item, "condition", cpath, required=False),
            "template": check.text(item, "template", cpath, required=False),
            "legal_basis": check.text(item, "legal_basis", cpath, required=False),
            # Every paper names where it was read (ADR 0033): a placeholder paper has no source.
            "source": check.text(item, "source", cpath),
        }
        if component["mandatory"] is False and not component["condition"]:
            check.error(
                (*cpath, "condition"),
                "giấy tờ không bắt buộc phải ghi trường hợp phải nộp (điều kiện).",
            )
        components.append(component)
    return components


def _check_results(raw, path, check: _Checker) -> list:
    results = []
    for k, item in enumerate(check.items(raw, "results", path)):
        rpath = (*path, "results", k)
        if not isinstance(item, str) or not item.strip():
            check.error(
                rpath, f"kết quả phải là chuỗi ký tự không rỗng, không phải {_shown(item)}."
            )
        elif ";" in item:
            check.error(
                rpath, "tên kết quả không được chứa dấu “;” (dùng để ngăn cách trong XLSX)."
            )
        else:
            results.append(item.strip())
    return results


def _check_channels(raw, key, path, check: _Checker) -> list:
    values = check.items(raw, key, path, required_non_empty=True)
    allowed = Channel.values
    label = "kênh nộp" if key == "intake_channels" else "kênh trả"
    for value in values:
        if value not in allowed:
            check.error(
                (*path, key),
                f"{label} {_shown(value)} không hợp lệ; giá trị được phép: {', '.join(allowed)}.",
            )
    if len(set(map(str, values))) != len(values):
        check.error((*path, key), f"{label} bị lặp giá trị.")
    return channels_in_order(v for v in values if isinstance(v, str))


def _check_steps(raw, path, check: _Checker, units, time) -> list:
    steps = []
    total = Decimal(0)
    complete = True
    for k, item in enumerate(check.items(raw, "steps", path)):
        spath = (*path, "steps", k)
        if not isinstance(item, dict):
            check.error(spath, "mỗi bước phải là một đối tượng.")
            complete = False
            continue
        unit = item.get("unit")
        if unit not in (None, "") and (not isinstance(unit, str) or unit not in units):
            check.error(
                (*spath, "unit"),
                f"không có đơn vị mã {_shown(unit)} trong cơ cấu tổ chức (xem `motcua org units`).",
            )
        budget = check.decimal(item, "budget_hours", spath, label="số giờ")
        steps.append(
            {
                "name": check.text(item, "name", spath),
                "unit": unit or None,
                "role": check.choice(item, "role", spath, STEP_ROLES, "vai trò"),
                "budget_hours": decimal_text(budget) if budget is not None else None,
            }
        )
        if budget is None:
            complete = False
        else:
            total += budget
    if steps and complete and time is not None:
        hours = Decimal(time["value"]) * (
            HOURS_PER_WORKING_DAY if time["unit"] == TimeUnit.WORKING_DAYS else 1
        )
        if total != hours:
            check.error(
                (*path, "processing_time", "value"),
                f"tổng số giờ của các bước quy trình nội bộ là {decimal_text(total)} giờ, "
                f"không bằng thời hạn giải quyết {decimal_text(hours)} giờ làm việc "
                f"({time['value']} {TimeUnit(time['unit']).label}; 1 ngày làm việc = 8 giờ).",
            )
    return steps

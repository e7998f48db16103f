"""Online forms are data: one JSON file per procedure version under motcua/eforms/schemas/
(format `motcua.eform/1`, docs/eforms.md), read here into a Schema and checked when loaded.

A file that is not a valid schema is refused with a SchemaError naming the file and the field
(“LOCAL-STP-001.json: trường “purpose” (mục 4): thiếu kiểu (type)”): a field without a type, an
unknown type, a duplicate key, a choice without options, a bounded number without its bounds, an
unknown pre-fill source or applicant mapping. The Django system check `eforms.E001` loads every
shipped file, so a bad one stops `motcua check` (and the test suite) rather than a citizen's page.

Answers are validated here too (`Schema.validate`), field by field, by pure rules: required, the
date dd/mm/yyyy and not in the future, the 12-digit personal identification number (motcua.core.
identity), a phone number, an e-mail address, a number within its bounds, a choice among its
options, and periods (residence since age 14) each with from ≤ to, in order and not overlapping.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from motcua.core.identity import citizen_id_validate

FORMAT = "motcua.eform/1"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
TYPES = ("text", "textarea", "date", "choice", "citizen_id", "phone", "email", "integer", "periods")
PERIOD_COLUMN_TYPES = ("date", "text")
# Where a field may take its first value from: the citizen's account (motcua.accounts User).
PREFILL_SOURCES = ("account.full_name", "account.citizen_id", "account.phone", "account.email")
# What the online-submission service needs about the applicant (motcua.dossiers ApplicantData).
APPLICANT_KEYS = ("full_name", "citizen_id", "date_of_birth", "phone", "email", "address_line")
MAX_TEXT = 200
MAX_TEXTAREA = 2000
MAX_ROWS = 40
DATE_RE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
PHONE_RE = re.compile(r"^0\d{9,10}$")  # 10-digit mobiles, 11-digit landlines (02xx…)


class SchemaError(Exception):
    """A schema file that cannot be used: the message names the file and the field."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: str = "text"
    required: bool = False


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    type: str
    required: bool = False
    hint: str = ""
    options: tuple[str, ...] = ()
    prefill: str = ""
    not_future: bool = False
    min: int | None = None
    max: int | None = None
    columns: tuple[Column, ...] = ()
    rows: int = 3  # blank rows offered for periods
    upper: bool = False  # written in capitals (names on the LLTP form)
    printed: bool = True  # False: asked online (e.g. the phone for notices), not on the paper form

    @property
    def is_periods(self) -> bool:
        return self.type == "periods"


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[FormField, ...]


@dataclass(frozen=True)
class Schema:
    key: str  # "<procedure code>@<decision number>"
    file: str
    procedure_code: str
    decision: str
    form_code: str
    title: str
    subtitle: str
    addressee: str
    pledge: str
    signer: str
    source: str
    layout_checked: bool
    sections: tuple[Section, ...]
    applicant: dict[str, str]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def fields(self) -> list[FormField]:
        return [f for s in self.sections for f in s.fields]

    def field(self, key: str) -> FormField:
        return next(f for f in self.fields if f.key == key)

    @property
    def layout_note(self) -> str:
        if self.layout_checked:
            return f"Bố cục theo {self.form_code}."
        return (
            f"Bố cục do Một Cửa dựng lại từ các trường của {self.form_code} (nguồn ghi trong "
            f"motcua/eforms/schemas/{self.file}); chưa đối chiếu với bản gốc ban hành kèm thông tư."
        )

    def validate(
        self, answers: dict, today: date, *, partial: bool = False
    ) -> tuple[dict, dict[str, str]]:
        """(cleaned answers, errors by field key; a period's error by "key.row.column").
        `partial`: a draft's check — what was typed must be well formed, empty fields may wait."""
        cleaned: dict = {}
        errors: dict[str, str] = {}
        for item in self.fields:
            raw = answers.get(item.key)
            if item.is_periods:
                cleaned[item.key] = _periods_clean(item, raw, today, errors, partial=partial)
                continue
            value = _text(raw)
            if not value:
                if item.required and not partial:
                    errors[item.key] = f"Hãy nhập “{item.label}”."
                cleaned[item.key] = ""
                continue
            try:
                cleaned[item.key] = _value_clean(item, value, today)
            except ValidationError as exc:
                errors[item.key] = exc.messages[0]
        birth_key = self.applicant.get("date_of_birth")
        id_key = self.applicant.get("citizen_id")
        if birth_key and id_key and not ({birth_key, id_key} & set(errors)):
            birth = parse_date(cleaned.get(birth_key, ""))
            if birth and cleaned.get(id_key):
                try:
                    citizen_id_validate(cleaned[id_key], date_of_birth=birth)
                except ValidationError as exc:
                    errors[id_key] = exc.messages[0]
        return cleaned, errors


def _text(raw) -> str:
    return " ".join(str(raw).split()) if isinstance(raw, str | int) else ""


def parse_date(value: str) -> date | None:
    match = DATE_RE.match(value or "")
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _date_clean(label: str, value: str, today: date, *, not_future: bool) -> str:
    if not DATE_RE.match(value):
        raise ValidationError(f"“{label}”: ghi ngày theo dạng ngày/tháng/năm, ví dụ 05/03/1990.")
    parsed = parse_date(value)
    if parsed is None:
        raise ValidationError(f"“{label}”: ngày {value} không có trên lịch.")
    if parsed.year < 1900:
        raise ValidationError(f"“{label}”: năm {parsed.year} không hợp lệ.")
    if not_future and parsed > today:
        raise ValidationError(f"“{label}”: ngày {value} chưa đến (sau ngày hôm nay).")
    return value


def _value_clean(item: FormField, value: str, today: date) -> str:
    limit = MAX_TEXTAREA if item.type == "textarea" else MAX_TEXT
    if len(value) > limit:
        raise ValidationError(f"“{item.label}”: tối đa {limit} ký tự.")
    if item.type == "date":
        return _date_clean(item.label, value, today, not_future=item.not_future)
    if item.type == "choice":
        if value not in item.options:
            raise ValidationError(f"“{item.label}”: hãy chọn một trong các mục đã cho.")
        return value
    if item.type == "citizen_id":
        try:
            return citizen_id_validate(value)  # the one rule: 12 digits, a province of birth…
        except ValidationError as exc:  # …said beside this form's field
            if exc.code == "citizen_id_format":
                raise ValidationError(
                    f"“{item.label}”: số định danh cá nhân gồm đúng 12 chữ số."
                ) from None
            raise ValidationError(f"“{item.label}”: {exc.messages[0]}") from None
    if item.type == "phone":
        digits = re.sub(r"[\s.\-]", "", value)
        if digits.startswith("+84"):
            digits = "0" + digits[3:]
        if not PHONE_RE.match(digits):
            raise ValidationError(
                f"“{item.label}”: số điện thoại gồm 10 chữ số bắt đầu bằng 0 (ví dụ 0912345678)."
            )
        return digits
    if item.type == "email":
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(f"“{item.label}”: địa chỉ thư điện tử không hợp lệ.") from None
        return value
    if item.type == "integer":
        if not value.isdigit():
            raise ValidationError(f"“{item.label}”: hãy nhập một số nguyên.")
        number = int(value)
        assert item.min is not None and item.max is not None  # checked when loaded
        if not item.min <= number <= item.max:
            raise ValidationError(f"“{item.label}”: từ {item.min} đến {item.max}.")
        return str(number)
    return value.upper() if item.upper else value


def _periods_clean(
    item: FormField, raw, today: date, errors: dict[str, str], *, partial: bool = False
) -> list[dict]:
    """Rows with every cell empty are dropped; the others are checked cell by cell, then each
    period's from ≤ to, then the periods in order (each starts after the previous one ends)."""
    rows = [r for r in (raw if isinstance(raw, list) else []) if isinstance(r, dict)]
    rows = [{c.key: _text(r.get(c.key)) for c in item.columns} for r in rows]
    rows = [r for r in rows if any(r.values())][:MAX_ROWS]
    if item.required and not rows and not partial:
        errors[item.key] = f"Hãy khai ít nhất một dòng “{item.label}”."
    dates = [c for c in item.columns if c.type == "date"]
    spans: list[tuple[int, date, date]] = []
    for number, row in enumerate(rows, start=1):
        bad = False
        for column in item.columns:
            value, where = row[column.key], f"{item.key}.{number}.{column.key}"
            label = f"{item.label}, dòng {number}, {column.label}"
            if not value:
                if column.required and not partial:
                    errors[where] = f"Hãy nhập “{column.label}” ở dòng {number}."
                    bad = True
                continue
            try:
                if column.type == "date":
                    row[column.key] = _date_clean(label, value, today, not_future=True)
                elif len(value) > MAX_TEXT:
                    raise ValidationError(f"“{label}”: tối đa {MAX_TEXT} ký tự.")
            except ValidationError as exc:
                errors[where] = exc.messages[0]
                bad = True
        if bad or len(dates) < 2:
            continue
        start, end = parse_date(row[dates[0].key]), parse_date(row[dates[1].key])
        if start and end:
            if start > end:
                errors[f"{item.key}.{number}.{dates[1].key}"] = (
                    f"Dòng {number}: “{dates[1].label}” phải sau “{dates[0].label}”."
                )
                continue
            spans.append((number, start, end))
    for (before, first_start, first_end), (number, start, _) in zip(spans, spans[1:], strict=False):
        where = f"{item.key}.{number}.{dates[0].key}"
        if start < first_start:
            errors[where] = (
                f"Dòng {number} bắt đầu trước dòng {before}: hãy ghi các giai đoạn theo thứ tự "
                "thời gian, từ khi đủ 14 tuổi đến nay."
            )
        elif start < first_end:
            errors[where] = (
                f"Dòng {number} trùng thời gian với dòng {before}: giai đoạn sau bắt đầu khi giai "
                "đoạn trước đã kết thúc."
            )
    return rows


# --- loading ---------------------------------------------------------------------------------------


def schema_load(path: Path) -> Schema:
    """Read and check one schema file; SchemaError names the file and the field."""
    name = path.name
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SchemaError(f"{name}: không đọc được tệp JSON ({exc}).") from None
    if not isinstance(doc, dict):
        raise SchemaError(f"{name}: tệp phải là một đối tượng JSON.")
    if doc.get("format") != FORMAT:
        raise SchemaError(f"{name}: “format” phải là “{FORMAT}”.")
    for key in ("procedure_code", "decision", "form_code", "title", "source", "sections"):
        if not doc.get(key):
            raise SchemaError(f"{name}: thiếu “{key}”.")
    if not isinstance(doc["sections"], list):
        raise SchemaError(f"{name}: “sections” phải là một danh sách.")
    seen: set[str] = set()
    sections = []
    for number, part in enumerate(doc["sections"], start=1):
        if not isinstance(part, dict) or not part.get("title"):
            raise SchemaError(f"{name}: mục {number} thiếu “title”.")
        items = part.get("fields")
        if not isinstance(items, list) or not items:
            raise SchemaError(f"{name}: mục {number} (“{part['title']}”) không có trường nào.")
        sections.append(Section(part["title"], tuple(_field(name, number, f, seen) for f in items)))
    applicant = doc.get("applicant") or {}
    if not isinstance(applicant, dict):
        raise SchemaError(f"{name}: “applicant” phải là một đối tượng.")
    for target, source in applicant.items():
        if target not in APPLICANT_KEYS:
            raise SchemaError(f"{name}: “applicant”: “{target}” không phải thông tin người nộp.")
        if source not in seen:
            raise SchemaError(f"{name}: “applicant.{target}” trỏ đến trường “{source}” không có.")
    if "full_name" not in applicant or "citizen_id" not in applicant:
        raise SchemaError(f"{name}: “applicant” phải chỉ ra trường họ tên và số định danh.")
    return Schema(
        key=f"{doc['procedure_code']}@{doc['decision']}",
        file=name,
        procedure_code=doc["procedure_code"],
        decision=doc["decision"],
        form_code=doc["form_code"],
        title=doc["title"],
        subtitle=doc.get("subtitle", ""),
        addressee=doc.get("addressee", ""),
        pledge=doc.get("pledge", ""),
        signer=doc.get("signer", "Người khai (ký, ghi rõ họ tên)"),
        source=doc["source"],
        layout_checked=bool(doc.get("layout_checked", False)),
        sections=tuple(sections),
        applicant=dict(applicant),
        notes=tuple(doc.get("notes", ())),
    )


def _field(name: str, section: int, item, seen: set[str]) -> FormField:
    if not isinstance(item, dict):
        raise SchemaError(f"{name}: mục {section}: mỗi trường phải là một đối tượng.")
    key = item.get("key")
    if not key or not isinstance(key, str) or not re.match(r"^[a-z][a-z0-9_]*$", key):
        raise SchemaError(
            f"{name}: mục {section}: trường “{key or item.get('label', '?')}” thiếu khóa (key) "
            "hợp lệ (chữ thường không dấu, số, gạch dưới)."
        )
    where = f"{name}: trường “{key}” (mục {section})"
    if key in seen:
        raise SchemaError(f"{where}: khóa trùng với một trường khác.")
    seen.add(key)
    kind = item.get("type")
    if not kind:
        raise SchemaError(f"{where}: thiếu kiểu (type).")
    if kind not in TYPES:
        raise SchemaError(f"{where}: kiểu “{kind}” không có; dùng một trong: {', '.join(TYPES)}.")
    if not item.get("label"):
        raise SchemaError(f"{where}: thiếu nhãn (label).")
    options = tuple(item.get("options") or ())
    if kind == "choice" and (len(options) < 2 or len(set(options)) != len(options)):
        raise SchemaError(f"{where}: trường chọn cần ít nhất hai lựa chọn khác nhau (options).")
    low, high = item.get("min"), item.get("max")
    if kind == "integer" and not (isinstance(low, int) and isinstance(high, int) and low <= high):
        raise SchemaError(f"{where}: số nguyên cần giới hạn “min” ≤ “max”.")
    prefill = item.get("prefill", "")
    if prefill and prefill not in PREFILL_SOURCES:
        raise SchemaError(f"{where}: nguồn điền sẵn “{prefill}” không có.")
    columns: tuple[Column, ...] = ()
    if kind == "periods":
        raw_columns = item.get("columns") or []
        keys = [c.get("key") for c in raw_columns if isinstance(c, dict)]
        if len(keys) != len(raw_columns) or not all(keys) or len(set(keys)) != len(keys):
            raise SchemaError(f"{where}: các cột (columns) cần khóa riêng, không trùng.")
        for column in raw_columns:
            if column.get("type", "text") not in PERIOD_COLUMN_TYPES or not column.get("label"):
                raise SchemaError(
                    f"{where}: cột “{column['key']}” cần nhãn và kiểu “date” hoặc “text”."
                )
        if [c.get("type") for c in raw_columns][:2] != ["date", "date"]:
            raise SchemaError(f"{where}: hai cột đầu phải là “từ ngày” và “đến ngày” (date).")
        columns = tuple(
            Column(c["key"], c["label"], c.get("type", "text"), bool(c.get("required")))
            for c in raw_columns
        )
    return FormField(
        key=key,
        label=item["label"],
        type=kind,
        required=bool(item.get("required", False)),
        hint=item.get("hint", ""),
        options=options,
        prefill=prefill,
        not_future=bool(item.get("not_future", False)),
        min=low,
        max=high,
        columns=columns,
        rows=int(item.get("rows", 3)),
        upper=bool(item.get("upper", False)),
        printed=bool(item.get("printed", True)),
    )


def schemas_load(directory: Path) -> dict[str, Schema]:
    """Every schema of a folder (files starting with "_" are notes, not schemas), by key."""
    found: dict[str, Schema] = {}
    for path in sorted(directory.glob("*.json")):
        if path.name.startswith("_"):
            continue
        schema = schema_load(path)
        if schema.key in found:
            raise SchemaError(
                f"{path.name}: thủ tục {schema.procedure_code}, quyết định {schema.decision} đã có "
                f"biểu mẫu trong {found[schema.key].file}."
            )
        found[schema.key] = schema
    return found


@lru_cache(maxsize=1)
def shipped_schemas() -> dict[str, Schema]:
    return schemas_load(SCHEMA_DIR)


def schema_for(procedure_code: str, decision_number: str) -> Schema | None:
    return shipped_schemas().get(f"{procedure_code}@{decision_number}")

"""Checks of a catalogue document (docs/catalogue-format.md) that need no database: the format's
rules, the unit codes it references, and "what is in force on a date". Used by the generator to
refuse to write a bad file, and by tests/demo."""

import re
from datetime import date
from decimal import Decimal

from motcua.accounts.roles import Role
from motcua.catalog.content_report import decimal_or_none as _decimal
from motcua.catalog.content_report import total_hours

NATIONAL_CODE = re.compile(r"^\d\.\d{6}$")
LOCAL_CODE = re.compile(r"^LOCAL-[A-Z]+-\d{3}$")
CHANGES = {"announced", "amended", "replaced", "repealed"}
LEVELS = {"toan_trinh", "mot_phan", "none"}
CHANNELS = {"desk", "online", "post"}
PAPER_FORMS = {"original", "certified_copy", "copy"}
TIME_UNITS = {"working_days", "working_hours"}
STAFF_ROLES = {r.value for r in Role if r != Role.CITIZEN}


def validate(doc: dict, unit_codes: set[str]) -> list[str]:
    """Every broken rule of the format, as readable messages (empty list = valid)."""
    errors: list[str] = []
    if doc.get("format") != "motcua.catalogue/1":
        errors.append("format: phải là motcua.catalogue/1")
    fields = {f["code"] for f in doc.get("fields", [])}
    decisions = {}
    for i, d in enumerate(doc.get("decisions", [])):
        if d["number"] in decisions:
            errors.append(f"decisions[{i}]: số quyết định trùng {d['number']}")
        decisions[d["number"]] = d
        for key in ("signed_on", "effective_from"):
            date.fromisoformat(d[key])
    codes = [p["code"] for p in doc.get("procedures", [])]
    if len(codes) != len(set(codes)):
        errors.append("procedures: mã TTHC trùng")
    all_codes = set(codes)
    for i, proc in enumerate(doc.get("procedures", [])):
        where = f"procedures[{i}] ({proc.get('code')})"
        if not (NATIONAL_CODE.match(proc["code"]) or LOCAL_CODE.match(proc["code"])):
            errors.append(f"{where}: mã không hợp lệ")
        if not isinstance(proc.get("is_internal"), bool):
            errors.append(f"{where}: is_internal phải là true/false")
        dates = [v["effective_from"] for v in proc["versions"]]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            errors.append(f"{where}: các phiên bản phải theo ngày hiệu lực tăng dần, không trùng")
        if not proc["versions"] or proc["versions"][0]["change"] != "announced":
            errors.append(f"{where}: phiên bản đầu tiên phải là announced")
        for j, v in enumerate(proc["versions"]):
            errors += _validate_version(
                f"{where}.versions[{j}]", v, proc, fields, decisions, unit_codes, all_codes
            )
    return errors


def _validate_version(where, v, proc, fields, decisions, unit_codes, all_codes) -> list[str]:
    errors = []
    if v.get("decision") not in decisions:
        errors.append(f"{where}.decision: không có trong decisions")
    date.fromisoformat(v["effective_from"])
    if v.get("change") not in CHANGES:
        errors.append(f"{where}.change: không hợp lệ")
    if v.get("change") == "replaced":
        if v.get("replaced_by") not in all_codes:
            errors.append(f"{where}.replaced_by: phải là mã một thủ tục có trong tệp")
    elif v.get("replaced_by") is not None:
        errors.append(f"{where}.replaced_by: chỉ dùng khi change = replaced")
    if not v.get("name"):
        errors.append(f"{where}.name: trống")
    if v.get("field") not in fields:
        errors.append(f"{where}.field: không có trong fields")
    for key in ("competent_agency", "receiving_unit"):
        if v.get(key) not in unit_codes:
            errors.append(f"{where}.{key}: mã đơn vị {v.get(key)} không có trong tổ chức")
    if v.get("level") not in LEVELS:
        errors.append(f"{where}.level: không hợp lệ")
    time = v.get("processing_time") or {}
    value = _decimal(time.get("value"))
    if time.get("unit") not in TIME_UNITS or value is None or value <= 0:
        errors.append(f"{where}.processing_time: không hợp lệ")
    for k, fee in enumerate(v.get("fees", [])):
        if not fee.get("name") or not isinstance(fee.get("amount"), int) or fee["amount"] < 0:
            errors.append(f"{where}.fees[{k}]: không hợp lệ")
    for k, c in enumerate(v.get("components", [])):
        ok = c.get("name") and c.get("form") in PAPER_FORMS
        ok = ok and isinstance(c.get("count"), int) and c["count"] >= 1
        if not ok or not isinstance(c.get("mandatory"), bool):
            errors.append(f"{where}.components[{k}]: không hợp lệ")
        if not c.get("source"):
            errors.append(f"{where}.components[{k}].source: giấy tờ không có nguồn")
        if c.get("mandatory") is False and not c.get("condition"):
            errors.append(
                f"{where}.components[{k}].condition: giấy tờ không bắt buộc thiếu điều kiện"
            )
    if v.get("components") and not v.get("content_source"):
        errors.append(f"{where}.content_source: có thành phần hồ sơ nhưng không ghi nguồn nội dung")
    if v.get("steps") and not v.get("process_source"):
        errors.append(f"{where}.process_source: có quy trình nội bộ nhưng không ghi nguồn")
    if not isinstance(v.get("results"), list):
        errors.append(f"{where}.results: phải là danh sách")
    for key in ("intake_channels", "return_channels"):
        chans = v.get(key)
        if not chans or not set(chans) <= CHANNELS or len(set(chans)) != len(chans):
            errors.append(f"{where}.{key}: không hợp lệ")
    if not isinstance(v.get("legal_basis"), str):
        errors.append(f"{where}.legal_basis: phải là chuỗi")
    steps = v.get("steps", [])
    if steps:
        budget = Decimal(0)
        for k, s in enumerate(steps):
            hours = _decimal(s.get("budget_hours"))
            if not s.get("name") or hours is None or hours <= 0:
                errors.append(f"{where}.steps[{k}]: không hợp lệ")
                continue
            if s.get("unit") is not None and s["unit"] not in unit_codes:
                errors.append(f"{where}.steps[{k}].unit: mã đơn vị {s['unit']} không có")
            if s.get("role") not in STAFF_ROLES:
                errors.append(f"{where}.steps[{k}].role: không hợp lệ")
            budget += hours
        if budget != total_hours(v):
            errors.append(f"{where}.steps: tổng {budget} giờ ≠ thời hạn {total_hours(v)} giờ")
    return errors


def in_force(doc: dict, on: date) -> list[tuple[dict, dict]]:
    """(procedure, version) pairs in force on a date: the last version that took effect on or
    before it, unless that version replaced or repealed the procedure."""
    result = []
    for proc in doc["procedures"]:
        current = None
        for version in proc["versions"]:
            if date.fromisoformat(version["effective_from"]) <= on:
                current = version
        if current is not None and current["change"] not in {"replaced", "repealed"}:
            result.append((proc, current))
    return result


def shape(doc: dict, on: date, *, service_centre: str, legal_aid_centre: str) -> dict:
    """The seed's figures for the catalogue in force on a date."""
    pairs = in_force(doc, on)
    public = [(p, v) for p, v in pairs if not p["is_internal"]]
    at_centre = [v for _, v in public if v["receiving_unit"] == service_centre]
    at_legal_aid = [v for _, v in public if v["receiving_unit"] == legal_aid_centre]
    return {
        "public": len(at_centre) + len(at_legal_aid),
        "service_centre": len(at_centre),
        "legal_aid_centre": len(at_legal_aid),
        "toan_trinh": sum(v["level"] == "toan_trinh" for v in at_centre),
        "mot_phan": sum(v["level"] == "mot_phan" for v in at_centre),
        "postal": sum("post" in v["intake_channels"] for v in at_centre + at_legal_aid),
        "internal": sum(p["is_internal"] for p, _ in pairs),
        "with_steps": sum(bool(v["steps"]) for _, v in public),
    }


def h1_2023_dossier_counts(doc: dict) -> dict[str, int]:
    """How many of the demo's 22.128 H1/2023 dossiers each procedure gets (motcua/demo/dossiers.py's
    mix applied to this document's procedures in force for the whole half-year)."""
    from collections import defaultdict

    from motcua.demo import dossiers as mix

    start = {p["code"] for p, _ in in_force(doc, mix.FIRST_DAY)}
    versions = {
        p["code"]: v
        for p, v in in_force(doc, mix.LAST_DAY)
        if p["code"] in start
        and not p["is_internal"]
        and v["receiving_unit"] in (mix.CENTRE, mix.LEGAL_AID)
    }
    by_field: dict[str, list[str]] = defaultdict(list)
    for code, version in versions.items():
        if code not in mix.SHARE_BY_CODE:
            by_field[version["field"]].append(code)
    weights = {
        code: mix.SHARE_BY_CODE[code]
        if code in mix.SHARE_BY_CODE
        else mix.SHARE_BY_FIELD.get(v["field"], 0.001) / len(by_field[v["field"]])
        for code, v in versions.items()
    }
    codes = sorted(weights)
    spare = mix.TOTAL - mix.MIN_PER_PROCEDURE * len(codes)
    counts = mix._allocate(spare, [weights[c] for c in codes])
    return {c: n + mix.MIN_PER_PROCEDURE for c, n in zip(codes, counts, strict=True)}


def content_complete(version: dict, *, has_form) -> bool:
    """The issue's bar for a procedure's real content (motcua/catalog/content_report.py): an
    official source, at least two papers each with its source, an internal process whose budgets
    add up, and a downloadable blank form."""
    from motcua.catalog.content_report import content_complete as complete

    return complete(version, has_form=has_form)

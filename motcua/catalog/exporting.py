"""Writing the catalogue in the exchange format (docs/catalogue-format.md), JSON or XLSX.

The output is deterministic: fields by code, decisions by (effective date, number), procedures by
code, versions by effective date, fees/components/steps in their recorded order. Every value goes
through the same canonical form the importer compares against (`version_dict`), so export → import
→ export gives the same bytes (JSON) or the same cells (XLSX).
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime

from django.db.models import Prefetch, Q

from .importing import FORMAT, LIST_SEPARATOR, SHEETS, channels_in_order, decimal_text
from .models import Decision, FeeDue, Field, Procedure, ProcedureVersion, ProcessStep


def version_dict(v: ProcedureVersion) -> dict:
    """A stored version in the JSON shape (children must be prefetched to avoid N+1)."""
    return {
        "decision": v.decision.number,
        "change": v.change,
        "effective_from": v.effective_from.isoformat(),
        "replaced_by": v.replaced_by.code if v.replaced_by else None,
        "name": v.name,
        "field": v.field.code,
        "competent_agency": v.competent_agency.code,
        "receiving_unit": v.receiving_unit.code,
        "level": v.level,
        "processing_time": {
            "value": decimal_text(v.processing_time_value),
            "unit": v.processing_time_unit,
        },
        "fees": [
            {"name": f.name, "amount": f.amount, "legal_basis": f.legal_basis} for f in v.fees.all()
        ],
        "fee_due": v.fee_due,
        "components": [
            {
                "name": c.name,
                "form": c.file_form,
                "count": c.count,
                "mandatory": c.mandatory,
                "condition": c.condition,
                "template": c.template,
                "legal_basis": c.legal_basis,
                "source": c.source,
            }
            for c in v.components.all()
        ],
        "results": list(v.results),
        "intake_channels": channels_in_order(v.intake_channels),
        "return_channels": channels_in_order(v.return_channels),
        "legal_basis": v.legal_basis,
        "conditions": v.conditions,
        "content_source": v.content_source,
        "steps": [
            {
                "name": s.name,
                "unit": s.unit.code if s.unit else None,
                "role": s.role,
                "budget_hours": decimal_text(s.budget_hours),
            }
            for s in v.steps.all()
        ],
        "process_source": v.process_source,
        "process_derived": v.process_derived,
    }


def _without_default_fee_due(version: dict) -> dict:
    """`fee_due` is written only when it is not the default (intake), so files written before the
    field existed still round-trip byte for byte."""
    if version.get("fee_due") == FeeDue.INTAKE:
        del version["fee_due"]
    return version


def _versions_queryset():
    return (
        ProcedureVersion.objects.select_related(
            "procedure", "decision", "field", "competent_agency", "receiving_unit", "replaced_by"
        )
        .prefetch_related(
            "fees",
            "components",
            Prefetch("steps", queryset=ProcessStep.objects.select_related("unit")),
        )
        .order_by("procedure__code", "effective_from")
    )


def catalogue_file_build(*, at=None, agency=None) -> dict:
    """The catalogue as a JSON-shaped dict.

    No filter: everything, including decisions and fields no version uses yet. `at`: only the
    versions in force that day. `agency`: only procedures that unit (or a unit below it) decides
    or receives, plus the procedures that replace them, so that the file imports on its own.
    """
    from . import selectors

    if at is not None:
        versions = list(
            _versions_queryset().filter(
                pk__in=selectors.versions_in_force(at, agency=agency).values("pk")
            )
        )
    elif agency is not None:
        ids = selectors.agency_unit_ids(agency)
        codes = set(
            Procedure.objects.filter(
                Q(versions__competent_agency_id__in=ids) | Q(versions__receiving_unit_id__in=ids)
            ).values_list("code", flat=True)
        )
        todo = set(codes)
        while todo:  # follow replacements so the export is self-contained
            found = set(
                ProcedureVersion.objects.filter(
                    procedure__code__in=todo, replaced_by__isnull=False
                ).values_list("replaced_by__code", flat=True)
            )
            todo = found - codes
            codes |= found
        versions = list(_versions_queryset().filter(procedure__code__in=codes))
    else:
        versions = list(_versions_queryset())

    procedures: dict[str, dict] = {}
    for v in versions:
        entry = procedures.setdefault(
            v.procedure.code,
            {"code": v.procedure.code, "is_internal": v.procedure.is_internal, "versions": []},
        )
        entry["versions"].append(_without_default_fee_due(version_dict(v)))

    fields = Field.objects.order_by("code")
    decisions = Decision.objects.order_by("effective_from", "number")
    if at is not None or agency is not None:
        fields = fields.filter(code__in={v.field.code for v in versions})
        decisions = decisions.filter(number__in={v.decision.number for v in versions})
    return {
        "format": FORMAT,
        "fields": [{"code": f.code, "name": f.name} for f in fields],
        "decisions": [
            {
                "number": d.number,
                "signed_on": d.signed_on.isoformat(),
                "effective_from": d.effective_from.isoformat(),
                "issuer": d.issuer,
                "title": d.title,
            }
            for d in decisions
        ],
        "procedures": list(procedures.values()),
    }


def to_json(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- XLSX --------------------------------------------------------------------------------------

DATE_FORMAT = "DD/MM/YYYY"
FIXED_TIMESTAMP = datetime(2000, 1, 1)


def _number(text: str):
    """'10' -> 10, '0.5' -> 0.5: numbers stay numbers in the spreadsheet."""
    value = float(text)
    return int(value) if value.is_integer() else value


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _x(flag: bool):
    return "x" if flag else None


def _joined(values: list[str]):
    return LIST_SEPARATOR.join(values) or None


def xlsx_rows(document: dict) -> dict[str, list[list]]:
    """Each sheet's data rows (without the header), in the order they are written."""
    rows: dict[str, list[list]] = {title: [] for title in SHEETS}
    rows["Lĩnh vực"] = [[f["code"], f["name"]] for f in document["fields"]]
    rows["Quyết định"] = [
        [d["number"], _day(d["signed_on"]), _day(d["effective_from"]), d["issuer"], d["title"]]
        for d in document["decisions"]
    ]
    for proc in document["procedures"]:
        for v in proc["versions"]:
            key = [proc["code"], v["decision"]]
            rows["Thủ tục"].append(
                [
                    proc["code"],
                    _x(proc["is_internal"]),
                    v["decision"],
                    v["change"],
                    _day(v["effective_from"]),
                    v["replaced_by"],
                    v["name"],
                    v["field"],
                    v["competent_agency"],
                    v["receiving_unit"],
                    v["level"],
                    _number(v["processing_time"]["value"]),
                    v["processing_time"]["unit"],
                    _joined(v["intake_channels"]),
                    _joined(v["return_channels"]),
                    _joined(v["results"]),
                    v["legal_basis"] or None,
                    v.get("fee_due", "intake"),  # documents written before the field
                    v.get("conditions") or None,  # optional in a hand-written document
                    v.get("content_source") or None,
                    v.get("process_source") or None,
                    _x(v.get("process_derived", False)),
                ]
            )
            for fee in v["fees"]:
                rows["Phí, lệ phí"].append(
                    [*key, fee["name"], fee["amount"], fee.get("legal_basis") or None]
                )
            for n, c in enumerate(v["components"], start=1):
                rows["Thành phần hồ sơ"].append(
                    [
                        *key,
                        n,
                        c["name"],
                        c["form"],
                        c["count"],
                        _x(c["mandatory"]),
                        c.get("condition") or None,
                        c.get("template") or None,
                        c.get("legal_basis") or None,
                        c.get("source"),
                    ]
                )
            for n, s in enumerate(v["steps"], start=1):
                rows["Quy trình nội bộ"].append(
                    [*key, n, s["name"], s["unit"], s["role"], _number(s["budget_hours"])]
                )
    return rows


def to_xlsx(document: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = "Một Cửa"
    workbook.properties.created = FIXED_TIMESTAMP
    workbook.properties.modified = FIXED_TIMESTAMP
    for title, data in xlsx_rows(document).items():
        sheet = workbook.create_sheet(title)
        sheet.append(SHEETS[title])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in data:
            sheet.append(row)
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, date):
                    cell.number_format = DATE_FORMAT
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

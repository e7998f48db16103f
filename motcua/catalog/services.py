"""Writes to the catalogue: importing a catalogue file, and exporting it.

Business rules (docs/catalogue-format.md): a file is checked whole before anything is written, and
any problem rejects it whole with Vietnamese messages naming sheet/row/column (XLSX) or procedure and
field (JSON); the database is then unchanged. A version already recorded with identical content is
skipped, so importing the same file twice changes nothing; a recorded version is immutable (a change
needs a new decision). Each version stays in force until the next version of the same procedure takes
effect: the service keeps `effective_until` in step, the only value of a version that ever changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from motcua.accounts.permissions import require
from motcua.org.models import Unit

from . import exporting
from .importing import CatalogImportError, ImportPlan, catalogue_file_check, catalogue_file_load
from .models import (
    CERTIFIED_COPY,
    Channel,
    Decision,
    Field,
    PaperForm,
    Procedure,
    ProcedureComponent,
    ProcedureFee,
    ProcedureVersion,
    ProcessStep,
)
from .permissions import can_import_catalog

__all__ = ["CatalogImportError", "ImportSummary", "catalog_export", "catalog_import"]


@dataclass(frozen=True)
class ImportSummary:
    fields_created: int
    decisions_created: int
    procedures_created: int
    versions_created: int
    versions_unchanged: int

    @property
    def changed(self) -> bool:
        return bool(
            self.fields_created
            or self.decisions_created
            or self.procedures_created
            or self.versions_created
        )

    def __str__(self) -> str:
        return (
            f"Đã nhập: {self.fields_created} lĩnh vực, {self.decisions_created} quyết định, "
            f"{self.procedures_created} thủ tục mới, {self.versions_created} phiên bản mới; "
            f"{self.versions_unchanged} phiên bản đã có, giữ nguyên."
        )


def catalog_import(actor, source) -> ImportSummary:
    """Import a catalogue file (path to .json/.xlsx, an uploaded file, or a parsed dict).

    `actor` is the signed-in user for imports from the back office (administrator only); None for
    the command line and the demo loader. Raises CatalogImportError (nothing written) or
    PermissionDenied.
    """
    if actor is not None:
        require(can_import_catalog(actor), "Chỉ quản trị hệ thống mới được nhập danh mục TTHC.")
    document = catalogue_file_load(source)
    try:
        with transaction.atomic():
            # Checked inside the transaction: on PostgreSQL the unique constraints still guard a
            # concurrent import; on SQLite the IMMEDIATE transaction serialises writers.
            plan = catalogue_file_check(document)
            _write(plan)
    except IntegrityError as exc:
        raise CatalogImportError(
            [
                "Danh mục vừa được thay đổi bởi một lần nhập khác cùng lúc; chưa ghi gì. "
                "Hãy nhập lại tệp."
            ]
        ) from exc
    return ImportSummary(
        fields_created=len(plan.fields),
        decisions_created=len(plan.decisions),
        procedures_created=len(plan.procedures),
        versions_created=len(plan.versions),
        versions_unchanged=plan.unchanged_versions,
    )


def _write(plan: ImportPlan) -> None:
    Field.objects.bulk_create([Field(**item) for item in plan.fields])
    Decision.objects.bulk_create([Decision(**item) for item in plan.decisions])
    Procedure.objects.bulk_create([Procedure(**item) for item in plan.procedures])
    if not plan.versions:
        return
    units = _ids(Unit, "code", plan_unit_codes(plan))
    fields = _ids(Field, "code", {v["field"] for v in plan.versions})
    decisions = _ids(Decision, "number", {v["decision"] for v in plan.versions})
    procedures = _ids(
        Procedure,
        "code",
        {v["procedure"] for v in plan.versions} | {v["replaced_by"] for v in plan.versions},
    )
    fees, components, steps = [], [], []
    for v in plan.versions:
        version = ProcedureVersion(
            procedure_id=procedures[v["procedure"]],
            decision_id=decisions[v["decision"]],
            change=v["change"],
            effective_from=v["effective_from"],
            replaced_by_id=procedures.get(v["replaced_by"]),
            name=v["name"],
            field_id=fields[v["field"]],
            competent_agency_id=units[v["competent_agency"]],
            receiving_unit_id=units[v["receiving_unit"]],
            level=v["level"],
            processing_time_value=v["processing_time"]["value"],
            processing_time_unit=v["processing_time"]["unit"],
            results=v["results"],
            legal_basis=v["legal_basis"],
            conditions=v["conditions"],
            content_source=v["content_source"],
            process_source=v["process_source"],
            process_derived=v["process_derived"],
            fee_due=v["fee_due"],
            **{f"intake_{c}": c in v["intake_channels"] for c in Channel.values},
            **{f"return_{c}": c in v["return_channels"] for c in Channel.values},
        )
        version.save()
        fees += [
            ProcedureFee(version=version, order=n, **f) for n, f in enumerate(v["fees"], start=1)
        ]
        components += [
            ProcedureComponent(version=version, order=n, **_component_fields(c))
            for n, c in enumerate(v["components"], start=1)
        ]
        steps += [
            ProcessStep(
                version=version,
                order=n,
                name=s["name"],
                unit_id=units.get(s["unit"]),
                role=s["role"],
                budget_hours=s["budget_hours"],
            )
            for n, s in enumerate(v["steps"], start=1)
        ]
    ProcedureFee.objects.bulk_create(fees)
    ProcedureComponent.objects.bulk_create(components)
    ProcessStep.objects.bulk_create(steps)
    _chain_versions(plan.touched_codes)


def _component_fields(c: dict) -> dict:
    """The file's three forms onto the stored two (the dossier records original / copy)."""
    certified = c["form"] == CERTIFIED_COPY
    return c | {"form": PaperForm.COPY.value if certified else c["form"], "certified": certified}


def plan_unit_codes(plan: ImportPlan) -> set[str]:
    codes: set[str] = set()
    for v in plan.versions:
        codes |= {v["competent_agency"], v["receiving_unit"]}
        codes |= {s["unit"] for s in v["steps"] if s["unit"]}
    return codes


def _ids(model, key: str, values) -> dict:
    return dict(
        model.objects.filter(**{f"{key}__in": {v for v in values if v}}).values_list(key, "pk")
    )


def _chain_versions(codes: set[str]) -> None:
    """Each version of these procedures stays in force until the next one takes effect."""
    versions = ProcedureVersion.objects.filter(procedure__code__in=codes).order_by(
        "procedure_id", "effective_from"
    )
    by_procedure: dict[int, list[ProcedureVersion]] = {}
    for version in versions:
        by_procedure.setdefault(version.procedure_id, []).append(version)
    changed = []
    for chain in by_procedure.values():
        for current, following in zip(chain, [*chain[1:], None], strict=True):
            until = following.effective_from if following else None
            if current.effective_until != until:
                current.effective_until = until
                changed.append(current)
    # bulk_update writes only effective_until, the one value of a version that may change.
    ProcedureVersion.objects.bulk_update(changed, ["effective_until"], batch_size=500)


def catalog_export(fmt: str, *, at=None, agency=None) -> bytes:
    """The catalogue (all of it, or what is in force at `at`, or one agency's) as JSON or XLSX."""
    document = exporting.catalogue_file_build(at=at, agency=agency)
    if fmt == "json":
        return exporting.to_json(document)
    if fmt == "xlsx":
        return exporting.to_xlsx(document)
    raise ValueError(f"Định dạng “{fmt}” không được hỗ trợ: chọn json hoặc xlsx.")

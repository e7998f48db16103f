"""Writes of the national portal integration: the procedure mappings an administrator sets, and the
record of every file fetched through a signed link."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from motcua.accounts.roles import Role
from motcua.catalog.models import Procedure
from motcua.core.clock import now

from .models import NATIONAL_CODE_PATTERN, FileFetch, ProcedureMapping

if TYPE_CHECKING:
    from .client import DvcqgClient
    from .links import FileRef

MSG_NOT_ADMIN = "Chỉ quản trị hệ thống được ánh xạ thủ tục với Cổng DVCQG."
MSG_NO_PROCEDURE = "Không có thủ tục mã “{code}” trong danh mục."
MSG_BAD_NATIONAL_CODE = "Mã TTHC quốc gia “{code}” không đúng dạng d.dddddd (ví dụ 1.005129)."


def _check_admin(actor) -> None:
    """The command line acts as None (the server's operator); on the web only an administrator."""
    if actor is not None and getattr(actor, "role", None) != Role.ADMINISTRATOR:
        raise PermissionDenied(MSG_NOT_ADMIN)


def _national_code_valid(code: str) -> str:
    code = (code or "").strip()
    if not re.fullmatch(NATIONAL_CODE_PATTERN, code):
        raise ValidationError({"national_code": MSG_BAD_NATIONAL_CODE.format(code=code)})
    return code


def procedure_mapping_set(
    actor, procedure_code: str, national_code: str, *, national: dict | None = None
) -> ProcedureMapping:
    """Say which national procedure (MaTTHC) one of ours is. `national` is the portal's LayThuTuc
    record of it, when it was fetched: its name, first field and results are kept with the
    mapping, so the dossier records are built without calling the portal."""
    _check_admin(actor)
    code = _national_code_valid(national_code)
    procedure = Procedure.objects.filter(code=procedure_code).first()
    if procedure is None:
        raise ValidationError({"procedure_code": MSG_NO_PROCEDURE.format(code=procedure_code)})
    values: dict = {"national_code": code, "updated_by": actor}
    if national is not None:
        values.update(_national_facts(national))
    with transaction.atomic():
        mapping, _ = ProcedureMapping.objects.update_or_create(procedure=procedure, defaults=values)
    return mapping


def _national_facts(record: dict) -> dict:
    """Name, first field (OpenCPS takes the first LINHVUCTHUCHIEN too) and results of LayThuTuc."""
    fields = [f for f in record.get("LINHVUCTHUCHIEN") or [] if isinstance(f, dict)]
    results = [r for r in record.get("KETQUATHUCHIEN") or [] if isinstance(r, dict)]
    first = fields[0] if fields else {}
    return {
        "national_name": str(record.get("TENTTHC") or ""),
        "national_field_code": str(first.get("MALINHVUC") or "")[:32],
        "national_field_name": str(first.get("TENLINHVUC") or "")[:255],
        "national_results": [
            {"MAKETQUA": str(r.get("MAKETQUA") or ""), "TENKETQUA": str(r.get("TENKETQUA") or "")}
            for r in results
        ],
        "fetched_at": now(),
    }


def procedure_mapping_fetch(
    actor, procedure_code: str, national_code: str, client: DvcqgClient
) -> ProcedureMapping:
    """Map a procedure after reading the national one from the portal (LayThuTuc): a code the
    portal does not know is refused before anything is written (the client's typed error)."""
    _check_admin(actor)
    code = _national_code_valid(national_code)
    record = client.lay_thu_tuc(code)
    return procedure_mapping_set(actor, procedure_code, code, national=record)


def file_fetch_record(ref: FileRef, client_ip: str | None) -> FileFetch:
    """One fetch of a dossier's file through a signed link (no user: the link is the key)."""
    return FileFetch.objects.create(
        dossier_id=ref.dossier_id,
        kind=ref.kind,
        object_id=ref.object_id,
        at=now(),
        client_ip=client_ip or None,
    )

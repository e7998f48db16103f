"""Result templates loaded from JSON, all-or-nothing (`motcua documents templates-import`).

    {"templates": [{"procedure": "1.002153", "at": "2024-01-01", "code": "chung-chi",
      "name": "…", "layout": "decision|certificate|letter", "outcome": "approve|refuse",
      "title": "…", "excerpt": "…", "symbol": "QĐ-STP", "body": "…\\n…",
      "fields": [{"name": "so_chung_chi", "label": "Số chứng chỉ", "show": true}],
      "recipients": "…\\n…"}]}

Each template joins the procedure version in force at "at" (today when absent). A template that
is already there with the same content is left alone (importing twice changes nothing); one with
other content is refused: a published template is never edited (the next catalogue version gets
its own).
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import ResultLayout, ResultOutcome, ResultTemplate

FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
CONTENT = (
    "name",
    "layout",
    "outcome",
    "title",
    "excerpt",
    "symbol",
    "body",
    "fields",
    "recipients",
)


def _check(n: int, item: dict) -> None:
    where = f"Mẫu thứ {n}"
    for key in ("procedure", "code", "name", "layout", "title", "symbol", "body"):
        if not str(item.get(key) or "").strip():
            raise ValidationError(f"{where}: thiếu “{key}”.")
    if item["layout"] not in ResultLayout.values:
        raise ValidationError(f"{where}: thể thức “{item['layout']}” không hợp lệ.")
    if item.get("outcome", "approve") not in ResultOutcome.values:
        raise ValidationError(f"{where}: kết quả “{item['outcome']}” không hợp lệ.")
    for field in item.get("fields") or []:
        if not (isinstance(field, dict) and FIELD_NAME.match(str(field.get("name", "")))):
            raise ValidationError(
                f"{where}: trường {field!r} cần “name” dạng chu_thuong_khong_dau."
            )
        if not str(field.get("label") or "").strip():
            raise ValidationError(f"{where}: trường “{field['name']}” thiếu “label”.")


def result_templates_import(document: dict) -> int:
    """Create the templates of `document`; returns how many were new. ValidationError, nothing
    written, when any is wrong."""
    from motcua.catalog.selectors import version_in_force

    items = document.get("templates") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise ValidationError("Tệp cần có danh sách “templates”.")
    created = 0
    with transaction.atomic():
        for n, item in enumerate(items, start=1):
            _check(n, item)
            at = date.fromisoformat(item["at"]) if item.get("at") else None
            version = version_in_force(item["procedure"], at)
            if version is None:
                raise ValidationError(
                    f"Mẫu thứ {n}: không có thủ tục “{item['procedure']}” đang hiệu lực."
                )
            values = {
                "name": item["name"],
                "layout": item["layout"],
                "outcome": item.get("outcome", "approve"),
                "title": item["title"],
                "excerpt": item.get("excerpt", ""),
                "symbol": item["symbol"],
                "body": item["body"],
                "fields": item.get("fields") or [],
                "recipients": item.get("recipients", ""),
            }
            existing = ResultTemplate.objects.filter(
                procedure_version=version, code=item["code"]
            ).first()
            if existing is not None:
                if any(getattr(existing, k) != values[k] for k in CONTENT):
                    raise ValidationError(
                        f"Mẫu thứ {n}: mẫu “{item['code']}” của phiên bản này đã có với nội dung "
                        "khác; mẫu đã ban hành không được sửa."
                    )
                continue
            ResultTemplate.objects.create(procedure_version=version, code=item["code"], **values)
            created += 1
    return created

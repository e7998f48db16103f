"""Reading a catalogue file: JSON or XLSX (or an already-parsed dict) into one `CatalogueFile`, whose
`locate(path)` names where a value came from (procedure code, decision and JSON path for JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .format import CatalogImportError, CatalogueFile, Path_
from .xlsx import load_xlsx


def catalogue_file_load(source) -> CatalogueFile:
    """A path (.json / .xlsx), an uploaded file (with .name and .read()) or a parsed dict."""
    if isinstance(source, dict):
        return CatalogueFile(source, json_locator(source))
    if hasattr(source, "read"):
        name = str(getattr(source, "name", "") or "")
        content = source.read()
    else:
        path = Path(source)
        name = path.name
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CatalogImportError([f"Không đọc được tệp “{source}”: {exc.strerror}."]) from exc
    suffix = Path(name).suffix.lower()
    if suffix == ".json":
        return _load_json(content)
    if suffix == ".xlsx":
        return load_xlsx(content)
    raise CatalogImportError(
        [f"Tệp “{name}” không được hỗ trợ: chỉ nhận tệp .json hoặc .xlsx theo định dạng danh mục."]
    )


def _load_json(content: bytes) -> CatalogueFile:
    try:
        data = json.loads(content.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CatalogImportError(["Tệp JSON phải được mã hóa UTF-8."]) from exc
    except json.JSONDecodeError as exc:
        raise CatalogImportError(
            [f"Tệp JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}."]
        ) from exc
    if not isinstance(data, dict):
        raise CatalogImportError(["Tệp JSON phải là một đối tượng {…} với các khóa format, …"])
    return CatalogueFile(data, json_locator(data))


def _json_path(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def json_locator(data: dict) -> Callable[[Path_], str]:
    def locate(path: Path_) -> str:
        where = []
        try:
            if path[:1] == ("procedures",) and len(path) >= 2:
                proc = data["procedures"][path[1]]
                where.append(f"Thủ tục “{proc.get('code')}”")
                if len(path) >= 4 and path[2] == "versions":
                    version = proc["versions"][path[3]]
                    where.append(f"quyết định “{version.get('decision')}”")
            elif path[:1] in (("fields",), ("decisions",)) and len(path) >= 2:
                item = data[path[0]][path[1]]
                key = "code" if path[0] == "fields" else "number"
                label = "Lĩnh vực" if path[0] == "fields" else "Quyết định"
                where.append(f"{label} “{item.get(key)}”")
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
        field_name = next((p for p in reversed(path) if isinstance(p, str)), None)
        text = ", ".join(where)
        suffix = f"trường “{field_name}” ({_json_path(path)})" if field_name else _json_path(path)
        return f"{text}, {suffix}" if text else suffix

    return locate

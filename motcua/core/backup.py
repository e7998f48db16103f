"""Backup and restore of a whole installation: its database and every file of its store (ADR 0027,
docs/backup.md).

A backup is a folder:

    manifest.json        format, time, database engine, app version, applied migrations, the row
                         count of every table, and the size and SHA-256 of every other file
    database.dump        PostgreSQL: `pg_dump --format=custom` of one snapshot
    database.sqlite3     SQLite: a copy made with SQLite's online backup API
    files/<name>         every file of the documents store (folder or S3), copied as a stream

Consistency: the database is copied first, from one snapshot, and the files after it. Stored files
are written before the row that names them commits and are never deleted or rewritten, so every file
the snapshot names is in the store when the files are copied; a file stored meanwhile is copied too
and named by no row, which is harmless.

A restore checks the whole backup against its manifest before it touches anything, refuses a
database or store that is not empty unless told `--force`, restores the database (PostgreSQL in
one transaction), puts the files back, and compares every table's row count with the manifest.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from motcua.documents.storage import (
    CHUNK,
    documents_storage,
    storage_copy_to,
    storage_names,
    storage_write_once,
)

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
TOOL_TIMEOUT = 6 * 60 * 60  # a province's dump takes minutes; hours means something is stuck

MSG_OUTPUT_UNWRITABLE = (
    "Không tạo được thư mục sao lưu {path} ({reason}): hãy tạo thư mục và cấp quyền ghi cho "
    "người dùng chạy Một Cửa (docs/deploy.md, bước 2)."
)
MSG_OUTPUT_NOT_EMPTY = (
    "Thư mục “{path}” đã có dữ liệu: hãy chọn một thư mục mới hoặc rỗng cho bản sao lưu."
)
MSG_ENGINE = (
    "Chỉ sao lưu, khôi phục được cơ sở dữ liệu PostgreSQL hoặc SQLite (đang dùng “{engine}”)."
)
MSG_TOOL_FAILED = "Lệnh {tool} thất bại (mã {code}): {detail}"
MSG_TOOL_MISSING = (
    "Không tìm thấy lệnh {tool}: hãy cài gói postgresql-client cùng phiên bản máy chủ."
)
MSG_NO_MANIFEST = (
    "Không có tệp manifest.json trong “{path}”: đây không phải một bản sao lưu hoàn chỉnh."
)
MSG_BAD_MANIFEST = "Tệp manifest.json hỏng hoặc không đúng định dạng ({detail})."
MSG_FORMAT = "Bản sao lưu định dạng {found}, phiên bản phần mềm này chỉ đọc định dạng {wanted}."
MSG_OTHER_ENGINE = (
    "Bản sao lưu là của cơ sở dữ liệu {backup}, còn cơ sở dữ liệu đích là {target}: "
    "hãy khôi phục vào cùng loại cơ sở dữ liệu."
)
MSG_MISSING = "Thiếu tệp “{name}” trong bản sao lưu: không khôi phục gì cả."
MSG_ALTERED = (
    "Tệp “{name}” trong bản sao lưu đã bị thay đổi (mã băm SHA-256 hoặc dung lượng không khớp "
    "với manifest.json): không khôi phục gì cả."
)
MSG_EXTRA = "Tệp “{name}” không có trong manifest.json của bản sao lưu: không khôi phục gì cả."
MSG_UNSAFE_NAME = "Tên tệp “{name}” trong manifest.json không hợp lệ: không khôi phục gì cả."
MSG_NEWER = (
    "Bản sao lưu có migration {migration} mà phiên bản phần mềm này chưa có: hãy khôi phục "
    "bằng phiên bản phần mềm đã tạo bản sao lưu ({version}) hoặc mới hơn."
)
MSG_DB_NOT_EMPTY = (
    "Cơ sở dữ liệu đích không rỗng ({count} bảng). Khôi phục chỉ ghi vào cơ sở dữ liệu rỗng; "
    "dùng --force để XOÁ toàn bộ dữ liệu hiện có rồi khôi phục."
)
MSG_STORE_NOT_EMPTY = (
    "Kho tệp đích không rỗng (có “{name}”…). Khôi phục chỉ ghi vào kho tệp rỗng; "
    "dùng --force để ghi đè các tệp trùng tên."
)
MSG_COUNTS = "Sau khi khôi phục, số dòng không khớp với manifest.json: {detail}."


class BackupError(Exception):
    """Anything that stops a backup or a restore, with a Vietnamese message for the operator."""


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(MSG_ENGINE.format(engine=vendor))
    return vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _app_version() -> str:
    try:
        return metadata.version("motcua")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- backup ----------------------------------------------------------------------------------------


def backup_write(output: Path) -> dict[str, Any]:
    """Write a backup of the database and every stored file into `output` (a new or empty
    folder); its manifest. On failure nothing that looks like a backup is left behind."""
    engine = _engine()
    output = Path(output)
    try:
        if output.exists() and any(output.iterdir()):
            raise BackupError(MSG_OUTPUT_NOT_EMPTY.format(path=output))
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # a folder this user may not read or create
        raise BackupError(
            MSG_OUTPUT_UNWRITABLE.format(path=output, reason=error.strerror or error)
        ) from None
    try:
        dump = output / DUMPS[engine]
        snapshot = _pg_dump(dump) if engine == "postgresql" else _sqlite_copy(dump)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.localtime().isoformat(),
            "app_version": _app_version(),
            "database": {
                "engine": engine,
                "file": dump.name,
                "size": dump.stat().st_size,
                "sha256": _sha256(dump),
            },
            "migrations": snapshot["migrations"],
            "tables": snapshot["tables"],
            "files": _files_copy(output / FILES),
        }
        # Written last: a folder without it is an unfinished backup and restore refuses it.
        (output / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    except BaseException:
        shutil.rmtree(output, ignore_errors=True)
        raise
    return manifest


def _counts_and_migrations(cursor, tables: list[str]) -> dict[str, Any]:
    quote = connection.ops.quote_name
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # names from the catalogue
        counts[table] = cursor.fetchone()[0]
    migrations = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
    return {"tables": counts, "migrations": migrations}


def _pg_environment() -> dict[str, str]:
    """libpq's variables for the configured database: the password travels in PGPASSWORD, never
    on a command line another user could read."""
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = {**os.environ}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return env


def _tool(arguments: list[str], env: dict[str, str] | None = None) -> None:
    try:
        result = subprocess.run(
            arguments, env=env, capture_output=True, timeout=TOOL_TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise BackupError(MSG_TOOL_MISSING.format(tool=arguments[0])) from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip()[-800:]
        raise BackupError(
            MSG_TOOL_FAILED.format(tool=arguments[0], code=result.returncode, detail=detail)
        )


def _pg_dump(target: Path) -> dict[str, Any]:
    """pg_dump of a snapshot this connection exports: the counts in the manifest are those of
    the very data in the dump, whatever is written meanwhile."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        facts = _counts_and_migrations(cursor, connection.introspection.table_names(cursor))
        _tool(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot_id}", f"--file={target}"],
            env=_pg_environment(),
        )
    return facts


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def _sqlite_copy(target: Path) -> dict[str, Any]:
    """SQLite's online backup API: a consistent copy while the application keeps writing."""
    source = sqlite3.connect(f"file:{_sqlite_path()}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
    try:
        cursor = copy.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        tables = [row[0] for row in cursor.fetchall()]
        return _counts_and_migrations(cursor, tables)
    finally:
        copy.close()


def _files_copy(folder: Path) -> dict[str, dict[str, Any]]:
    """Every file of the store copied under `folder`, streamed; name → size and SHA-256."""
    listed = {}
    for name in storage_names():
        target = folder / _safe_name(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        sha256 = storage_copy_to(name, target)
        listed[name] = {"size": target.stat().st_size, "sha256": sha256}
    return listed


def _safe_name(name: str) -> PurePosixPath:
    """A stored name as a relative path that stays inside the backup folder."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or any(part in ("..", "") for part in path.parts):
        raise BackupError(MSG_UNSAFE_NAME.format(name=name))
    return path


# --- restore ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    tables: int
    rows: int
    files: int
    migrations_pending: list[str]


def manifest_read(folder: Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise BackupError(MSG_NO_MANIFEST.format(path=folder))
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(MSG_BAD_MANIFEST.format(detail=error)) from None
    database = manifest.get("database") if isinstance(manifest, dict) else None
    if (
        not isinstance(database, dict)
        or not isinstance(database.get("file"), str)
        or not isinstance(manifest.get("files"), dict)
        or not isinstance(manifest.get("tables"), dict)
    ):
        raise BackupError(MSG_BAD_MANIFEST.format(detail="thiếu database, files hoặc tables"))
    _safe_name(database["file"])
    if manifest.get("format") != FORMAT:
        raise BackupError(MSG_FORMAT.format(found=manifest.get("format"), wanted=FORMAT))
    return manifest


def backup_verify(folder: Path) -> dict[str, Any]:
    """Check every file of a backup against its manifest before anything is restored: the first
    missing, altered or unexpected file stops it, named."""
    folder = Path(folder)
    manifest = manifest_read(folder)
    database = manifest["database"]
    _check_one(folder / database["file"], database["file"], database)
    expected = {"/".join(_safe_name(name).parts) for name in manifest["files"]}
    for name, facts in sorted(manifest["files"].items()):
        _check_one(folder / FILES / _safe_name(name), f"{FILES}/{name}", facts)
    present = folder / FILES
    if present.is_dir():
        for path in sorted(present.rglob("*")):
            relative = path.relative_to(present).as_posix()
            if path.is_file() and relative not in expected:
                raise BackupError(MSG_EXTRA.format(name=f"{FILES}/{relative}"))
    return manifest


def _check_one(path: Path, label: str, facts: dict[str, Any]) -> None:
    if not path.is_file():
        raise BackupError(MSG_MISSING.format(name=label))
    if path.stat().st_size != facts.get("size") or _sha256(path) != facts.get("sha256"):
        raise BackupError(MSG_ALTERED.format(name=label))


def restore(folder: Path, *, force: bool = False) -> Restored:
    """Restore a verified backup into this installation's database and store (see the module's
    docstring). Refuses a non-empty database or store unless `force`."""
    folder = Path(folder)
    manifest = backup_verify(folder)
    engine = _engine()
    if manifest["database"]["engine"] != engine:
        raise BackupError(
            MSG_OTHER_ENGINE.format(backup=manifest["database"]["engine"], target=engine)
        )
    _check_migrations_known(manifest)
    tables = _pg_table_count() if engine == "postgresql" else _sqlite_table_count(_sqlite_path())
    if tables and not force:
        raise BackupError(MSG_DB_NOT_EMPTY.format(count=tables))
    _check_store_empty(force)
    dump = folder / manifest["database"]["file"]
    if engine == "postgresql":
        _pg_restore(dump, replace=bool(tables))
    else:
        _sqlite_restore(dump, replace=bool(tables))
    files = _files_put_back(folder / FILES, manifest["files"], force)
    _check_counts(manifest["tables"])
    return Restored(
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=files,
        migrations_pending=_migrations_pending(),
    )


def _check_migrations_known(manifest: dict[str, Any]) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = {
        f"{app}.{name}"
        for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    for migration in manifest.get("migrations", []):
        if migration not in known:
            raise BackupError(
                MSG_NEWER.format(migration=migration, version=manifest.get("app_version", "?"))
            )


def _migrations_pending() -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    connection.close()
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _check_store_empty(force: bool) -> None:
    if force:
        return
    for name in storage_names():
        raise BackupError(MSG_STORE_NOT_EMPTY.format(name=name))


def _pg_table_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        )
        return cursor.fetchone()[0]


def _pg_restore(dump: Path, *, replace: bool) -> None:
    """pg_restore in one transaction; `replace` (--force on a database that has tables) drops
    the public schema first."""
    if replace:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    connection.close()  # pg_restore works on its own connection; ours must not hold locks
    _tool(
        ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction",
         f"--dbname={settings.DATABASES['default']['NAME']}", str(dump)],
        env=_pg_environment(),
    )  # fmt: skip


def _sqlite_table_count(path: Path) -> int:
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with sqlite3.connect(path) as probe:
        return probe.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]


def _sqlite_restore(dump: Path, *, replace: bool) -> None:
    """SQLite's backup API from the backup's copy into the configured file; `replace` (--force)
    moves the file it replaces aside first."""
    target = _sqlite_path()
    connection.close()
    if replace:
        # --force keeps what it replaces beside it, under a name that says when.
        stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            old = Path(f"{target}{suffix}")
            if old.exists():
                old.rename(f"{target}{suffix}.truoc-khoi-phuc-{stamp}")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()


def _files_put_back(folder: Path, files: dict[str, dict[str, Any]], force: bool) -> int:
    storage = documents_storage()
    for name in sorted(files):
        if force and storage.exists(name):
            storage.delete(name)
        content_type = mimetypes.guess_type(name)[0] or ""
        storage_write_once(name, folder / _safe_name(name), content_type)
    return len(files)


def _check_counts(expected: dict[str, int]) -> None:
    connection.close()
    with connection.cursor() as cursor:
        found = _counts_and_migrations(cursor, list(expected))["tables"]
    wrong = [
        f"{table}: {found[table]} ≠ {rows}"
        for table, rows in expected.items()
        if found[table] != rows
    ]
    if wrong:
        raise BackupError(MSG_COUNTS.format(detail="; ".join(wrong[:5])))

"""[O] 13: `motcua backup --output DIR` and `motcua restore DIR`, run as the operator runs them — real
subprocesses on real databases (a SQLite file; scratch PostgreSQL databases) and real stores (a
folder; moto's S3 server) — give back the same data: every table's row count, every dossier's
fields, every file's SHA-256. A backup with a missing or altered file stops the restore, names the
file and restores nothing; so does a target that is not empty, unless --force."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.documents.s3 import s3_client, s3_environment

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 600


def _env(var_dir: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_S3_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        MOTCUA_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        SMS_GATEWAY="console",
        **extra,
    )
    return env


def _run(env, *args: str, module: str = "motcua.cli") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _snapshot(env) -> dict:
    return json.loads(_ok(_run(env, module="tests.backup.snapshot")).splitlines()[-1])


def _sqlite_env(folder: Path, **extra: str) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    return _env(folder, f"sqlite:///{folder / 'motcua.sqlite3'}", **extra)


def _installation(env) -> dict:
    """Migrate, load the small department with its files, and read what must come back."""
    _ok(_run(env, "migrate", "-v0"))
    _ok(_run(env, module="tests.backup.build_data"))
    return _snapshot(env)


def _assert_same(restored: dict, source: dict) -> None:
    assert restored["tables"] == source["tables"]
    assert restored["dossiers"] == source["dossiers"] and len(source["dossiers"]) == 3
    assert restored["files"] == source["files"]


@pytest.fixture(scope="module")
def sqlite_backup(tmp_path_factory):
    """One SQLite installation with files in a folder, and its backup."""
    base = tmp_path_factory.mktemp("sao-luu")
    env = _sqlite_env(base / "nguon")
    source = _installation(env)
    out = _ok(_run(env, "backup", "--output", str(base / "ban-sao")))
    assert "Đã sao lưu vào" in out
    return base / "ban-sao", source


def _copy(backup: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "ban-sao"
    shutil.copytree(backup, copy)
    return copy


def test_the_manifest_lists_the_dump_and_every_file_with_its_hash(sqlite_backup):
    backup, source = sqlite_backup
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == 1 and manifest["database"]["engine"] == "sqlite"
    assert manifest["database"]["file"] == "database.sqlite3" and manifest["app_version"]
    assert "dossiers.0001_daily_sequence" in manifest["migrations"]
    assert manifest["tables"] == source["tables"]
    assert {name: facts["sha256"] for name, facts in manifest["files"].items()} == source["files"]
    # Scans, the image, the sanitised PDF and its original, the feedback photo, reform evidence.
    names = set(manifest["files"])
    assert any(n.startswith("originals/") for n in names)
    assert any(n.startswith("reform/evidence/") for n in names) and len(names) >= 8


def test_sqlite_round_trip_gives_back_the_same_data(sqlite_backup, tmp_path):
    backup, source = sqlite_backup
    env = _sqlite_env(tmp_path / "dich")
    out = _ok(_run(env, "restore", str(backup)))
    assert "số dòng khớp manifest.json" in out and f"{len(source['files'])} tệp" in out
    _assert_same(_snapshot(env), source)
    # Restoring again over what is now there is refused, and changes nothing.
    again = _run(env, "restore", str(backup))
    assert again.returncode == 1 and "Cơ sở dữ liệu đích không rỗng" in again.stderr
    _assert_same(_snapshot(env), source)


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        ("alter", "files/{name}"),
        ("remove", "files/{name}"),
        ("alter-dump", "database.sqlite3"),
        ("add", "files/la.pdf"),
    ],
)
def test_a_damaged_backup_stops_naming_the_file_and_restores_nothing(
    sqlite_backup, tmp_path, damage, named
):
    backup = _copy(sqlite_backup[0], tmp_path)
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    name = sorted(n for n in manifest["files"] if not n.startswith(("originals/", "reform/")))[-1]
    target = backup / "files" / name
    if damage == "alter":
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0x01  # one bit, same size
        target.write_bytes(bytes(data))
    elif damage == "remove":
        target.unlink()
    elif damage == "alter-dump":
        with open(backup / "database.sqlite3", "ab") as dump:
            dump.write(b"\0")
    else:
        (backup / "files" / "la.pdf").write_bytes(b"%PDF-1.4 la")
    env = _sqlite_env(tmp_path / "dich")
    result = _run(env, "restore", str(backup))
    assert result.returncode == 1
    assert f"“{named.format(name=name)}”" in result.stderr
    assert "không khôi phục gì cả" in result.stderr
    # Nothing restored: no database file, no stored file.
    assert not (tmp_path / "dich" / "motcua.sqlite3").exists()
    assert not (tmp_path / "dich" / "documents").exists()


def test_a_folder_that_is_not_a_backup_is_refused(tmp_path):
    env = _sqlite_env(tmp_path / "dich")
    (tmp_path / "rong").mkdir()
    result = _run(env, "restore", str(tmp_path / "rong"))
    assert result.returncode == 1 and "Không có tệp manifest.json" in result.stderr
    (tmp_path / "rong" / "manifest.json").write_text("{không phải json", encoding="utf-8")
    result = _run(env, "restore", str(tmp_path / "rong"))
    assert result.returncode == 1 and "manifest.json hỏng" in result.stderr
    assert not (tmp_path / "dich" / "motcua.sqlite3").exists()


def test_a_manifest_naming_a_path_outside_the_backup_is_refused(sqlite_backup, tmp_path):
    backup = _copy(sqlite_backup[0], tmp_path)
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["../../ngoai.pdf"] = {"size": 1, "sha256": "0" * 64}
    (backup / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = _run(_sqlite_env(tmp_path / "dich"), "restore", str(backup))
    assert result.returncode == 1 and "“../../ngoai.pdf”" in result.stderr
    assert "không hợp lệ" in result.stderr


def test_backup_refuses_a_folder_that_has_data(sqlite_backup, tmp_path):
    env = _sqlite_env(tmp_path / "dich")
    _ok(_run(env, "restore", str(sqlite_backup[0])))
    taken = tmp_path / "da-co"
    taken.mkdir()
    (taken / "ghi-chu.txt").write_text("của người khác", encoding="utf-8")
    result = _run(env, "backup", "--output", str(taken))
    assert result.returncode == 1 and "đã có dữ liệu" in result.stderr
    assert [p.name for p in taken.iterdir()] == ["ghi-chu.txt"]


def test_backup_into_a_folder_it_cannot_create_says_so(sqlite_backup, tmp_path):
    """Exit 1 with a message, not a traceback (found walking docs/deploy.md on a bare Debian,
    where the service user could not create /var/backups/motcua). A file standing where a folder
    is needed refuses mkdir even to root, as a missing permission does to the service user."""
    env = _sqlite_env(tmp_path / "dich")
    _ok(_run(env, "restore", str(sqlite_backup[0])))
    (tmp_path / "tep").write_text("không phải thư mục", encoding="utf-8")
    result = _run(env, "backup", "--output", str(tmp_path / "tep" / "2026-12-08"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Không tạo được thư mục sao lưu" in result.stderr


def test_force_replaces_a_database_that_is_not_empty_keeping_the_old_file(sqlite_backup, tmp_path):
    backup, source = sqlite_backup
    env = _sqlite_env(tmp_path / "dich")
    _ok(_run(env, "migrate", "-v0"))
    refused = _run(env, "restore", str(backup))
    assert refused.returncode == 1 and "--force" in refused.stderr
    _ok(_run(env, "restore", str(backup), "--force"))
    _assert_same(_snapshot(env), source)
    assert any(".truoc-khoi-phuc-" in p.name for p in (tmp_path / "dich").iterdir())


def test_s3_store_round_trip(sqlite_backup, moto_endpoint, tmp_path):
    """The folder backup restored into an S3 bucket (files land in the bucket), backed up again
    from the bucket (streamed out of it), restored into another bucket: the same data each time."""
    backup, source = sqlite_backup
    client = s3_client(moto_endpoint)
    buckets = [f"motcua-{uuid.uuid4().hex[:12]}" for _ in range(2)]
    for bucket in buckets:
        client.create_bucket(Bucket=bucket)
    first = _sqlite_env(tmp_path / "s3-mot", **s3_environment(moto_endpoint, buckets[0]))
    _ok(_run(first, "restore", str(backup)))
    listed = client.list_objects_v2(Bucket=buckets[0])["Contents"]
    assert sorted(item["Key"] for item in listed) == sorted(source["files"])
    assert not (tmp_path / "s3-mot" / "documents").exists()  # nothing went to the folder
    _assert_same(_snapshot(first), source)
    _ok(_run(first, "backup", "--output", str(tmp_path / "tu-s3")))
    again = json.loads((tmp_path / "tu-s3" / "manifest.json").read_text(encoding="utf-8"))
    assert {n: f["sha256"] for n, f in again["files"].items()} == source["files"]
    second = _sqlite_env(tmp_path / "s3-hai", **s3_environment(moto_endpoint, buckets[1]))
    _ok(_run(second, "restore", str(tmp_path / "tu-s3")))
    _assert_same(_snapshot(second), source)
    # A bucket that already holds files is refused without --force, naming one of them.
    refused = _run(_sqlite_env(tmp_path / "s3-ba", **s3_environment(moto_endpoint, buckets[1])),
                   "restore", str(tmp_path / "tu-s3"))  # fmt: skip
    assert refused.returncode == 1 and "Kho tệp đích không rỗng" in refused.stderr


# --- PostgreSQL ------------------------------------------------------------------------------------


def _postgres_settings():
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the PostgreSQL round trip runs in the PostgreSQL run of the suite")
    return database


@pytest.fixture
def scratch_databases():
    """Real databases (not the test database, which pytest holds inside a transaction), created
    with psycopg and dropped afterwards."""
    import psycopg

    database = _postgres_settings()
    suffix = uuid.uuid4().hex[:8]
    names = [f"motcua_sao_luu_{suffix}", f"motcua_khoi_phuc_{suffix}"]
    params = {
        "host": database["HOST"] or "127.0.0.1",
        "port": database["PORT"] or 5432,
        "user": database["USER"],
        "password": database["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    user = database["USER"]
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    urls = [f"postgres://{user}{password}@{params['host']}:{params['port']}/{n}" for n in names]
    yield urls
    with psycopg.connect(**params) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgresql_round_trip_gives_back_the_same_data(scratch_databases, tmp_path):
    source_url, target_url = scratch_databases
    source_env = _env(tmp_path / "nguon", source_url)
    (tmp_path / "nguon").mkdir()
    source = _installation(source_env)
    _ok(_run(source_env, "backup", "--output", str(tmp_path / "ban-sao")))
    manifest = json.loads((tmp_path / "ban-sao" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["engine"] == "postgresql"
    assert (tmp_path / "ban-sao" / "database.dump").read_bytes()[:5] == b"PGDMP"
    assert manifest["tables"] == source["tables"]

    # A damaged backup changes nothing in the empty database.
    damaged = _copy(tmp_path / "ban-sao", tmp_path / "hong")
    victim = sorted(manifest["files"])[0]
    (damaged / "files" / victim).unlink()
    target_env = _env(tmp_path / "dich", target_url)
    (tmp_path / "dich").mkdir()
    result = _run(target_env, "restore", str(damaged))
    assert result.returncode == 1 and f"“files/{victim}”" in result.stderr
    assert _snapshot(target_env)["tables"] == {}

    out = _ok(_run(target_env, "restore", str(tmp_path / "ban-sao")))
    assert "số dòng khớp manifest.json" in out
    _assert_same(_snapshot(target_env), source)
    refused = _run(target_env, "restore", str(tmp_path / "ban-sao"))
    assert refused.returncode == 1 and "Cơ sở dữ liệu đích không rỗng" in refused.stderr

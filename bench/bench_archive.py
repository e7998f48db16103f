"""Issue [J] 6: the yearly hand-over package of the work-file archive for 20.000 dossiers.

Run: `.venv/bin/python -m bench.bench_archive` (PostgreSQL; BENCH_ARCHIVE_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/motcua_bench_archive — created, migrated, emptied of archive rows
by this script and no other database touched; BENCH_ARCHIVE_DOSSIERS, default 20000).

Data (written once per run, not timed): one unit, 20 work files of the year 2023 (one per
"procedure"), each dossier = 2 filed files (its signed result, 2 pages, and one scanned paper),
i.e. 40.000 StoredFile rows whose bytes (8 KiB each, distinct) are written into a folder file store
under a temporary MOTCUA_VAR_DIR. Dossier rows are NOT created: filing (`motcua archives file`) is
not measured here, only the package.

Measured: `motcua archives handover --year 2023 --output DIR` run as a subprocess of its own (Django
loaded, the command, nothing else): wall time, and its peak RSS (ru_maxrss of the child). The
package is then checked: every manifest hash against the bytes in the zip.
"""

import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

DATABASE_URL = os.environ.get(
    "BENCH_ARCHIVE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench_archive"
)
DOSSIERS = int(os.environ.get("BENCH_ARCHIVE_DOSSIERS", "20000"))
WORK_FILES = 20
FILE_BYTES = 8 * 1024
YEAR = 2023


def _database_create() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _django(var_dir: Path) -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["MOTCUA_VAR_DIR"] = str(var_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    import django

    django.setup()


def _seed() -> int:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from motcua.archives.models import (
        AccessLevel,
        FixityCheck,
        HandOver,
        ItemKind,
        Reliability,
        SourceKind,
        WorkFile,
        WorkFileItem,
    )
    from motcua.documents.models import StoredFile
    from motcua.documents.storage import documents_storage
    from motcua.org.models import Unit

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        WorkFileItem.objects.all().delete()
        WorkFile.objects.all().delete()
        HandOver.objects.all().delete()
        FixityCheck.objects.all().delete()
        StoredFile.objects.filter(storage_name__startswith="bench-archive/").delete()
    unit, _ = Unit.objects.get_or_create(
        code="000.00.99.H99", defaults={"name": "Sở Tư pháp (bench)", "kind": "department"}
    )
    folder = Path(documents_storage().path("bench-archive"))
    folder.mkdir(parents=True, exist_ok=True)
    at = timezone.now()
    work_files = [
        WorkFile.objects.create(
            code=f"{YEAR}.BENCH.{n:02d}",
            title=f"Hồ sơ giải quyết thủ tục số {n} năm {YEAR}",
            year=YEAR,
            unit=unit,
            source=SourceKind.DOSSIERS,
            retention_years=10,
            access_level=AccessLevel.RESTRICTED,
            reliability=Reliability.MIXED,
            created_at=at,
            updated_at=at,
        )
        for n in range(1, WORK_FILES + 1)
    ]
    filler = os.urandom(FILE_BYTES)
    orders = {wf.pk: 0 for wf in work_files}
    for start in range(0, DOSSIERS, 1000):
        stored, items = [], []
        for d in range(start, min(start + 1000, DOSSIERS)):
            wf = work_files[d % WORK_FILES]
            for kind, pages in ((ItemKind.RESULT, 2), (ItemKind.COMPONENT, 1)):
                data = f"%PDF-1.7 bench {d} {kind}\n".encode() + filler
                sha = hashlib.sha256(data).hexdigest()
                name = f"bench-archive/{sha}.pdf"
                (folder / f"{sha}.pdf").write_bytes(data)
                stored.append(
                    StoredFile(
                        sha256=sha,
                        size=len(data),
                        content_type="application/pdf",
                        kind="pdf",
                        page_count=pages,
                        storage_name=name,
                    )
                )
                orders[wf.pk] += 1
                items.append(
                    WorkFileItem(
                        work_file=wf,
                        source_key=f"bench:{d}:{kind}",
                        kind=kind,
                        order=orders[wf.pk],
                        title=f"Văn bản {kind} của hồ sơ {d}",
                        reference=f"000.00.40.H27-230101-{d:05d}",
                        file_name=f"{kind}.pdf",
                        content_type="application/pdf",
                        size=len(data),
                        sha256=sha,
                        page_count=pages,
                        filed_at=at,
                    )
                )
        StoredFile.objects.bulk_create(stored)
        by_sha = dict(
            StoredFile.objects.filter(sha256__in=[s.sha256 for s in stored]).values_list(
                "sha256", "pk"
            )
        )
        for item in items:
            item.stored_file_id = by_sha[item.sha256]
        WorkFileItem.objects.bulk_create(items)
    for wf in work_files:
        WorkFile.objects.filter(pk=wf.pk).update(
            item_count=orders[wf.pk], page_count=orders[wf.pk] // 2 * 3
        )
    return sum(orders.values())


def main() -> None:
    _database_create()
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        var_dir = Path(tmp) / "var"
        _django(var_dir)
        t0 = time.perf_counter()
        files = _seed()
        print(f"Dữ liệu: {DOSSIERS} hồ sơ, {files} tệp ({time.perf_counter() - t0:.1f} s)")
        output = Path(tmp) / "nop-luu"
        command = [
            str(Path(sys.executable).parent / "motcua"),
            "archives",
            "handover",
            "--year",
            str(YEAR),
            "--output",
            str(output),
        ]
        t1 = time.perf_counter()
        subprocess.run(command, check=True, env=os.environ.copy())
        seconds = time.perf_counter() - t1
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        package = output / f"goi-nop-luu-{YEAR}.zip"
        with zipfile.ZipFile(package) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            bad = sum(
                hashlib.sha256(archive.read(e["path"])).hexdigest() != e["sha256"]
                for e in manifest["files"]
            )
        size_mb = package.stat().st_size / 1024 / 1024
        print(
            f"Gói giao nộp năm {YEAR}: {DOSSIERS} hồ sơ, {len(manifest['files'])} tệp, "
            f"{size_mb:.0f} MB — {seconds:.1f} s, bộ nhớ đỉnh {peak_mb:.0f} MB; "
            f"mã băm sai: {bad}"
        )


if __name__ == "__main__":
    main()

"""Issue [J] 6: filing a year of 20.000 finished dossiers into work files, and the yearly hand-over
package of the work-file archive.

Run: `.venv/bin/python -m bench.bench_archive` (PostgreSQL; BENCH_ARCHIVE_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/motcua_bench_archive — dropped, created and migrated by this
script, no other database touched; BENCH_ARCHIVE_DOSSIERS, default 20000).

Data (written once per run with bulk INSERTs, not timed): the tests' small province and catalogue
(tests/catalog/factories.py), then 20.000 dossiers of 2023 returned at the service centre, each with
its signed result (IssuedDocument, a 2-page file) and one scanned paper (ComponentFile, 1 page):
40.000 StoredFile rows whose bytes (8 KiB each, distinct) are in a folder file store under a
temporary MOTCUA_VAR_DIR. The files are not real PDFs: nothing here opens them.

Measured, each as a child process of its own (Django start-up included), wall time and peak RSS
(ru_maxrss of that process): `motcua archives file --year 2023`, the same again (nothing new: the
idempotent path), then `motcua archives handover --year 2023 --output DIR`. The package is then opened and every
manifest hash checked against the bytes in the ZIP.
"""

import hashlib
import json
import os
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
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _django(var_dir: Path) -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["MOTCUA_VAR_DIR"] = str(var_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    import django

    django.setup()


def _seed() -> int:
    """20.000 returned dossiers of 2023 (the test catalogue's procedure, the service centre), each
    with an IssuedDocument and one ComponentFile whose bytes are in the folder store."""
    from datetime import datetime, timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from motcua.catalog.models import ProcedureVersion
    from motcua.catalog.services import catalog_import
    from motcua.documents.models import ComponentFile, IssuedDocument, StoredFile
    from motcua.documents.storage import documents_storage
    from motcua.dossiers.models import Applicant, Dossier, DossierComponent
    from motcua.org.models import Unit
    from tests.accounts.factories import UserFactory
    from tests.catalog.factories import document, make_units

    call_command("migrate", verbosity=0)
    make_units()
    catalog_import(None, document())
    version = ProcedureVersion.objects.order_by("pk").first()
    centre = Unit.objects.get(kind="service_centre")
    leader = UserFactory(unit=Unit.objects.get(kind="department"))
    applicant = Applicant.objects.create(kind="person", full_name="Nguyễn Thị Hương")
    folder = Path(documents_storage().path("bench-archive"))
    folder.mkdir(parents=True, exist_ok=True)
    filler = os.urandom(FILE_BYTES)
    start = timezone.make_aware(datetime(YEAR, 1, 3, 9, 0))
    for first in range(0, DOSSIERS, 1000):
        numbers = range(first, min(first + 1000, DOSSIERS))
        stored = []
        for d in numbers:
            for kind in ("result", "paper"):
                data = f"%PDF-1.7 bench {d} {kind}\n".encode() + filler
                sha = hashlib.sha256(data).hexdigest()
                (folder / f"{sha}.pdf").write_bytes(data)
                stored.append(
                    StoredFile(
                        sha256=sha,
                        size=len(data),
                        content_type="application/pdf",
                        kind="pdf",
                        page_count=2 if kind == "result" else 1,
                        storage_name=f"bench-archive/{sha}.pdf",
                    )
                )
        StoredFile.objects.bulk_create(stored)
        files = dict(
            StoredFile.objects.filter(sha256__in=[f.sha256 for f in stored]).values_list(
                "sha256", "pk"
            )
        )
        dossiers = []
        for d in numbers:
            received = start + timedelta(minutes=25 * d)
            dossiers.append(
                Dossier(
                    code=f"BENCHARC-{d:06d}",
                    procedure_version=version,
                    receiving_unit=centre,
                    applicant=applicant,
                    applicant_name=applicant.full_name,
                    channel="desk",
                    status="returned",
                    received_at=received,
                    finished_at=received + timedelta(days=5),
                    returned_at=received + timedelta(days=6),
                )
            )
        Dossier.objects.bulk_create(dossiers)
        components = DossierComponent.objects.bulk_create(
            [
                DossierComponent(dossier=dossier, order=1, name="Tờ khai", form="original")
                for dossier in dossiers
            ]
        )
        IssuedDocument.objects.bulk_create(
            [
                IssuedDocument(
                    dossier=dossier,
                    number=f"BENCHARC-{d:06d}",
                    title="Phiếu lý lịch tư pháp",
                    token=f"benchar{d:08d}",
                    stored_file_id=files[stored[2 * i].sha256],
                    sha256=stored[2 * i].sha256,
                    issuing_unit="Sở Tư pháp",
                    signer="Nguyễn Văn A",
                    signed_at=dossier.finished_at,
                    holder_name=applicant.full_name,
                    issued_by=leader,
                )
                for i, (d, dossier) in enumerate(zip(numbers, dossiers, strict=True))
            ]
        )
        ComponentFile.objects.bulk_create(
            [
                ComponentFile(
                    component=component,
                    stored_file_id=files[stored[2 * i + 1].sha256],
                    source="desk_scan",
                )
                for i, component in enumerate(components)
            ]
        )
    return 2 * DOSSIERS


def _timed(command: list[str]) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one command run as a child process, alone."""
    script = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True); "
        "print(time.perf_counter() - t, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    answer = subprocess.run(
        [sys.executable, "-c", script, *command],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    print(answer.stdout.strip().rsplit("\n", 1)[0])
    seconds, peak = answer.stdout.strip().rsplit("\n", 1)[-1].split()
    return float(seconds), float(peak)


def main() -> None:
    _database_create()
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        var_dir = Path(tmp) / "var"
        _django(var_dir)
        t0 = time.perf_counter()
        files = _seed()
        print(f"Dữ liệu: {DOSSIERS} hồ sơ, {files} tệp ({time.perf_counter() - t0:.1f} s)")
        output = Path(tmp) / "nop-luu"
        motcua = str(Path(sys.executable).parent / "motcua")
        file_seconds, file_peak = _timed([motcua, "archives", "file", "--year", str(YEAR)])
        again_seconds, again_peak = _timed([motcua, "archives", "file", "--year", str(YEAR)])
        seconds, peak_mb = _timed(
            [motcua, "archives", "handover", "--year", str(YEAR), "--output", str(output)]
        )
        package = output / f"goi-nop-luu-{YEAR}.zip"
        with zipfile.ZipFile(package) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            bad = sum(
                hashlib.sha256(archive.read(e["path"])).hexdigest() != e["sha256"]
                for e in manifest["files"]
            )
        size_mb = package.stat().st_size / 1024 / 1024
        print(
            f"Lập hồ sơ năm {YEAR}: {DOSSIERS} hồ sơ — {file_seconds:.1f} s, "
            f"bộ nhớ đỉnh {file_peak:.0f} MB; chạy lại (không có gì mới): {again_seconds:.1f} s, "
            f"{again_peak:.0f} MB"
        )
        print(
            f"Gói giao nộp năm {YEAR}: {DOSSIERS} hồ sơ, {len(manifest['files'])} tệp, "
            f"{size_mb:.0f} MB — {seconds:.1f} s, bộ nhớ đỉnh {peak_mb:.0f} MB; "
            f"mã băm sai: {bad}"
        )


if __name__ == "__main__":
    main()

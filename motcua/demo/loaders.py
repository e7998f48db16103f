"""Load the demo data set into the configured database, idempotently: a second run changes nothing.

Order: organisation units (upsert by QCVN code, with the same checks as motcua.org.services), the
working calendar's official notices, the catalogue (motcua.catalog.services.catalog_import), one
demo staff account per role per relevant unit, the report profile, the H1/2023 dossiers
(dossiers.py), every app's own demo part, the H1/2023 dossiers' papers, files, electronic results
and fees (digital.py), the Sở's signed outgoing documents of H1/2023 (outgoing.py), the year's
electronic work files, and last the report's per-day rollup.
"""

import importlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.org.models import Unit
from motcua.org.services import unit_validate

DATA_DIR = Path(__file__).resolve().parent / "data"
ORG_UNITS_FILE = DATA_DIR / "org_units.json"
CATALOGUE_FILE = DATA_DIR / "catalogue.json"
DEFAULT_PASSWORD = "motcua-demo"

# (username, full name, role, unit code). The names are invented for the demo.
DEMO_STAFF = [
    ("quantri", "Quản trị hệ thống (mẫu)", Role.ADMINISTRATOR, "000.01.12.H27"),
    ("lanhdao.so", "Nguyễn Văn Lãnh (mẫu)", Role.DEPARTMENT_LEADER, "000.00.12.H27"),
    ("motcua.ttpvhcc", "Trần Thị Tiếp (mẫu)", Role.DESK_OFFICER, "000.00.40.H27"),
    ("motcua.tgpl", "Lê Thị Nhận (mẫu)", Role.DESK_OFFICER, "000.06.12.H27"),
    ("tp.hcbttp", "Phạm Văn Trưởng (mẫu)", Role.DIVISION_HEAD, "000.05.12.H27"),
    ("cv.hcbttp", "Hoàng Thị Xử (mẫu)", Role.SPECIALIST, "000.05.12.H27"),
    ("tp.xdkt", "Võ Văn Kiểm (mẫu)", Role.DIVISION_HEAD, "000.03.12.H27"),
    ("cv.xdkt", "Đặng Thị Tra (mẫu)", Role.SPECIALIST, "000.03.12.H27"),
    ("tp.pbgdpl", "Bùi Văn Phổ (mẫu)", Role.DIVISION_HEAD, "000.04.12.H27"),
    ("cv.pbgdpl", "Ngô Thị Biến (mẫu)", Role.SPECIALIST, "000.04.12.H27"),
    ("gd.tgpl", "Đỗ Văn Giúp (mẫu)", Role.DIVISION_HEAD, "000.06.12.H27"),
    ("cv.tgpl", "Dương Thị Pháp (mẫu)", Role.SPECIALIST, "000.06.12.H27"),
]

# username → (mobile phone, e-mail) of the demo officers, where due-soon and overdue reminders go
# (besides the notice list on their home page). INVENTED values for the demo: the numbers are not
# known to belong to anyone — the demo's SMS gateway only prints — and the addresses only follow
# the department's domain pattern; replace them with real ones in an installation.
DEMO_STAFF_CONTACTS = {
    "quantri": ("0912 270 100", "quantri.motcua@stp.hatinh.gov.vn"),
    "lanhdao.so": ("0912 270 101", "lanhdao.so@stp.hatinh.gov.vn"),
    "motcua.ttpvhcc": ("0912 270 102", "motcua.ttpvhcc@stp.hatinh.gov.vn"),
    "motcua.tgpl": ("0912 270 103", "motcua.tgpl@stp.hatinh.gov.vn"),
    "tp.hcbttp": ("0912 270 104", "tp.hcbttp@stp.hatinh.gov.vn"),
    "cv.hcbttp": ("0912 270 105", "cv.hcbttp@stp.hatinh.gov.vn"),
    "tp.xdkt": ("0912 270 106", "tp.xdkt@stp.hatinh.gov.vn"),
    "cv.xdkt": ("0912 270 107", "cv.xdkt@stp.hatinh.gov.vn"),
    "tp.pbgdpl": ("0912 270 108", "tp.pbgdpl@stp.hatinh.gov.vn"),
    "cv.pbgdpl": ("0912 270 109", "cv.pbgdpl@stp.hatinh.gov.vn"),
    "gd.tgpl": ("0912 270 110", "gd.tgpl@stp.hatinh.gov.vn"),
    "cv.tgpl": ("0912 270 111", "cv.tgpl@stp.hatinh.gov.vn"),
}


@dataclass
class LoadReport:
    units_created: int = 0
    units_updated: int = 0
    users_created: int = 0
    users_updated: int = 0
    notes: list[str] = field(default_factory=list)


def demo_password() -> str:
    return os.environ.get("MOTCUA_DEMO_PASSWORD") or DEFAULT_PASSWORD


def load_org_units(report: LoadReport) -> None:
    """Upsert the demo units by code; only fields that differ are written."""
    units = json.loads(ORG_UNITS_FILE.read_text(encoding="utf-8"))["units"]
    with transaction.atomic():
        for item in units:
            parent = Unit.objects.get(code=item["parent"]) if item["parent"] else None
            wanted = {
                "name": item["name"],
                "short_name": item.get("short_name", ""),
                "kind": item["kind"],
                "parent": parent,
                "sort_order": item.get("sort_order", 0),
            }
            unit = Unit.objects.filter(code=item["code"]).first()
            unit_validate(
                code=item["code"], **wanted, unit_pk=unit.pk if unit else None,
            )  # fmt: skip
            if unit is None:
                Unit.objects.create(code=item["code"], **wanted)
                report.units_created += 1
                continue
            changed = [k for k, v in wanted.items() if getattr(unit, k) != v]
            if changed:
                for key in changed:
                    setattr(unit, key, wanted[key])
                unit.save(update_fields=changed)
                report.units_updated += 1


def _optional(module: str, name: str):
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def load_calendar(report: LoadReport) -> None:
    seed = _optional("motcua.calendars.services", "calendar_seed_official_notices")
    if seed is None:
        report.notes.append(
            "Lịch làm việc: chưa có motcua.calendars.services.calendar_seed_official_notices — bỏ qua."
        )
        return
    seed(years=range(2023, 2027))
    report.notes.append("Lịch làm việc: đã nạp thông báo nghỉ lễ, làm bù 2023–2026.")


def load_catalogue(report: LoadReport) -> None:
    catalog_import = _optional("motcua.catalog.services", "catalog_import")
    if catalog_import is None:
        report.notes.append(
            "Danh mục TTHC: chưa có motcua.catalog.services.catalog_import — bỏ qua."
        )
        return
    catalog_import(None, CATALOGUE_FILE)
    report.notes.append(f"Danh mục TTHC: đã nạp {CATALOGUE_FILE.name}.")


def load_staff(report: LoadReport, password: str) -> None:
    """One account per role per relevant unit. The password is set only when it differs, so a
    second run leaves every row as it was."""
    with transaction.atomic():
        for username, full_name, role, unit_code in DEMO_STAFF:
            unit = Unit.objects.get(code=unit_code)
            phone, email = DEMO_STAFF_CONTACTS.get(username, ("", ""))
            wanted = {
                "full_name": full_name,
                "role": role,
                "unit": unit,
                "phone": phone,
                "email": email,
            }
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, **wanted)
                user.set_password(password)
                user.save()
                report.users_created += 1
                continue
            changed = [key for key, value in wanted.items() if getattr(user, key) != value]
            for key in changed:
                setattr(user, key, wanted[key])
            if not user.is_active:
                user.is_active = True
                changed.append("is_active")
            if not user.check_password(password):
                user.set_password(password)
                changed.append("password")
            if changed:
                user.save(update_fields=changed)
                report.users_updated += 1


# Set to False (tests of the small demo) to leave out the 22.128 dossiers of H1/2023.
LOAD_DOSSIERS = os.environ.get("MOTCUA_DEMO_DOSSIERS", "1") != "0"

REPORT_PROFILE = {
    "unit": "000.00.12.H27",
    "parent_agency": "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH",
    "agency": "SỞ TƯ PHÁP",
    "symbol": "BC-STP",
    "place": "Hà Tĩnh",
    "addressee": "",
    "signer_authority": "",
    "signer_title": "GIÁM ĐỐC",
    "signer_name": "Lê Viết Hồng",
    "recipients": "Văn phòng UBND tỉnh;\nSở Nội vụ;\nSở Thông tin và Truyền thông;\nSở Tài chính;\n"
    "Sở Khoa học và Công nghệ;\nLãnh đạo Sở;\nLưu: VT, VP.",
}


def load_report_profile(report: LoadReport) -> None:
    """The Sở as the periodic report's header and signature show it (seed: signed by its director)."""
    from motcua.indicators.models import ReportProfile

    wanted = {k: v for k, v in REPORT_PROFILE.items() if k != "unit"}
    unit = Unit.objects.get(code=REPORT_PROFILE["unit"])
    profile = ReportProfile.objects.filter(unit=unit).first()
    if profile is None:
        ReportProfile.objects.create(unit=unit, is_default=True, **wanted)
        return
    changed = [k for k, v in wanted.items() if getattr(profile, k) != v]
    if changed:
        for key in changed:
            setattr(profile, key, wanted[key])
        profile.save(update_fields=changed)


def load_dossiers(report: LoadReport) -> None:
    from .dossiers import demo_dossiers_load

    if LOAD_DOSSIERS:
        started = time.perf_counter()
        line = demo_dossiers_load()
        report.notes.append(f"{line} ({time.perf_counter() - started:.0f} giây)")


def load_current(report: LoadReport) -> None:
    """Today's load, received over the last weeks through the services (demo/current.py)."""
    from .current import current_load

    if LOAD_DOSSIERS:
        started = time.perf_counter()
        line = current_load()
        report.notes.append(f"{line} ({time.perf_counter() - started:.0f} giây)")


def load_other_apps(report: LoadReport, stdout=None) -> None:
    """Each app's own part of the demo (motcua/<app>/demo.py `load_demo`), after the dossiers."""
    from motcua.indicators.discovery import demo_loaders

    for label, load in demo_loaders():
        started = time.perf_counter()
        load(stdout=stdout)
        seconds = time.perf_counter() - started
        report.notes.append(f"Dữ liệu mẫu của ứng dụng {label}: đã nạp ({seconds:.0f} giây).")


def load_digital(report: LoadReport) -> None:
    """The H1/2023 dossiers' papers, files, reuse, electronic results and fees (digital.py). After
    the other apps: it needs the signing certificate and the collecting account they set up."""
    from .digital import demo_digital_load

    if LOAD_DOSSIERS:
        report.notes += demo_digital_load()


def load_outgoing(report: LoadReport) -> None:
    """The Sở's documents of H1/2023 the seed names, signed, in the outgoing register (outgoing.py):
    after the other apps, the documents app having set up the demo's signing key."""
    from .outgoing import demo_outgoing_load

    if LOAD_DOSSIERS:
        started = time.perf_counter()
        line = demo_outgoing_load()
        report.notes.append(f"{line} ({time.perf_counter() - started:.0f} giây)")


ARCHIVE_YEAR = 2023


def load_archive(report: LoadReport) -> None:
    """H1/2023's finished dossiers (their papers and signed results) and registered documents
    filed into the year's electronic work files, as the department reports doing for 100% of them
    (seed II.6.1): after the digital part, which gives the dossiers their files. Idempotent: a
    second run files nothing new."""
    file_year = _optional("motcua.archives.services", "archives_file_year")
    if file_year is None or not LOAD_DOSSIERS:
        return
    started = time.perf_counter()
    result = file_year(None, ARCHIVE_YEAR)
    seconds = time.perf_counter() - started
    report.notes.append(
        f"Lưu trữ hồ sơ công việc năm {ARCHIVE_YEAR}: {result.work_files_created} hồ sơ công việc "
        f"mới, {result.items_added} tài liệu mới, {result.items_already_filed} đã có "
        f"({seconds:.0f} giây)."
    )


def load_rollup(report: LoadReport) -> None:
    """Last: the report's per-day rollup rebuilt for the days the load marked dirty, so the first
    report reads rows instead of every dossier (a second load marks nothing, rebuilds nothing)."""
    refresh = _optional("motcua.indicators.rollup", "rollup_refresh")
    if refresh is None:
        return
    started = time.perf_counter()
    result = refresh()
    if result.days:
        seconds = time.perf_counter() - started
        report.notes.append(f"Số liệu tổng hợp theo ngày: {result} ({seconds:.0f} giây).")


def demo_load(password: str | None = None, stdout=None) -> LoadReport:
    report = LoadReport()
    load_org_units(report)
    load_calendar(report)
    load_catalogue(report)
    load_staff(report, password or demo_password())
    load_report_profile(report)
    load_dossiers(report)
    # Before the other apps' parts: they pick dossiers of their own (the post's latest desk
    # dossiers…), and must find the same ones at every run, or a second run would change things.
    load_current(report)
    load_other_apps(report, stdout)
    load_digital(report)
    load_outgoing(report)
    load_archive(report)
    load_rollup(report)
    return report

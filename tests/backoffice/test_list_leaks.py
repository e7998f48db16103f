"""[O] 3 / [M] 3: every list, export and PDF shows a staff member only what the one visibility
rule of its kind lets them open. Two agencies side by side (the Sở Tư pháp, received at the
province's service centre, and the provincial police), each with a dossier taken through
assignment, a fee request and a payment, and a credit waiting for review; then every GET route
of the URLconf is opened by every role of each agency — object routes with the OTHER agency's ids
— and the response (HTML, JSON, CSV, PDF text, XLSX cells) is searched for the other agency's
dossier code, applicant, payer and account. Target: 0 rows of another unit, anywhere.
"""

import io
import shutil
import subprocess

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from motcua.accounts.roles import Role
from motcua.calendars.services import calendar_seed_official_notices
from motcua.catalog.services import catalog_import
from motcua.dossiers.services import ApplicantData
from motcua.payments.services import CreditData, charge_request, credit_receive
from tests.accounts.factories import UnitFactory, UserFactory
from tests.backoffice.test_url_access import PUBLIC_URLS
from tests.backoffice.url_walk import walk
from tests.catalog.factories import POLICE, document, make_units, version
from tests.dossiers.test_services import act, at, intake
from tests.payments.helpers import collecting_account

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")

# What every list-like page is asked for: the period of the data below (tracking book, reports).
QUERY = "?tu=2024-04-26&den=2024-05-20&ngay=2024-05-03"
DAY = "2024-05-03"
# Interfaces whose pages are not staff lists: the citizens' portal and the public API answer by
# the citizen's own account or by code, and are walked by their own tests.
NOT_STAFF = ("portal:", "api:", "feedback_public:", "documents_public:")
POLICE_PROCEDURE = "1.000099"


def _police_version() -> dict:
    steps = [
        {"name": "Tiếp nhận hồ sơ", "unit": POLICE, "role": "desk_officer", "budget_hours": "4"},
        {"name": "Xử lý", "unit": POLICE, "role": "specialist", "budget_hours": "60"},
        {"name": "Lãnh đạo ký", "unit": POLICE, "role": "department_leader", "budget_hours": "12"},
        {"name": "Trả kết quả", "unit": None, "role": "desk_officer", "budget_hours": "4"},
    ]
    return version(
        name="Cấp giấy xác nhận của Công an tỉnh",
        competent_agency=POLICE,
        receiving_unit=POLICE,
        steps=steps,
    )


def _agency(units, desk_unit, division, leader_unit, name):
    return {
        "desk": UserFactory(role=Role.DESK_OFFICER, unit=desk_unit),
        "head": UserFactory(role=Role.DIVISION_HEAD, unit=division),
        "specialist": UserFactory(role=Role.SPECIALIST, unit=division),
        "leader": UserFactory(role=Role.DEPARTMENT_LEADER, unit=leader_unit),
        "name": name,
    }


def _dossier_with_payments(people, account, applicant, procedure, payer, review_narrative):
    """Received, assigned, asked for its fee, paid by transfer; plus a credit awaiting review."""
    with time_machine.travel(at("2024-04-26T09:00"), tick=False):
        from motcua.dossiers.services import dossier_receive

        dossier = dossier_receive(
            people["desk"], intake(procedure_code=procedure, applicant=applicant)
        )
    act(people["head"], dossier, "assign", "2024-05-02T09:00", assignee_id=people["specialist"].pk)
    dossier.refresh_from_db()
    with time_machine.travel(at("2024-05-03T09:00"), tick=False):
        charge = charge_request(
            people["specialist"], dossier.pk, expected_revision=dossier.revision
        )
    when = at("2024-05-03T10:00")
    credit_receive(None, CreditData(provider="generic", provider_txn_id=f"P{dossier.pk}",
                              amount=charge.amount, booked_at=when, narrative=charge.reference,
                              account_number=account.account_number, counterparty_name=payer))  # fmt: skip
    review = credit_receive(None, CreditData(provider="generic", provider_txn_id=f"R{dossier.pk}",
                                       amount=123000, booked_at=when, narrative=review_narrative,
                                       account_number=account.account_number))  # fmt: skip
    dossier.refresh_from_db()
    return dossier, charge, review.credit


@pytest.fixture
def two_agencies(db):
    units = make_units()
    police_division = UnitFactory(parent=units["police"], name="Phòng Quản lý hành chính")
    catalog_import(
        None,
        document(
            procedures=[
                {"code": "2.001417", "is_internal": False, "versions": [version()]},
                {"code": POLICE_PROCEDURE, "is_internal": False, "versions": [_police_version()]},
            ]
        ),
    )
    calendar_seed_official_notices()
    so = _agency(units, units["centre"], units["division"], units["so"], "Sở Tư pháp")
    police = _agency(units, units["police"], police_division, units["police"], "Công an tỉnh")
    so_account = collecting_account(
        account_number="1111222233", unit=units["centre"], is_default=False
    )
    police_account = collecting_account(
        account_number="4444555566", account_name="CONG AN TINH", unit=units["police"],
        is_default=False,
    )  # fmt: skip
    for people, account, applicant, procedure, payer, narrative in (
        (so, so_account, ApplicantData(full_name="Nguyễn Thị Hương", citizen_id="042190001234",
                                       phone="0912345678", address_line="Phường Thành Sen"),
         "2.001417", "NGUYEN THI HUONG CK", "TIEN CHUA RO SO TU PHAP"),
        (police, police_account, ApplicantData(full_name="Phạm Văn Khuê", citizen_id="042190007777",
                                               phone="0987000111", address_line="Xã Kỳ Khang"),
         POLICE_PROCEDURE, "PHAM VAN KHUE CK", "TIEN CHUA RO CONG AN"),
    ):  # fmt: skip
        dossier, charge, review = _dossier_with_payments(
            people, account, applicant, procedure, payer, narrative
        )
        people.update(
            dossier=dossier,
            account=account,
            review=review,
            receipt=charge.receipts.first(),
            payer=payer,
            # What must never show on the other agency's pages.
            needles=[
                dossier.code,
                applicant.full_name,
                applicant.phone,
                payer,
                narrative,
                account.account_number,
            ],
        )
    return {"so": so, "police": police}


def _text(response) -> str:
    """What a person would read in the response, whitespace removed (PDF cells wrap codes)."""
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith("application/pdf"):
        done = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True)
        text = done.stdout.decode()
    elif "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(body), read_only=True)
        text = " ".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    elif kind.startswith(("text/", "application/json")):
        text = body.decode("utf-8", errors="replace")
    else:
        text = ""  # images (the VietQR PNG) carry no names
    return "".join(text.split())


def _routes_for(other) -> list:
    """Every GET route of staff, parameters filled with the other agency's objects."""
    values = {
        "dossier_id": other["dossier"].pk,
        "credit_id": other["review"].pk,
        "account_id": other["account"].pk,
        "receipt_id": other["receipt"].pk,
        "day": DAY,
    }
    return [
        route
        for route in walk(values=values)
        if route.name not in PUBLIC_URLS and not route.name.startswith(NOT_STAFF)
    ]


def _leaks(user, routes, needles) -> tuple[list[str], str]:
    client = Client()
    client.force_login(user)
    found, seen = [], []
    for route in routes:
        response = client.get(route.path + QUERY)
        if response.status_code >= 500:
            found.append(f"{route.name}: {response.status_code}")
            continue
        text = _text(response)
        seen.append(text)
        rows = {needle: text.count("".join(needle.split())) for needle in needles}
        if any(rows.values()):
            found.append(f"{route.name} ({route.path}): {rows}")
    return found, " ".join(seen)


@needs_poppler
def test_no_list_export_or_pdf_shows_another_agencys_rows(two_agencies):
    problems, seen_by_agency = [], {}
    for mine, other in (("so", "police"), ("police", "so")):
        routes = _routes_for(two_agencies[other])
        seen_by_agency[mine] = ""
        for role in ("desk", "head", "specialist", "leader"):
            user = two_agencies[mine][role]
            found, seen = _leaks(user, routes, two_agencies[other]["needles"])
            problems += [f"{two_agencies[mine]['name']} {role}: {line}" for line in found]
            seen_by_agency[mine] += seen
    assert problems == [], "\n".join(problems)
    # The positive control: the walk does read each agency's own rows (so a count of 0 means
    # filtered, not unrendered) — its dossier, applicant and payers are on its own pages.
    unseen = [
        (mine, needle)
        for mine in ("so", "police")
        for needle in two_agencies[mine]["needles"]
        if needle != two_agencies[mine]["payer"]  # only on its own object pages, not walked here
        and "".join(needle.split()) not in seen_by_agency[mine]
    ]
    assert unseen == []


@needs_poppler
def test_the_walk_catches_a_list_that_leaks(two_agencies, monkeypatch):
    """The check can fail: with the tracking book filtered by the unit tree as it used to be,
    the police desk's book lists the Sở's dossier and the walk says so."""
    from django.db.models import Q

    from motcua.dossiers.models import Dossier
    from motcua.dossiers.official_forms import tracking_book as forms_tracking

    def the_old_filter(user):
        return Dossier.objects.filter(Q(receiving_unit_id=user.unit_id) | Q(pk__gt=0))

    monkeypatch.setattr(forms_tracking, "dossiers_visible_to", the_old_filter)
    routes = [r for r in _routes_for(two_agencies["so"]) if r.name == "backoffice:tracking_book"]
    found, _ = _leaks(two_agencies["police"]["desk"], routes, two_agencies["so"]["needles"])
    assert found and "backoffice:tracking_book" in found[0]

"""The full demo data set reproduces the seed report's figures through `motcua report`, loads
within the time budget, and a second run changes nothing (issue [G] item 5)."""

import io
import json
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from motcua.demo import digital
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.indicators.models import ReportProfile

pytestmark = pytest.mark.django_db(transaction=True)

SEED = {
    "received": 22128,
    "received_online": 1937,
    "resolved": 21241,
    "in_progress": 887,
    "received_post": 2512,
    "returned_post": 9740,
    "resolved_late": 0,
    "resolved_ungraded": 0,
}


def report() -> dict:
    out = io.StringIO()
    call_command("report", "--from", "2023-01-01", "--to", "2023-06-30", "--format", "json",
                 stdout=out)  # fmt: skip
    return json.loads(out.getvalue())


def fingerprint():
    from motcua.documents.models import ComponentFile, IssuedDocument, StoredFile
    from motcua.dossiers.models import DossierComponent
    from motcua.payments.models import Charge, Credit, Receipt

    return (
        Dossier.objects.count(),
        DossierEvent.objects.count(),
        list(Dossier.objects.order_by("code").values_list("code", "status", "finished_at")[:50]),
        ReportProfile.objects.count(),
        *(
            model.objects.count()
            for model in (DossierComponent, ComponentFile, StoredFile, IssuedDocument)
        ),
        *(model.objects.count() for model in (Charge, Credit, Receipt)),
    )


def check_digital_side(rates: dict) -> None:
    """Seed line 75: "số hóa trên 90% hồ sơ TTHC đầu vào"; reuse, electronic results and online
    payments present but small, as in 2023; every electronic result verifies."""
    from motcua.documents.models import ComponentFile, IssuedDocument
    from motcua.documents.results import issued_document_bytes
    from motcua.documents.signing import pdf_verdict

    assert 90 < rates["digitised_pct"] < 100
    assert 0 < rates["reuse_pct"] < 10
    assert 0 < rates["electronic_results_pct"] < 5
    assert 0 < rates["paid_online_pct"] < 20
    results = IssuedDocument.objects.filter(dossier__imported=True)
    assert results.count() >= 50
    for document in results.order_by("pk")[:5]:
        verdict = pdf_verdict(issued_document_bytes(document))
        assert verdict["valid"] and verdict["issued_by_us"], verdict
        assert document.signed_at == document.dossier.finished_at
    # A reused paper is the same person's, from an earlier dossier, the same stored content.
    for reused in ComponentFile.objects.filter(source="reuse").select_related(
        "reused_from__component__dossier", "component__dossier__applicant"
    )[:20]:
        earlier = reused.reused_from.component.dossier
        later = reused.component.dossier
        assert (
            earlier.applicant_id == later.applicant_id and earlier.received_at < later.received_at
        )
        assert reused.stored_file_id == reused.reused_from.stored_file_id
    # Files are shared: a few sample scans per kind of paper, each a PDF stored once.
    scans = ComponentFile.objects.filter(component__dossier__imported=True)
    papers = scans.values("component__name").distinct().count()
    files = scans.values("stored_file").distinct().count()
    assert files <= papers * digital.SCAN_VARIANTS < scans.count()


def check_living_department() -> None:
    """Issue [K] item 5: nothing of 2023 is still open (the worklists showed it ~860 days late);
    today's worklists hold dossiers received in the last weeks at every stage, a few late; the
    worklist's colours and the leader's home count the same late dossiers."""
    from motcua.accounts.models import User
    from motcua.core.clock import now
    from motcua.dossiers.overview import leader_overview
    from motcua.dossiers.selectors import remaining_working_minutes, urgency, worklist_for
    from motcua.dossiers.workflow import PROCESSING_ENDED, Status

    assert not Dossier.objects.filter(imported=True).exclude(status__in=PROCESSING_ENDED).exists()
    current = Dossier.objects.filter(imported=False, received_at__gte=now() - timedelta(days=40))
    statuses = Counter(current.values_list("status", flat=True))
    assert statuses[Status.RETURNED] > 10 and statuses[Status.IN_PROGRESS] > 5, statuses
    assert statuses[Status.AWAITING_SIGNATURE] + statuses[Status.FINISHED] > 0, statuses
    leader = User.objects.get(username="lanhdao.so")
    late_on_home = leader_overview(leader)["overdue"].count
    at = now()
    colours = Counter(urgency(remaining_working_minutes(d, at)) for d in worklist_for(leader))
    assert 1 <= late_on_home <= 10
    assert colours["late"] == late_on_home, colours
    assert colours["soon"] + colours["ok"] > 10, colours


def check_peak_day_and_signed_documents(data: dict) -> None:
    """ADR 0041, 2026-12-08: the two sentences of the seed the demo data did not give. III.3, "xin
    cấp Phiếu lý lịch tư pháp … từ 200-300 hồ sơ/ngày": the judicial-record field's busiest tenth
    of days is within 200–300 (the rush of dossiers.LABOUR_EXPORT_RUSH; 189 at most before).
    II.6.1, "100% văn bản của Sở Tư pháp … đều có chữ ký số": the 16 documents of H1/2023 the seed
    names, each registered with a signed PDF."""
    from motcua.demo.outgoing import SEED_DOCUMENTS
    from motcua.exchange.models import OutgoingDocument
    from motcua.indicators.narrative import figures_for_text

    busiest = data["busiest_field"]
    assert busiest["field"] == "LLTP"
    assert 200 <= busiest["busy_low"] <= busiest["busy_high"] == busiest["peak"] <= 300, busiest
    assert date.fromisoformat(busiest["peak_day"]) in _rush_days()
    texts = figures_for_text(data)
    assert (
        f"những ngày cao điểm từ {busiest['busy_low']}-{busiest['peak']} hồ sơ/ngày (cao nhất "
        f"{busiest['peak']} hồ sơ ngày " in texts["busiest_text"]
    ), texts["busiest_text"]

    assert data["exchange"] == {"outgoing": 16, "outgoing_signed": 16}
    assert texts["signed_text"] == (
        "Trong 6 tháng đầu năm 2023, 100% văn bản đi (16 văn bản) đều có chữ ký số."
    )
    registered = OutgoingDocument.objects.filter(year=2023).order_by("number")
    assert [(d.number, d.symbol, d.issued_on) for d in registered] == [
        (d.number, d.symbol, d.issued_on) for d in sorted(SEED_DOCUMENTS, key=lambda d: d.number)
    ]
    assert "64/KH-STP" in {f"{d.number:02d}/{d.symbol}" for d in registered}


def _rush_days() -> set[date]:
    from motcua.demo.dossiers import LABOUR_EXPORT_RUSH

    first, last = LABOUR_EXPORT_RUSH
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


def test_demo_reproduces_the_seed_and_is_idempotent():
    # The 3-minute budget is measured by hand on an idle machine (see the engineer's report): a
    # wall-clock assertion here would fail whenever the shared CI machine is busy.
    call_command("demo", "--no-serve", stdout=io.StringIO())

    data = report()
    for key, value in SEED.items():
        assert data["dossiers"][key] == value, key
    assert data["dossiers"]["resolved_early"] + data["dossiers"]["resolved_on_time"] == 21241
    assert data["rates"]["on_time_pct"] == 100.0
    assert data["rates"]["post_intake_pct"] == 12.4  # the seed prints 12,5: computed, not copied
    assert data["rates"]["post_return_pct"] == 45.9
    check_digital_side(data["rates"])
    catalogue = data["catalogue"]
    assert catalogue["procedures_public"] == 122
    assert (
        catalogue["procedures_with_postal_dossiers"] == catalogue["procedures_postal_intake"] == 14
    )

    # The reform figures come from the other apps' loaders: wired here, checked where present.
    expected_sections = {
        ("tasks", "plan"): {"total": 70, "done": 11, "in_progress": 35, "overdue": 0},
        ("tasks", "assigned_by_province"): {"total": 50, "done": 47, "in_progress": 3, "overdue": 0},
        ("legal_documents",): {"appraised": 28, "commented": 68, "self_checked": 34,
                               "reviewed": 130, "expired_fully": 53, "expired_partly": 17},
        ("organisation",): {"units": 9, "posts": 29, "staff": 66},
        ("satisfaction",): {"forms": 200},
        ("feedback",): {"received": 0},
    }  # fmt: skip
    for path, wanted in expected_sections.items():
        section = data
        for part in path:
            section = section[part]
        if section.get("available") is False:
            continue  # that app has no demo loader yet
        assert {k: section[k] for k in wanted} == wanted, path
    if data["organisation"].get("available", True):
        assert data["organisation"]["qualifications"]["master_law"] == 11
    # II.6.1, "lập hồ sơ lưu trữ điện tử": every dossier finished in H1/2023 that has an electronic
    # file (a paper scanned or uploaded, an electronic result) is filed in the year's work files;
    # the 1.356 with none have nothing to file electronically (93,6 %; 1.476 and 93,1 % before the
    # four legal-aid procedures of ADR 0033's third amendment had papers; 1.354 before the
    # labour-export rush of ADR 0041's 2026-12-08 amendment moved dossiers between days, which
    # changes the order the digital part draws its undigitised dossiers in).
    assert data["archives"] == {"dossiers_finished": 21241, "dossiers_filed": 19885}

    check_peak_day_and_signed_documents(data)

    dossiers = Dossier.objects.filter(imported=True)
    # Realistic: judicial records dominate, weekdays only, a dip in the Tết month.
    fields = Counter(dossiers.values_list("procedure_version__field__code", flat=True))
    assert fields.most_common(1)[0][0] == "LLTP" and fields["LLTP"] > 0.7 * 22128
    days = {
        d.date() for d in (r.astimezone() for r in dossiers.values_list("received_at", flat=True))
    }
    assert all(day.weekday() < 5 or day == date(2023, 5, 6) for day in days)
    assert not any(date(2023, 1, 20) <= day <= date(2023, 1, 26) for day in days)
    by_month = Counter(d.month for d in days)
    assert by_month[1] < by_month[3]
    # Complete histories: received, assigned, and approved + returned for the finished ones.
    events = DossierEvent.objects.filter(dossier__imported=True)
    assert events.filter(action="received").count() == 22128
    # The 887 in progress at 30/06/2023 were finished and returned in the weeks after.
    assert events.filter(action="return_result").count() == 22128
    check_living_department()

    before = fingerprint()
    call_command("demo", "--no-serve", stdout=io.StringIO())
    assert fingerprint() == before
    second = report()
    assert second["dossiers"] == data["dossiers"] and second["rates"] == data["rates"]

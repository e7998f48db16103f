"""The issued periodic report is signed the same way as a result (issue [J] 1): the leader issues
it and signs its PDF with their own token in one step; the downloaded PDF verifies as issued by
us; a wrong PIN leaves the report unissued."""

import pytest
from django.urls import reverse

from motcua.documents.models import SignedReport, Signer
from motcua.documents.signing import pdf_verdict
from motcua.indicators.models import ReportDraft, ReportIssue
from tests.documents.conftest import LEADER, LEADER_TITLE, ORGANISATION

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(desk, client, signing, token):
    Signer.objects.create(
        name="giamdoc",
        user=desk["leader"],
        full_name=LEADER,
        title=LEADER_TITLE,
        organisation=ORGANISATION,
        backend="pkcs11",
        pkcs11_module=token.module,
        token_label=token.label,
        key_label=token.key_label,
    )
    client.force_login(desk["leader"])
    client.post(reverse("indicators:draft_list"), {"tu": "2024-04-01", "den": "2024-05-31"})
    return ReportDraft.objects.get()


def test_issuing_signs_the_report_with_the_leaders_token(client, draft, token):
    page = client.get(reverse("indicators:draft_detail", args=[draft.pk])).content.decode()
    assert "Ban hành và ký số" in page and 'name="pin"' in page
    response = client.post(
        reverse("indicators:draft_issue", args=[draft.pk]), {"pin": token.pin}, follow=True
    )
    assert "đã ký số" in response.content.decode()
    issue = ReportIssue.objects.get()
    signed = SignedReport.objects.get(report=issue)
    pdf = client.get(reverse("indicators:draft_download", args=[draft.pk, "pdf"])).content
    verdict = pdf_verdict(pdf)
    assert verdict["valid"] and verdict["issued_by_us"] and verdict["signer"] == LEADER
    assert verdict["document_number"] == str(issue) and signed.sha256 == verdict["sha256"]
    page = client.post(reverse("documents_public:verify"), {"file": _upload(pdf)}).content.decode()
    assert "Báo cáo định kỳ" in page and ORGANISATION in page


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bao-cao.pdf", data, "application/pdf")


def test_a_wrong_pin_leaves_the_report_unissued(client, draft):
    response = client.post(
        reverse("indicators:draft_issue", args=[draft.pk]), {"pin": "000000"}, follow=True
    )
    assert "Mã PIN không đúng" in response.content.decode()
    assert not ReportIssue.objects.exists() and not SignedReport.objects.exists()

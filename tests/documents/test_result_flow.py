"""The real result document (issue [J] 1) through the pages: the specialist prepares it from the
procedure's template, the head reviews it, the leader sees it and signs that PDF with their own
key (a SoftHSM2 token, or the CSC stand-in with a timestamp server), the citizen downloads it,
and pdfsig and `motcua documents verify` accept it — and refuse it with one byte changed. Bad
input at signing (a wrong PIN, a token pulled out, a remote service refusing) changes nothing."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from motcua.documents.models import (
    DraftStatus,
    IssuedDocument,
    ResultDraft,
    Signer,
    StoredFile,
)
from motcua.documents.standins import totp_now
from motcua.documents.templates_import import result_templates_import
from motcua.dossiers.services import dossier_act
from tests.documents.conftest import CSC_PIN, CSC_TOTP_SECRET, LEADER, LEADER_TITLE, ORGANISATION
from tests.documents.signing_helpers import nss_trusting, one_byte_changed, pdfsig, pdfsig_accepts
from tests.portal.factories import citizen, online_dossier

pytestmark = pytest.mark.django_db

DECISION = {
    "procedure": "2.001417",
    "code": "quyet-dinh",
    "name": "Quyết định giải quyết",
    "layout": "decision",
    "title": "Quyết định",
    "excerpt": "Về việc giải quyết hồ sơ {ma_ho_so}",
    "symbol": "QĐ-STP",
    "body": (
        "* Căn cứ hồ sơ đề nghị của ông/bà {ho_ten} tiếp nhận ngày {ngay_tiep_nhan};\n"
        "# QUYẾT ĐỊNH:\n"
        "Điều 1. Giải quyết yêu cầu của ông/bà {ho_ten}, số định danh cá nhân {so_dinh_danh}; "
        "số phiếu {so_phieu}.\n"
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký."
    ),
    "fields": [{"name": "so_phieu", "label": "Số phiếu", "show": True}],
    "recipients": "Ông/bà {ho_ten}",
}
REFUSAL = {
    **DECISION,
    "code": "tu-choi",
    "name": "Văn bản từ chối",
    "layout": "letter",
    "outcome": "refuse",
    "title": "Văn bản từ chối giải quyết",
    "excerpt": "từ chối giải quyết hồ sơ {ma_ho_so}",
    "symbol": "STP-HCTP",
    "body": "Sở Tư pháp nhận được hồ sơ {ma_ho_so}. Hồ sơ không được giải quyết vì: {ly_do}.",
    "fields": [{"name": "ly_do", "label": "Lý do từ chối"}],
}


@pytest.fixture
def world(desk, signing):
    """A citizen's online dossier at the specialist's step, and the templates of its procedure."""
    result_templates_import({"templates": [DECISION, REFUSAL]})
    person = citizen()
    dossier = online_dossier(person)
    for user, action, params in (
        (desk["desk"], "accept", {}),
        (desk["head"], "assign", {"assignee_id": desk["specialist"].pk}),
    ):
        dossier.refresh_from_db()
        dossier_act(user, dossier.pk, action, expected_revision=dossier.revision, **params)
    dossier.refresh_from_db()
    return {**desk, "dossier": dossier, "citizen": person}


def _token_signer(world, token) -> Signer:
    return Signer.objects.create(
        name="giamdoc-token",
        user=world["leader"],
        full_name=LEADER,
        title=LEADER_TITLE,
        authority="KT. Giám đốc",
        organisation=ORGANISATION,
        parent_organisation="UBND tỉnh Hà Tĩnh",
        backend="pkcs11",
        pkcs11_module=token.module,
        token_label=token.label,
        key_label=token.key_label,
    )


def _csc_signer(world, csc) -> Signer:
    return Signer.objects.create(
        name="giamdoc-tu-xa",
        user=world["leader"],
        full_name=LEADER,
        title=LEADER_TITLE,
        organisation=ORGANISATION,
        backend="csc",
        csc_base_url=csc.base_url,
        csc_credential_id="lanhdao-01",
    )


def _prepared_and_reviewed(
    client, world, signer, template="quyet-dinh", values=None
) -> ResultDraft:
    """The specialist prepares from the template, the head accepts it, the specialist submits
    the dossier for signature."""
    dossier = world["dossier"]
    chosen = dossier.procedure_version.result_templates.get(code=template)
    client.force_login(world["specialist"])
    page = client.get(reverse("documents:result", args=[dossier.pk])).content.decode()
    assert chosen.name in page
    fields = {f"field_{k}": v for k, v in (values or {"so_phieu": "123/2026"}).items()}
    response = client.post(
        reverse("documents:result_prepare", args=[dossier.pk]),
        {"template": chosen.pk, "signer": signer.pk, **fields},
    )
    assert response.status_code == 302
    draft = ResultDraft.objects.get(dossier=dossier)
    assert draft.status == DraftStatus.PREPARED and draft.official_number.endswith(
        "/" + chosen.symbol
    )
    client.force_login(world["head"])
    client.post(reverse("documents:draft_review", args=[draft.pk]), {"decision": "accept"})
    draft.refresh_from_db()
    assert draft.status == DraftStatus.REVIEWED and draft.reviewed_by == world["head"]
    dossier.refresh_from_db()
    dossier_act(
        world["specialist"], dossier.pk, "submit_for_signature", expected_revision=dossier.revision
    )
    return draft


def _leader_signs(client, world, draft, **secrets):
    """The leader opens the page (the PDF in a frame, its hash in the form) and signs."""
    client.force_login(world["leader"])
    detail = client.get(reverse("backoffice:dossier_detail", args=[world["dossier"].pk]))
    assert "Xem văn bản và ký số" in detail.content.decode()
    page = client.get(reverse("documents:result", args=[world["dossier"].pk])).content.decode()
    assert reverse("documents:draft_file", args=[draft.pk]) in page and draft.sha256 in page
    shown = client.get(reverse("documents:draft_file", args=[draft.pk]))
    assert shown["Content-Type"] == "application/pdf"
    world["dossier"].refresh_from_db()
    return client.post(
        reverse("documents:draft_sign", args=[draft.pk]),
        {"sha256": draft.sha256, "revision": world["dossier"].revision, **secrets},
        follow=True,
    )


def _downloaded_by_the_citizen(client, world) -> bytes:
    issued = IssuedDocument.objects.get(dossier=world["dossier"])
    client.force_login(world["citizen"])
    response = client.get(reverse("portal:result_download", args=[world["dossier"].pk, issued.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def _both_accept_and_refuse_a_changed_byte(data: bytes, tmp_path, ca_files, capsys) -> dict:
    nss = nss_trusting(tmp_path / "nss", ca_files.ca_pem)
    good, bad = tmp_path / "ket-qua.pdf", tmp_path / "ket-qua-sua.pdf"
    good.write_bytes(data)
    bad.write_bytes(one_byte_changed(data))
    assert pdfsig_accepts(good, nss), pdfsig(good, nss)
    call_command("documents", "verify", str(good))
    verdict = json.loads(capsys.readouterr().out)
    assert not pdfsig_accepts(bad, nss)
    with pytest.raises(CommandError):
        call_command("documents", "verify", str(bad))
    assert json.loads(capsys.readouterr().out)["status"] == "tampered"
    return verdict


def test_prepared_from_the_template_signed_with_the_token_downloaded_and_verified(
    client, world, token, ca_files, tmp_path, capsys
):
    signer = _token_signer(world, token)
    draft = _prepared_and_reviewed(client, world, signer)
    response = _leader_signs(client, world, draft, pin=token.pin)
    assert "Đã ký số và ban hành" in response.content.decode()
    world["dossier"].refresh_from_db()
    assert world["dossier"].status == "finished"
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SIGNED and draft.issued.number == draft.registry_number
    data = _downloaded_by_the_citizen(client, world)
    verdict = _both_accept_and_refuse_a_changed_byte(data, tmp_path, ca_files, capsys)
    assert verdict["valid"] and verdict["issued_by_us"] and verdict["signer"] == LEADER
    assert (
        verdict["organisation"] == ORGANISATION
        and verdict["document_number"] == draft.registry_number
    )
    # The signed document is the reviewed one plus the signature: same first bytes, same text.
    from motcua.documents.services import stored_file_bytes

    reviewed = stored_file_bytes(draft.stored_file)
    assert data.startswith(reviewed)
    text = _pdftotext(data, tmp_path)
    assert "QUYẾT ĐỊNH" in text and "Nguyễn Thị Hương" in text and "123/2026" in text
    assert draft.official_number in text and LEADER in text and "KT. GIÁM ĐỐC" in text


def _pdftotext(data: bytes, tmp_path) -> str:
    import subprocess

    path = tmp_path / "text.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()


def test_signed_remotely_with_the_signers_confirmation_and_a_timestamp(
    client, world, csc, tsa, ca_files, tmp_path, capsys
):
    signer = _csc_signer(world, csc)
    draft = _prepared_and_reviewed(client, world, signer)
    page = client.get(reverse("documents:result", args=[world["dossier"].pk])).content.decode()
    assert 'name="otp"' not in page  # the head's page: nobody else gets the signing form
    response = _leader_signs(client, world, draft, pin=CSC_PIN, otp=totp_now(CSC_TOTP_SECRET))
    assert "Đã ký số và ban hành" in response.content.decode()
    assert "credentials/authorize" in csc.calls and tsa.requests >= 1
    data = _downloaded_by_the_citizen(client, world)
    verdict = _both_accept_and_refuse_a_changed_byte(data, tmp_path, ca_files, capsys)
    assert verdict["valid"] and verdict["issued_by_us"] and verdict["timestamp"]
    # The public page says the same to anyone.
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.logout()
    upload = SimpleUploadedFile("ket-qua.pdf", data, "application/pdf")
    page = client.post(reverse("documents_public:verify"), {"file": upload}).content.decode()
    assert "Hợp lệ — đúng bản đã cấp" in page and ORGANISATION in page and LEADER_TITLE in page
    assert "Một Cửa Test TSA" in page and "Chứng thư thuộc danh sách tin cậy</dt><dd>Có" in page


def test_a_refusal_letter_signed_refuses_the_dossier(client, world, token):
    signer = _token_signer(world, token)
    draft = _prepared_and_reviewed(
        client, world, signer, template="tu-choi", values={"ly_do": "hồ sơ thiếu bản sao hộ chiếu"}
    )
    _leader_signs(client, world, draft, pin=token.pin)
    world["dossier"].refresh_from_db()
    assert world["dossier"].status == "refused"
    assert (
        IssuedDocument.objects.get(dossier=world["dossier"]).title == "Văn bản từ chối giải quyết"
    )


def _nothing_moved(world, draft, stored_before: int) -> None:
    revision = world["dossier"].revision
    world["dossier"].refresh_from_db()
    draft.refresh_from_db()
    assert world["dossier"].status == "awaiting_signature" and world["dossier"].revision == revision
    assert draft.status == DraftStatus.REVIEWED and draft.issued is None
    assert not IssuedDocument.objects.exists() and StoredFile.objects.count() == stored_before


def test_a_wrong_pin_is_refused_and_nothing_moves(client, world, token):
    draft = _prepared_and_reviewed(client, world, _token_signer(world, token))
    before = StoredFile.objects.count()
    world["dossier"].refresh_from_db()
    response = _leader_signs(client, world, draft, pin="999999")
    assert "Mã PIN không đúng" in response.content.decode()
    _nothing_moved(world, draft, before)


def test_a_token_pulled_out_is_reported_and_nothing_moves(client, world, token):
    draft = _prepared_and_reviewed(client, world, _token_signer(world, token))
    before = StoredFile.objects.count()
    world["dossier"].refresh_from_db()
    token.pull_out()
    response = _leader_signs(client, world, draft, pin=token.pin)
    assert "thiết bị ký số" in response.content.decode().lower()
    _nothing_moved(world, draft, before)


@pytest.mark.parametrize("refusal", ["otp", "access_token"])
def test_a_remote_refusal_is_reported_and_nothing_moves(client, world, csc, settings, refusal):
    draft = _prepared_and_reviewed(client, world, _csc_signer(world, csc))
    before = StoredFile.objects.count()
    world["dossier"].refresh_from_db()
    otp = totp_now(CSC_TOTP_SECRET)
    if refusal == "otp":
        otp = "000000" if otp != "000000" else "111111"
    else:
        settings.MOTCUA_CSC_ACCESS_TOKEN = "het-han"
    response = _leader_signs(client, world, draft, pin=CSC_PIN, otp=otp).content.decode()
    assert (
        ("mã xác nhận (OTP)" in response)
        if refusal == "otp"
        else ("từ chối quyền truy cập" in response)
    )
    _nothing_moved(world, draft, before)


def test_only_the_drafts_signer_signs_and_only_the_bytes_shown(client, world, token):
    draft = _prepared_and_reviewed(client, world, _token_signer(world, token))
    before = StoredFile.objects.count()
    world["dossier"].refresh_from_db()
    client.force_login(world["head"])
    response = client.post(
        reverse("documents:draft_sign", args=[draft.pk]),
        {"sha256": draft.sha256, "revision": world["dossier"].revision, "pin": token.pin},
    )
    assert response.status_code in (302, 403)
    client.force_login(world["leader"])
    response = client.post(
        reverse("documents:draft_sign", args=[draft.pk]),
        {"sha256": "0" * 64, "revision": world["dossier"].revision, "pin": token.pin},
        follow=True,
    )
    assert "đã thay đổi kể từ khi ông/bà mở trang" in response.content.decode()
    _nothing_moved(world, draft, before)


def test_a_new_version_supersedes_and_keeps_the_numbers_a_send_back_needs_a_note(
    client, world, token
):
    signer = _token_signer(world, token)
    dossier = world["dossier"]
    template = dossier.procedure_version.result_templates.get(code="quyet-dinh")
    client.force_login(world["specialist"])
    url = reverse("documents:result_prepare", args=[dossier.pk])
    response = client.post(url, {"template": template.pk, "signer": signer.pk}, follow=True)
    assert "Vui lòng nhập “Số phiếu”" in response.content.decode()
    assert not ResultDraft.objects.exists()
    client.post(url, {"template": template.pk, "signer": signer.pk, "field_so_phieu": "1"})
    first = ResultDraft.objects.get()
    client.force_login(world["head"])
    response = client.post(
        reverse("documents:draft_review", args=[first.pk]), {"decision": "send_back"}, follow=True
    )
    assert "Hãy ghi rõ nội dung cần soạn lại" in response.content.decode()
    client.post(
        reverse("documents:draft_review", args=[first.pk]),
        {"decision": "send_back", "note": "Sửa số phiếu"},
    )
    first.refresh_from_db()
    assert first.status == DraftStatus.SENT_BACK
    client.force_login(world["specialist"])
    client.post(url, {"template": template.pk, "signer": signer.pk, "field_so_phieu": "2"})
    second = ResultDraft.objects.get(version=2)
    first.refresh_from_db()
    assert first.status == DraftStatus.SUPERSEDED and second.status == DraftStatus.PREPARED
    assert (second.registry_number, second.official_number, second.token) == (
        first.registry_number, first.official_number, first.token
    )  # fmt: skip
    assert second.sha256 != first.sha256


def test_an_uploaded_pdf_and_a_docx_become_drafts_with_the_verification_code(
    client, world, token, tmp_path, settings
):
    import docx

    signer = _token_signer(world, token)
    dossier = world["dossier"]
    client.force_login(world["specialist"])
    url = reverse("documents:result_upload", args=[dossier.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.documents.factories import pdf_bytes

    pdf = SimpleUploadedFile("du-thao.pdf", pdf_bytes("Chứng chỉ hành nghề"), "application/pdf")
    client.post(
        url,
        {"title": "Chứng chỉ hành nghề", "outcome": "approve", "signer": signer.pk, "file": pdf},
    )
    first = ResultDraft.objects.get()
    from motcua.documents.services import stored_file_bytes

    text = _pdftotext(stored_file_bytes(first.stored_file), tmp_path)
    assert "Chứng chỉ hành nghề" in text and first.registry_number in text
    document = docx.Document()
    document.add_paragraph("Quyết định về việc cấp chứng chỉ — bản DOCX")
    path = tmp_path / "du-thao.docx"
    document.save(path)
    upload = SimpleUploadedFile("du-thao.docx", path.read_bytes(), "application/octet-stream")
    client.post(
        url, {"title": "Quyết định", "outcome": "approve", "signer": signer.pk, "file": upload}
    )
    second = ResultDraft.objects.get(version=2)
    data = stored_file_bytes(second.stored_file)
    assert b"pdfaid" in data  # PDF/A identification in the XMP metadata
    assert "bản DOCX" in _pdftotext(data, tmp_path)
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a document", "application/pdf")
    response = client.post(url, {"title": "X", "signer": signer.pk, "file": bad}, follow=True)
    assert "PDF hoặc DOCX" in response.content.decode()
    settings.MOTCUA_UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("lon.pdf", pdf_bytes("Rất dài " * 200), "application/pdf")
    response = client.post(url, {"title": "X", "signer": signer.pk, "file": big}, follow=True)
    assert "quá lớn" in response.content.decode()
    assert ResultDraft.objects.count() == 2


def test_administrators_configure_signers_without_secrets(client, world, token):
    from tests.accounts.factories import UserFactory

    admin = UserFactory(role="administrator")
    client.force_login(admin)
    url = reverse("documents:signer_add")
    response = client.post(url, {"name": "gd", "full_name": LEADER, "title": LEADER_TITLE,
                                 "organisation": ORGANISATION, "backend": "pkcs11", "is_active": "on"})  # fmt: skip
    assert (
        response.status_code == 400
        and "Cần điền với loại khoá ký đã chọn." in response.content.decode()
    )
    assert not Signer.objects.exists()
    response = client.post(url, {"name": "gd", "user": world["leader"].pk, "full_name": LEADER,
                                 "title": LEADER_TITLE, "organisation": ORGANISATION,
                                 "backend": "pkcs11", "pkcs11_module": token.module,
                                 "token_label": token.label, "key_label": token.key_label,
                                 "is_active": "on"})  # fmt: skip
    assert response.status_code == 302
    assert "gd" in client.get(reverse("documents:signers")).content.decode()
    client.force_login(world["leader"])
    assert client.get(reverse("documents:signers")).status_code == 403

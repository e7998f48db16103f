"""Signing with the signer's own key (issue [J] 2) and verifying (issue [J] 3): a SoftHSM2 token
created by the test, a CSC API v2 stand-in with the signer's confirmation, a local RFC 3161
timestamp authority; pdfsig and `motcua documents verify` both judge the results."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pyhanko.pdf_utils.reader import PdfFileReader

from motcua.documents.keys import (
    CSC,
    PKCS11,
    PKCS12,
    Activation,
    KeySpec,
    SigningFailed,
    key_open,
)
from motcua.documents.models import Signer
from motcua.documents.signing import pades_sign, pdf_sign, pdf_verdict, run_sync
from motcua.documents.standins import totp_now
from tests.documents.conftest import CSC_PIN, CSC_TOTP_SECRET, LEADER, LEADER_TITLE, ORGANISATION
from tests.documents.factories import pdf_bytes
from tests.documents.signing_helpers import nss_trusting, one_byte_changed, pdfsig, pdfsig_accepts

pytestmark = pytest.mark.django_db


@pytest.fixture
def nss(tmp_path, ca_files):
    return nss_trusting(tmp_path / "nss", ca_files.ca_pem)


def _token_args(token) -> list[str]:
    return [
        "--pkcs11-module", token.module, "--token-label", token.label, "--key-label", token.key_label
    ]  # fmt: skip


def _verify(path, capsys) -> tuple[dict, int]:
    try:
        call_command("documents", "verify", str(path))
        code = 0
    except CommandError:
        code = 1
    return json.loads(capsys.readouterr().out), code


def _csc_signer(csc, **overrides) -> Signer:
    fields = {
        "name": "lanhdao-tu-xa",
        "full_name": LEADER,
        "title": LEADER_TITLE,
        "organisation": ORGANISATION,
        "backend": CSC,
        "csc_base_url": csc.base_url,
        "csc_credential_id": "lanhdao-01",
    }
    return Signer.objects.create(**{**fields, **overrides})


def test_token_signature_is_accepted_by_pdfsig_and_verify_and_a_changed_byte_by_neither(
    signing, token, nss, tmp_path, monkeypatch, capsys
):
    source, signed = tmp_path / "van-ban.pdf", tmp_path / "van-ban-da-ky.pdf"
    source.write_bytes(pdf_bytes("Quyết định cấp chứng chỉ hành nghề"))
    monkeypatch.setenv("MOTCUA_SIGNING_PIN", token.pin)
    call_command("documents", "sign", str(source), str(signed), *_token_args(token))
    assert "Đã ký" in capsys.readouterr().out
    assert pdfsig_accepts(signed, nss)
    verdict, code = _verify(signed, capsys)
    assert code == 0 and verdict["valid"] and verdict["trusted"]
    assert (verdict["signer"], verdict["organisation"], verdict["signer_title"]) == (
        LEADER,
        ORGANISATION,
        LEADER_TITLE,
    )
    assert verdict["signed_at"] and verdict["issued_by_us"] is False  # signed, but not by the app
    # PAdES-B-LT: the validation data are in the document security store.
    dss = PdfFileReader(io.BytesIO(signed.read_bytes())).root["/DSS"]
    assert len(dss["/Certs"]) >= 2
    changed = tmp_path / "sua-mot-byte.pdf"
    changed.write_bytes(one_byte_changed(signed.read_bytes()))
    assert not pdfsig_accepts(changed, nss) and "Digest Mismatch" in pdfsig(changed, nss)
    verdict, code = _verify(changed, capsys)
    assert code == 1 and verdict["status"] == "tampered"


def test_timestamp_from_the_rfc3161_server_is_in_the_signature(
    signing, token, tsa, nss, tmp_path, capsys
):
    signed = pdf_sign(
        pdf_bytes(),
        KeySpec(PKCS11, token.module, token.label, token.key_label),
        Activation(pin=token.pin),
    )
    path = tmp_path / "co-dau-thoi-gian.pdf"
    path.write_bytes(signed)
    assert tsa.requests >= 1
    assert pdfsig_accepts(path, nss)
    verdict, code = _verify(path, capsys)
    assert (
        code == 0 and verdict["timestamp"] and verdict["timestamp_authority"] == "Một Cửa Test TSA"
    )


def test_an_emptied_trust_list_makes_the_signature_untrusted_exit_1(
    signing, token, tmp_path, settings, capsys
):
    path = tmp_path / "da-ky.pdf"
    path.write_bytes(
        pdf_sign(
            pdf_bytes(),
            KeySpec(PKCS11, token.module, token.label, token.key_label),
            Activation(pin=token.pin),
        )
    )
    empty = tmp_path / "trust-empty"
    empty.mkdir()
    settings.MOTCUA_TRUST_ROOTS = str(empty)
    verdict, code = _verify(path, capsys)
    assert code == 1 and verdict["status"] == "untrusted" and verdict["trusted"] is False
    assert verdict["signer"] == LEADER  # who signed is still told


def test_trust_list_reads_der_and_pem_and_skips_what_is_not_a_certificate(
    signing, token, tmp_path, settings, ca_files, capsys
):
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    folder = tmp_path / "trust-der"
    folder.mkdir()
    ca = x509.load_pem_x509_certificate(ca_files.ca_pem.read_bytes())
    (folder / "root.cer").write_bytes(ca.public_bytes(Encoding.DER))
    (folder / "README.txt").write_text("Danh sách tin cậy")
    path = tmp_path / "da-ky.pdf"
    path.write_bytes(
        pdf_sign(
            pdf_bytes(),
            KeySpec(PKCS11, token.module, token.label, token.key_label),
            Activation(pin=token.pin),
        )
    )
    settings.MOTCUA_TRUST_ROOTS = str(folder)
    verdict, code = _verify(path, capsys)
    assert code == 0 and verdict["trusted"]


def test_wrong_pin_is_refused_clearly_and_nothing_is_written(signing, token, tmp_path, monkeypatch):
    source, target = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(pdf_bytes())
    monkeypatch.setenv("MOTCUA_SIGNING_PIN", "000000")
    with pytest.raises(CommandError, match="Mã PIN không đúng"):
        call_command("documents", "sign", str(source), str(target), *_token_args(token))
    assert not target.exists() and not list(tmp_path.glob("*.dang-ghi"))


def test_a_missing_pin_outside_a_terminal_is_asked_for(signing, token, tmp_path, monkeypatch):
    source = tmp_path / "in.pdf"
    source.write_bytes(pdf_bytes())
    monkeypatch.delenv("MOTCUA_SIGNING_PIN", raising=False)
    with pytest.raises(CommandError, match="MOTCUA_SIGNING_PIN"):
        call_command("documents", "sign", str(source), str(tmp_path / "o.pdf"), *_token_args(token))


def test_a_token_pulled_out_between_opening_and_signing_is_reported(signing, token):
    spec = KeySpec(PKCS11, token.module, token.label, token.key_label)

    async def sign_after_pulling_out():
        async with key_open(spec, Activation(pin=token.pin)) as signer:  # found, logged in
            token.pull_out()
            return await pades_sign(pdf_bytes(), signer, appearance=None, reason="x", location="y")

    with pytest.raises(SigningFailed) as caught:
        run_sync(sign_after_pulling_out())
    assert caught.value.code == "token_gone"
    assert "rút ra hoặc mất kết nối" in caught.value.messages[0]


def test_a_token_that_is_not_there_is_reported(signing, token):
    token.pull_out()
    with pytest.raises(SigningFailed) as caught:
        pdf_sign(
            pdf_bytes(),
            KeySpec(PKCS11, token.module, token.label, token.key_label),
            Activation(pin=token.pin),
        )
    assert caught.value.code in ("token_missing", "token_gone")
    assert "thiết bị ký số" in caught.value.messages[0]


def test_a_wrong_key_label_and_a_wrong_module_are_reported(signing, token):
    with pytest.raises(SigningFailed, match="không có khoá ký"):
        pdf_sign(
            pdf_bytes(),
            KeySpec(PKCS11, token.module, token.label, "khac"),
            Activation(pin=token.pin),
        )
    with pytest.raises(SigningFailed, match="Không nạp được thư viện PKCS#11"):
        pdf_sign(
            pdf_bytes(), KeySpec(PKCS11, "/khong/co.so", token.label, "x"), Activation(pin="1")
        )


def test_a_certificate_outside_the_trust_list_is_not_used_to_sign(
    signing, token, tmp_path, settings
):
    empty = tmp_path / "trust-empty"
    empty.mkdir()
    settings.MOTCUA_TRUST_ROOTS = str(empty)
    with pytest.raises(SigningFailed) as caught:
        pdf_sign(
            pdf_bytes(),
            KeySpec(PKCS11, token.module, token.label, token.key_label),
            Activation(pin=token.pin),
        )
    assert caught.value.code == "certificate_untrusted"


def test_remote_signing_through_the_csc_stand_in_with_the_signers_confirmation(
    signing, csc, tsa, nss, tmp_path, monkeypatch, capsys
):
    from motcua.documents.csc import credentials_list

    assert [c["id"] for c in credentials_list(csc.base_url)] == ["lanhdao-01"]
    _csc_signer(csc)
    source, signed = tmp_path / "in.pdf", tmp_path / "tu-xa.pdf"
    source.write_bytes(pdf_bytes("Văn bản ký số từ xa"))
    monkeypatch.setenv("MOTCUA_SIGNING_PIN", CSC_PIN)
    monkeypatch.setenv("MOTCUA_SIGNING_OTP", totp_now(CSC_TOTP_SECRET))
    call_command("documents", "sign", str(source), str(signed), "--signer", "lanhdao-tu-xa")
    capsys.readouterr()
    assert csc.calls[-3:] == ["credentials/info", "credentials/authorize", "signatures/signHash"]
    assert pdfsig_accepts(signed, nss)
    verdict, code = _verify(signed, capsys)
    assert code == 0 and verdict["signer"] == LEADER and verdict["timestamp"]
    changed = tmp_path / "sua.pdf"
    changed.write_bytes(one_byte_changed(signed.read_bytes()))
    assert not pdfsig_accepts(changed, nss)
    assert _verify(changed, capsys)[1] == 1


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("otp", "không chấp nhận mã PIN hoặc mã xác nhận"),
        ("pin", "không chấp nhận mã PIN hoặc mã xác nhận"),
        ("access_token", "từ chối quyền truy cập"),
        ("credential", "không có chứng thư"),
        ("sad", "từ chối lệnh ký"),
    ],
)
def test_a_csc_refusal_is_reported_and_nothing_is_written(
    signing, csc, settings, tmp_path, monkeypatch, change, expected
):
    _csc_signer(csc, csc_credential_id="khong-co" if change == "credential" else "lanhdao-01")
    if change == "access_token":
        settings.MOTCUA_CSC_ACCESS_TOKEN = "sai"
    if change == "sad":  # the service has the SAD expire at once: signHash refuses it
        monkeypatch.setattr("motcua.documents.standins.SAD_SECONDS", -1)
    source, target = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(pdf_bytes())
    monkeypatch.setenv("MOTCUA_SIGNING_PIN", "000000" if change == "pin" else CSC_PIN)
    monkeypatch.setenv(
        "MOTCUA_SIGNING_OTP", "000000" if change == "otp" else totp_now(CSC_TOTP_SECRET)
    )
    with pytest.raises(CommandError, match=expected):
        call_command("documents", "sign", str(source), str(target), "--signer", "lanhdao-tu-xa")
    assert not target.exists()
    assert ("signatures/signHash" in csc.calls) == (change == "sad")


def test_a_sad_is_good_for_its_own_hash_once(signing, csc):
    """The stand-in binds the SAD to the hash (SCAL2) and spends it: replaying it is refused."""
    import base64
    import hashlib

    import requests

    from motcua.documents.standins import SHA256_OID, SHA256_RSA_OID

    headers = {"Authorization": f"Bearer {csc.access_token}"}
    digest = base64.b64encode(hashlib.sha256(b"van ban").digest()).decode()
    sad = requests.post(
        f"{csc.base_url}/csc/v2/credentials/authorize",
        json={
            "credentialID": "lanhdao-01",
            "numSignatures": 1,
            "hashes": [digest],
            "hashAlgorithmOID": SHA256_OID,
            "authData": [
                {"id": "PIN", "value": CSC_PIN},
                {"id": "OTP", "value": totp_now(CSC_TOTP_SECRET)},
            ],
        },
        headers=headers,
        timeout=10,
    ).json()["SAD"]
    body = {"credentialID": "lanhdao-01", "SAD": sad, "hashes": [digest],
            "hashAlgorithmOID": SHA256_OID, "signAlgo": SHA256_RSA_OID}  # fmt: skip
    first = requests.post(
        f"{csc.base_url}/csc/v2/signatures/signHash", json=body, headers=headers, timeout=10
    )
    again = requests.post(
        f"{csc.base_url}/csc/v2/signatures/signHash", json=body, headers=headers, timeout=10
    )
    assert first.status_code == 200 and len(first.json()["signatures"]) == 1
    assert again.status_code == 400 and "SAD" in again.json()["error_description"]


def test_a_file_key_is_refused_under_production_settings(signing, settings):
    settings.MOTCUA_FILE_KEYS_ALLOWED = False
    with pytest.raises(SigningFailed) as caught:
        pdf_sign(pdf_bytes(), KeySpec(kind=PKCS12), Activation())
    assert caught.value.code == "file_key_refused" and "bản trình diễn" in caught.value.messages[0]


def test_production_settings_refuse_file_keys():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.MOTCUA_FILE_KEYS_ALLOWED)"],
        env={"DJANGO_SETTINGS_MODULE": "config.settings.production", "DJANGO_SECRET_KEY": "k" * 60,
             "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert out.stdout.strip() == "False"


def test_a_timestamped_signature_still_verifies_after_the_certificate_expired(
    signing, token, tsa, settings
):
    """Six years on, the leader's five-year certificate has expired: the timestamp proves the
    signature existed while it was valid, and the document carries the validation data. Without
    a timestamp nothing proves when it was made."""
    from datetime import datetime, timedelta

    import time_machine

    spec = KeySpec(PKCS11, token.module, token.label, token.key_label)
    stamped = pdf_sign(pdf_bytes(), spec, Activation(pin=token.pin))
    settings.MOTCUA_TSA_URL = ""
    plain = pdf_sign(pdf_bytes("Không có dấu thời gian"), spec, Activation(pin=token.pin))
    with time_machine.travel(datetime.now() + timedelta(days=6 * 365)):
        later = pdf_verdict(stamped)
        assert later["valid"] and later["validated_at"] == later["timestamp"]
        assert pdf_verdict(plain)["status"] == "untrusted"

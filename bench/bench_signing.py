"""Issue [J] 2: signing throughput — the demo's file key (PKCS#12) and a SoftHSM2 token (PKCS#11).

The document is one result rendered from result_document.html's layout (A4, its QR code), signed
as production signs it: PAdES with the visible signature (seal, name, title), the signer's path
validated against the trust list before signing, the validation data written into the DSS
(B-LT); one document after another in one process, as a leader signs. A third figure adds a
timestamp from a local RFC 3161 stand-in. Baselines (same run): the same key signing the same
bytes PAdES-B-B — no visible signature, no path validation, no DSS, the key opened once (the file
key decrypted once, one token session) — so the ratio says what B-LT and opening the key for each
signature (as a request does: the PIN is typed for it) cost. The file key is measured under the bench's production settings with file keys allowed for
this figure only (they are refused in production).

The token is made here as the tests make theirs: softhsm2-util in a temporary SOFTHSM2_CONF.
"""

import io
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.harness import by_scale, number, record

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
PIN = "246810"
PASS = "motcua-test"  # the test CA's PKCS#12 passphrase


def _document() -> bytes:
    from weasyprint import HTML

    body = "".join(
        f"<p>Điều {i}. Nội dung quyết định giải quyết thủ tục hành chính, dòng {i}.</p>"
        for i in range(1, 16)
    )
    return HTML(string=f"<html><body><h1>QUYẾT ĐỊNH</h1>{body}</body></html>").write_pdf()


def _token(folder: Path, key_pem: Path, cert_der: Path) -> str:
    (folder / "tokens").mkdir(parents=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    label = "bench-lanhdao"
    run = lambda *a: subprocess.run(a, check=True, capture_output=True)  # noqa: E731
    run(
        "softhsm2-util",
        "--init-token",
        "--free",
        "--label",
        label,
        "--pin",
        PIN,
        "--so-pin",
        "13572468",
    )
    run("softhsm2-util", "--import", str(key_pem), "--token", label, "--label", "chu-ky",
        "--id", "01", "--pin", PIN)  # fmt: skip
    run("pkcs11-tool", "--module", SOFTHSM_MODULE, "--token-label", label, "--login", "--pin", PIN,
        "--write-object", str(cert_der), "--type", "cert", "--label", "chu-ky", "--id", "01")  # fmt: skip
    return label


def _rate(sign, data: bytes, count: int) -> float:
    sign(data)  # warm: the module loaded, fonts and images cached
    started = time.perf_counter()
    for _ in range(count):
        sign(data)
    return count / (time.perf_counter() - started)


def main() -> None:
    from django.conf import settings
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.pkcs11 import PKCS11Signer, TokenCriteria, open_pkcs11_session

    from motcua.core.clock import now
    from motcua.documents.appearance import signature_image
    from motcua.documents.keys import PKCS11, PKCS12, Activation, KeySpec
    from motcua.documents.signing import Appearance, pdf_sign
    from motcua.documents.standins import TimestampStandIn
    from motcua.documents.testca import create_test_ca, issue_test_certificate

    count = by_scale(30, 100)
    folder = Path(tempfile.mkdtemp(prefix="motcua-bench-signing-"))
    try:
        ca = create_test_ca(folder / "ca")
        leader = issue_test_certificate(
            ca, folder / "leader", "Trần Văn Minh", "Sở Tư pháp tỉnh Hà Tĩnh", title="Phó Giám đốc"
        )
        label = _token(folder / "softhsm", leader.key_pem, leader.cert_der)
        settings.MOTCUA_TRUST_ROOTS = str(ca.trust_dir)
        settings.MOTCUA_SIGNING_PASSPHRASE = ca.passphrase
        settings.MOTCUA_TSA_URL = ""
        settings.MOTCUA_FILE_KEYS_ALLOWED = True  # this figure only: production refuses file keys
        data = _document()
        image = signature_image(
            signer="Trần Văn Minh", title="Phó Giám đốc", organisation="Sở Tư pháp tỉnh Hà Tĩnh",
            at=now(),
        )  # fmt: skip
        box = (300.0, 150.0, 527.0, 250.0)
        file_key = KeySpec(kind=PKCS12, pkcs12_path=str(leader.p12))
        token = KeySpec(PKCS11, SOFTHSM_MODULE, label, "chu-ky")

        def sign_with(spec, activation):
            return lambda pdf: pdf_sign(pdf, spec, activation, appearance=Appearance(image, box))

        def plain_with(signer):  # PAdES-B-B: the key's signature and nothing else
            def sign(pdf):
                meta = signers.PdfSignatureMetadata(
                    field_name="Sig", subfilter=fields.SigSeedSubFilter.PADES
                )
                writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
                return signers.PdfSigner(meta, signer=signer).sign_pdf(writer)

            return sign

        print(f"{count} documents of {number(len(data) / 1024)} KB each, signed one after another")
        simple = signers.SimpleSigner.load_pkcs12(str(leader.p12), passphrase=PASS.encode())
        file_plain = _rate(plain_with(simple), data, count)
        file_rate = _rate(sign_with(file_key, Activation()), data, count)
        session = open_pkcs11_session(
            SOFTHSM_MODULE, token_criteria=TokenCriteria(label=label), user_pin=PIN
        )
        try:
            token_plain = _rate(plain_with(PKCS11Signer(session, key_label="chu-ky")), data, count)
        finally:
            session.close()
        token_rate = _rate(sign_with(token, Activation(pin=PIN)), data, count)
        tsa_cert = issue_test_certificate(
            ca, folder / "tsa", "Bench TSA", "Một Cửa (thử nghiệm)", timestamping=True
        )
        tsa = TimestampStandIn(tsa_cert.cert_pem, tsa_cert.key_pem, (ca.ca_pem,))
        settings.MOTCUA_TSA_URL = tsa.url
        try:
            stamped_rate = _rate(sign_with(token, Activation(pin=PIN)), data, count)
        finally:
            tsa.close()
            settings.MOTCUA_TSA_URL = ""
        size = len(sign_with(token, Activation(pin=PIN))(data))
        print(f"signed document: {number(size / 1024)} KB (unsigned {number(len(data) / 1024)} KB)")
        # A leader signs one document at a time: one a second is far more than a person needs.
        record("J2 file key (PKCS#12), PAdES-B-LT", file_rate, "docs/s", file_plain,
               "B-B, file key loaded once", min_value=1)  # fmt: skip
        record("J2 SoftHSM2 token (PKCS#11), PAdES-B-LT", token_rate, "docs/s", token_plain,
               "B-B, one token session", min_value=1)  # fmt: skip
        record("J2 SoftHSM2 token + RFC 3161 timestamp", stamped_rate, "docs/s", token_plain,
               "B-B, one token session", min_value=1)  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)

"""A test CA and the department's signing certificate, created once per run; a second, foreign CA
for the "untrusted" cases; a leader's key on a SoftHSM2 token and behind a CSC stand-in; a local
timestamp authority."""

import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from motcua.documents.testca import create_test_ca, issue_test_certificate
from tests.documents.s3 import moto_endpoint, s3  # noqa: F401 (moto's S3 server, a bucket per test)


@pytest.fixture(scope="session")
def ca_files(tmp_path_factory):
    return create_test_ca(tmp_path_factory.mktemp("ca"), passphrase="motcua-test")


@pytest.fixture(scope="session")
def foreign_ca_files(tmp_path_factory):
    return create_test_ca(
        tmp_path_factory.mktemp("foreign-ca"),
        passphrase="khac",
        ca_name="CA Lạ",
        signer_name="Sở Tư pháp tỉnh Hà Tĩnh",  # same name, another CA: must not be trusted
    )


@pytest.fixture
def signing(settings, ca_files):
    settings.MOTCUA_SIGNING_PKCS12 = str(ca_files.signer_p12)
    settings.MOTCUA_SIGNING_PASSPHRASE = ca_files.passphrase
    settings.MOTCUA_TRUST_ROOTS = str(ca_files.trust_dir)
    settings.MOTCUA_PUBLIC_BASE_URL = "https://dichvucong.example.vn"
    return ca_files


# --- keys of a leader: a SoftHSM2 token, a CSC stand-in, a timestamp authority ------------------


SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
LEADER = "Trần Văn Minh"
LEADER_TITLE = "Phó Giám đốc"
ORGANISATION = "Sở Tư pháp tỉnh Hà Tĩnh"


def _tool(name: str) -> str:
    path = shutil.which(name)
    # Never skipped: `make test` installs softhsm2 and opensc (Makefile DEBIAN_TEST_PACKAGES).
    assert path, f"{name} is missing: install the Debian packages of DEBIAN_TEST_PACKAGES"
    return path


@pytest.fixture(scope="session")
def leader_certificate(ca_files, tmp_path_factory):
    return issue_test_certificate(
        ca_files, tmp_path_factory.mktemp("leader"), LEADER, ORGANISATION, title=LEADER_TITLE
    )


@pytest.fixture(scope="session")
def softhsm_dir(tmp_path_factory):
    """One SoftHSM2 configuration for the run, set before the module is first loaded (the
    module reads SOFTHSM2_CONF when it initialises)."""
    assert Path(SOFTHSM_MODULE).exists(), "softhsm2 is missing (DEBIAN_TEST_PACKAGES)"
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    yield folder
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


@dataclass(frozen=True)
class Token:
    module: str
    label: str
    key_label: str
    pin: str
    folder: Path  # SoftHSM's folder of this token: delete it and the token is gone

    def pull_out(self) -> None:
        shutil.rmtree(self.folder)


@pytest.fixture
def token(softhsm_dir, leader_certificate) -> Token:
    """A fresh token holding the leader's key and certificate (imported as a token's owner
    would: softhsm2-util for the key, pkcs11-tool for the certificate)."""
    label, pin = f"lanhdao-{uuid.uuid4().hex[:8]}", "246810"
    tokens = softhsm_dir / "tokens"
    before = set(tokens.iterdir())
    run = lambda *args: subprocess.run(args, check=True, capture_output=True)  # noqa: E731
    run(_tool("softhsm2-util"), "--init-token", "--free", "--label", label,
        "--pin", pin, "--so-pin", "13572468")  # fmt: skip
    run(_tool("softhsm2-util"), "--import", str(leader_certificate.key_pem), "--token", label,
        "--label", "chu-ky", "--id", "01", "--pin", pin)  # fmt: skip
    run(_tool("pkcs11-tool"), "--module", SOFTHSM_MODULE, "--token-label", label, "--login",
        "--pin", pin, "--write-object", str(leader_certificate.cert_der), "--type", "cert",
        "--label", "chu-ky", "--id", "01")  # fmt: skip
    (folder,) = set(tokens.iterdir()) - before
    return Token(SOFTHSM_MODULE, label, "chu-ky", pin, folder)


@pytest.fixture
def tsa(ca_files, tmp_path_factory, settings):
    """A local RFC 3161 timestamp authority, used by every signature of the test."""
    from motcua.documents.standins import TimestampStandIn

    certificate = issue_test_certificate(
        ca_files, tmp_path_factory.mktemp("tsa"), "Một Cửa Test TSA", "Một Cửa (thử nghiệm)",
        timestamping=True,
    )  # fmt: skip
    server = TimestampStandIn(certificate.cert_pem, certificate.key_pem, (ca_files.ca_pem,))
    settings.MOTCUA_TSA_URL = server.url
    yield server
    server.close()


CSC_TOKEN = "csc-access-token-thu-nghiem"
CSC_PIN = "135790"
CSC_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def csc(ca_files, leader_certificate, settings):
    """A CSC API v2 stand-in holding the leader's remote credential."""
    from motcua.documents.standins import Credential, CscStandIn

    server = CscStandIn(
        {
            "lanhdao-01": Credential(
                key_pem=leader_certificate.key_pem,
                chain_pems=(leader_certificate.cert_pem, ca_files.ca_pem),
                pin=CSC_PIN,
                totp_secret=CSC_TOTP_SECRET,
                description=f"{LEADER} — {LEADER_TITLE}",
                subject=f"CN={LEADER}",
            )
        },
        access_token=CSC_TOKEN,
    )
    settings.MOTCUA_CSC_ACCESS_TOKEN = CSC_TOKEN
    yield server
    server.close()

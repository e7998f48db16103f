"""A test CA and the department's signing certificate, created once per run; a second, foreign CA
for the "untrusted" cases."""

import pytest

from motcua.documents.testca import create_test_ca


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

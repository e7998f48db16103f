"""A test certification authority for the demo and the tests: a root CA, the department's
document-signing certificate, and on request more certificates from the same root (a leader's key
for a token, a remote-signing credential, a timestamp authority). Written as PEM (the CA, also
copied into a trust-list folder), PKCS#8 PEM keys, and PKCS#12 (a signer's key and chain). In
production certificates come from a licensed CA (e.g. Ban Cơ yếu Chính phủ's VGCA) and the national
root is dropped into MOTCUA_TRUST_ROOTS.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class CaFiles:
    ca_pem: Path
    signer_p12: Path
    passphrase: str
    ca_key: Path | None = None  # the root's key, to issue more test certificates
    trust_dir: Path | None = None  # a trust list holding only this root


@dataclass(frozen=True)
class TestCertificate:
    key_pem: Path  # PKCS#8, unencrypted: for importing into a token
    cert_pem: Path
    cert_der: Path
    p12: Path  # key + certificate + root, encrypted with the CA's passphrase


def _name(common_name: str, organisation: str, title: str | None = None) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Hà Tĩnh"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
    ]
    if title:
        attributes.append(x509.NameAttribute(NameOID.TITLE, title))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _key_usage(*, signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signer,
        content_commitment=signer,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signer,
        crl_sign=not signer,
        encipher_only=False,
        decipher_only=False,
    )


def _ca_certificate(ca_key, ca_name: str, start: datetime) -> x509.Certificate:
    subject = _name(ca_name, "Một Cửa (thử nghiệm)")
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(signer=False), critical=True)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )


def _end_entity(
    ca_key,
    ca_cert: x509.Certificate,
    key,
    subject: x509.Name,
    *,
    start: datetime,
    days: int,
    timestamping: bool = False,
) -> x509.Certificate:
    """A document-signing certificate, or (timestamping) a TSA's: RFC 3161 wants the
    time-stamping extended key usage alone, marked critical."""
    usages = (
        [ExtendedKeyUsageOID.TIME_STAMPING]
        if timestamping
        else [ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CODE_SIGNING]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signer=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage(usages), critical=timestamping)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )


def _p12(name: str, key, cert, ca_cert, passphrase: str) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        name.encode(),
        key,
        cert,
        [ca_cert],
        serialization.BestAvailableEncryption(passphrase.encode()),
    )


def _write_private(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    path.chmod(0o600)


def create_test_ca(
    folder: Path,
    *,
    passphrase: str = "motcua-test",
    ca_name: str = "Một Cửa Test Root CA",
    signer_name: str = "Sở Tư pháp tỉnh Hà Tĩnh",
) -> CaFiles:
    """Create `ca.pem`, `ca-key.pem`, `signer.p12` and `trust/ca.pem` in `folder` (replacing any
    there) and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    start = datetime.now(UTC) - timedelta(days=1)
    ca_key, signer_key = _key(), _key()
    ca_cert = _ca_certificate(ca_key, ca_name, start)
    signer_cert = _end_entity(
        ca_key, ca_cert, signer_key, _name(signer_name, signer_name), start=start, days=1825
    )
    trust = folder / "trust"
    trust.mkdir(exist_ok=True)
    ca_key_path = folder / "ca-key.pem"
    files = CaFiles(folder / "ca.pem", folder / "signer.p12", passphrase, ca_key_path, trust)
    ca_pem = ca_cert.public_bytes(serialization.Encoding.PEM)
    files.ca_pem.write_bytes(ca_pem)
    (trust / "ca.pem").write_bytes(ca_pem)
    _write_private(
        ca_key_path,
        ca_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    _write_private(
        files.signer_p12, _p12(signer_name, signer_key, signer_cert, ca_cert, passphrase)
    )
    return files


def issue_test_certificate(
    files: CaFiles,
    folder: Path,
    common_name: str,
    organisation: str,
    *,
    title: str | None = None,
    timestamping: bool = False,
    days: int = 1825,
    not_before: datetime | None = None,
) -> TestCertificate:
    """Another certificate from the test root: a person's signing certificate (name, title,
    organisation, as a VGCA certificate carries them) or a timestamp authority's."""
    if files.ca_key is None:
        raise ValueError("the test CA was created without its key")
    ca_key = serialization.load_pem_private_key(files.ca_key.read_bytes(), password=None)
    ca_cert = x509.load_pem_x509_certificate(files.ca_pem.read_bytes())
    key = _key()
    start = not_before or datetime.now(UTC) - timedelta(days=1)
    cert = _end_entity(
        ca_key,
        ca_cert,
        key,
        _name(common_name, organisation, title),
        start=start,
        days=days,
        timestamping=timestamping,
    )
    folder.mkdir(parents=True, exist_ok=True)
    out = TestCertificate(
        folder / "key.pem", folder / "cert.pem", folder / "cert.der", folder / "cert.p12"
    )
    _write_private(
        out.key_pem,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    out.cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    out.cert_der.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    _write_private(out.p12, _p12(common_name, key, cert, ca_cert, files.passphrase))
    return out

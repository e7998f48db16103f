"""The trust list: the root certificates a signature must chain to (MOTCUA_TRUST_ROOTS, a folder).

Any file in the folder holding certificates in PEM (one or several) or DER is read: the national
root CA's certificates (Ban Cơ yếu Chính phủ's VGCA, the Ministry of Information and
Communications' root for commercial CAs) can be dropped in as published. A file that is not a
certificate is skipped with a warning: a stray README must not take the verification page down.
Revocation lists (*.crl, PEM or DER) in the same folder are used when signing, to embed
validation data, and when verifying.
"""

import logging
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

CRL_SUFFIXES = {".crl"}


def _folder() -> Path:
    return Path(settings.MOTCUA_TRUST_ROOTS)


def _files(suffixes: set[str] | None = None, *, exclude: set[str] | None = None) -> list[Path]:
    folder = _folder()
    if not folder.is_dir():
        return []
    paths = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    if suffixes is not None:
        paths = [p for p in paths if p.suffix.lower() in suffixes]
    if exclude is not None:
        paths = [p for p in paths if p.suffix.lower() not in exclude]
    return paths


def _certificates_in(data: bytes) -> list:
    from asn1crypto import pem  # type: ignore[import-untyped]
    from asn1crypto import x509 as asn1_x509

    if pem.detect(data):
        return [
            asn1_x509.Certificate.load(der)
            for kind, _headers, der in pem.unarmor(data, multiple=True)
            if kind == "CERTIFICATE"
        ]
    certificate = asn1_x509.Certificate.load(data)
    certificate.native  # noqa: B018 -- parse fully now, so a non-certificate fails here
    return [certificate]


def trust_roots() -> list:
    """The trusted roots, as asn1crypto certificates; empty when the folder is missing or empty
    (then every signature is reported untrusted)."""
    roots = []
    for path in _files(exclude=CRL_SUFFIXES):
        try:
            roots.extend(_certificates_in(path.read_bytes()))
        except Exception as error:  # any parse failure: skip the file, say so in the log
            logger.warning("trust list: %s is not a certificate (%s), skipped", path.name, error)
    return roots


def revocation_lists() -> list:
    """CRLs dropped beside the roots (asn1crypto CertificateList objects)."""
    from asn1crypto import crl, pem

    lists = []
    for path in _files(CRL_SUFFIXES):
        data = path.read_bytes()
        try:
            if pem.detect(data):
                _kind, _headers, data = pem.unarmor(data)
            lists.append(crl.CertificateList.load(data))
        except Exception as error:
            logger.warning("trust list: %s is not a CRL (%s), skipped", path.name, error)
    return lists
